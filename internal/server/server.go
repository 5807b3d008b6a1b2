// Package server assembles straitwatch's serve command from its parts:
// the ingest pipeline and its sources, the vessel table, the store, the
// live-stream hub and the HTTP API, started together by Run and ended by
// its context, in the order that loses nothing: ingest stops first and
// drains into the table and the store, then the store is synced and closed.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"straitwatch/internal/access"
	"straitwatch/internal/api"
	"straitwatch/internal/config"
	"straitwatch/internal/events"
	"straitwatch/internal/ingest"
	"straitwatch/internal/sim"
	"straitwatch/internal/store"
	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

// demoSourceID is the demo feed's source id, above the ids configured
// sources are likely to use.
const demoSourceID = 63

// Server is one running straitwatch.
type Server struct {
	cfg      config.Config
	log      *slog.Logger
	now      func() time.Time
	db       *store.DB
	table    *track.Table
	hub      *api.Hub
	pipeline *ingest.Pipeline
	api      *api.API
	reg      *prometheus.Registry
	ln       net.Listener
	ready    chan struct{}
	zones    *zone.Set
	detect   *detection // nil when detection is off

	// The store is written by its own goroutine, so that appending runs
	// beside de-duplication instead of after it: batches arrive on toStore
	// and their slices go back on free for reuse.
	toStore chan storeBatch
	free    chan storeBatch

	// OnStored, when set before Run, is called by the store writer with
	// each batch of fixes the store has acknowledged (see the store's
	// durability policy). The slice is valid only during the call.
	OnStored func(fixes []track.Fix)
}

// storeBatch is a copy of a pipeline batch for the store writer.
type storeBatch struct {
	fixes   []track.Fix
	statics []track.Static
}

// New builds a server from cfg, opening the store and binding the HTTP
// listener, so that configuration and port errors surface before Run.
// now is the clock (time.Now in production).
func New(cfg config.Config, log *slog.Logger, now func() time.Time) (*Server, error) {
	s := &Server{cfg: cfg, log: log, now: now, reg: prometheus.NewRegistry(), ready: make(chan struct{}),
		toStore: make(chan storeBatch, 8), free: make(chan storeBatch, 10)}
	var err error
	s.db, err = store.Open(cfg.DataDir, store.Options{SyncInterval: cfg.Store.SyncInterval, Retention: cfg.Store.Retention, Now: now})
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	fail := func(err error) (*Server, error) {
		s.db.Close()
		return nil, err
	}
	if s.table, err = track.New(track.Config{}); err != nil {
		return fail(fmt.Errorf("track: %w", err))
	}
	if s.hub, err = api.NewHub(api.HubConfig{Registerer: s.reg}); err != nil {
		return fail(fmt.Errorf("hub: %w", err))
	}
	if s.zones, err = zonesOf(cfg.Detect); err != nil {
		return fail(fmt.Errorf("zones: %w", err))
	}
	if *cfg.Demo {
		// The demo is an exercise: its zones (the simulator's approximate
		// lanes, labelled as such) join the region's, so that its
		// wrong-way vessel is judged against the lanes it breaks.
		if s.zones, err = withDemoZones(s.zones, now()); err != nil {
			return fail(fmt.Errorf("demo zones: %w", err))
		}
	}
	var book *events.Book
	if *cfg.Detect.Enabled {
		if s.detect, err = newDetection(context.Background(), cfg.Detect, s.zones, s.db, now, s.reg, log); err != nil {
			return fail(fmt.Errorf("detect: %w", err))
		}
		book = s.detect.book
	}
	sources := append([]ingest.SourceConfig(nil), cfg.Sources...)
	if *cfg.Demo {
		sources = append(sources, ingest.SourceConfig{ID: demoSourceID, Name: "demo", Org: cfg.Org, Kind: ingest.KindGenerator, Generate: s.demo})
	}
	pc := cfg.Pipeline
	pc.Clock, pc.Logger = now, log
	if s.pipeline, err = ingest.NewPipeline(pc, sources, ingest.SinkFunc(s.write)); err != nil {
		return fail(fmt.Errorf("ingest: %w", err))
	}
	q, err := access.NewQuery(access.AllowAll{}, access.Backends{
		Vessels: s.table, History: s.db, Sources: sourcesOf{s.pipeline}, Feed: s.hub,
		Events: book, Zones: s.zones,
	})
	if err != nil {
		return fail(err)
	}
	s.reg.MustRegister(&collector{s: s})
	s.api, err = api.New(api.Config{
		Query:    q,
		Auth:     access.Fixed{View: access.View{Org: cfg.Org, Role: access.RoleAdmin}},
		Registry: s.reg,
		Logger:   log,
		Now:      now,
		Ready:    s.readyCheck,
	})
	if err != nil {
		return fail(fmt.Errorf("api: %w", err))
	}
	if s.ln, err = net.Listen("tcp", cfg.HTTP.Addr); err != nil {
		return fail(fmt.Errorf("http: %w", err))
	}
	return s, nil
}

// Addr returns the HTTP listener's address.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// demo plays the simulator's demo scenario of the default region in real
// time, written exactly as receivers would send it, again from the start
// whenever it ends.
func (s *Server) demo(ctx context.Context, w io.Writer) error {
	for ctx.Err() == nil {
		sc, err := sim.DemoScenario(s.now())
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		run, err := sim.New(sc)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		p := &sim.Player{AIS: w, Speed: 1, Now: s.now}
		if err := p.Run(ctx, run); err != nil && ctx.Err() == nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	return nil
}

// Events returns the event book; nil when detection is off.
func (s *Server) Events() *events.Book {
	if s.detect == nil {
		return nil
	}
	return s.detect.book
}

// withDemoZones adds the demo scenario's exercise zones to zs.
func withDemoZones(zs *zone.Set, now time.Time) (*zone.Set, error) {
	sc, err := sim.DemoScenario(now)
	if err != nil {
		return nil, err
	}
	b, err := sim.ExerciseZones(sc)
	if err != nil {
		return nil, err
	}
	ex, err := zone.Parse(b)
	if err != nil {
		return nil, err
	}
	return zone.Union(zs, ex)
}

// Table returns the live vessel table.
func (s *Server) Table() *track.Table { return s.table }

// Pipeline returns the ingest pipeline, for its sources' addresses.
func (s *Server) Pipeline() *ingest.Pipeline { return s.pipeline }

// Ready is closed once every part is running.
func (s *Server) Ready() <-chan struct{} { return s.ready }

func (s *Server) readyCheck(context.Context) error {
	select {
	case <-s.ready:
		return nil
	default:
		return errors.New("starting")
	}
}

// write is the pipeline's sink: the table and the live stream take the
// batch at once, the store writer and the detection stage a copy; none
// keeps the batch.
func (s *Server) write(_ context.Context, b *ingest.Batch) error {
	s.table.Apply(b.Fixes, b.Statics)
	var sb storeBatch
	select {
	case sb = <-s.free:
	default:
	}
	sb.fixes = append(sb.fixes[:0], b.Fixes...)
	sb.statics = append(sb.statics[:0], b.Statics...)
	// Waits when the store is behind: backpressure to ingest. Not on
	// ctx: the table has taken the batch, and a batch handed back would
	// be handed to the table again; the store writer drains until ingest
	// has, so the wait is bounded.
	s.toStore <- sb
	s.hub.Publish(b.Fixes)
	if s.detect != nil {
		s.detect.offer(b)
	}
	return nil
}

// writeStore appends the batches from write to the store until toStore is
// closed. After an error it keeps draining, so ingest never blocks on it,
// and returns the error.
func (s *Server) writeStore() error {
	var first error
	for sb := range s.toStore {
		if first == nil {
			if err := s.db.AppendFixes(sb.fixes); err != nil {
				first = fmt.Errorf("store: %w", err)
			} else if s.OnStored != nil {
				s.OnStored(sb.fixes)
			}
			for _, st := range sb.statics {
				if err := s.db.PutStatic(st); err != nil && first == nil {
					first = fmt.Errorf("store: %w", err)
				}
			}
			if first != nil {
				s.log.Error("store writes failing; fixes are not being kept", "err", first)
			}
		}
		select {
		case s.free <- sb:
		default:
		}
	}
	return first
}

// Run serves until ctx ends, then shuts down in order: HTTP, ingest
// (draining into the table and store), table and hub, store.
func (s *Server) Run(ctx context.Context) error {
	core, stopCore := context.WithCancel(context.WithoutCancel(ctx))
	defer stopCore()
	ingestCtx, stopIngest := context.WithCancel(ctx)
	defer stopIngest()

	errs := make(chan error, 8)
	var coreWG, ingestWG sync.WaitGroup
	start := func(wg *sync.WaitGroup, name string, run func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(); err != nil && !errors.Is(err, context.Canceled) {
				errs <- fmt.Errorf("%s: %w", name, err)
			}
		}()
	}
	start(&coreWG, "track", func() error { return s.table.Run(core) })
	start(&coreWG, "hub", func() error { return s.hub.Run(core) })
	var storeWG sync.WaitGroup
	start(&storeWG, "store", s.writeStore)
	var detectWG sync.WaitGroup
	if s.detect != nil {
		start(&coreWG, "detect engine", func() error { return s.detect.engine.Run(core) })
		start(&detectWG, "detect", func() error { return s.detect.run(core) })
	}
	start(&ingestWG, "ingest", func() error { return s.pipeline.Run(ingestCtx) })
	start(&coreWG, "expire", func() error { return s.expire(core) })

	// Requests run under httpCtx, which Shutdown cancels first so that
	// live streams end instead of holding shutdown up.
	httpCtx, stopHTTP := context.WithCancel(core)
	defer stopHTTP()
	srv := &http.Server{
		Handler:           s.withIndex(s.api.Handler()),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return httpCtx },
	}
	srv.RegisterOnShutdown(stopHTTP)
	httpDone := make(chan error, 1)
	go func() { httpDone <- srv.Serve(s.ln) }()
	close(s.ready)

	var first error
	select {
	case <-ctx.Done():
	case first = <-errs:
		s.log.Error("stopping", "err", first)
	case err := <-httpDone:
		first = fmt.Errorf("http: %w", err)
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	stopIngest()
	ingestWG.Wait()
	close(s.toStore) // ingest has drained into it
	if s.detect != nil {
		close(s.detect.in)
		detectWG.Wait() // its events are in the store before it closes
	}
	storeWG.Wait()
	stopCore()
	coreWG.Wait()
	if err := s.db.Close(); err != nil && first == nil {
		first = fmt.Errorf("store: %w", err)
	}
	close(errs)
	for err := range errs {
		if first == nil {
			first = err
		}
	}
	return first
}

// expire drops vessels not heard for the configured TTL, once a minute.
func (s *Server) expire(ctx context.Context) error {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if n := s.table.Expire(s.now().Add(-s.cfg.VesselTTL).UnixMilli()); n > 0 {
				s.log.Debug("expired vessels", "count", n)
			}
		}
	}
}

// sourcesOf adapts the pipeline's health to the query layer's.
type sourcesOf struct{ p *ingest.Pipeline }

func (a sourcesOf) Health() []access.SourceHealth {
	hs := a.p.Health()
	out := make([]access.SourceHealth, len(hs))
	for i, h := range hs {
		out[i] = access.SourceHealth{
			ID: h.ID, Name: h.Name, Org: h.Org, Kind: h.Kind, Connected: h.Connected,
			LastMessage: h.LastMessage, Messages: h.Messages, MessagesPerSecond: h.MessagesPerSecond,
			Rejects: h.Rejects, LastError: h.LastError, Detail: h,
		}
	}
	return out
}
