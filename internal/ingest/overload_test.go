package ingest

import (
	"bytes"
	"context"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// throttle is a Sink that takes about rate messages a second.
type throttle struct {
	rate      float64
	delivered atomic.Uint64
}

func (s *throttle) WriteBatch(ctx context.Context, b *Batch) error {
	n := b.Len()
	s.delivered.Add(uint64(n))
	select {
	case <-time.After(time.Duration(float64(n) / s.rate * float64(time.Second))):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TestOverloadThreeTimes offers a live TCP receiver three times what the
// pipeline's consumer can take, for three seconds, then a quarter of it.
// Under overload the excess is shed and counted (never queued without
// bound: the source's queue stays within its capacity and the heap stays
// flat), every message is accounted for, and once the load drops nothing
// more is shed. Figures are logged; the assertions do not depend on the
// machine's speed.
func TestOverloadThreeTimes(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about five seconds")
	}
	const capacity = 20000.0 // messages/s the sink takes
	corpus := readTestdata(t, "bench/corpus.nmea")
	lines := bytes.SplitAfter(corpus, []byte("\n"))
	sink := &throttle{rate: capacity}
	r := start(t, PipelineConfig{Window: -1, BatchSize: 256}, sink,
		SourceConfig{ID: 1, Name: "rx", Kind: KindTCPServer, Address: "127.0.0.1:0", Queue: 8})
	rx := r.p.Sources()[0]
	c := dial(t, "tcp", rx.Addr())

	var base runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&base)
	var peakHeap uint64
	next := 0
	offer := func(perSecond float64, d time.Duration) {
		const tick = 10 * time.Millisecond
		per := int(perSecond * tick.Seconds())
		for end := time.Now().Add(d); time.Now().Before(end); {
			var chunk []byte
			for range per {
				chunk = append(chunk, lines[next%len(lines)]...)
				next++
			}
			write(t, c, chunk)
			if q := len(rx.q); q > cap(rx.q) {
				t.Fatalf("queue %d over its capacity %d", q, cap(rx.q))
			}
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peakHeap = max(peakHeap, m.HeapInuse)
			time.Sleep(tick)
		}
	}

	offer(3*capacity, 3*time.Second)
	waitFor(t, "the overload's backlog settled", func() bool { h := rx.Health(); return h.Delivered+h.Shed+h.Duplicates == h.Messages })
	h := rx.Health()
	t.Logf("3x overload for 3 s: %d messages offered and decoded, %d delivered, %d shed; heap peak %.1f MiB over the start",
		h.Messages, h.Delivered, h.Shed, float64(peakHeap-min(peakHeap, base.HeapInuse))/(1<<20))
	if h.Shed == 0 {
		t.Errorf("nothing shed under 3x overload (%d messages)", h.Messages)
	}
	if peakHeap > base.HeapInuse+64<<20 {
		t.Errorf("heap grew %d MiB under overload: not bounded", (peakHeap-base.HeapInuse)>>20)
	}
	shed := h.Shed

	offer(capacity/4, time.Second)
	waitFor(t, "the light load delivered", func() bool { h := rx.Health(); return h.Delivered+h.Shed+h.Duplicates == h.Messages && len(rx.q) == 0 })
	h = rx.Health()
	t.Logf("then a quarter of capacity for 1 s: %d messages, %d more shed", h.Messages, h.Shed-shed)
	if h.Shed != shed {
		t.Errorf("%d more shed at a quarter of capacity: ingest did not recover", h.Shed-shed)
	}
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	checkSums(t, rx.Health())
}
