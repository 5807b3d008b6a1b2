package detect

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

// Input is one batch of records for the detectors, in the pipeline's
// order. Watermark is the pipeline's low watermark (UNIX ms; 0 when
// unknown), which drives the rules that fire on silence.
type Input struct {
	Fixes     []track.Fix
	Statics   []track.Static
	Safety    []track.Text
	Watermark int64
}

// ErrNotRunning is returned by Process when Run has not started or has
// ended.
var ErrNotRunning = errors.New("detect engine not running")

// Engine runs the detectors over shards of vessels, one goroutine per
// shard started by Run. Process hands it one batch at a time.
type Engine struct {
	shards []*Shard
	in     []chan *Input
	pairs  *Encounters   // nil when encounters are off
	risks  *Collisions   // nil when collision risk is off
	pin    chan *Input   // to the encounters goroutine
	rin    chan *Input   // to the collision-risk goroutine
	done   chan struct{} // one token per shard per batch
	parts  []Input       // per-shard part of the current batch, reused
	ready  chan struct{} // closed when Run has started the shards
	ended  chan struct{} // closed when Run returns
	cov    *Coverage     // nil when gaps ignore coverage; written by Process only
	flags  *flags        // nil when identity rules are off; Process only
}

// NewEngine returns an engine of n shards (n < 1 means 1), each running
// the per-vessel detectors cfg enables over zones (which may be nil), and,
// when cfg enables encounters or collision risk, one more goroutine for
// the pairwise stages, which sees every fix.
func NewEngine(cfg Config, zones *zone.Set, n int) (*Engine, error) {
	n = max(n, 1)
	e := &Engine{done: make(chan struct{}, n+2), parts: make([]Input, n), pin: make(chan *Input, 1), rin: make(chan *Input, 1),
		ready: make(chan struct{}), ended: make(chan struct{})}
	for range n {
		s, err := NewShard(cfg, zones)
		if err != nil {
			return nil, fmt.Errorf("new engine: %w", err)
		}
		e.shards = append(e.shards, s)
		e.in = append(e.in, make(chan *Input, 1))
	}
	if cfg.Encounter.Enabled {
		e.pairs = NewEncounters(cfg.Encounter, zones)
	}
	if cfg.Collision.Enabled {
		e.risks = NewCollisions(cfg.Collision)
	}
	if cfg.Gap.Enabled && cfg.Gap.CoverageCell > 0 {
		e.cov = NewCoverage(cfg.Gap.CoverageCell, cfg.Gap.CoverageJoin, cfg.Gap.CoverageSteady)
		for _, s := range e.shards {
			s.setCoverage(e.cov)
		}
	}
	if cfg.Identity.Enabled {
		e.flags = &flags{}
	}
	return e, nil
}

// Run starts the shard goroutines and waits until ctx is done; it then
// stops them and returns ctx's error. Call it once.
func (e *Engine) Run(ctx context.Context) error {
	stopped := make(chan struct{}, len(e.shards)+2)
	workers := len(e.shards)
	// The two pairwise stages each own their grid and run on their own
	// goroutine, beside each other and the shards.
	pairwise := func(in chan *Input, fix func(*track.Fix), advance func(int64)) {
		workers++
		go func() {
			defer func() { stopped <- struct{}{} }()
			for {
				select {
				case <-ctx.Done():
					return
				case b := <-in:
					for i := range b.Fixes {
						fix(&b.Fixes[i])
					}
					if b.Watermark > 0 {
						advance(b.Watermark)
					}
					e.done <- struct{}{}
				}
			}
		}()
	}
	if e.pairs != nil {
		pairwise(e.pin, e.pairs.Fix, e.pairs.Advance)
	}
	if e.risks != nil {
		pairwise(e.rin, e.risks.Fix, e.risks.Advance)
	}
	for i, s := range e.shards {
		go func() {
			defer func() { stopped <- struct{}{} }()
			for {
				select {
				case <-ctx.Done():
					return
				case in := <-e.in[i]:
					s.run(in)
					e.done <- struct{}{}
				}
			}
		}()
	}
	close(e.ready)
	<-ctx.Done()
	for range workers {
		<-stopped
	}
	close(e.ended)
	return ctx.Err()
}

func (s *Shard) run(in *Input) {
	for i := range in.Statics {
		s.Static(&in.Statics[i])
	}
	for i := range in.Fixes {
		s.Fix(&in.Fixes[i])
	}
	for i := range in.Safety {
		s.Safety(&in.Safety[i])
	}
	if in.Watermark > 0 {
		s.Advance(in.Watermark)
	}
}

func shardOf(mmsi uint32, n int) int {
	h := mmsi * 0x9E3779B1 // spread consecutive MMSIs
	return int(h>>16) % n
}

// Process runs the detectors on one batch and returns the events it
// caused, ordered by subject MMSI (Vessels[0]) and each subject's in the
// order they happened. It copies what it needs from in, so the
// caller keeps its slices; the returned slice is the caller's. It must be
// called from one goroutine at a time (a pipeline sink is), while Run
// runs; it returns ctx's error if ctx ends first, and ErrNotRunning if
// Run has ended.
func (e *Engine) Process(ctx context.Context, in *Input) ([]Event, error) {
	select {
	case <-e.ready:
	case <-ctx.Done():
		return nil, fmt.Errorf("detect: %w", ctx.Err())
	}
	n := len(e.shards)
	for i := range e.parts {
		p := &e.parts[i]
		p.Fixes, p.Statics, p.Safety, p.Watermark = p.Fixes[:0], p.Statics[:0], p.Safety[:0], in.Watermark
	}
	for _, f := range in.Fixes {
		p := &e.parts[shardOf(f.MMSI, n)]
		p.Fixes = append(p.Fixes, f)
		if e.cov != nil {
			// Before the shards run: they read the grid (see Coverage).
			e.cov.Heard(&f)
		}
		if e.flags != nil {
			e.flags.fix(&f)
		}
	}
	for _, s := range in.Statics {
		if e.flags != nil {
			e.flags.static(&s)
		}
		p := &e.parts[shardOf(s.MMSI, n)]
		p.Statics = append(p.Statics, s)
	}
	for _, t := range in.Safety {
		p := &e.parts[shardOf(t.MMSI, n)]
		p.Safety = append(p.Safety, t)
	}
	sent := 0
	// The pairwise stages read in.Fixes, which stay the caller's and
	// unchanged until Process returns.
	for _, c := range []chan *Input{e.pin, e.rin} {
		if c == e.pin && e.pairs == nil || c == e.rin && e.risks == nil {
			continue
		}
		select {
		case c <- in:
			sent++
		case <-ctx.Done():
			e.wait(sent)
			return nil, fmt.Errorf("detect: %w", ctx.Err())
		case <-e.ended:
			return nil, ErrNotRunning
		}
	}
	for i := range e.shards {
		select {
		case e.in[i] <- &e.parts[i]:
			sent++
		case <-ctx.Done():
			e.wait(sent)
			return nil, fmt.Errorf("detect: %w", ctx.Err())
		case <-e.ended:
			return nil, ErrNotRunning
		}
	}
	if !e.wait(sent) {
		return nil, ErrNotRunning
	}
	var out []Event
	for _, s := range e.shards {
		out = append(out, s.Drain()...)
	}
	if e.pairs != nil {
		out = append(out, e.pairs.Drain()...)
	}
	if e.risks != nil {
		out = append(out, e.risks.Drain()...)
	}
	if e.flags != nil {
		out = append(out, e.flags.out.events...)
		e.flags.out.events = nil
	}
	// Shards sweep their vessels in map order: sort by subject so that
	// replays give the same output.
	slices.SortStableFunc(out, func(a, b Event) int { return cmp.Compare(a.Vessels[0], b.Vessels[0]) })
	return out, nil
}

// wait waits for n shards to finish their part; false if Run ended
// first.
func (e *Engine) wait(n int) bool {
	for range n {
		select {
		case <-e.done:
		case <-e.ended:
			return false
		}
	}
	return true
}
