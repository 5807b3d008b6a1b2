package store

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync/atomic"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

// A segment file holds the fixes of one partition [start, end) of event
// time, sorted by (MMSI, time):
//
//	magic "SWFXSEG1"
//	block*        one per vessel, see appendBlock
//	index         one 56-byte entry per block, sorted by MMSI
//	groups        per 128 index entries: first MMSI, CRC-32C of the entries
//	footer        footerSize bytes, see segFooter; ends with its own CRC
//
// A reader keeps the footer and the group table (8 bytes per 128 vessels)
// in memory and reads one group of the index and one block to answer a
// track query.
const (
	segMagic   = "SWFXSEG1"
	entrySize  = 56
	groupSize  = 128
	footerSize = 8 + 4 + 8 + 4 + 8 + 8 + 8 + 8 + 8 + 8 + 16 + 4
)

// entry is one index entry: where a vessel's block is and what it spans.
type entry struct {
	mmsi       uint32
	count      uint32
	off        uint64
	length     uint32
	crc        uint32
	minT, maxT int64
	bbox       [4]float32 // minLat, minLon, maxLat, maxLon, rounded outwards
}

func (e *entry) put(b []byte) {
	le := binary.LittleEndian
	le.PutUint32(b[0:], e.mmsi)
	le.PutUint32(b[4:], e.count)
	le.PutUint64(b[8:], e.off)
	le.PutUint32(b[16:], e.length)
	le.PutUint32(b[20:], e.crc)
	le.PutUint64(b[24:], uint64(e.minT))
	le.PutUint64(b[32:], uint64(e.maxT))
	for i, v := range e.bbox {
		le.PutUint32(b[40+4*i:], math.Float32bits(v))
	}
}

func readEntry(b []byte) entry {
	le := binary.LittleEndian
	e := entry{
		mmsi:   le.Uint32(b[0:]),
		count:  le.Uint32(b[4:]),
		off:    le.Uint64(b[8:]),
		length: le.Uint32(b[16:]),
		crc:    le.Uint32(b[20:]),
		minT:   int64(le.Uint64(b[24:])),
		maxT:   int64(le.Uint64(b[32:])),
	}
	for i := range e.bbox {
		e.bbox[i] = math.Float32frombits(le.Uint32(b[40+4*i:]))
	}
	return e
}

// intersects reports whether the entry may hold fixes in box and [from, to).
func (e *entry) intersects(box geo.Box, from, to int64) bool {
	return e.maxT >= from && e.minT < to &&
		float64(e.bbox[0]) <= box.MaxLat && float64(e.bbox[2]) >= box.MinLat &&
		float64(e.bbox[1]) <= box.MaxLon && float64(e.bbox[3]) >= box.MinLon
}

// entryIntersects is entry.intersects on an encoded entry.
func entryIntersects(b []byte, box geo.Box, from, to int64) bool {
	le := binary.LittleEndian
	if int64(le.Uint64(b[32:])) < from || int64(le.Uint64(b[24:])) >= to {
		return false
	}
	f := func(off int) float64 { return float64(math.Float32frombits(le.Uint32(b[off:]))) }
	return f(40) <= box.MaxLat && f(48) >= box.MinLat && f(44) <= box.MaxLon && f(52) >= box.MinLon
}

// segMeta describes a segment; the manifest lists it.
type segMeta struct {
	File  string `json:"file"`
	Start int64  `json:"start"` // partition, UNIX ms, inclusive
	End   int64  `json:"end"`   // exclusive
	Count int64  `json:"count"` // fixes
	MinT  int64  `json:"minTime"`
	MaxT  int64  `json:"maxTime"`
	Size  int64  `json:"size"` // bytes
}

// segFooter is the fixed-size tail of a segment file.
type segFooter struct {
	indexOff  uint64
	entries   uint32
	groupsOff uint64
	count     uint64
	minT      int64
	maxT      int64
	start     int64
	end       int64
	bbox      [4]float32
}

func (f *segFooter) marshal() []byte {
	b := make([]byte, footerSize)
	le := binary.LittleEndian
	copy(b, segMagic)
	le.PutUint32(b[8:], 1) // version
	le.PutUint64(b[12:], f.indexOff)
	le.PutUint32(b[20:], f.entries)
	le.PutUint64(b[24:], f.groupsOff)
	le.PutUint64(b[32:], f.count)
	le.PutUint64(b[40:], uint64(f.minT))
	le.PutUint64(b[48:], uint64(f.maxT))
	le.PutUint64(b[56:], uint64(f.start))
	le.PutUint64(b[64:], uint64(f.end))
	for i, v := range f.bbox {
		le.PutUint32(b[72+4*i:], math.Float32bits(v))
	}
	le.PutUint32(b[88:], crc32.Checksum(b[:88], castagnoli))
	return b
}

func unmarshalFooter(b []byte) (segFooter, bool) {
	le := binary.LittleEndian
	if len(b) != footerSize || string(b[:8]) != segMagic || le.Uint32(b[8:]) != 1 ||
		le.Uint32(b[88:]) != crc32.Checksum(b[:88], castagnoli) {
		return segFooter{}, false
	}
	f := segFooter{
		indexOff:  le.Uint64(b[12:]),
		entries:   le.Uint32(b[20:]),
		groupsOff: le.Uint64(b[24:]),
		count:     le.Uint64(b[32:]),
		minT:      int64(le.Uint64(b[40:])),
		maxT:      int64(le.Uint64(b[48:])),
		start:     int64(le.Uint64(b[56:])),
		end:       int64(le.Uint64(b[64:])),
	}
	for i := range f.bbox {
		f.bbox[i] = math.Float32frombits(le.Uint32(b[72+4*i:]))
	}
	return f, true
}

// outward rounds a bounding box to float32 so that it still contains
// every point.
func outward(minLat, minLon, maxLat, maxLon float64) [4]float32 {
	down := func(v float64) float32 {
		f := float32(v)
		if float64(f) > v {
			f = math.Nextafter32(f, float32(math.Inf(-1)))
		}
		return f
	}
	up := func(v float64) float32 {
		f := float32(v)
		if float64(f) < v {
			f = math.Nextafter32(f, float32(math.Inf(1)))
		}
		return f
	}
	return [4]float32{down(minLat), down(minLon), up(maxLat), up(maxLon)}
}

// emptyBox is the bounding box of nothing; NaN positions leave it so, and
// such fixes are found by track queries but never by box queries.
var emptyBox = [4]float32{float32(math.Inf(1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Inf(-1))}

// segWriter writes one segment file; add vessels in increasing MMSI order.
type segWriter struct {
	path  string
	f     *os.File
	bw    *bufio.Writer
	off   uint64
	index []entry
	buf   []byte
	foot  segFooter
}

// createSegment starts a segment file for partition [start, end) that
// will hold about vessels vessels.
func createSegment(path string, start, end int64, vessels int) (*segWriter, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	w := &segWriter{path: path, f: f, bw: bufio.NewWriterSize(f, 256<<10), index: make([]entry, 0, vessels)}
	w.foot = segFooter{minT: maxInt64, maxT: minInt64, start: start, end: end, bbox: emptyBox}
	if _, err := w.bw.WriteString(segMagic); err != nil {
		f.Close()
		return nil, err
	}
	w.off = uint64(len(segMagic))
	return w, nil
}

// add writes one vessel's fixes, in time order.
func (w *segWriter) add(mmsi uint32, fixes []track.Fix) error {
	if len(fixes) == 0 {
		return nil
	}
	if n := len(w.index); n > 0 && w.index[n-1].mmsi >= mmsi {
		return fmt.Errorf("segment %s: vessel %d after %d", filepath.Base(w.path), mmsi, w.index[n-1].mmsi)
	}
	w.buf = appendBlock(w.buf[:0], fixes)
	e := entry{mmsi: mmsi, count: uint32(len(fixes)), off: w.off, length: uint32(len(w.buf)),
		crc: crc32.Checksum(w.buf, castagnoli), minT: fixes[0].Time, maxT: fixes[len(fixes)-1].Time}
	minLat, minLon, maxLat, maxLon := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := range fixes {
		f := &fixes[i]
		if f.Lat != f.Lat || f.Lon != f.Lon {
			continue
		}
		minLat, maxLat = min(minLat, f.Lat), max(maxLat, f.Lat)
		minLon, maxLon = min(minLon, f.Lon), max(maxLon, f.Lon)
	}
	e.bbox = emptyBox
	if minLat <= maxLat {
		e.bbox = outward(minLat, minLon, maxLat, maxLon)
	}
	if _, err := w.bw.Write(w.buf); err != nil {
		return fmt.Errorf("segment %s: %w", filepath.Base(w.path), err)
	}
	w.off += uint64(len(w.buf))
	w.index = append(w.index, e)
	ft := &w.foot
	ft.count += uint64(len(fixes))
	ft.minT, ft.maxT = min(ft.minT, e.minT), max(ft.maxT, e.maxT)
	ft.bbox = [4]float32{min(ft.bbox[0], e.bbox[0]), min(ft.bbox[1], e.bbox[1]), max(ft.bbox[2], e.bbox[2]), max(ft.bbox[3], e.bbox[3])}
	return nil
}

// finish writes the index and footer, fsyncs and closes the file.
func (w *segWriter) finish() (segMeta, error) {
	name := filepath.Base(w.path)
	fail := func(err error) (segMeta, error) {
		w.f.Close()
		return segMeta{}, fmt.Errorf("segment %s: %w", name, err)
	}
	w.foot.indexOff = w.off
	w.foot.entries = uint32(len(w.index))
	groups := make([]byte, 0, 8*(len(w.index)/groupSize+1))
	group := make([]byte, 0, groupSize*entrySize)
	var eb [entrySize]byte
	for i := range w.index {
		w.index[i].put(eb[:])
		group = append(group, eb[:]...)
		if (i+1)%groupSize == 0 || i == len(w.index)-1 {
			first := w.index[i/groupSize*groupSize].mmsi
			groups = binary.LittleEndian.AppendUint32(groups, first)
			groups = binary.LittleEndian.AppendUint32(groups, crc32.Checksum(group, castagnoli))
			if _, err := w.bw.Write(group); err != nil {
				return fail(err)
			}
			w.off += uint64(len(group))
			group = group[:0]
		}
	}
	w.foot.groupsOff = w.off
	if _, err := w.bw.Write(groups); err != nil {
		return fail(err)
	}
	w.off += uint64(len(groups))
	if _, err := w.bw.Write(w.foot.marshal()); err != nil {
		return fail(err)
	}
	w.off += footerSize
	if err := w.bw.Flush(); err != nil {
		return fail(err)
	}
	if err := w.f.Sync(); err != nil {
		return fail(err)
	}
	if err := w.f.Close(); err != nil {
		return segMeta{}, fmt.Errorf("segment %s: %w", name, err)
	}
	return segMeta{File: name, Start: w.foot.start, End: w.foot.end, Count: int64(w.foot.count),
		MinT: w.foot.minT, MaxT: w.foot.maxT, Size: int64(w.off)}, nil
}

// abort closes and removes an unfinished segment.
func (w *segWriter) abort() {
	w.f.Close()
	os.Remove(w.path)
}

// segment is an open segment file. It is reference counted: the DB's list
// holds one reference and every query that uses it one more; the file is
// closed (and removed, if obsolete) when the last one is released.
type segment struct {
	meta   segMeta
	f      *os.File
	foot   segFooter
	groups []uint32 // first MMSI of each group of index entries
	crcs   []uint32 // CRC-32C of each group
	refs   atomic.Int32
	remove atomic.Bool // delete the file when the last reference goes
}

func openSegment(dir string, meta segMeta) (*segment, error) {
	f, err := os.Open(filepath.Join(dir, meta.File))
	if err != nil {
		return nil, fmt.Errorf("segment %s: %w", meta.File, err)
	}
	s, err := loadSegment(f, meta)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("segment %s: %w", meta.File, err)
	}
	s.refs.Store(1)
	return s, nil
}

func loadSegment(f *os.File, meta segMeta) (*segment, error) {
	corrupt := func(reason string) error {
		return &CorruptError{File: meta.File, Offset: -1, Reason: reason}
	}
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if size < int64(len(segMagic)+footerSize) {
		return nil, corrupt("too short")
	}
	fb := make([]byte, footerSize)
	if _, err := f.ReadAt(fb, size-footerSize); err != nil {
		return nil, err
	}
	foot, ok := unmarshalFooter(fb)
	if !ok {
		return nil, corrupt("bad footer")
	}
	if foot.start != meta.Start || foot.end != meta.End || int64(foot.count) != meta.Count ||
		foot.minT != meta.MinT || foot.maxT != meta.MaxT {
		return nil, corrupt("footer does not match the MANIFEST")
	}
	ngroups := (uint64(foot.entries) + groupSize - 1) / groupSize
	if foot.indexOff+uint64(foot.entries)*entrySize != foot.groupsOff ||
		foot.groupsOff+8*ngroups != uint64(size-footerSize) {
		return nil, corrupt("footer does not match file size")
	}
	gb := make([]byte, 8*ngroups)
	if _, err := f.ReadAt(gb, int64(foot.groupsOff)); err != nil {
		return nil, err
	}
	s := &segment{meta: meta, f: f, foot: foot, groups: make([]uint32, ngroups), crcs: make([]uint32, ngroups)}
	for i := range s.groups {
		s.groups[i] = binary.LittleEndian.Uint32(gb[8*i:])
		s.crcs[i] = binary.LittleEndian.Uint32(gb[8*i+4:])
	}
	return s, nil
}

func (s *segment) ref() { s.refs.Add(1) }

func (s *segment) unref() {
	if s.refs.Add(-1) == 0 {
		s.f.Close()
		if s.remove.Load() {
			os.Remove(s.f.Name())
		}
	}
}

func (s *segment) corrupt(off int64, reason string) error {
	return &CorruptError{File: s.meta.File, Offset: off, Reason: reason}
}

// readGroup reads and checks index entries of group g.
func (s *segment) readGroup(g int, buf []byte) ([]byte, error) {
	lo := g * groupSize
	hi := min(lo+groupSize, int(s.foot.entries))
	off := int64(s.foot.indexOff) + int64(lo)*entrySize
	buf = slices.Grow(buf[:0], (hi-lo)*entrySize)[:(hi-lo)*entrySize]
	if _, err := s.f.ReadAt(buf, off); err != nil {
		return nil, fmt.Errorf("segment %s: %w", s.meta.File, err)
	}
	if crc32.Checksum(buf, castagnoli) != s.crcs[g] {
		return nil, s.corrupt(off, "index checksum mismatch")
	}
	return buf, nil
}

// find returns the index entry of a vessel.
func (s *segment) find(mmsi uint32) (entry, bool, error) {
	g := sort.Search(len(s.groups), func(i int) bool { return s.groups[i] > mmsi }) - 1
	if g < 0 {
		return entry{}, false, nil
	}
	var arr [groupSize * entrySize]byte
	b, err := s.readGroup(g, arr[:0])
	if err != nil {
		return entry{}, false, err
	}
	n := len(b) / entrySize
	i := sort.Search(n, func(i int) bool { return binary.LittleEndian.Uint32(b[i*entrySize:]) >= mmsi })
	if i == n || binary.LittleEndian.Uint32(b[i*entrySize:]) != mmsi {
		return entry{}, false, nil
	}
	return readEntry(b[i*entrySize:]), true, nil
}

// index reads and checks the whole index.
func (s *segment) index() ([]entry, error) {
	out := make([]entry, 0, s.foot.entries)
	buf := make([]byte, 0, groupSize*entrySize)
	for g := range s.groups {
		b, err := s.readGroup(g, buf)
		if err != nil {
			return nil, err
		}
		for i := 0; i < len(b); i += entrySize {
			out = append(out, readEntry(b[i:]))
		}
	}
	return out, nil
}

// block reads, checks and decodes a vessel's block, appending to dst.
func (s *segment) block(dst []track.Fix, e entry, buf []byte) ([]track.Fix, []byte, error) {
	if e.off < uint64(len(segMagic)) || e.off+uint64(e.length) > s.foot.indexOff {
		return dst, buf, s.corrupt(-1, "index entry out of range")
	}
	buf = slices.Grow(buf[:0], int(e.length))[:e.length]
	if _, err := s.f.ReadAt(buf, int64(e.off)); err != nil {
		return dst, buf, fmt.Errorf("segment %s: %w", s.meta.File, err)
	}
	return s.decode(dst, e, buf)
}

func (s *segment) decode(dst []track.Fix, e entry, b []byte) ([]track.Fix, []byte, error) {
	if crc32.Checksum(b, castagnoli) != e.crc {
		return dst, b, s.corrupt(int64(e.off), "block checksum mismatch")
	}
	n := len(dst)
	dst, err := decodeBlock(dst, b, e.mmsi)
	if err != nil || len(dst)-n != int(e.count) {
		return dst[:n], b, s.corrupt(int64(e.off), "malformed block")
	}
	return dst, b, nil
}

// segIter reads a segment's vessels in MMSI order, sequentially.
type segIter struct {
	s     *segment
	index []entry
	i     int
	r     *bufio.Reader
	buf   []byte
	fixes []track.Fix
}

func (s *segment) iter() (*segIter, error) {
	idx, err := s.index()
	if err != nil {
		return nil, err
	}
	sr := io.NewSectionReader(s.f, int64(len(segMagic)), int64(s.foot.indexOff)-int64(len(segMagic)))
	return &segIter{s: s, index: idx, r: bufio.NewReaderSize(sr, 256<<10)}, nil
}

// next returns the next vessel's fixes, valid until the next call; ok is
// false at the end.
func (it *segIter) next() (mmsi uint32, fixes []track.Fix, ok bool, err error) {
	if it.i >= len(it.index) {
		return 0, nil, false, nil
	}
	e := it.index[it.i]
	it.i++
	want := uint64(len(segMagic))
	if it.i > 1 {
		p := it.index[it.i-2]
		want = p.off + uint64(p.length)
	}
	if e.off != want {
		return 0, nil, false, it.s.corrupt(int64(e.off), "blocks not contiguous")
	}
	it.buf = slices.Grow(it.buf[:0], int(e.length))[:e.length]
	if _, err := io.ReadFull(it.r, it.buf); err != nil {
		return 0, nil, false, fmt.Errorf("segment %s: %w", it.s.meta.File, err)
	}
	it.fixes, it.buf, err = it.s.decode(it.fixes[:0], e, it.buf)
	if err != nil {
		return 0, nil, false, err
	}
	return e.mmsi, it.fixes, true, nil
}
