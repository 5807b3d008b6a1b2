package store

import (
	"cmp"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"straitwatch/internal/track"
)

// maintain is the background worker: it writes full memtables out as
// segments, merges segments and applies retention. It ends with Close.
func (db *DB) maintain() {
	defer db.wg.Done()
	var tick <-chan time.Time
	if db.opts.Retention > 0 {
		t := time.NewTicker(retentionCheck)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-db.done:
			return
		case <-db.work:
		case <-tick:
			before := db.opts.Now().Add(-db.opts.Retention).UnixMilli()
			if err := db.Retain(before); err != nil {
				db.failed(fmt.Errorf("retention: %w", err))
				return
			}
		}
		if err := db.flushAll(); err != nil {
			db.failed(err)
			return
		}
		if err := db.compact(); err != nil {
			db.failed(fmt.Errorf("compaction: %w", err))
			return
		}
	}
}

func (db *DB) stopping() bool {
	select {
	case <-db.done:
		return true
	default:
		return false
	}
}

// flushAll writes out every immutable memtable, oldest first.
func (db *DB) flushAll() error {
	for !db.stopping() {
		db.mu.RLock()
		var mt *memtable
		if len(db.imm) > 0 {
			mt = db.imm[0]
		}
		db.mu.RUnlock()
		if mt == nil {
			return nil
		}
		seq := mt.seq // mt may be reused once flushed
		if err := db.flush(mt); err != nil {
			return fmt.Errorf("flush %s: %w", walName(seq), err)
		}
	}
	return nil
}

// partition returns the start of the partition of t.
func partition(t int64, dur int64) int64 {
	m := t % dur
	if m < 0 {
		m += dur
	}
	return t - m
}

func (db *DB) allocSeq() uint64 {
	db.mu.Lock()
	defer db.mu.Unlock()
	seq := db.nextSeq
	db.nextSeq++
	return seq
}

// flush writes the immutable memtable mt (the oldest) out as segments,
// one per partition it touches, then commits them in the MANIFEST together
// with the end of mt's log, and drops mt and its log.
func (db *DB) flush(mt *memtable) error {
	db.maintMu.Lock()
	defer db.maintMu.Unlock()
	// The log is fsynced first so that nothing in it is lost if the
	// machine crashes between here and the MANIFEST.
	if err := mt.wal.Sync(); err != nil {
		return err
	}
	dur := db.opts.SegmentDuration.Milliseconds()
	writers := make(map[int64]*segWriter)
	abort := func() {
		for _, w := range writers {
			w.abort()
		}
	}
	if err := mt.byVessel(func(id uint32, fixes []track.Fix) error {
		for i := 0; i < len(fixes); {
			p := partition(fixes[i].Time, dur)
			j := i + 1
			for j < len(fixes) && fixes[j].Time < p+dur {
				j++
			}
			w := writers[p]
			if w == nil {
				var err error
				w, err = createSegment(filepath.Join(db.dir, segName(p, db.allocSeq())), p, p+dur, len(mt.heads))
				if err != nil {
					return err
				}
				writers[p] = w
			}
			if err := w.add(id, fixes[i:j]); err != nil {
				return err
			}
			i = j
		}
		return nil
	}); err != nil {
		abort()
		return err
	}
	var added []*segment
	fail := func(err error) error {
		for _, s := range added {
			s.remove.Store(true)
			s.unref()
		}
		abort()
		return err
	}
	for _, p := range slices.Sorted(maps.Keys(writers)) {
		meta, err := writers[p].finish()
		if err != nil {
			return fail(err)
		}
		s, err := openSegment(db.dir, meta)
		if err != nil {
			return fail(err)
		}
		added = append(added, s)
	}
	db.mu.RLock()
	segs := append(slices.Clone(db.segs), added...)
	db.mu.RUnlock()
	if err := writeManifest(db.dir, manifest{Version: 1, MinWAL: mt.seq + 1, Segments: metas(segs)}); err != nil {
		return fail(err)
	}
	db.minWAL = mt.seq + 1
	db.mu.Lock()
	db.segs = append(db.segs, added...)
	sortSegments(db.segs)
	db.imm = slices.DeleteFunc(db.imm, func(m *memtable) bool { return m == mt })
	db.stall.Broadcast()
	db.mu.Unlock()
	seq := mt.seq
	db.syncMu.Lock()
	err := mt.wal.Close()
	mt.wal = nil
	db.syncMu.Unlock()
	db.unrefMem(mt) // mt may be reused from here on
	if err != nil {
		return err
	}
	return os.Remove(filepath.Join(db.dir, walName(seq)))
}

func metas(segs []*segment) []segMeta {
	out := make([]segMeta, len(segs))
	for i, s := range segs {
		out[i] = s.meta
	}
	return out
}

// compact merges segments of a partition: all of them once it has ended
// (its end is a SegmentDuration behind the newest fix written out,
// counting no fix later than a SegmentDuration from now), and before that
// the CompactionThreshold smallest whenever it has that many.
func (db *DB) compact() error {
	db.maintMu.Lock()
	defer db.maintMu.Unlock()
	db.mu.RLock()
	segs := slices.Clone(db.segs)
	db.mu.RUnlock()
	dur := db.opts.SegmentDuration.Milliseconds()
	mark := minInt64
	for _, s := range segs {
		mark = max(mark, s.meta.MaxT)
	}
	mark = min(mark, db.opts.Now().UnixMilli()+dur)
	for i := 0; i < len(segs); {
		j := i + 1
		for j < len(segs) && segs[j].meta.Start == segs[i].meta.Start && segs[j].meta.End == segs[i].meta.End {
			j++
		}
		group := segs[i:j]
		i = j
		ended := group[0].meta.End+dur <= mark
		switch {
		case len(group) >= 2 && ended:
		case len(group) >= db.opts.CompactionThreshold:
			// Size-tiered: merge the smallest, so that big segments
			// are not rewritten by every small flush.
			group = slices.Clone(group)
			slices.SortStableFunc(group, func(a, b *segment) int { return cmp.Compare(a.meta.Size, b.meta.Size) })
			group = group[:db.opts.CompactionThreshold]
		default:
			continue
		}
		if db.stopping() {
			return nil
		}
		if err := db.merge(group); err != nil {
			return err
		}
	}
	return nil
}

// merge replaces the segments of one partition by one. Under maintMu.
func (db *DB) merge(group []*segment) error {
	start, end := group[0].meta.Start, group[0].meta.End
	// In the order they were written, so that a vessel's fixes from
	// them usually concatenate in time order.
	group = slices.Clone(group)
	sortSegments(group)
	iters := make([]*segIter, len(group))
	vessels := 0
	for i, s := range group {
		it, err := s.iter()
		if err != nil {
			return err
		}
		iters[i] = it
		vessels = max(vessels, len(it.index))
	}
	w, err := createSegment(filepath.Join(db.dir, segName(start, db.allocSeq())), start, end, vessels)
	if err != nil {
		return err
	}
	if err := mergeVessels(iters, func(mmsi uint32, fixes []track.Fix) error {
		return w.add(mmsi, fixes)
	}); err != nil {
		w.abort()
		return err
	}
	meta, err := w.finish()
	if err != nil {
		w.abort()
		return err
	}
	merged, err := openSegment(db.dir, meta)
	if err != nil {
		os.Remove(filepath.Join(db.dir, meta.File))
		return err
	}
	db.mu.RLock()
	segs := slices.DeleteFunc(slices.Clone(db.segs), func(s *segment) bool { return slices.Contains(group, s) })
	db.mu.RUnlock()
	segs = append(segs, merged)
	sortSegments(segs)
	if err := writeManifest(db.dir, manifest{Version: 1, MinWAL: db.minWAL, Segments: metas(segs)}); err != nil {
		merged.remove.Store(true)
		merged.unref()
		return err
	}
	db.mu.Lock()
	db.segs = segs
	db.mu.Unlock()
	for _, s := range group {
		s.remove.Store(true)
		s.unref()
	}
	return nil
}

// vesselIter yields vessels in increasing MMSI order with their fixes in
// time order; the slice is valid until the next call.
type vesselIter interface {
	next() (mmsi uint32, fixes []track.Fix, ok bool, err error)
}

// mergeVessels merges iterators into one sequence of vessels, calling fn
// once per vessel with the fixes of all iterators in time order.
func mergeVessels[I vesselIter](iters []I, fn func(mmsi uint32, fixes []track.Fix) error) error {
	type head struct {
		mmsi  uint32
		fixes []track.Fix
		ok    bool
	}
	heads := make([]head, len(iters))
	for i, it := range iters {
		m, f, ok, err := it.next()
		if err != nil {
			return err
		}
		heads[i] = head{m, f, ok}
	}
	var buf []track.Fix
	for {
		var cur uint32
		found := false
		for _, h := range heads {
			if h.ok && (!found || h.mmsi < cur) {
				cur, found = h.mmsi, true
			}
		}
		if !found {
			return nil
		}
		buf = buf[:0]
		n := 0
		for i := range heads {
			if h := &heads[i]; h.ok && h.mmsi == cur {
				buf = append(buf, h.fixes...)
				n++
				m, f, ok, err := iters[i].next()
				if err != nil {
					return err
				}
				*h = head{m, f, ok}
			}
		}
		if n > 1 {
			sortByTime(buf)
		}
		if err := fn(cur, buf); err != nil {
			return err
		}
	}
}

// Retain drops every segment whose partition ended at or before before
// (UNIX ms). It is cheap: a MANIFEST update and file removals. Fixes in
// the partition that contains before, and fixes still in memory, stay
// until a later call finds them in an older partition.
func (db *DB) Retain(before int64) error {
	db.maintMu.Lock()
	defer db.maintMu.Unlock()
	db.mu.RLock()
	closed := db.closed
	var keep, drop []*segment
	for _, s := range db.segs {
		if s.meta.End <= before {
			drop = append(drop, s)
		} else {
			keep = append(keep, s)
		}
	}
	db.mu.RUnlock()
	if closed {
		return ErrClosed
	}
	if len(drop) == 0 {
		return nil
	}
	if err := writeManifest(db.dir, manifest{Version: 1, MinWAL: db.minWAL, Segments: metas(keep)}); err != nil {
		return fmt.Errorf("retain: %w", err)
	}
	db.mu.Lock()
	db.segs = keep
	db.mu.Unlock()
	for _, s := range drop {
		s.remove.Store(true)
		s.unref()
	}
	return nil
}
