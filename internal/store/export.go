package store

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go"

	"straitwatch/internal/track"
)

// ExportFixes writes the fixes with from <= Time < to to w, as format
// "csv" (a header line, then one line per fix; time as RFC 3339 UTC with
// milliseconds; values not available as empty fields) or "parquet"
// (zstd-compressed; time as a millisecond timestamp; values not available
// as nulls). Columns: mmsi, time, lat, lon, sog, cog, heading, status,
// class (the track.Class number), source, heard. Fixes come partition by partition (Options.SegmentDuration of
// event time), within one by MMSI then time: a vessel's track is
// contiguous within each partition. Memory use is bounded by one
// partition's memtable fixes plus one vessel block per segment.
func (db *DB) ExportFixes(ctx context.Context, w io.Writer, format string, from, to int64) error {
	if err := checkRange(from, to, 0); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	var out fixWriter
	switch format {
	case "csv":
		out = newCSVWriter(w)
	case "parquet":
		out = newParquetWriter(w)
	default:
		return fmt.Errorf("export %q: %w", format, ErrFormat)
	}
	sn, err := db.snapshot(0, from, to)
	if err != nil {
		return err
	}
	defer sn.release(db)
	if err := db.export(ctx, sn, out, from, to); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := out.close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

func (db *DB) export(ctx context.Context, sn *snapshot, out fixWriter, from, to int64) error {
	dur := db.opts.SegmentDuration.Milliseconds()
	// The windows (partitions of the current duration) that hold data.
	windows := make(map[int64]bool)
	for _, s := range sn.segs {
		lo, hi := max(s.meta.MinT, from), min(s.meta.MaxT, to-1)
		for p := partition(lo, dur); p <= hi; p += dur {
			windows[p] = true
			if hi-p < dur {
				break
			}
		}
	}
	for _, v := range sn.mems {
		for i := range v.fixes {
			if t := v.fixes[i].Time; t >= from && t < to {
				windows[partition(t, dur)] = true
			}
		}
	}
	for _, p := range slices.Sorted(maps.Keys(windows)) {
		if err := ctx.Err(); err != nil {
			return err
		}
		lo, hi := max(p, from), min(p+dur, to)
		var iters []vesselIter
		for _, s := range sn.segs {
			if s.meta.MaxT < lo || s.meta.MinT >= hi {
				continue
			}
			it, err := s.iter()
			if err != nil {
				return err
			}
			iters = append(iters, &rangeIter{it: it, from: lo, to: hi})
		}
		var mem []track.Fix
		for _, v := range sn.mems {
			for i := range v.fixes {
				if t := v.fixes[i].Time; t >= lo && t < hi {
					mem = append(mem, v.fixes[i])
				}
			}
		}
		if len(mem) > 0 {
			slices.SortStableFunc(mem, func(a, b track.Fix) int {
				if a.MMSI != b.MMSI {
					if a.MMSI < b.MMSI {
						return -1
					}
					return 1
				}
				return cmpTime(a, b)
			})
			iters = append(iters, &sliceIter{fixes: mem})
		}
		if err := mergeVessels(iters, func(_ uint32, fixes []track.Fix) error {
			return out.write(fixes)
		}); err != nil {
			return err
		}
	}
	return nil
}

// rangeIter keeps the fixes of a segment iterator within [from, to).
type rangeIter struct {
	it       *segIter
	from, to int64
	buf      []track.Fix
}

func (r *rangeIter) next() (uint32, []track.Fix, bool, error) {
	for {
		mmsi, fixes, ok, err := r.it.next()
		if !ok || err != nil {
			return 0, nil, false, err
		}
		r.buf = r.buf[:0]
		for _, f := range fixes {
			if f.Time >= r.from && f.Time < r.to {
				r.buf = append(r.buf, f)
			}
		}
		if len(r.buf) > 0 {
			return mmsi, r.buf, true, nil
		}
	}
}

// sliceIter yields fixes sorted by MMSI then time, vessel by vessel.
type sliceIter struct {
	fixes []track.Fix
}

func (s *sliceIter) next() (uint32, []track.Fix, bool, error) {
	if len(s.fixes) == 0 {
		return 0, nil, false, nil
	}
	m := s.fixes[0].MMSI
	n := 1
	for n < len(s.fixes) && s.fixes[n].MMSI == m {
		n++
	}
	out := s.fixes[:n]
	s.fixes = s.fixes[n:]
	return m, out, true, nil
}

type fixWriter interface {
	write(fixes []track.Fix) error
	close() error
}

// csvHeader names the CSV columns.
const csvHeader = "mmsi,time,lat,lon,sog,cog,heading,status,class,source,heard\n"

type csvWriter struct {
	w      *bufio.Writer
	header bool
	b      []byte
}

func newCSVWriter(w io.Writer) *csvWriter { return &csvWriter{w: bufio.NewWriterSize(w, 256<<10)} }

func (c *csvWriter) write(fixes []track.Fix) error {
	if !c.header {
		c.header = true
		if _, err := c.w.WriteString(csvHeader); err != nil {
			return err
		}
	}
	for i := range fixes {
		f := &fixes[i]
		b := strconv.AppendUint(c.b[:0], uint64(f.MMSI), 10)
		b = append(b, ',')
		b = time.UnixMilli(f.Time).UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
		b = append(b, ',')
		b = appendFloat(b, f.Lat, 64)
		b = append(b, ',')
		b = appendFloat(b, f.Lon, 64)
		b = append(b, ',')
		b = appendFloat(b, float64(f.SOG), 32)
		b = append(b, ',')
		b = appendFloat(b, float64(f.COG), 32)
		b = append(b, ',')
		if f.Heading >= 0 {
			b = strconv.AppendInt(b, int64(f.Heading), 10)
		}
		b = append(b, ',')
		b = strconv.AppendUint(b, uint64(f.Status), 10)
		b = append(b, ',')
		b = strconv.AppendUint(b, uint64(f.Class), 10)
		b = append(b, ',')
		b = strconv.AppendUint(b, uint64(f.Source), 10)
		b = append(b, ',')
		b = strconv.AppendUint(b, f.Heard, 10)
		b = append(b, '\n')
		c.b = b
		if _, err := c.w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// appendFloat writes the shortest decimal that reads back as v; nothing
// for NaN.
func appendFloat(b []byte, v float64, bits int) []byte {
	if math.IsNaN(v) {
		return b
	}
	return strconv.AppendFloat(b, v, 'f', -1, bits)
}

func (c *csvWriter) close() error {
	if !c.header {
		c.header = true
		if _, err := c.w.WriteString(csvHeader); err != nil {
			return err
		}
	}
	return c.w.Flush()
}

// parquetFix is the Parquet schema of an exported fix.
type parquetFix struct {
	MMSI    int64    `parquet:"mmsi"`
	Time    int64    `parquet:"time,timestamp(millisecond)"`
	Lat     float64  `parquet:"lat"`
	Lon     float64  `parquet:"lon"`
	SOG     *float32 `parquet:"sog,optional"`
	COG     *float32 `parquet:"cog,optional"`
	Heading *int32   `parquet:"heading,optional"`
	Status  int32    `parquet:"status"`
	Class   int32    `parquet:"class"`
	Source  int32    `parquet:"source"`
	Heard   int64    `parquet:"heard"`
}

type parquetWriter struct {
	w    *parquet.GenericWriter[parquetFix]
	rows []parquetFix
	vals []float32
	hdgs []int32
}

func newParquetWriter(w io.Writer) *parquetWriter {
	return &parquetWriter{w: parquet.NewGenericWriter[parquetFix](w, parquet.Compression(&parquet.Zstd))}
}

const parquetBatch = 4096

func (p *parquetWriter) write(fixes []track.Fix) error {
	for i := range fixes {
		f := &fixes[i]
		if len(p.rows) == parquetBatch {
			if err := p.flush(); err != nil {
				return err
			}
		}
		r := parquetFix{MMSI: int64(f.MMSI), Time: f.Time, Lat: f.Lat, Lon: f.Lon,
			Status: int32(f.Status), Class: int32(f.Class), Source: int32(f.Source), Heard: int64(f.Heard)}
		// Pointers into vals and hdgs, which do not grow within a batch.
		if f.SOG == f.SOG {
			p.vals = append(p.vals, f.SOG)
			r.SOG = &p.vals[len(p.vals)-1]
		}
		if f.COG == f.COG {
			p.vals = append(p.vals, f.COG)
			r.COG = &p.vals[len(p.vals)-1]
		}
		if f.Heading >= 0 {
			p.hdgs = append(p.hdgs, int32(f.Heading))
			r.Heading = &p.hdgs[len(p.hdgs)-1]
		}
		p.rows = append(p.rows, r)
	}
	return nil
}

func (p *parquetWriter) flush() error {
	if len(p.rows) > 0 {
		if _, err := p.w.Write(p.rows); err != nil {
			return err
		}
	}
	p.rows = p.rows[:0]
	p.vals = make([]float32, 0, 2*parquetBatch)
	p.hdgs = make([]int32, 0, parquetBatch)
	return nil
}

func (p *parquetWriter) close() error {
	if err := p.flush(); err != nil {
		return err
	}
	return p.w.Close()
}
