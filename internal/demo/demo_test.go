package demo

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"straitwatch/ais"
)

// syncBuffer is a bytes.Buffer safe for the feed's writes and the test's
// reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// TestFeed runs the feed briefly and decodes what it wrote: every line is
// valid AIS, every position lies in the region, and the tag blocks carry
// the clock's time.
func TestFeed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	var out syncBuffer
	f := &Feed{Clock: time.Now, Vessels: 40, Seed: 7}
	start := time.Now()
	if err := f.Run(ctx, &out); err != nil {
		t.Fatal(err)
	}
	r := ais.NewReader(bytes.NewReader(out.b.Bytes()), ais.ReaderConfig{OnReject: func(n uint64, line []byte, re ais.Reason) {
		t.Errorf("line %d %q: %v", n, line, re)
	}})
	positions := 0
	for r.Scan() {
		if p, ok := r.Message().(ais.Positioner); ok {
			positions++
			lat, lon, ok := p.Position()
			if !ok || lat < 22 || lat > 28 || lon < 54 || lon > 61 {
				t.Errorf("position %v %v outside the region", lat, lon)
			}
		}
		if tm := r.Tag().Time; tm.Before(start.Truncate(time.Second)) || tm.After(time.Now()) {
			t.Errorf("tag time %v outside the run", tm)
		}
	}
	if positions == 0 {
		t.Fatal("no position reports in 1.5 s")
	}
}
