package store

import (
	"cmp"
	"os"
	"slices"
	"sync/atomic"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

// memFixBytes is what one fix costs in a memtable: the fix, its chain
// link, its vessel slot and a share of the vessel map.
const memFixBytes = 72

// memtable holds the fixes of one write-ahead log file in memory, in
// arrival order, with a per-vessel chain for track queries. It is only
// appended to (under DB.mu); entries below a length read under DB.mu never
// change, so readers work on such a prefix without the lock. It is
// reference counted (the DB's list and each query holding a view), so
// that its memory can be reused once written out and unused.
type memtable struct {
	seq   uint64   // of the log file
	wal   *os.File // nil once flushed
	size  int64    // bytes written to the log
	fixes []track.Fix
	prev  []int32          // index of the same vessel's previous fix, -1 for none
	slots []int32          // per fix: its vessel's slot
	slot  map[uint32]int32 // vessel's slot
	heads []int32          // per slot: index of the vessel's latest fix
	mmsis []uint32         // per slot: the vessel's MMSI
	minT  int64
	maxT  int64
	refs  atomic.Int32
}

func newMemtable(seq uint64, wal *os.File) *memtable {
	m := &memtable{seq: seq, wal: wal, slot: make(map[uint32]int32)}
	m.reset(seq, wal)
	return m
}

// reset empties m for reuse, keeping its memory.
func (m *memtable) reset(seq uint64, wal *os.File) {
	m.seq, m.wal, m.size = seq, wal, 0
	m.fixes, m.prev, m.slots, m.heads, m.mmsis = m.fixes[:0], m.prev[:0], m.slots[:0], m.heads[:0], m.mmsis[:0]
	clear(m.slot)
	m.minT, m.maxT = maxInt64, minInt64
	m.refs.Store(1)
}

const (
	maxInt64 = int64(^uint64(0) >> 1)
	minInt64 = -maxInt64 - 1
)

// reserve sizes the memtable for n fixes, so that it does not grow by
// copying while appends wait.
func (m *memtable) reserve(n int) {
	n = min(n, 1<<30)
	if cap(m.fixes) < n {
		m.fixes = make([]track.Fix, 0, n)
		m.prev = make([]int32, 0, n)
		m.slots = make([]int32, 0, n)
	}
}

func (m *memtable) add(fixes []track.Fix) {
	for i := range fixes {
		f := &fixes[i]
		idx := int32(len(m.fixes))
		s, ok := m.slot[f.MMSI]
		if !ok {
			s = int32(len(m.heads))
			m.slot[f.MMSI] = s
			m.heads = append(m.heads, -1)
			m.mmsis = append(m.mmsis, f.MMSI)
		}
		m.slots = append(m.slots, s)
		m.prev = append(m.prev, m.heads[s])
		m.heads[s] = idx
		m.fixes = append(m.fixes, *f)
		m.minT = min(m.minT, f.Time)
		m.maxT = max(m.maxT, f.Time)
	}
}

func (m *memtable) bytes() int { return len(m.fixes) * memFixBytes }

// head returns the index of the vessel's latest fix, -1 for none. Under
// DB.mu, or on an immutable memtable.
func (m *memtable) head(mmsi uint32) int32 {
	if s, ok := m.slot[mmsi]; ok {
		return m.heads[s]
	}
	return -1
}

// memView is a memtable prefix that a reader may use without DB.mu.
type memView struct {
	m     *memtable
	fixes []track.Fix
	prev  []int32
	head  int32 // for a track query: the vessel's latest index, -1 for none
}

// view returns a prefix of m for a reader, with a reference that the
// reader must drop with release. Under DB.mu.
func (m *memtable) view(mmsi uint32) memView {
	m.refs.Add(1)
	return memView{m: m, fixes: m.fixes[:len(m.fixes):len(m.fixes)], prev: m.prev[:len(m.prev):len(m.prev)], head: m.head(mmsi)}
}

// track appends the vessel's fixes in [from, to) to dst, newest first.
func (v memView) track(dst []track.Fix, from, to int64) []track.Fix {
	for i := v.head; i >= 0; i = v.prev[i] {
		if t := v.fixes[i].Time; t >= from && t < to {
			dst = append(dst, v.fixes[i])
		}
	}
	return dst
}

// in appends the fixes in box and [from, to) to dst.
func (v memView) in(dst []track.Fix, box geo.Box, from, to int64) []track.Fix {
	for i := range v.fixes {
		f := &v.fixes[i]
		if f.Time >= from && f.Time < to && box.Contains(f.Lat, f.Lon) {
			dst = append(dst, *f)
		}
	}
	return dst
}

// byVessel calls fn for each vessel in increasing MMSI order with its
// fixes in time order (stable for equal times); the slice is reused after
// fn returns. Only for immutable memtables. It groups fixes with a
// counting sort over the per-fix vessel slots, whose independent memory
// accesses run much faster than walking each vessel's chain.
func (m *memtable) byVessel(fn func(mmsi uint32, fixes []track.Fix) error) error {
	nv := len(m.heads)
	order := make([]int32, nv) // slots by MMSI
	for s := range order {
		order[s] = int32(s)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(m.mmsis[a], m.mmsis[b]) })
	pos := make([]int32, nv+1) // per slot: where its fixes start in idx
	for _, s := range m.slots {
		pos[s]++
	}
	var sum int32
	for _, s := range order {
		n := pos[s]
		pos[s] = sum
		sum += n
	}
	idx := make([]int32, len(m.slots))
	for i, s := range m.slots {
		idx[pos[s]] = int32(i)
		pos[s]++
	}
	var buf []track.Fix
	start := int32(0)
	for _, s := range order {
		end := pos[s]
		buf = buf[:0]
		for _, i := range idx[start:end] {
			buf = append(buf, m.fixes[i])
		}
		start = end
		sortByTime(buf)
		if err := fn(m.mmsis[s], buf); err != nil {
			return err
		}
	}
	return nil
}

// sortByTime sorts fixes by time, stably, if they are not sorted already.
func sortByTime(fixes []track.Fix) {
	if !slices.IsSortedFunc(fixes, cmpTime) {
		slices.SortStableFunc(fixes, cmpTime)
	}
}

func cmpTime(a, b track.Fix) int {
	switch {
	case a.Time < b.Time:
		return -1
	case a.Time > b.Time:
		return 1
	}
	return 0
}
