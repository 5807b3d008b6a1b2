package store

import (
	"context"
	"fmt"
	"slices"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

// snapshot is what one query reads: memtable prefixes and referenced
// segments (ordered by partition start) that overlap its time range.
type snapshot struct {
	mems []memView
	segs []*segment
}

func (db *DB) snapshot(mmsi uint32, from, to int64) (*snapshot, error) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.closed {
		return nil, ErrClosed
	}
	sn := &snapshot{}
	for _, mt := range db.imm {
		sn.mems = append(sn.mems, mt.view(mmsi))
	}
	sn.mems = append(sn.mems, db.mem.view(mmsi))
	for _, s := range db.segs {
		if s.meta.MaxT >= from && s.meta.MinT < to {
			s.ref()
			sn.segs = append(sn.segs, s)
		}
	}
	return sn, nil
}

func (sn *snapshot) release(db *DB) {
	for _, s := range sn.segs {
		s.unref()
	}
	for _, v := range sn.mems {
		db.unrefMem(v.m)
	}
}

// enough reports whether a limited query may stop before segment i:
// every later segment starts at or after the end of those read so far,
// and there already are limit fixes before that end.
func enough(segs []*segment, i int, limit int, fromSegs, fromMem []track.Fix) bool {
	if limit <= 0 || i >= len(segs) || len(fromSegs)+len(fromMem) < limit {
		return false
	}
	end := minInt64
	for _, s := range segs[:i] {
		end = max(end, s.meta.End)
	}
	if segs[i].meta.Start < end {
		return false
	}
	n := len(fromSegs) // all before end
	for _, f := range fromMem {
		if f.Time < end {
			n++
		}
	}
	return n >= limit
}

// finish merges segment and memtable results in time order and applies
// the limit.
func finish(fromSegs, fromMem []track.Fix, limit int) []track.Fix {
	out := append(fromSegs, fromMem...)
	sortByTime(out)
	if limit > 0 && len(out) > limit {
		out = out[:limit:limit]
	}
	return out
}

func checkRange(from, to int64, limit int) error {
	if limit < 0 {
		return fmt.Errorf("limit %d: negative", limit)
	}
	if from > to {
		return fmt.Errorf("time range %d..%d: from after to", from, to)
	}
	return nil
}

// Track returns one vessel's fixes with from <= Time < to (UNIX ms), in
// time order, at most limit (0 = no limit): the earliest ones. It reads,
// per segment that overlaps the range, one group of the MMSI index and
// the vessel's block.
func (db *DB) Track(ctx context.Context, mmsi uint32, from, to int64, limit int) ([]track.Fix, error) {
	if err := checkRange(from, to, limit); err != nil {
		return nil, fmt.Errorf("track %d: %w", mmsi, err)
	}
	sn, err := db.snapshot(mmsi, from, to)
	if err != nil {
		return nil, err
	}
	defer sn.release(db)
	var mem []track.Fix
	for _, v := range sn.mems {
		n := len(mem)
		mem = v.track(mem, from, to)
		slices.Reverse(mem[n:])
	}
	// Find the vessel's blocks first, so that the result is allocated
	// once.
	type hit struct {
		i int // in sn.segs
		e entry
	}
	var hits []hit
	total := len(mem)
	for i, s := range sn.segs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		e, ok, err := s.find(mmsi)
		if err != nil {
			return nil, fmt.Errorf("track %d: %w", mmsi, err)
		}
		if ok && e.maxT >= from && e.minT < to {
			hits = append(hits, hit{i, e})
			total += int(e.count)
		}
	}
	out := make([]track.Fix, 0, total)
	var buf []byte
	for _, h := range hits {
		if enough(sn.segs, h.i, limit, out, mem) {
			break
		}
		var err error
		n := len(out)
		if out, buf, err = sn.segs[h.i].block(out, h.e, buf); err != nil {
			return nil, fmt.Errorf("track %d: %w", mmsi, err)
		}
		keep := out[:n]
		for _, f := range out[n:] {
			if f.Time >= from && f.Time < to {
				keep = append(keep, f)
			}
		}
		out = keep
	}
	return finish(out, mem, limit), nil
}

// FixesIn returns the fixes inside box with from <= Time < to, in time
// order, at most limit (0 = no limit): the earliest ones. It scans with
// pruning: segments by their time range and bounding box, then vessel
// blocks by the time range and bounding box that the MMSI index keeps for
// each; only blocks that may match are read. Memtables are scanned.
func (db *DB) FixesIn(ctx context.Context, box geo.Box, from, to int64, limit int) ([]track.Fix, error) {
	if err := checkRange(from, to, limit); err != nil {
		return nil, fmt.Errorf("fixes in box: %w", err)
	}
	if err := box.Validate(); err != nil {
		return nil, fmt.Errorf("fixes in box: %w", err)
	}
	sn, err := db.snapshot(0, from, to)
	if err != nil {
		return nil, err
	}
	defer sn.release(db)
	var mem []track.Fix
	for _, v := range sn.mems {
		mem = v.in(mem, box, from, to)
	}
	sortByTime(mem)
	var out []track.Fix
	var buf, idx []byte
	for i, s := range sn.segs {
		if enough(sn.segs, i, limit, out, mem) {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		whole := entry{minT: s.foot.minT, maxT: s.foot.maxT, bbox: s.foot.bbox}
		if !whole.intersects(box, from, to) {
			continue
		}
		var hits []entry
		for g := range s.groups {
			if idx, err = s.readGroup(g, idx); err != nil {
				return nil, fmt.Errorf("fixes in box: %w", err)
			}
			for i := 0; i < len(idx); i += entrySize {
				if entryIntersects(idx[i:i+entrySize], box, from, to) {
					hits = append(hits, readEntry(idx[i:]))
				}
			}
		}
		for _, e := range hits {
			n := len(out)
			if out, buf, err = s.block(out, e, buf); err != nil {
				return nil, fmt.Errorf("fixes in box: %w", err)
			}
			keep := out[:n]
			for _, f := range out[n:] {
				if f.Time >= from && f.Time < to && box.Contains(f.Lat, f.Lon) {
					keep = append(keep, f)
				}
			}
			out = keep
		}
	}
	return finish(out, mem, limit), nil
}
