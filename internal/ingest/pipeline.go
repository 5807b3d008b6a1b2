package ingest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"straitwatch/internal/track"
)

// Batch is a slice of the pipeline's output: de-duplicated fixes and
// static records, each in arrival order.
//
// A Batch belongs to the pipeline. A Sink may read it only during
// WriteBatch; the pipeline reuses the Batch and its slices afterwards, so a
// sink that keeps anything copies it (Clone copies the whole batch).
type Batch struct {
	// Fixes are position fixes. Fix.Source is the source whose copy was
	// kept, and Fix.Heard has a bit for every source (ID below 64) whose
	// copy arrived while the fix was held (see PipelineConfig.Hold).
	Fixes []track.Fix
	// Statics are static and voyage data records, as track.FromMessage
	// or the CSV importer made them.
	Statics []track.Static
	// Texts are safety texts (AIS types 12 and 14), de-duplicated but not
	// held: they are rare, and the distress rules want them at once.
	Texts []track.Text
	// Watermark is the pipeline's low watermark when the batch was cut, in
	// UNIX milliseconds: the least of the active sources' watermarks (the
	// latest event time each has delivered). Sources that are idle or
	// ended do not count; 0 when no source is active.
	Watermark int64
	// Seq numbers the batches of one Run from 1.
	Seq uint64
}

// Clone returns a deep copy of b that the caller owns.
func (b *Batch) Clone() *Batch {
	c := *b
	c.Fixes = append([]track.Fix(nil), b.Fixes...)
	c.Statics = append([]track.Static(nil), b.Statics...)
	c.Texts = append([]track.Text(nil), b.Texts...)
	return &c
}

// Len returns the number of fixes, static records and texts in b.
func (b *Batch) Len() int { return len(b.Fixes) + len(b.Statics) + len(b.Texts) }

// Sink receives the pipeline's output.
type Sink interface {
	// WriteBatch hands over one batch. It is called from a single
	// goroutine, batch after batch, and must not keep b or its slices
	// after returning (see Batch). While it runs no other batch is
	// written, so a slow sink makes the sources' queues fill and live
	// sources shed. An error stops the pipeline and is returned by Run.
	// When ctx is cancelled the pipeline stops; a WriteBatch that then
	// returns ctx's error is called again with the same batch under a
	// context bounded by PipelineConfig.DrainTimeout.
	WriteBatch(ctx context.Context, b *Batch) error
}

// SinkFunc adapts a function to Sink.
type SinkFunc func(ctx context.Context, b *Batch) error

// WriteBatch calls f(ctx, b).
func (f SinkFunc) WriteBatch(ctx context.Context, b *Batch) error { return f(ctx, b) }

// MultiSink returns a Sink that writes every batch to each of sinks in
// turn, stopping at the first error.
func MultiSink(sinks ...Sink) Sink {
	return SinkFunc(func(ctx context.Context, b *Batch) error {
		for _, s := range sinks {
			if err := s.WriteBatch(ctx, b); err != nil {
				return err
			}
		}
		return nil
	})
}

// Pipeline joins sources into one stream of de-duplicated, normalised
// batches: it runs the sources, takes their decoded messages from their
// queues in turn, drops copies heard by several receivers, keeps
// per-source watermarks and writes batches to a Sink.
type Pipeline struct {
	cfg     PipelineConfig
	sink    Sink
	sources []*Source
	seed    uint64
	bell    chan struct{} // a source has queued a block or ended
	blocks  sync.Pool
	running sync.Mutex

	// Owned by Run's goroutine.
	window  int64 // ms, <0: de-duplication off
	hold    int64 // ms, <0: no holding
	lateBy  int64 // ms
	future  int64 // ms
	idle    int64 // ms
	now     int64 // clock at the start of the current pass, UNIX ms
	low     int64 // current low watermark
	dd      *dedup
	fixes   ring[fixRec]
	statics ring[staticRec]
	batch   Batch
	err     error
	ratesAt int64
}

// NewPipeline validates the configurations, applies their defaults and
// returns a pipeline of the sources writing to sink. Source IDs and names
// must be unique.
func NewPipeline(cfg PipelineConfig, sources []SourceConfig, sink Sink) (*Pipeline, error) {
	if sink == nil {
		return nil, errors.New("pipeline: nil sink")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	p := &Pipeline{
		cfg:    cfg,
		sink:   sink,
		seed:   rand.Uint64(),
		bell:   make(chan struct{}, 1),
		window: cfg.Window.Milliseconds(),
		hold:   cfg.Hold.Milliseconds(),
		lateBy: max(cfg.Window, defaultWindow).Milliseconds(),
		future: cfg.FutureLimit.Milliseconds(),
		idle:   cfg.IdleSource.Milliseconds(),
	}
	if cfg.Window < 0 {
		p.window = -1
	}
	if cfg.Hold < 0 {
		p.hold = -1
	}
	p.blocks.New = func() any { return &block{fixes: make([]fixRec, 0, blockSize)} }
	ids := make(map[track.SourceID]string)
	names := make(map[string]bool)
	for i := range sources {
		sc := sources[i]
		if err := sc.Validate(); err != nil {
			return nil, err
		}
		if other, ok := ids[sc.ID]; ok {
			return nil, fmt.Errorf("source %s: id %d already used by %s", sc.Name, sc.ID, other)
		}
		if names[sc.Name] {
			return nil, fmt.Errorf("source %s: name used twice", sc.Name)
		}
		ids[sc.ID], names[sc.Name] = sc.Name, true
		p.sources = append(p.sources, newSource(p, sc.withDefaults()))
	}
	return p, nil
}

// Sources returns the pipeline's sources, in configuration order.
func (p *Pipeline) Sources() []*Source { return append([]*Source(nil), p.sources...) }

// Source returns the source with the given ID, or nil.
func (p *Pipeline) Source(id track.SourceID) *Source {
	for _, s := range p.sources {
		if s.cfg.ID == id {
			return s
		}
	}
	return nil
}

// Health returns a snapshot of every source's health, in configuration
// order. It is safe to call at any time.
func (p *Pipeline) Health() []SourceHealth {
	out := make([]SourceHealth, len(p.sources))
	for i, s := range p.sources {
		out[i] = s.Health()
	}
	return out
}

func (p *Pipeline) getBlock() *block { return p.blocks.Get().(*block) }

func (p *Pipeline) putBlock(b *block) {
	b.reset()
	p.blocks.Put(b)
}

// wake tells Run that a source has queued a block or ended.
func (p *Pipeline) wake() {
	select {
	case p.bell <- struct{}{}:
	default:
	}
}

// Run runs every source and the pipeline until ctx is done or, when every
// source ends by itself (files, archives), until all their output has been
// written. After ctx is cancelled it waits for the sources to stop, writes
// what they delivered (within DrainTimeout) and returns nil. When the
// sources end by themselves it returns their errors, joined. A sink error
// stops the sources and is returned.
func (p *Pipeline) Run(ctx context.Context) error {
	if !p.running.TryLock() {
		return fmt.Errorf("pipeline: %w", ErrRunning)
	}
	defer p.running.Unlock()
	p.reset()

	sctx, stop := context.WithCancel(ctx)
	defer stop()
	errs := make([]error, len(p.sources))
	var wg sync.WaitGroup
	for i, s := range p.sources {
		s.ended.Store(false)
		wg.Go(func() {
			errs[i] = s.Run(sctx)
			s.ended.Store(true)
			p.wake()
		})
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	tick := time.NewTicker(p.cfg.Tick)
	defer tick.Stop()

	for {
		p.pass(ctx)
		if p.err != nil {
			stop()
			<-done
			return p.err
		}
		select {
		case <-p.bell:
		case <-tick.C:
		case <-done:
			p.pass(ctx)
			p.flushAll(ctx)
			if p.err != nil {
				return p.err
			}
			return errors.Join(errs...)
		case <-ctx.Done():
			<-done // every source watches ctx
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.cfg.DrainTimeout)
			defer cancel()
			p.pass(dctx)
			p.flushAll(dctx)
			return p.err
		}
	}
}

func (p *Pipeline) reset() {
	p.dd = nil
	if p.window >= 0 {
		p.dd = newDedup(p.window, p.cfg.DedupEntries)
	}
	p.fixes = ring[fixRec]{max: p.cfg.Pending}
	p.statics = ring[staticRec]{max: p.cfg.Pending}
	p.batch = Batch{}
	p.err = nil
	p.ratesAt = 0
}

// pass takes queued blocks from the sources in turn, a few at a time from
// each, until none is left; then it releases held messages that are due
// and writes a partial batch.
func (p *Pipeline) pass(ctx context.Context) {
	for p.err == nil {
		p.now = p.cfg.Clock().UnixMilli()
		if p.now-p.ratesAt >= 1000 {
			p.updateRates()
		}
		got := 0
		for _, s := range p.sources {
		take:
			for range 4 {
				select {
				case b := <-s.q:
					p.process(ctx, b)
					got++
				default:
					break take
				}
			}
		}
		p.low = p.lowWatermark()
		if p.dd != nil && p.low != math.MaxInt64 {
			p.dd.expire(p.low, p.now)
		}
		p.release(ctx, false)
		if got == 0 || ctx.Err() != nil {
			break
		}
	}
	if p.batch.Len() > 0 {
		p.write(ctx)
	}
}

// lowWatermark returns the least watermark of the sources that have
// delivered within IdleSource and have not ended (or still have blocks
// queued); MaxInt64 when there are none.
func (p *Pipeline) lowWatermark() int64 {
	low := int64(math.MaxInt64)
	for _, s := range p.sources {
		wm := s.c.watermark.Load()
		if (s.ended.Load() && len(s.q) == 0) || s.lastSeen == 0 || wm == 0 || p.now-s.lastSeen > p.idle {
			continue
		}
		low = min(low, wm)
	}
	return low
}

// process takes one block: watermarks, de-duplication, holding.
func (p *Pipeline) process(ctx context.Context, b *block) {
	s := b.src
	s.lastSeen = p.now
	wm := s.c.watermark.Load()
	wm0 := wm
	var late, future, dups, delivered, nfix, nstat uint64
	observe := func(t int64) {
		switch {
		case t > p.now+p.future:
			future++
		case t > wm:
			wm = t
		case t < wm-p.lateBy:
			late++
		}
	}
	for i := range b.fixes {
		r := &b.fixes[i]
		observe(r.fix.Time)
		if r.key != 0 && p.dd != nil {
			e, dup := p.dd.check(r.key, r.fix.Time, p.now)
			if dup {
				dups++
				if e.fix != 0 {
					if held := p.fixes.at(e.fix - 1); held != nil {
						held.fix.Heard |= r.fix.Heard
					}
				}
				continue
			}
			if p.hold >= 0 && !urgent(&r.fix) {
				if p.fixes.full() {
					p.releaseFix(ctx)
				}
				e.fix = p.fixes.push(*r) + 1
				delivered++
				nfix++
				continue
			}
		}
		p.batch.Fixes = append(p.batch.Fixes, r.fix)
		delivered++
		nfix++
		p.maybeWrite(ctx)
	}
	for i := range b.statics {
		r := &b.statics[i]
		if !r.withFix {
			observe(r.st.Time)
		}
		if r.key != 0 && p.dd != nil {
			if _, dup := p.dd.check(r.key, r.st.Time, p.now); dup {
				if !r.withFix {
					dups++
				}
				continue
			}
			if p.hold >= 0 {
				if p.statics.full() {
					p.releaseStatic(ctx)
				}
				p.statics.push(*r)
				nstat++
				if !r.withFix {
					delivered++
				}
				continue
			}
		}
		p.batch.Statics = append(p.batch.Statics, r.st)
		nstat++
		if !r.withFix {
			delivered++
		}
		p.maybeWrite(ctx)
	}
	for _, r := range b.others {
		observe(r.time)
		if r.key != 0 && p.dd != nil {
			if _, dup := p.dd.check(r.key, r.time, p.now); dup {
				dups++
				continue
			}
		}
		delivered++
	}
	for i := range b.texts {
		r := &b.texts[i]
		observe(r.text.Time)
		if r.key != 0 && p.dd != nil {
			if _, dup := p.dd.check(r.key, r.text.Time, p.now); dup {
				dups++
				continue
			}
		}
		p.batch.Texts = append(p.batch.Texts, r.text)
		delivered++
		p.maybeWrite(ctx)
	}
	c := &s.c
	if wm != wm0 {
		c.watermark.Store(wm)
	}
	addNZ(&c.late, late)
	addNZ(&c.future, future)
	addNZ(&c.dups, dups)
	addNZ(&c.delivered, delivered)
	addNZ(&c.fixes, nfix)
	addNZ(&c.statics, nstat)
	p.putBlock(b)
}

// urgent reports whether f is from a distress device (AIS-SART, MOB,
// EPIRB-AIS) or reports status 14 (AIS-SART active): such fixes are
// passed on at once, not held for copies, so that the alarm is not
// delayed; copies that arrive later are dropped without being recorded
// in Heard.
func urgent(f *track.Fix) bool {
	if f.Status == 14 {
		return true
	}
	switch track.KindOf(f.MMSI) {
	case track.KindSART, track.KindMOB, track.KindEPIRB:
		return true
	}
	return false
}

// release passes on held messages that are due: once every active
// source's watermark is a window past them, or once they have been held
// for Hold; all of them when all is set.
func (p *Pipeline) release(ctx context.Context, all bool) {
	cut := p.now - p.hold
	due := func(t, arrival int64) bool {
		return all || arrival <= cut || p.low == math.MaxInt64 || t+p.window <= p.low
	}
	for p.fixes.len() > 0 && p.err == nil {
		r := p.fixes.front()
		if !due(r.fix.Time, r.arrival) {
			break
		}
		p.releaseFix(ctx)
	}
	for p.statics.len() > 0 && p.err == nil {
		r := p.statics.front()
		if !due(r.st.Time, r.arrival) {
			break
		}
		p.releaseStatic(ctx)
	}
}

func (p *Pipeline) releaseFix(ctx context.Context) {
	p.batch.Fixes = append(p.batch.Fixes, p.fixes.front().fix)
	p.fixes.pop()
	p.maybeWrite(ctx)
}

func (p *Pipeline) releaseStatic(ctx context.Context) {
	p.batch.Statics = append(p.batch.Statics, p.statics.front().st)
	p.statics.pop()
	p.maybeWrite(ctx)
}

// flushAll releases every held message and writes the last batch.
func (p *Pipeline) flushAll(ctx context.Context) {
	p.now = p.cfg.Clock().UnixMilli()
	p.low = p.lowWatermark()
	p.release(ctx, true)
	if p.batch.Len() > 0 {
		p.write(ctx)
	}
	p.updateRates()
}

func addNZ(a *atomic.Uint64, v uint64) {
	if v != 0 {
		a.Add(v)
	}
}

func (p *Pipeline) maybeWrite(ctx context.Context) {
	if p.batch.Len() >= p.cfg.BatchSize {
		p.write(ctx)
	}
}

// write hands the current batch to the sink. If the sink fails because
// ctx was cancelled, the batch is kept for the drain.
func (p *Pipeline) write(ctx context.Context) {
	if p.err != nil {
		return
	}
	p.batch.Seq++
	p.batch.Watermark = p.low
	if p.low == math.MaxInt64 {
		p.batch.Watermark = 0
	}
	if err := p.sink.WriteBatch(ctx, &p.batch); err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			p.batch.Seq--
			return
		}
		p.err = fmt.Errorf("pipeline: sink: %w", err)
		return
	}
	p.batch.Fixes = p.batch.Fixes[:0]
	clear(p.batch.Statics)
	p.batch.Statics = p.batch.Statics[:0]
	clear(p.batch.Texts)
	p.batch.Texts = p.batch.Texts[:0]
}

// updateRates samples every source's message count into its moving rate,
// an exponentially weighted average with a five-second time constant.
func (p *Pipeline) updateRates() {
	now := p.cfg.Clock().UnixMilli()
	p.ratesAt = now
	for _, s := range p.sources {
		m := s.c.messages.Load()
		if !s.rateInit {
			s.rateInit, s.rateAt, s.rateCount = true, now, m
			continue
		}
		dt := now - s.rateAt
		if dt < 1000 {
			continue
		}
		inst := float64(m-s.rateCount) * 1000 / float64(dt)
		old := math.Float64frombits(s.c.rate.Load())
		alpha := 1 - math.Exp(-float64(dt)/5000)
		s.c.rate.Store(math.Float64bits(old + alpha*(inst-old)))
		s.rateAt, s.rateCount = now, m
	}
}
