package track

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"straitwatch/internal/geo"
)

// Boxes of the benchmarks: the Strait of Hormuz, and the world.
var (
	straitBox = geo.Box{MinLat: 25.5, MinLon: 55.0, MaxLat: 27.5, MaxLon: 57.5}
	regionBox = geo.Box{MinLat: 22.0, MinLon: 48.0, MaxLat: 30.5, MaxLon: 62.0} // the Gulf and the Gulf of Oman
)

// fleet is n vessels: half in the region, half anywhere in the world, each
// with a fix and type 5 static data.
type fleet struct {
	mmsi     []uint32
	lat, lon []float64
}

func newFleet(n int, seed uint64) *fleet {
	r := rand.New(rand.NewPCG(seed, 1))
	f := &fleet{mmsi: make([]uint32, n), lat: make([]float64, n), lon: make([]float64, n)}
	mids := []uint32{422, 461, 470, 403, 408, 447, 466, 352, 636, 538, 477, 419}
	seen := make(map[uint32]bool, n)
	for i := range n {
		for {
			m := mids[r.IntN(len(mids))]*1_000_000 + uint32(r.IntN(1_000_000))
			if !seen[m] {
				seen[m] = true
				f.mmsi[i] = m
				break
			}
		}
		b := geo.World
		if i%2 == 0 {
			b = regionBox
		}
		f.lat[i] = b.MinLat + r.Float64()*(b.MaxLat-b.MinLat)
		f.lon[i] = b.MinLon + r.Float64()*(b.MaxLon-b.MinLon)
	}
	return f
}

var destinations = []string{"BANDAR ABBAS", "MUSCAT", "FUJAIRAH", "JEBEL ALI", "SOHAR", "RAS TANURA", "DOHA", "KUWAIT", "DAMMAM", "KHOR FAKKAN"}

func (f *fleet) fix(i int, t int64) Fix {
	return Fix{MMSI: f.mmsi[i], Time: t, Lat: f.lat[i], Lon: f.lon[i], SOG: float32(i%200) / 10, COG: float32(i % 360),
		Heading: int16(i % 360), Status: 0, Class: ClassA, Source: SourceID(i % 4), Heard: 1 << (i % 4)}
}

func (f *fleet) static(i int, t int64) Static {
	return Static{MMSI: f.mmsi[i], Time: t, Has: HasName | HasCallSign | HasIMO | HasShipType | HasDimensions | HasVoyage,
		Name: fmt.Sprintf("VESSEL %07d", i), CallSign: fmt.Sprintf("C%05d", i%100000), IMO: 9000000 + uint32(i),
		ShipType: uint8(60 + i%30), ToBow: 100, ToStern: 20, ToPort: 10, ToStarboard: 10, Draught: 8.5,
		Destination: destinations[i%len(destinations)], ETA: "12-01T06:30Z", Source: SourceID(i % 4)}
}

// load applies a fix and static data for every vessel of f, in batches.
func (f *fleet) load(tab *Table) {
	const chunk = 4096
	fixes := make([]Fix, 0, chunk)
	statics := make([]Static, 0, chunk)
	for i := range f.mmsi {
		fixes = append(fixes, f.fix(i, 1))
		statics = append(statics, f.static(i, 1))
		if len(fixes) == chunk || i == len(f.mmsi)-1 {
			tab.Apply(fixes, statics)
			fixes, statics = fixes[:0], statics[:0]
		}
	}
	tab.Flush()
}

func runTable(tb testing.TB, cfg Config) (*Table, func()) {
	tab, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { tab.Run(ctx); close(done) }()
	return tab, func() { cancel(); <-done }
}

// BenchmarkApply measures position fixes per second into a Table holding
// 100k vessels, applied in batches of 1024 as ingest hands them over.
func BenchmarkApply(b *testing.B) {
	for _, shards := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("shards=%d", shards), func(b *testing.B) {
			const vessels = 100_000
			f := newFleet(vessels, 1)
			tab, stop := runTable(b, Config{Shards: shards})
			defer stop()
			f.load(tab)
			// 1M fixes, each vessel ten times, in time order.
			const batch = 1024
			all := make([]Fix, 10*vessels)
			for i := range all {
				all[i] = f.fix(i%vessels, int64(2+i))
			}
			b.ReportAllocs()
			b.ResetTimer()
			t := int64(len(all) + 2)
			for done := 0; done < b.N; {
				n := min(batch, b.N-done)
				off := done % len(all)
				n = min(n, len(all)-off)
				part := all[off : off+n]
				if off == 0 && done > 0 {
					for i := range all { // a new round: newer times
						all[i].Time = t
						t++
					}
				}
				tab.Apply(part, nil)
				done += n
			}
			tab.Flush()
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "fixes/s")
			if st := tab.Stats(); st.Vessels != vessels || st.Invalid != 0 {
				b.Fatalf("Stats = %+v", st)
			}
		})
	}
}

// BenchmarkInBox measures box queries over 100k vessels (half of them in
// the region), alone and while ingest runs flat out, and reports the
// latency percentiles the API needs (p99 < 20 ms).
func BenchmarkInBox(b *testing.B) {
	const vessels = 100_000
	f := newFleet(vessels, 2)
	// Ingest runs beside the queries at 0 (idle), at 1M fixes/s (the
	// whole pipeline's goal) or flat out (max: the CPUs are saturated and
	// queries compete for them).
	for _, ingest := range []int{0, 1_000_000, -1} {
		for _, bc := range []struct {
			name string
			box  geo.Box
			f    Filter
		}{
			{"strait", straitBox, Filter{}},
			{"strait-tankers", straitBox, Filter{ShipTypes: []uint8{80, 81, 82, 83, 84, 85, 86, 87, 88, 89}}},
			{"world-limit1001", geo.World, Filter{Limit: 1001}}, // the API's page, plus one to detect truncation
			{"world", geo.World, Filter{}},
			{"world-reuse", geo.World, Filter{}}, // AppendInBox into the previous answer
		} {
			name := bc.name
			switch {
			case ingest > 0:
				name += fmt.Sprintf("/ingest=%dk", ingest/1000)
			case ingest < 0:
				name += "/ingest=max"
			}
			b.Run(name, func(b *testing.B) {
				tab, stop := runTable(b, Config{})
				defer stop()
				f.load(tab)
				var (
					applied atomic.Int64
					quit    = make(chan struct{})
					wg      sync.WaitGroup
				)
				if ingest != 0 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						const batch = 1024
						fixes := make([]Fix, batch)
						t := int64(2)
						start := time.Now()
						for i := 0; ; i++ {
							select {
							case <-quit:
								return
							default:
							}
							if ingest > 0 { // paced: batch i is due at i*batch/ingest seconds
								due := start.Add(time.Duration(float64(i*batch) / float64(ingest) * float64(time.Second)))
								if d := time.Until(due); d > 0 {
									time.Sleep(d)
								}
							}
							for j := range fixes {
								fixes[j] = f.fix((i*batch+j)%vessels, t)
								t++
							}
							tab.Apply(fixes, nil)
							applied.Add(batch)
						}
					}()
				}
				lat := make([]time.Duration, 0, b.N)
				found := 0
				b.ReportAllocs()
				b.ResetTimer()
				start := time.Now()
				var buf []Vessel
				for range b.N {
					t0 := time.Now()
					if bc.name == "world-reuse" {
						buf = tab.AppendInBox(buf[:0], bc.box, bc.f)
						found = len(buf)
					} else {
						found = len(tab.InBox(bc.box, bc.f))
					}
					lat = append(lat, time.Since(t0))
				}
				elapsed := time.Since(start)
				b.StopTimer()
				close(quit)
				wg.Wait()
				slices.Sort(lat)
				ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
				b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
				b.ReportMetric(ms(lat[(len(lat)*99)/100]), "p99-ms")
				b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
				b.ReportMetric(float64(found), "vessels")
				if ingest != 0 {
					b.ReportMetric(float64(applied.Load())/elapsed.Seconds(), "ingest-fixes/s")
				}
			})
		}
	}
}

// BenchmarkGet measures one-vessel queries.
func BenchmarkGet(b *testing.B) {
	const vessels = 100_000
	f := newFleet(vessels, 3)
	tab, stop := runTable(b, Config{})
	defer stop()
	f.load(tab)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, ok := tab.Get(f.mmsi[i%vessels]); !ok {
			b.Fatal("vessel not found")
		}
	}
}

// TestMemoryPerVessel fills a Table with 1M distinct MMSIs, each with a
// fix and full type 5 static data, and holds the live heap to at most
// 1 KiB per vessel. Run it alone for a clean figure:
//
//	go test -run TestMemoryPerVessel -v ./internal/track/
func TestMemoryPerVessel(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("fills 1M vessels; skipped in -short mode and under the race detector")
	}
	const vessels = 1_000_000
	f := newFleet(vessels, 4)
	tab, stop := runTable(t, Config{})
	defer stop()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f.load(tab)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if tab.Len() != vessels {
		t.Fatalf("Len = %d, want %d", tab.Len(), vessels)
	}
	per := float64(after.HeapInuse-before.HeapInuse) / vessels
	perAlloc := float64(after.HeapAlloc-before.HeapAlloc) / vessels
	t.Logf("%d vessels: HeapInuse +%.0f B/vessel, HeapAlloc +%.0f B/vessel (static record %d B, vessel %d B)",
		vessels, per, perAlloc, sizeofStaticRec, sizeofVessel)
	if per > 1024 {
		t.Errorf("HeapInuse grew by %.0f B per vessel, want at most 1024", per)
	}
	runtime.KeepAlive(f)
	runtime.KeepAlive(tab)
}

// BenchmarkShardStall measures what decides between the two ways of
// serving queries: how long one query holds a shard's owner (scan and
// copy of its 50k vessels, ingest waits meanwhile), against what
// publishing an atomic snapshot of the same shard would cost each time
// (copying every chunk), which it would pay at its publish rate whether or
// not anyone asks.
func BenchmarkShardStall(b *testing.B) {
	const vessels = 50_000
	f := newFleet(vessels, 5)
	var blocks sync.Pool
	s := newShard(1, vessels, &blocks)
	for i := range vessels {
		fx := f.fix(i, 1)
		s.applyFix(&fx)
		st := f.static(i, 1)
		s.applyStatic(&st)
	}
	for _, bc := range []struct {
		name string
		box  geo.Box
	}{{"query-strait", straitBox}, {"query-world", geo.World}} {
		b.Run(bc.name, func(b *testing.B) {
			q := &query{
				minLat: int32(bc.box.MinLat * posScale), maxLat: int32(bc.box.MaxLat * posScale),
				minLon: int32(bc.box.MinLon * posScale), maxLon: int32(bc.box.MaxLon * posScale),
				filter: compileFilter(Filter{}), limit: DefaultLimit, reply: make(chan reply, 1),
			}
			b.ReportAllocs()
			for range b.N {
				s.answer(q)
				r := <-q.reply
				r.release(&blocks)
			}
		})
	}
	b.Run("snapshot-copy", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			snap := make([]*[chunkLen]vessel, len(s.chunks))
			for i, c := range s.chunks {
				cp := *c
				snap[i] = &cp
			}
			runtime.KeepAlive(snap)
		}
	})
}
