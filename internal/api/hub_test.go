package api

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"straitwatch/internal/access"
	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

// strait is a box around the Strait of Hormuz.
var strait = geo.Box{MinLon: 55, MinLat: 25, MaxLon: 57.5, MaxLat: 27}

// fixesAt returns n fixes in the strait with times start, start+1, ...
func fixesAt(n int, start int64) []track.Fix {
	out := make([]track.Fix, n)
	for i := range out {
		out[i] = track.Fix{MMSI: 422000000 + uint32(i), Time: start + int64(i), Lat: 26, Lon: 56, Heading: -1, Source: 1}
	}
	return out
}

func times(fixes []track.Fix) []int64 {
	var out []int64
	for _, f := range fixes {
		out = append(out, f.Time)
	}
	return out
}

func newHub(t *testing.T, buffer int) (*Hub, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	h, err := NewHub(HubConfig{Buffer: buffer, Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	return h, reg
}

func TestHubFiltersByBoxAndView(t *testing.T) {
	h, _ := newHub(t, 16)
	ctx := context.Background()
	onlySource1 := func(f track.Fix) bool { return f.Source == 1 }
	sub, err := h.Subscribe(ctx, strait, onlySource1)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	h.Publish([]track.Fix{
		{Time: 1, Lat: 26, Lon: 56, Source: 1},     // in
		{Time: 2, Lat: 26, Lon: 56, Source: 2},     // hidden from the view
		{Time: 3, Lat: 10, Lon: 56, Source: 1},     // outside
		{Time: 4, Lat: 25, Lon: 57.5, Source: 1},   // on the edge: in
		{Time: 5, Lat: 27.01, Lon: 56, Source: 1},  // just outside
		{Time: 6, Lat: 26.5, Lon: 55.5, Source: 1}, // in
	})
	select {
	case <-sub.Ready():
	default:
		t.Fatal("Ready has no value after a matching Publish")
	}
	got, dropped := sub.Take(nil)
	if want := []int64{1, 4, 6}; !equal(times(got), want) || dropped != 0 {
		t.Errorf("Take = %v, %d dropped; want %v, 0", times(got), dropped, want)
	}
	// A batch entirely elsewhere does not wake the subscriber.
	h.Publish([]track.Fix{{Time: 7, Lat: -30, Lon: 10, Source: 1}})
	select {
	case <-sub.Ready():
		t.Error("Ready has a value after a Publish outside the box")
	default:
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestHubDropsOldest checks that a subscriber that falls behind keeps the
// newest updates, and that every dropped update is counted, for the
// subscriber and in the metrics.
func TestHubDropsOldest(t *testing.T) {
	h, reg := newHub(t, 4)
	sub, err := h.Subscribe(context.Background(), geo.World, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	h.Publish(fixesAt(3, 0))
	h.Publish(fixesAt(7, 3))
	got, dropped := sub.Take(nil)
	if want := []int64{6, 7, 8, 9}; !equal(times(got), want) || dropped != 6 {
		t.Errorf("Take = %v, %d dropped; want %v, 6", times(got), dropped, want)
	}
	if _, dropped := sub.Take(nil); dropped != 0 {
		t.Errorf("second Take reports %d dropped, want 0", dropped)
	}
	// Wrap around the ring.
	h.Publish(fixesAt(3, 10))
	h.Publish(fixesAt(3, 13))
	got, dropped = sub.Take(got[:0])
	if want := []int64{12, 13, 14, 15}; !equal(times(got), want) || dropped != 2 {
		t.Errorf("Take after wrap = %v, %d dropped; want %v, 2", times(got), dropped, want)
	}
	for name, want := range map[string]float64{
		"straitwatch_stream_published_fixes_total": 16,
		"straitwatch_stream_queued_fixes_total":    16,
		"straitwatch_stream_dropped_fixes_total":   8,
		"straitwatch_stream_subscribers":           1,
	} {
		if got := gather(t, reg, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}

// gather returns the value of a metric without labels.
func gather(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		m := mf.GetMetric()[0]
		if c := m.GetCounter(); c != nil {
			return c.GetValue()
		}
		return m.GetGauge().GetValue()
	}
	t.Fatalf("no metric %s", name)
	return 0
}

func TestHubCloseAndContext(t *testing.T) {
	h, _ := newHub(t, 4)
	a, err := h.Subscribe(context.Background(), geo.World, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b, err := h.Subscribe(ctx, geo.World, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := h.Subscribers(); n != 2 {
		t.Fatalf("Subscribers = %d, want 2", n)
	}
	a.Close()
	a.Close() // idempotent
	<-a.Done()
	if n := h.Subscribers(); n != 1 {
		t.Errorf("Subscribers after Close = %d, want 1", n)
	}
	cancel()
	select {
	case <-b.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("subscription did not end with its context")
	}
	waitFor(t, "no subscribers", func() bool { return h.Subscribers() == 0 })
	h.Publish(fixesAt(10, 0)) // to nobody: no panic, no block
	if _, err := h.Subscribe(ctx, geo.World, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Subscribe with an ended context: error = %v, want context.Canceled", err)
	}
}

func TestHubRunEndsSubscriptions(t *testing.T) {
	h, reg := newHub(t, 4)
	sub, err := h.Subscribe(context.Background(), geo.World, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- h.Run(ctx) }()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	select {
	case <-sub.Done():
	default:
		t.Error("subscription still open after Run ended")
	}
	if _, err := h.Subscribe(context.Background(), geo.World, nil); !errors.Is(err, ErrHubClosed) || !errors.Is(err, access.ErrUnavailable) {
		t.Errorf("Subscribe after Run: error = %v, want ErrHubClosed wrapping access.ErrUnavailable", err)
	}
	if got := gather(t, reg, "straitwatch_stream_subscribers"); got != 0 {
		t.Errorf("subscribers gauge = %v after Run, want 0", got)
	}
	sub.Close() // after Run: harmless
}

func TestHubMaxSubscribers(t *testing.T) {
	h, err := NewHub(HubConfig{MaxSubscribers: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for range 2 {
		if _, err := h.Subscribe(ctx, geo.World, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.Subscribe(ctx, geo.World, nil); !errors.Is(err, ErrTooManySubscribers) {
		t.Errorf("third Subscribe: error = %v, want ErrTooManySubscribers", err)
	}
}

// TestHubConcurrent publishes, subscribes, takes and closes at once; run
// with -race. Every update queued for a subscriber is either taken or
// counted as dropped.
func TestHubConcurrent(t *testing.T) {
	h, reg := newHub(t, 8)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var taken, dropped uint64
	for range 4 {
		wg.Go(func() {
			for range 50 {
				sub, err := h.Subscribe(ctx, strait, nil)
				if err != nil {
					t.Error(err)
					return
				}
				var buf []track.Fix
				for range 5 {
					<-sub.Ready()
					var d uint64
					buf, d = sub.Take(buf[:0])
					mu.Lock()
					taken += uint64(len(buf))
					dropped += d
					mu.Unlock()
				}
				sub.Close()
				buf, d := sub.Take(buf[:0]) // what arrived before Close
				mu.Lock()
				taken += uint64(len(buf))
				dropped += d
				mu.Unlock()
			}
		})
	}
	stop := make(chan struct{})
	var pub sync.WaitGroup
	pub.Go(func() {
		batch := fixesAt(20, 0)
		for {
			select {
			case <-stop:
				return
			default:
				h.Publish(batch)
			}
		}
	})
	wg.Wait()
	close(stop)
	pub.Wait()
	queued := gather(t, reg, "straitwatch_stream_queued_fixes_total")
	if float64(taken+dropped) != queued {
		t.Errorf("taken %d + dropped %d = %d, want queued %v", taken, dropped, taken+dropped, queued)
	}
	if got := gather(t, reg, "straitwatch_stream_dropped_fixes_total"); got != float64(dropped) {
		t.Errorf("dropped metric %v, subscribers were told %d", got, dropped)
	}
}

// waitFor waits for cond, failing the test after 10 seconds. It is for
// events that happen on other goroutines, not a timing assertion.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
