package ingest

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"straitwatch/ais"
	"straitwatch/internal/track"
)

// collector is a Sink that keeps copies of everything written to it.
type collector struct {
	mu      sync.Mutex
	fixes   []track.Fix
	statics []track.Static
	texts   []track.Text
	batches int
}

func (c *collector) WriteBatch(ctx context.Context, b *Batch) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fixes = append(c.fixes, b.Fixes...)
	c.statics = append(c.statics, b.Statics...)
	c.texts = append(c.texts, b.Texts...)
	c.batches++
	return nil
}

func (c *collector) snapshot() ([]track.Fix, []track.Static) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]track.Fix(nil), c.fixes...), append([]track.Static(nil), c.statics...)
}

func (c *collector) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.fixes) + len(c.statics)
}

// fixedClock returns a clock that always says t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// testTime is the fixed arrival time of tests that use a fixed clock.
var testTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// running is a pipeline started by start.
type running struct {
	p      *Pipeline
	cancel context.CancelFunc
	done   chan error
}

// start runs a pipeline of sources until the test ends or stop is called.
func start(t *testing.T, cfg PipelineConfig, sink Sink, sources ...SourceConfig) *running {
	t.Helper()
	p, err := NewPipeline(cfg, sources, sink)
	if err != nil {
		t.Fatalf("NewPipeline: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{p: p, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- p.Run(ctx) }()
	t.Cleanup(func() { r.stop(t) })
	for _, s := range p.Sources() {
		select {
		case <-s.Ready():
		case err := <-r.done:
			r.done <- err
			t.Fatalf("pipeline ended before source %s was ready: %v", s.Name(), err)
		case <-time.After(hangGuard):
			t.Fatalf("source %s never became ready", s.Name())
		}
	}
	return r
}

// stop cancels the pipeline and returns Run's result.
func (r *running) stop(t *testing.T) error {
	t.Helper()
	r.cancel()
	select {
	case err, ok := <-r.done:
		if ok {
			close(r.done)
		}
		return err
	case <-time.After(hangGuard):
		t.Fatal("Run did not return after cancel")
	}
	return nil
}

// wait returns Run's result once it ends by itself.
func (r *running) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-r.done:
		close(r.done)
		return err
	case <-time.After(hangGuard):
		t.Fatal("Run did not end")
	}
	return nil
}

// hangGuard bounds every wait in the tests: not a timing assertion, only
// a way to fail instead of hanging.
const hangGuard = 30 * time.Second

// waitFor polls cond until it holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(hangGuard)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// readerCounts decodes data with ais.Reader, the reference for what the
// framer must count.
func readerCounts(t *testing.T, data []byte) *ais.Stats {
	t.Helper()
	r := ais.NewReader(bytes.NewReader(data), ais.ReaderConfig{Now: fixedClock(testTime)})
	for r.Scan() {
	}
	if err := r.Err(); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("ais.Reader: %v", err)
	}
	return r.Stats()
}
