package ingest

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"straitwatch/internal/track"
)

// CSV columns the importer knows, found by header name.
const (
	colMMSI = iota
	colTime
	colLat
	colLon
	colSOG
	colCOG
	colHeading
	colName
	colIMO
	colCallSign
	colShipType
	colStatus
	colLength
	colWidth
	colDraught
	colClass
	colDestination
	colETA
	colA // DMA: to bow
	colB // to stern
	colC // to port
	colD // to starboard
	numCols
)

// csvHeaders maps normalised header names (lower case, without spaces,
// '#', '_' or '-') of the NOAA Marine Cadastre layout, of the Danish
// Maritime Authority layout and of common variants to columns.
var csvHeaders = map[string]int{
	"mmsi":               colMMSI,
	"basedatetime":       colTime, // NOAA
	"timestamp":          colTime, // DMA "# Timestamp"
	"send":               colTime, // Ai2 Atlantes' renaming of BaseDateTime
	"time":               colTime,
	"datetime":           colTime,
	"lat":                colLat,
	"latitude":           colLat,
	"lon":                colLon,
	"longitude":          colLon,
	"sog":                colSOG,
	"cog":                colCOG,
	"heading":            colHeading,
	"vesselname":         colName,
	"name":               colName,
	"shipname":           colName,
	"imo":                colIMO,
	"callsign":           colCallSign,
	"vesseltype":         colShipType, // NOAA: AIS code
	"shiptype":           colShipType, // DMA: text
	"category":           colShipType, // Atlantes
	"status":             colStatus,   // NOAA: code
	"navigationalstatus": colStatus,   // DMA: text
	"nav":                colStatus,   // Atlantes
	"length":             colLength,
	"width":              colWidth,
	"draft":              colDraught,
	"draught":            colDraught,
	"transceiverclass":   colClass, // NOAA: A or B
	"typeofmobile":       colClass, // DMA: "Class A", "Base Station", ...
	"destination":        colDestination,
	"eta":                colETA,
	"a":                  colA,
	"b":                  colB,
	"c":                  colC,
	"d":                  colD,
}

func normHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")))
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '#', '_', '-':
			return -1
		}
		return r
	}, h)
}

// csvTimeLayouts are the timestamp layouts tried, in order: NOAA, the
// Atlantes variant, DMA, RFC 3339. Times without a zone are UTC.
var csvTimeLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"02/01/2006 15:04:05",
	time.RFC3339,
}

// dmaStatus maps DMA navigational status texts to AIS codes.
var dmaStatus = map[string]uint8{
	"under way using engine":              0,
	"at anchor":                           1,
	"not under command":                   2,
	"restricted maneuverability":          3,
	"restricted manoeuvrability":          3,
	"constrained by her draught":          4,
	"moored":                              5,
	"aground":                             6,
	"engaged in fishing":                  7,
	"under way sailing":                   8,
	"reserved for future amendment [hsc]": 9,
	"reserved for future amendment [wig]": 10,
	"power-driven vessel towing astern":   11,
	"power-driven vessel pushing ahead or towing alongside": 12,
	"reserved for future use":                               13,
	"ais-sart":                                              14,
	"unknown value":                                         15,
}

// dmaShipType maps DMA ship type texts to representative AIS ship and
// cargo type codes (ITU-R M.1371 table 53).
var dmaShipType = map[string]uint8{
	"wig":                   20,
	"fishing":               30,
	"towing":                31,
	"towing long/wide":      32,
	"dredging":              33,
	"diving":                34,
	"military":              35,
	"sailing":               36,
	"pleasure":              37,
	"hsc":                   40,
	"pilot":                 50,
	"sar":                   51,
	"tug":                   52,
	"port tender":           53,
	"anti-pollution":        54,
	"law enforcement":       55,
	"medical":               58,
	"not party to conflict": 59,
	"passenger":             60,
	"cargo":                 70,
	"tanker":                80,
	"other":                 90,
}

// csvImporter turns rows of one archive into fixes and static records.
type csvImporter struct {
	src   *Source
	cols  [numCols]int // field index of each column, -1 when absent
	tlay  int          // index of the time layout that last worked
	last  map[uint32]uint64
	seed  maphash.Seed
	n     counts
	blk   *block
	ctx   context.Context
	heard uint64
}

// maxStaticMemory bounds the vessels whose last static data the importer
// remembers to skip repeats; past it, it starts again.
const maxStaticMemory = 1 << 20

func (s *Source) newCSVImporter(ctx context.Context) *csvImporter {
	im := &csvImporter{src: s, last: make(map[uint32]uint64), seed: maphash.MakeSeed(), ctx: ctx, blk: s.p.getBlock()}
	if s.cfg.ID < 64 {
		im.heard = 1 << s.cfg.ID
	}
	return im
}

func (s *Source) runCSV(ctx context.Context) error {
	files, size, err := listFiles(s.cfg.Path, func(name string) bool {
		n := strings.ToLower(name)
		return strings.HasSuffix(n, ".csv") || strings.HasSuffix(n, ".csv.gz") || strings.HasSuffix(n, ".zip")
	})
	if err != nil {
		return err
	}
	s.c.size.Store(size)
	s.c.connected.Store(true)
	defer s.c.connected.Store(false)
	s.markReady()
	im := s.newCSVImporter(ctx)
	defer func() {
		s.fold(&im.n)
		s.p.putBlock(im.blk)
	}()
	var errs []error
	for pass := 0; ; pass++ {
		for _, name := range files {
			err := im.importFile(name)
			if ctx.Err() != nil {
				return nil
			}
			if err != nil {
				s.fileErr(&errs, pass == 0, name, err)
			}
		}
		if !s.cfg.Loop {
			return errors.Join(errs...)
		}
	}
}

// importFile imports a CSV, a gzip-compressed CSV or every CSV in a zip.
func (im *csvImporter) importFile(name string) error {
	if strings.HasSuffix(strings.ToLower(name), ".zip") {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		zr, err := zip.NewReader(f, fi.Size())
		if err != nil {
			return err
		}
		var errs []error
		for _, zf := range zr.File {
			if !strings.HasSuffix(strings.ToLower(zf.Name), ".csv") {
				continue
			}
			rc, err := zf.Open()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", zf.Name, err))
				continue
			}
			err = im.importReader(countingReader{rc, &im.src.c.bytes})
			rc.Close()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", zf.Name, err))
			}
			if im.ctx.Err() != nil {
				break
			}
		}
		return errors.Join(errs...)
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(countingReader{f, &im.src.c.bytes}, 256<<10)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return err
		}
		r = zr
	}
	return im.importReader(r)
}

// importReader reads one CSV table: a header row, then records.
func (im *csvImporter) importReader(r io.Reader) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("header: %w", err)
	}
	for i := range im.cols {
		im.cols[i] = -1
	}
	for i, h := range header {
		if c, ok := csvHeaders[normHeader(h)]; ok && im.cols[c] < 0 {
			im.cols[c] = i
		}
	}
	for _, c := range []int{colMMSI, colTime} {
		if im.cols[c] < 0 {
			return fmt.Errorf("header %q: no MMSI or time column", strings.Join(header, ","))
		}
	}
	arrival := im.src.p.cfg.Clock()
	for rows := 0; ; rows++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if rows&4095 == 0 {
			arrival = im.src.p.cfg.Clock()
			if im.ctx.Err() != nil {
				break
			}
		}
		im.n.lines++
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				im.flush()
				return err // I/O error, such as a truncated gzip stream
			}
			im.n.reject(csvSyntax)
			continue
		}
		im.row(rec, arrival.UnixMilli())
	}
	im.flush()
	return nil
}

func (im *csvImporter) flush() {
	im.src.fold(&im.n)
	if im.blk.msgs > 0 {
		im.src.deliver(im.ctx, im.blk)
		im.blk = im.src.p.getBlock()
	}
}

// field returns column c of rec, trimmed, or "" when absent.
func (im *csvImporter) field(rec []string, c int) string {
	i := im.cols[c]
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// row imports one record.
func (im *csvImporter) row(rec []string, arrival int64) {
	if len(rec) <= max(im.cols[colMMSI], im.cols[colTime]) {
		im.n.reject(csvFields)
		return
	}
	mmsi, err := strconv.ParseUint(im.field(rec, colMMSI), 10, 32)
	if err != nil || mmsi == 0 || mmsi > 999_999_999 {
		im.n.reject(csvMMSI)
		return
	}
	t, ok := im.parseTime(im.field(rec, colTime))
	if !ok {
		im.n.reject(csvTime)
		return
	}
	ms := t.UnixMilli()
	id := im.src.cfg.ID

	fix := track.Fix{MMSI: uint32(mmsi), Time: ms, SOG: nan32(), COG: nan32(), Heading: -1, Status: 15, Source: id, Heard: im.heard}
	lat, errLat := strconv.ParseFloat(im.field(rec, colLat), 64)
	lon, errLon := strconv.ParseFloat(im.field(rec, colLon), 64)
	hasFix := errLat == nil && errLon == nil && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 && !(lat == 0 && lon == 0)
	if hasFix {
		fix.Lat, fix.Lon = lat, lon
		// 102.3 kn is AIS's "not available"; SAR aircraft report up to
		// 1022 kn.
		if v, ok := parseFloat32(im.field(rec, colSOG)); ok && v >= 0 && v < 1023 && math.Abs(float64(v)-102.3) > 0.01 {
			fix.SOG = v
		}
		if v, ok := parseFloat32(im.field(rec, colCOG)); ok && v >= 0 && v < 360 {
			fix.COG = v
		}
		if v, ok := parseFloat32(im.field(rec, colHeading)); ok && v >= 0 && v < 360 {
			fix.Heading = int16(v)
		}
		if st, ok := im.status(im.field(rec, colStatus)); ok {
			fix.Status = st
		}
		fix.Class = csvClass(im.field(rec, colClass))
	}

	st, hasStatic := im.static(rec, uint32(mmsi), ms)
	changed := false
	if hasStatic {
		h := staticHash(im.seed, &st)
		if old, ok := im.last[st.MMSI]; !ok || old != h {
			if len(im.last) >= maxStaticMemory {
				clear(im.last)
			}
			im.last[st.MMSI] = h
			changed = true
		}
	}
	if !hasFix && !hasStatic {
		im.n.reject(csvPosition)
		return
	}
	im.n.messages++
	im.n.lastMsg = arrival
	b := im.blk
	switch {
	case hasFix:
		b.fixes = append(b.fixes, fixRec{arrival: arrival, fix: fix})
		if changed {
			b.statics = append(b.statics, staticRec{arrival: arrival, withFix: true, st: st})
		}
	case changed:
		b.statics = append(b.statics, staticRec{arrival: arrival, st: st})
	default:
		// Only static data, the same as this vessel's previous row's.
		im.src.c.dups.Add(1)
		return
	}
	b.msgs++
	if b.msgs >= blockSize {
		im.flush()
	}
}

// static returns the row's static and voyage data.
func (im *csvImporter) static(rec []string, mmsi uint32, ms int64) (track.Static, bool) {
	st := track.Static{MMSI: mmsi, Time: ms, Source: im.src.cfg.ID}
	if v := im.field(rec, colName); v != "" && !unknown(v) {
		st.Name, st.Has = strings.Clone(v), st.Has|track.HasName
	}
	if v := im.field(rec, colCallSign); v != "" && !unknown(v) {
		st.CallSign, st.Has = strings.Clone(v), st.Has|track.HasCallSign
	}
	if v := strings.TrimPrefix(strings.ToUpper(im.field(rec, colIMO)), "IMO"); v != "" {
		if n, err := strconv.ParseUint(v, 10, 32); err == nil && n > 0 && n <= 999_999_999 {
			st.IMO, st.Has = uint32(n), st.Has|track.HasIMO
		}
	}
	if t, ok := shipType(im.field(rec, colShipType)); ok {
		st.ShipType, st.Has = t, st.Has|track.HasShipType
	}
	// Dimensions: DMA's A, B, C, D; else length and width about the
	// centre (NOAA gives no reference point).
	a, okA := parseFloat32(im.field(rec, colA))
	bb, okB := parseFloat32(im.field(rec, colB))
	c, okC := parseFloat32(im.field(rec, colC))
	d, okD := parseFloat32(im.field(rec, colD))
	if okA && okB && okC && okD && a+bb+c+d > 0 {
		st.ToBow, st.ToStern = clampU16(a, 511), clampU16(bb, 511)
		st.ToPort, st.ToStarboard = uint8(clampU16(c, 63)), uint8(clampU16(d, 63))
		st.Has |= track.HasDimensions
	} else {
		l, okL := parseFloat32(im.field(rec, colLength))
		w, okW := parseFloat32(im.field(rec, colWidth))
		if okL && okW && l >= 1 && w >= 1 {
			L, W := clampU16(l, 1022), clampU16(w, 126)
			st.ToBow, st.ToStern = min(L/2, 511), min(L-L/2, 511)
			st.ToPort, st.ToStarboard = uint8(min(W/2, 63)), uint8(min(W-W/2, 63))
			st.Has |= track.HasDimensions
		}
	}
	st.Draught = nan32()
	if v, ok := parseFloat32(im.field(rec, colDraught)); ok && v > 0 {
		st.Draught, st.Has = v, st.Has|track.HasVoyage
	}
	if v := im.field(rec, colDestination); v != "" && !unknown(v) {
		st.Destination, st.Has = strings.Clone(v), st.Has|track.HasVoyage
	}
	if v := im.field(rec, colETA); v != "" {
		if t, ok := im.parseTime(v); ok {
			st.ETA, st.Has = t.Format("01-02T15:04Z"), st.Has|track.HasVoyage
		}
	}
	if st.Has&track.HasVoyage == 0 {
		st.Draught = 0
	}
	if st.Has == 0 {
		return track.Static{}, false
	}
	return st, true
}

func unknown(v string) bool {
	return strings.EqualFold(v, "unknown") || strings.EqualFold(v, "undefined")
}

func (im *csvImporter) parseTime(v string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, false
	}
	for i := range csvTimeLayouts {
		j := (im.tlay + i) % len(csvTimeLayouts)
		if t, err := time.Parse(csvTimeLayouts[j], v); err == nil {
			im.tlay = j
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func (im *csvImporter) status(v string) (uint8, bool) {
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		if n >= 0 && n <= 15 {
			return uint8(n), true
		}
		return 0, false
	}
	st, ok := dmaStatus[strings.ToLower(v)]
	return st, ok
}

func shipType(v string) (uint8, bool) {
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		if n >= 1 && n <= 99 {
			return uint8(n), true
		}
		return 0, false
	}
	t, ok := dmaShipType[strings.ToLower(v)]
	return t, ok
}

// csvClass maps NOAA's TransceiverClass and DMA's "Type of mobile".
func csvClass(v string) track.Class {
	switch strings.ToLower(v) {
	case "a", "class a":
		return track.ClassA
	case "b", "class b":
		return track.ClassB
	case "base station":
		return track.ClassBase
	case "aton":
		return track.ClassAtoN
	case "sar airborne":
		return track.ClassSAR
	}
	return track.ClassUnknown
}

func parseFloat32(v string) (float32, bool) {
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 32)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return float32(f), true
}

func clampU16(v float32, hi uint16) uint16 {
	switch {
	case v <= 0:
		return 0
	case v >= float32(hi):
		return hi
	}
	return uint16(math.Round(float64(v)))
}

// staticHash hashes the fields of st that a change of static data would
// change (not its time or source).
func staticHash(seed maphash.Seed, st *track.Static) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteString(st.Name)
	h.WriteByte(0)
	h.WriteString(st.CallSign)
	h.WriteByte(0)
	h.WriteString(st.Destination)
	h.WriteByte(0)
	h.WriteString(st.ETA)
	var b [24]byte
	b[0] = byte(st.Has)
	b[1] = st.ShipType
	b[2], b[3] = byte(st.ToBow), byte(st.ToBow>>8)
	b[4], b[5] = byte(st.ToStern), byte(st.ToStern>>8)
	b[6], b[7] = st.ToPort, st.ToStarboard
	for i, v := range [2]uint32{st.IMO, math.Float32bits(st.Draught)} {
		b[8+4*i], b[9+4*i], b[10+4*i], b[11+4*i] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
	}
	h.Write(b[:16])
	return h.Sum64()
}

func nan32() float32 { return float32(math.NaN()) }
