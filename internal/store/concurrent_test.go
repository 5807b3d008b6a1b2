package store

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"testing"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

// TestConcurrent runs appenders, readers and maintenance calls together
// over small memtables, so that flushes and compactions swap data under
// the readers, and checks that every read sees each vessel's fixes as an
// exact prefix of what was appended: nothing lost, doubled or reordered.
func TestConcurrent(t *testing.T) {
	const (
		appenders = 3
		perVessel = 400
		vessels   = 20 // per appender
	)
	dir := t.TempDir()
	db := openT(t, dir, Options{MemtableSize: memFixBytes * 500, CompactionThreshold: 3})
	vessel := func(a, i int) uint32 { return uint32(100*(a+1) + i) }
	// 400 reports 15 s apart: 100 minutes, two partitions.
	want := func(m uint32, k int) track.Fix { return aisFix(m, k, t0, 15_000) }
	// acked[a] is how many rounds appender a has completed.
	var acked [appenders]atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for a := range appenders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			batch := make([]track.Fix, 0, vessels)
			for k := range perVessel {
				batch = batch[:0]
				for i := range vessels {
					batch = append(batch, want(vessel(a, i), k))
				}
				if err := db.AppendFixes(batch); err != nil {
					errs <- err
					return
				}
				acked[a].Store(int64(k + 1))
			}
		}()
	}
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for r := range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			ctx := context.Background()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				a, i := n%appenders, (n*7+r)%vessels
				m := vessel(a, i)
				min := int(acked[a].Load())
				got, err := db.Track(ctx, m, math.MinInt64, math.MaxInt64, 0)
				if err != nil {
					errs <- err
					return
				}
				if len(got) < min {
					errs <- fmt.Errorf("Track(%d) has %d fixes, want at least %d", m, len(got), min)
					return
				}
				for k, f := range got {
					if f != want(m, k) {
						errs <- fmt.Errorf("Track(%d) fix %d = %+v, want %+v", m, k, f, want(m, k))
						return
					}
				}
				if n%10 == 0 {
					if _, err := db.FixesIn(ctx, geo.World, t0, t0+3600_000, 100); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	readers.Add(1)
	go func() {
		defer readers.Done()
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			var err error
			switch n % 4 {
			case 0:
				err = db.Sync()
			case 1:
				err = db.Retain(t0 - 3600_000)
			case 2:
				err = db.PutStatic(track.Static{MMSI: 100, Time: t0 + int64(n), Has: track.HasName, Name: fmt.Sprint("NAME ", n/8)})
			case 3:
				err = db.PutDoc(Doc{Kind: "event", ID: fmt.Sprint(n % 10), Time: t0, Body: []byte(`{}`)})
			}
			if err != nil {
				errs <- err
				return
			}
		}
	}()
	wg.Wait()
	close(stop)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openT(t, dir, Options{})
	defer db.Close()
	for a := range appenders {
		for i := range vessels {
			got, err := db.Track(context.Background(), vessel(a, i), math.MinInt64, math.MaxInt64, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != perVessel {
				t.Errorf("after reopening, Track(%d) has %d fixes, want %d", vessel(a, i), len(got), perVessel)
			}
		}
	}
}
