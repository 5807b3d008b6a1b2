package track

import (
	"context"
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// Positions are kept in the unit AIS transmits them in, 1/10000 minute
// (1/600000 degree, about 0.19 m), as int32: exact for AIS and half the
// size of float64.
const posScale = 600000.0

// naU16 marks a speed or course that was not available.
const naU16 = math.MaxUint16

// chunkLen is the number of vessels in one chunk of a shard's store.
// Chunks never move, so growing the store copies nothing.
const chunkLen = 4096

// vessel is one vessel's live state: 80 bytes, plus its static record
// when it has one. The shard that owns it is the only writer; queries get
// copies. Its static record is immutable once published, so copies may
// share it.
type vessel struct {
	time       int64  // event time of the latest fix, UNIX ms
	first      int64  // oldest event time of any report
	last       int64  // newest event time of any report
	heard      uint64 // bit i: source i heard the vessel, i < 64 (the rest in shard.extra)
	st         *staticRec
	mmsi       uint32
	lat, lon   int32  // latest fix, 1/600000 degree
	fixes      uint32 // position reports; 0: no fix yet
	outOfOrder uint32
	statics    uint32
	sog, cog   uint16 // tenths of a knot, tenths of a degree; naU16 = not available
	heading    int16  // degrees; -1 = not available
	source     SourceID
	status     uint8
	class      Class
}

// staticRec is a vessel's merged static data with the event time of each
// field group's newest report. It is never changed once stored in a
// vessel: a change stores a new one.
type staticRec struct {
	s     Static
	times [numGroups]int64
}

// export writes v as a Vessel, with srcs as its sources.
func (v *vessel) export(out *Vessel, srcs []SourceID) {
	kind, mid := classify(v.mmsi)
	flag := &midTable[mid] // MID 0 has no entry
	*out = Vessel{
		MMSI:       v.mmsi,
		Kind:       kind,
		Flag:       flag.iso2,
		Country:    flag.country,
		Sources:    srcs,
		Count:      v.fixes,
		OutOfOrder: v.outOfOrder,
		Statics:    v.statics,
		FirstSeen:  v.first,
		LastSeen:   v.last,
	}
	if v.fixes > 0 {
		out.Last = Fix{
			MMSI:    v.mmsi,
			Time:    v.time,
			Lat:     float64(v.lat) / posScale,
			Lon:     float64(v.lon) / posScale,
			SOG:     fromTenths(v.sog),
			COG:     fromTenths(v.cog),
			Heading: v.heading,
			Status:  v.status,
			Class:   v.class,
			Source:  v.source,
		}
	}
	if v.st != nil {
		out.Static = v.st.s
	}
}

// query asks a shard for one vessel (get) or for the vessels in a box.
type query struct {
	get                            bool
	expire                         bool // drop vessels last seen before the time in expireBefore
	expireBefore                   int64
	mmsi                           uint32
	minLat, maxLat, minLon, maxLon int32
	filter                         *filter
	limit                          int
	reply                          chan reply
}

// reply carries copies of the vessels a query found, in blocks that are
// filled and never grown (so a large answer is copied once), and the
// sources above 63 of those that have any.
type reply struct {
	found [][]vessel
	n     int
	extra map[uint32][]SourceID
}

// replyBlock is the number of vessels in one block of a reply.
const replyBlock = 1024

// add appends a copy of v, taking blocks from pool.
func (r *reply) add(v *vessel, pool *sync.Pool) {
	if len(r.found) == 0 || len(r.found[len(r.found)-1]) == replyBlock {
		blk, _ := pool.Get().(*[]vessel)
		if blk == nil {
			b := make([]vessel, 0, replyBlock)
			blk = &b
		}
		r.found = append(r.found, (*blk)[:0])
	}
	last := &r.found[len(r.found)-1]
	*last = append(*last, *v)
	r.n++
}

// release hands r's blocks back to pool once their copies have been
// read. A pooled block may keep superseded static records alive until it
// is reused or the pool is emptied by a collection.
func (r *reply) release(pool *sync.Pool) {
	for i, blk := range r.found {
		pool.Put(&blk)
		r.found[i] = nil
	}
}

// shard owns the vessels whose MMSIs hash to it. Only its goroutine
// touches index, chunks, n and extra; the counters are published
// atomically for Len and Stats.
type shard struct {
	in     chan *batch
	q      chan *query
	exited chan struct{} // closed when run returns
	blocks *sync.Pool    // reply blocks, shared by the Table's shards

	max    int
	index  map[uint32]int32
	chunks []*[chunkLen]vessel
	n      int
	extra  map[uint32][]SourceID // sources >= 64, ascending; rare

	count      atomic.Int64
	fixes      atomic.Uint64
	outOfOrder atomic.Uint64
	statics    atomic.Uint64
	invalid    atomic.Uint64
	full       atomic.Uint64
}

func newShard(queueLen, max int, blocks *sync.Pool) *shard {
	return &shard{
		blocks: blocks,
		in:     make(chan *batch, queueLen),
		q:      make(chan *query),
		exited: make(chan struct{}),
		max:    max,
		index:  make(map[uint32]int32),
	}
}

// run is the shard's owner loop. Queries go before queued batches, so a
// query waits for at most the batch in hand.
func (s *shard) run(ctx context.Context, t *Table) {
	defer close(s.exited)
	for {
		select {
		case q := <-s.q:
			s.answer(q)
			continue
		default:
		}
		select {
		case <-ctx.Done():
			return
		case q := <-s.q:
			s.answer(q)
		case b := <-s.in:
			s.apply(b)
			b.release()
			t.pool.Put(b)
		}
	}
}

// apply applies one batch and publishes the counters.
func (s *shard) apply(b *batch) {
	if b.flushed != nil {
		close(b.flushed)
		return
	}
	var c struct{ fixes, ooo, statics, invalid, full uint64 }
	for i := range b.fixes {
		switch s.applyFix(&b.fixes[i]) {
		case fixOK:
			c.fixes++
		case fixOutOfOrder:
			c.fixes++
			c.ooo++
		case fixInvalid:
			c.invalid++
		case fixFull:
			c.full++
		}
	}
	for i := range b.statics {
		if s.applyStatic(&b.statics[i]) {
			c.statics++
		} else {
			c.full++
		}
	}
	s.fixes.Add(c.fixes)
	s.outOfOrder.Add(c.ooo)
	s.statics.Add(c.statics)
	s.invalid.Add(c.invalid)
	s.full.Add(c.full)
	s.count.Store(int64(s.n))
}

// lookup returns the vessel with the given MMSI, creating it first seen
// at time t; nil when it is new and the shard is full.
func (s *shard) lookup(mmsi uint32, t int64) *vessel {
	if i, ok := s.index[mmsi]; ok {
		return &s.chunks[i/chunkLen][i%chunkLen]
	}
	if s.n >= s.max {
		return nil
	}
	i := s.n
	if i/chunkLen == len(s.chunks) {
		s.chunks = append(s.chunks, new([chunkLen]vessel))
	}
	s.n++
	s.index[mmsi] = int32(i)
	v := &s.chunks[i/chunkLen][i%chunkLen]
	*v = vessel{mmsi: mmsi, first: t, last: t, heading: -1, sog: naU16, cog: naU16, status: 15}
	return v
}

// Outcomes of applyFix.
const (
	fixOK = iota
	fixOutOfOrder
	fixInvalid
	fixFull
)

func (s *shard) applyFix(f *Fix) int {
	// NaN fails every comparison, so it is refused here too.
	if !(f.Lat >= -90 && f.Lat <= 90 && f.Lon >= -180 && f.Lon <= 180) {
		return fixInvalid
	}
	v := s.lookup(f.MMSI, f.Time)
	if v == nil {
		return fixFull
	}
	s.seen(v, f.Time, f.Source, f.Heard)
	v.fixes++
	if v.fixes > 1 && f.Time <= v.time {
		if f.Time < v.time {
			v.outOfOrder++
			return fixOutOfOrder
		}
		return fixOK // same event time: the first copy stays
	}
	v.time = f.Time
	v.lat = int32(math.Round(f.Lat * posScale))
	v.lon = int32(math.Round(f.Lon * posScale))
	v.sog = sogTenths(f.SOG)
	v.cog = naU16
	if c := f.COG; c >= 0 && c <= 360 {
		v.cog = uint16(math.Round(float64(c)*10)) % 3600
	}
	v.heading = f.Heading
	if v.heading < 0 || v.heading > 359 {
		v.heading = -1
	}
	v.status = f.Status & 0xF
	v.class = f.Class
	v.source = f.Source
	return fixOK
}

// seen records a report's event time and sources.
func (s *shard) seen(v *vessel, t int64, src SourceID, heard uint64) {
	v.first = min(v.first, t)
	v.last = max(v.last, t)
	v.heard |= heard
	if src < 64 {
		v.heard |= 1 << src
		return
	}
	if s.extra == nil {
		s.extra = make(map[uint32][]SourceID)
	}
	l := s.extra[v.mmsi]
	if i, found := slices.BinarySearch(l, src); !found {
		s.extra[v.mmsi] = slices.Insert(l, i, src)
	}
}

// applyStatic merges st into its vessel: each field group st carries
// replaces the vessel's unless the vessel's is newer. It reports false
// when the vessel is new and the shard is full.
func (s *shard) applyStatic(st *Static) bool {
	v := s.lookup(st.MMSI, st.Time)
	if v == nil {
		return false
	}
	s.seen(v, st.Time, st.Source, 0)
	v.statics++
	var rec staticRec
	if v.st != nil {
		rec = *v.st
	}
	changed := false
	for g := range numGroups {
		bit := StaticFields(1) << g
		if st.Has&bit == 0 || rec.s.Has&bit != 0 && st.Time < rec.times[g] {
			continue
		}
		changed = true
		rec.times[g] = st.Time
		rec.s.Has |= bit
		m := &rec.s
		switch bit {
		case HasName:
			m.Name = keep(m.Name, st.Name)
		case HasCallSign:
			m.CallSign = keep(m.CallSign, st.CallSign)
		case HasIMO:
			m.IMO = st.IMO
		case HasShipType:
			m.ShipType = st.ShipType
		case HasDimensions:
			m.ToBow, m.ToStern, m.ToPort, m.ToStarboard = st.ToBow, st.ToStern, st.ToPort, st.ToStarboard
		case HasVoyage:
			m.Draught = st.Draught
			m.Destination = keep(m.Destination, st.Destination)
			m.ETA = keep(m.ETA, st.ETA)
		case HasAidType:
			m.AidType = st.AidType
		case HasMothership:
			m.Mothership = st.Mothership
		}
	}
	if !changed {
		return true
	}
	rec.s.MMSI = st.MMSI
	if v.st == nil || st.Time >= rec.s.Time {
		rec.s.Time = st.Time
		rec.s.Source = st.Source
	}
	v.st = &rec
	return true
}

// keep returns old when it equals s, so that the vessel goes on sharing
// the string it has and s can be freed.
func keep(old, s string) string {
	if old == s {
		return old
	}
	return s
}

// answer serves one query. It copies the vessels found so that the caller
// can read them while this goroutine goes on changing its own.
func (s *shard) answer(q *query) {
	var r reply
	if q.expire {
		r.n = s.expire(q.expireBefore)
		s.count.Store(int64(s.n))
		q.reply <- r
		return
	}
	if q.get {
		if i, ok := s.index[q.mmsi]; ok {
			r.found = [][]vessel{{s.chunks[i/chunkLen][i%chunkLen]}}
			r.n = 1
			s.addExtra(&r, q.mmsi)
		}
		q.reply <- r
		return
	}
	for c, chunk := range s.chunks {
		n := min(chunkLen, s.n-c*chunkLen)
		for j := range n {
			v := &chunk[j]
			if v.fixes == 0 || v.lat < q.minLat || v.lat > q.maxLat || v.lon < q.minLon || v.lon > q.maxLon {
				continue
			}
			if !q.filter.match(v) {
				continue
			}
			r.add(v, s.blocks)
			s.addExtra(&r, v.mmsi)
			if r.n >= q.limit {
				q.reply <- r
				return
			}
		}
	}
	q.reply <- r
}

// expire removes the vessels last seen before the given event time and
// returns how many. The last vessel moves into each hole, so the store
// stays dense.
func (s *shard) expire(before int64) int {
	removed := 0
	for i := 0; i < s.n; {
		v := &s.chunks[i/chunkLen][i%chunkLen]
		if v.last >= before {
			i++
			continue
		}
		delete(s.index, v.mmsi)
		delete(s.extra, v.mmsi)
		last := s.n - 1
		if i != last {
			*v = s.chunks[last/chunkLen][last%chunkLen]
			s.index[v.mmsi] = int32(i)
		}
		s.chunks[last/chunkLen][last%chunkLen] = vessel{}
		s.n--
		removed++
	}
	// Let go of chunks no longer used.
	need := (s.n + chunkLen - 1) / chunkLen
	clear(s.chunks[need:])
	s.chunks = s.chunks[:need]
	return removed
}

func (s *shard) addExtra(r *reply, mmsi uint32) {
	if l := s.extra[mmsi]; len(l) > 0 {
		if r.extra == nil {
			r.extra = make(map[uint32][]SourceID)
		}
		r.extra[mmsi] = slices.Clone(l)
	}
}

// sogTenths converts knots to tenths, naU16 when not available or out of
// range.
func sogTenths(kn float32) uint16 {
	if !(kn >= 0 && kn < 6553) {
		return naU16
	}
	return uint16(math.Round(float64(kn) * 10))
}

// fromTenths converts tenths back, NaN for naU16.
func fromTenths(v uint16) float32 {
	if v == naU16 {
		return nan32()
	}
	return float32(v) / 10
}
