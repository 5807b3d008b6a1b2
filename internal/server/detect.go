package server

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"straitwatch/internal/config"
	"straitwatch/internal/detect"
	"straitwatch/internal/events"
	"straitwatch/internal/ingest"
	"straitwatch/internal/store"
	"straitwatch/internal/zone"
)

// detection is the detection stage beside ingest: the pipeline's sink
// hands it a copy of each batch and goes on; its own goroutine runs the
// detectors on the batches in order and records the events in the book,
// which stores them and streams them to subscribers. Ingest waits only
// when detection is Queue batches behind.
type detection struct {
	engine *detect.Engine
	book   *events.Book
	in     chan *detectBatch
	free   chan *detectBatch
	log    *slog.Logger

	queued   atomic.Int64 // batches waiting
	changes  *prometheus.CounterVec
	latency  prometheus.Histogram
	failures prometheus.Counter
}

// detectBatch is a copy of an ingest batch for the detectors, with when
// it left ingest.
type detectBatch struct {
	detect.Input
	left time.Time
}

// zonesOf returns the zone set the configuration names.
func zonesOf(c config.Detect) (*zone.Set, error) {
	return zone.Open(c.Zones, c.ExtraZones...)
}

func newDetection(ctx context.Context, c config.Detect, zones *zone.Set, db *store.DB, now func() time.Time, reg prometheus.Registerer, log *slog.Logger) (*detection, error) {
	preset, err := detect.Preset(c.Preset)
	if err != nil {
		return nil, err
	}
	eng, err := detect.NewEngine(preset, zones, c.Shards)
	if err != nil {
		return nil, err
	}
	book, err := events.Open(ctx, events.Config{Store: db, Now: now})
	if err != nil {
		return nil, err
	}
	d := &detection{engine: eng, book: book, log: log,
		in: make(chan *detectBatch, c.Queue), free: make(chan *detectBatch, c.Queue+2),
		changes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "straitwatch_event_changes_total",
			Help: "Event state changes the detectors raised, by event type and state.",
		}, []string{"type", "state"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "straitwatch_detect_batch_seconds",
			Help:    "Time from a batch leaving ingest to its events being recorded and streamed.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .2, .5, 1, 2, 5},
		}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "straitwatch_event_store_errors_total",
			Help: "Event changes that could not be stored (they were still streamed).",
		}),
	}
	reg.MustRegister(d.changes, d.latency, d.failures,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "straitwatch_detect_queue_batches",
			Help: "Ingest batches waiting for the detectors.",
		}, func() float64 { return float64(d.queued.Load()) }))
	return d, nil
}

// offer copies b for the detectors, waiting while they are Queue batches
// behind. It does not give up when ingest's context ends: the pipeline
// would then hand the batch again to the whole sink (table and store
// included), and the detection stage consumes until ingest has drained,
// so the wait is bounded.
func (d *detection) offer(b *ingest.Batch) {
	var in *detectBatch
	select {
	case in = <-d.free:
	default:
		in = new(detectBatch)
	}
	in.Fixes = append(in.Fixes[:0], b.Fixes...)
	in.Statics = append(in.Statics[:0], b.Statics...)
	in.Safety = append(in.Safety[:0], b.Texts...)
	in.Watermark = b.Watermark
	in.left = time.Now()
	d.queued.Add(1)
	d.in <- in
}

// run detects on the offered batches until in is closed, then returns.
// ctx ends the engine's goroutines, after run has returned.
func (d *detection) run(ctx context.Context) error {
	for in := range d.in {
		d.queued.Add(-1)
		evs, err := d.engine.Process(ctx, &in.Input)
		if err != nil {
			// Keep draining, so that ingest never blocks on a stopped
			// stage; the error ends the server.
			for range d.in {
				d.queued.Add(-1)
			}
			return fmt.Errorf("detect: %w", err)
		}
		if err := d.book.Apply(evs); err != nil {
			d.failures.Add(1)
			d.log.Error("events are not being stored", "err", err)
		}
		for i := range evs {
			d.changes.WithLabelValues(string(evs[i].Type), evs[i].State.String()).Inc()
		}
		d.latency.Observe(time.Since(in.left).Seconds())
		clear(in.Statics) // drop string references
		clear(in.Safety)
		select {
		case d.free <- in:
		default:
		}
	}
	return nil
}
