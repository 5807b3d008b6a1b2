package track

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"straitwatch/internal/geo"
)

// Config configures a Table. The zero value is ready: every zero field
// takes its default.
type Config struct {
	// Shards is the number of shards, each owned by one goroutine. The
	// default value is GOMAXPROCS at New.
	Shards int
	// QueueLen is the number of batches that may wait for each shard
	// before Apply blocks. The default value is 64.
	QueueLen int
	// BatchSize is the largest number of reports (fixes plus statics) in
	// one batch handed to a shard; Apply splits larger inputs. It bounds
	// how long a query waits behind ingest. The default value is 1024.
	BatchSize int
	// MaxVessels bounds the number of vessels the Table holds; reports of
	// new vessels beyond it are refused and counted (Stats.Full). Each
	// shard holds at most MaxVessels/Shards. The default value is
	// 4,000,000 (about 1.5 GB of live state at the measured 364 bytes per
	// vessel with full static data).
	MaxVessels int
}

// Defaults of Config.
const (
	defaultQueueLen   = 64
	defaultBatchSize  = 1024
	defaultMaxVessels = 4_000_000
	maxShards         = 1024
)

// Validate reports whether c's values are usable: none negative, Shards at
// most 1024.
func (c Config) Validate() error {
	switch {
	case c.Shards < 0 || c.Shards > maxShards:
		return fmt.Errorf("track: shards %d: want 0 (default) to %d", c.Shards, maxShards)
	case c.QueueLen < 0:
		return fmt.Errorf("track: queue length %d is negative", c.QueueLen)
	case c.BatchSize < 0:
		return fmt.Errorf("track: batch size %d is negative", c.BatchSize)
	case c.MaxVessels < 0:
		return fmt.Errorf("track: max vessels %d is negative", c.MaxVessels)
	}
	return nil
}

// withDefaults returns c with every zero field set to its default.
func (c Config) withDefaults() Config {
	if c.Shards == 0 {
		c.Shards = runtime.GOMAXPROCS(0)
	}
	if c.QueueLen == 0 {
		c.QueueLen = defaultQueueLen
	}
	if c.BatchSize == 0 {
		c.BatchSize = defaultBatchSize
	}
	if c.MaxVessels == 0 {
		c.MaxVessels = defaultMaxVessels
	}
	return c
}

// ErrRunning is returned by Run when the Table is already running or has
// run: a Table runs once.
var ErrRunning = errors.New("track: table already ran")

// Table is the live state of every vessel, sharded by MMSI. Each shard's
// vessels are owned by one goroutine started by Run; Apply hands them
// batches and queries ask them over channels. All methods are safe for
// concurrent use.
//
// Apply is asynchronous: a query made right after Apply may not see its
// reports yet; Flush waits for them. Apply blocks while the shard queues
// are full (backpressure), and queries, Flush and Apply wait until Run
// starts. Once Run has returned, nothing blocks: Apply drops and counts,
// queries find nothing.
type Table struct {
	cfg    Config
	shards []*shard
	pool   sync.Pool // *batch
	blocks sync.Pool // *[]vessel: blocks of query replies

	ran     atomic.Bool
	mu      sync.RWMutex // held for reading while Apply sends; for writing when Run ends
	stopped bool         // under mu: Run has ended; Apply drops
	dropped atomic.Uint64
}

// New returns a Table configured by cfg. Start it with Run.
func New(cfg Config) (*Table, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	t := &Table{cfg: cfg}
	t.pool.New = func() any { return new(batch) }
	perShard := max(1, cfg.MaxVessels/cfg.Shards)
	for range cfg.Shards {
		t.shards = append(t.shards, newShard(cfg.QueueLen, perShard, &t.blocks))
	}
	return t, nil
}

// Run starts one goroutine per shard and returns when ctx is done and all
// of them have ended. Reports still queued then are dropped and counted
// (Stats.Dropped), as are later ones. Run returns nil after a normal
// shutdown and ErrRunning when called a second time.
func (t *Table) Run(ctx context.Context) error {
	if !t.ran.CompareAndSwap(false, true) {
		return ErrRunning
	}
	var wg sync.WaitGroup
	for _, s := range t.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.run(ctx, t)
		}()
	}
	wg.Wait()

	// Every shard has ended: refuse further batches and count what was
	// queued. Holding mu waits for any Apply still sending.
	t.mu.Lock()
	t.stopped = true
	for _, s := range t.shards {
		for {
			select {
			case b := <-s.in:
				t.dropped.Add(uint64(len(b.fixes) + len(b.statics)))
				b.release()
				t.pool.Put(b)
				continue
			default:
			}
			break
		}
	}
	t.mu.Unlock()
	return nil
}

// batch is a shard's part of one Apply call, or a Flush marker.
type batch struct {
	fixes   []Fix
	statics []Static
	flushed chan struct{} // non-nil: a Flush marker; closed once reached
}

// release empties b for reuse, letting go of the strings it held.
func (b *batch) release() {
	clear(b.statics)
	b.fixes, b.statics, b.flushed = b.fixes[:0], b.statics[:0], nil
}

// Apply hands fixes and statics to the shards that own their vessels. It
// copies what it needs before returning, so the slices stay the caller's:
// it may reuse them at once, and the Table keeps no reference to them.
// Reports are applied in order per vessel; which report is a vessel's
// latest is decided by event time, not by order. Reports handed to a
// Table that has stopped are dropped and counted (Stats.Dropped).
func (t *Table) Apply(fixes []Fix, statics []Static) {
	if len(fixes) == 0 && len(statics) == 0 {
		return
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.stopped {
		t.dropped.Add(uint64(len(fixes) + len(statics)))
		return
	}
	var stack [8]*batch
	parts := stack[:0]
	if len(t.shards) > len(stack) {
		parts = make([]*batch, 0, len(t.shards))
	}
	for range t.shards {
		parts = append(parts, nil)
	}
	n := uint32(len(t.shards))
	for i := range fixes {
		k := shardOf(fixes[i].MMSI, n)
		b := parts[k]
		if b == nil {
			b = t.getBatch()
			parts[k] = b
		}
		b.fixes = append(b.fixes, fixes[i])
		if len(b.fixes)+len(b.statics) >= t.cfg.BatchSize {
			t.send(t.shards[k], b)
			parts[k] = nil
		}
	}
	for i := range statics {
		k := shardOf(statics[i].MMSI, n)
		b := parts[k]
		if b == nil {
			b = t.getBatch()
			parts[k] = b
		}
		b.statics = append(b.statics, statics[i])
		if len(b.fixes)+len(b.statics) >= t.cfg.BatchSize {
			t.send(t.shards[k], b)
			parts[k] = nil
		}
	}
	for k, b := range parts {
		if b != nil {
			t.send(t.shards[k], b)
		}
	}
}

func (t *Table) getBatch() *batch { return t.pool.Get().(*batch) }

// send queues b for s, or drops and counts it when s has ended. The
// caller holds t.mu for reading.
func (t *Table) send(s *shard, b *batch) {
	select {
	case s.in <- b:
	case <-s.exited:
		t.dropped.Add(uint64(len(b.fixes) + len(b.statics)))
		b.release()
		t.pool.Put(b)
	}
}

// Flush waits until every report handed to Apply before the call has been
// applied, or until the Table has stopped. Replays and tests use it to
// read a deterministic state.
func (t *Table) Flush() {
	t.mu.RLock()
	if t.stopped {
		t.mu.RUnlock()
		return
	}
	marks := make([]chan struct{}, len(t.shards))
	for i, s := range t.shards {
		marks[i] = make(chan struct{})
		b := t.getBatch()
		b.flushed = marks[i]
		t.send(s, b)
	}
	t.mu.RUnlock()
	for i, s := range t.shards {
		select {
		case <-marks[i]:
		case <-s.exited:
		}
	}
}

// shardOf spreads MMSIs evenly over n shards (Fibonacci hashing: the low
// digits of MMSIs are not uniform enough for a plain modulo).
func shardOf(mmsi uint32, n uint32) uint32 {
	h := mmsi * 0x9E3779B1
	return uint32(uint64(h) * uint64(n) >> 32)
}

// Len returns the number of vessels held. It reads counters the shards
// publish after each batch, so it does not wait for them.
func (t *Table) Len() int {
	n := 0
	for _, s := range t.shards {
		n += int(s.count.Load())
	}
	return n
}

// Stats counts what the Table has done with the reports it was given.
// Every report handed to Apply ends in exactly one of Fixes, Statics,
// Invalid, Full or Dropped (reports still queued are in none yet).
type Stats struct {
	Vessels    int    // vessels held
	Fixes      uint64 // fixes applied, out-of-order ones included
	OutOfOrder uint64 // fixes older than their vessel's latest: counted, not made latest
	Statics    uint64 // static reports applied
	Invalid    uint64 // fixes with a position out of range or NaN, refused
	Full       uint64 // reports of new vessels refused because the Table held MaxVessels
	Dropped    uint64 // reports handed to Apply after Run ended, or still queued then
}

// Stats returns the counters. Like Len, it does not wait for the shards.
func (t *Table) Stats() Stats {
	st := Stats{Dropped: t.dropped.Load()}
	for _, s := range t.shards {
		st.Vessels += int(s.count.Load())
		st.Fixes += s.fixes.Load()
		st.OutOfOrder += s.outOfOrder.Load()
		st.Statics += s.statics.Load()
		st.Invalid += s.invalid.Load()
		st.Full += s.full.Load()
	}
	return st
}

// Get returns the vessel with the given MMSI, or ok == false when the
// Table holds none (or is not running).
func (t *Table) Get(mmsi uint32) (v Vessel, ok bool) {
	s := t.shards[shardOf(mmsi, uint32(len(t.shards)))]
	r, ok := t.ask(s, &query{mmsi: mmsi, get: true})
	if !ok || r.n == 0 {
		return Vessel{}, false
	}
	out := make([]Vessel, 1)
	fill(out, []*reply{&r})
	return out[0], true
}

// Expire removes every vessel last seen (by event time) before the given
// UNIX milliseconds, and returns how many it removed. Callers run it from
// time to time with a cutoff behind their watermark, so that vessels that
// left keep no memory.
func (t *Table) Expire(before int64) int {
	n := 0
	for _, s := range t.shards {
		if r, ok := t.ask(s, &query{expire: true, expireBefore: before}); ok {
			n += r.n
		}
	}
	return n
}

// InBox returns the vessels whose latest fix lies in box (edges included)
// and that match f, at most f.Limit (DefaultLimit when not set), in no
// particular order. Vessels without a fix are never in a box. It returns
// nil when none match, for an invalid box, and when the Table is not
// running.
func (t *Table) InBox(box geo.Box, f Filter) []Vessel {
	return t.AppendInBox(nil, box, f)
}

// AppendInBox is InBox appending to dst, and returns the extended slice.
// A caller serving many queries can pass back an earlier result as
// dst[:0] once it is done with it, so that large answers cost no
// allocation of their own (only their Sources, which share one new array
// per call).
func (t *Table) AppendInBox(dst []Vessel, box geo.Box, f Filter) []Vessel {
	if box.Validate() != nil || math.IsNaN(box.MinLat+box.MinLon+box.MaxLat+box.MaxLon) {
		return dst
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	q := query{
		minLat: int32(math.Ceil(box.MinLat * posScale)),
		maxLat: int32(math.Floor(box.MaxLat * posScale)),
		minLon: int32(math.Ceil(box.MinLon * posScale)),
		maxLon: int32(math.Floor(box.MaxLon * posScale)),
		filter: compileFilter(f),
		limit:  limit,
	}
	// Ask every shard at once; each scans its own vessels.
	replies := make([]chan reply, len(t.shards))
	for i, s := range t.shards {
		replies[i] = make(chan reply, 1)
		qi := q
		qi.reply = replies[i]
		if !t.post(s, &qi) {
			replies[i] = nil
		}
	}
	var (
		found []*reply
		total int
	)
	for _, ch := range replies {
		if ch == nil {
			continue
		}
		r := <-ch
		found = append(found, &r)
		total += r.n
	}
	total = min(total, limit)
	n := len(dst)
	if total > 0 {
		dst = slices.Grow(dst, total)[:n+total]
		fill(dst[n:], found)
	}
	for _, r := range found {
		r.release(&t.blocks)
	}
	return dst
}

// ask sends q to s and waits for the answer.
func (t *Table) ask(s *shard, q *query) (reply, bool) {
	q.reply = make(chan reply, 1)
	if !t.post(s, q) {
		return reply{}, false
	}
	return <-q.reply, true
}

// post hands q to s, or reports false when s has ended.
func (t *Table) post(s *shard, q *query) bool {
	select {
	case s.q <- q:
		return true
	case <-s.exited:
		return false
	}
}

// filter is a Filter prepared for matching.
type filter struct {
	types  *[256]bool // nil: any type
	flags  []string   // upper case; nil: any flag
	minSOG uint16     // tenths of a knot; 0: no bound
	maxSOG uint16     // tenths of a knot; 0: no bound
	text   string     // upper case; "": no text
}

func compileFilter(f Filter) *filter {
	c := &filter{}
	if len(f.ShipTypes) > 0 {
		c.types = new([256]bool)
		for _, st := range f.ShipTypes {
			c.types[st] = true
		}
	}
	for _, fl := range f.Flags {
		c.flags = append(c.flags, strings.ToUpper(strings.TrimSpace(fl)))
	}
	if f.MinSOG > 0 {
		c.minSOG = sogTenths(f.MinSOG)
	}
	if f.MaxSOG > 0 {
		c.maxSOG = sogTenths(f.MaxSOG)
	}
	c.text = strings.ToUpper(strings.TrimSpace(f.Text))
	return c
}

// match reports whether v passes the filter. The caller has checked that
// v has a fix.
func (c *filter) match(v *vessel) bool {
	if c.types != nil {
		if v.st == nil || v.st.s.Has&HasShipType == 0 || !c.types[v.st.s.ShipType] {
			return false
		}
	}
	if c.minSOG > 0 || c.maxSOG > 0 {
		if v.sog == naU16 || v.sog < c.minSOG || c.maxSOG > 0 && v.sog > c.maxSOG {
			return false
		}
	}
	if c.flags != nil {
		iso, _, ok := FlagOf(v.mmsi)
		if !ok {
			return false
		}
		found := false
		for _, fl := range c.flags {
			if fl == iso {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if c.text != "" && !c.matchText(v) {
		return false
	}
	return true
}

func (c *filter) matchText(v *vessel) bool {
	var buf [10]byte
	if strings.Contains(string(strconv.AppendUint(buf[:0], uint64(v.mmsi), 10)), c.text) {
		return true
	}
	if v.st == nil {
		return false
	}
	s := &v.st.s
	if s.Has&HasIMO != 0 && strings.Contains(string(strconv.AppendUint(buf[:0], uint64(s.IMO), 10)), c.text) {
		return true
	}
	return containsFold(s.Name, c.text) || containsFold(s.CallSign, c.text)
}

// containsFold reports whether s contains upper, an upper-case ASCII
// string, ignoring ASCII case. AIS text is upper case already, so the
// fast path allocates nothing.
func containsFold(s, upper string) bool {
	if strings.Contains(s, upper) {
		return true
	}
	for i := 0; i < len(s); i++ {
		if 'a' <= s[i] && s[i] <= 'z' {
			return strings.Contains(strings.ToUpper(s), upper)
		}
	}
	return false
}

// fill converts the shards' copies into Vessels, as many as out holds.
// All Sources share one backing array.
func fill(out []Vessel, replies []*reply) {
	total, i := 0, 0
	for _, r := range replies {
		for _, blk := range r.found {
			for j := range blk {
				if i == len(out) {
					break
				}
				total += bits.OnesCount64(blk[j].heard) + len(r.extra[blk[j].mmsi])
				i++
			}
		}
	}
	srcs := make([]SourceID, 0, total)
	i = 0
	for _, r := range replies {
		for _, blk := range r.found {
			for j := range blk {
				if i == len(out) {
					return
				}
				v := &blk[j]
				start := len(srcs)
				for h := v.heard; h != 0; h &= h - 1 {
					srcs = append(srcs, SourceID(bits.TrailingZeros64(h)))
				}
				srcs = append(srcs, r.extra[v.mmsi]...)
				v.export(&out[i], srcs[start:len(srcs):len(srcs)])
				i++
			}
		}
	}
}
