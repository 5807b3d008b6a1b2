package detect

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

// traffic builds n vessels spread over the strait and the Gulf of Oman
// (24-27.5N, 54.5-58.5E), with speeds from 0 to 24.5 kn and a mix of
// classes, and returns a function that fills a batch with the next fixes
// in event time: each vessel reports every 10 s of event time.
func traffic(n int) func(dst []track.Fix) ([]track.Fix, int64) {
	type st struct {
		lat, lon, dlon float64
		sog            float32
		class          track.Class
	}
	vs := make([]st, n)
	for i := range vs {
		sog := float32(i%50) / 2
		vs[i] = st{lat: 24 + float64(i%997)*3.5/997, lon: 54.5 + float64((i*7919)%1009)*4/1009,
			sog: sog, class: track.ClassA}
		if i%5 == 0 {
			vs[i].class = track.ClassB
		}
		// 10 s at sog knots, due east, in degrees (about).
		vs[i].dlon = float64(sog) * 10 / 3600 / 60 / 0.9
	}
	next, t := 0, t0
	return func(dst []track.Fix) ([]track.Fix, int64) {
		for k := range dst {
			v := &vs[next]
			v.lon += v.dlon
			if v.lon > 58.5 {
				v.lon = 54.5
			}
			dst[k] = track.Fix{MMSI: 200000000 + uint32(next), Time: t, Lat: v.lat, Lon: v.lon,
				SOG: v.sog, COG: 90, Heading: -1, Status: 0, Class: v.class}
			next++
			if next == n {
				next, t = 0, t+10*sec
			}
		}
		return dst, t
	}
}

// BenchmarkEngine measures fixes/s through every detector of the strait
// preset over the default Hormuz zones, one shard per core.
func BenchmarkEngine(b *testing.B) {
	cfg, _ := Preset("strait")
	benchEngine(b, cfg, []int{10_000, 100_000})
}

// BenchmarkEngineNoCollision is BenchmarkEngine with the collision-risk
// stage off, to show what it costs. The synthetic traffic of traffic()
// puts the vessels on 997 parallel eastbound tracks over 3.5 x 4
// degrees (10k vessels: about 0.2 per nm²), all on one course, so
// few pairs are ever at risk; BenchmarkPairwise has crossing traffic.
func BenchmarkEngineNoCollision(b *testing.B) {
	cfg, _ := Preset("strait")
	cfg.Collision.Enabled = false
	benchEngine(b, cfg, []int{10_000, 100_000})
}

func benchEngine(b *testing.B, cfg Config, sizes []int) {
	zs, err := zone.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, vessels := range sizes {
		for _, shards := range []int{1, 2} {
			b.Run(fmt.Sprintf("vessels=%d/shards=%d", vessels, shards), func(b *testing.B) {
				eng, err := NewEngine(cfg, zs, shards)
				if err != nil {
					b.Fatal(err)
				}
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				go eng.Run(ctx)
				gen := traffic(vessels)
				batch := make([]track.Fix, 4096)
				// Warm up: every vessel seen once.
				for range vessels/len(batch) + 1 {
					fs, wm := gen(batch)
					if _, err := eng.Process(ctx, &Input{Fixes: fs, Watermark: wm}); err != nil {
						b.Fatal(err)
					}
				}
				events := 0
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					fs, wm := gen(batch)
					evs, err := eng.Process(ctx, &Input{Fixes: fs, Watermark: wm})
					if err != nil {
						b.Fatal(err)
					}
					events += len(evs)
				}
				b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "fixes/s")
				b.ReportMetric(float64(events)/float64(b.N*len(batch)), "events/fix")
			})
		}
	}
}

// densityTraffic builds n vessels at a constant density of perNM2
// vessels per square nautical mile around 25N 56E, so that the area
// grows with n and each vessel's neighbourhood does not. A quarter are
// at anchor (under 0.1 kn, reporting every 3 min as ITU-R M.1371 sets),
// a tenth are slow craft (1-5 kn, any course: fishing, dhows, ferries
// crossing) and the rest follow lanes at 10-14 kn: 4 nm wide bands of
// latitude, eastbound and westbound in turn, courses within 2 degrees
// of the lane's. Moving vessels report every 10 s. It returns a
// function that fills a batch with the next fixes in event time and
// returns the batch's watermark.
func densityTraffic(n int, perNM2 float64) func(dst []track.Fix) ([]track.Fix, int64) {
	type st struct {
		lat, lon float64
		sog, cog float32
		every    int // rounds of 10 s between reports
	}
	side := math.Sqrt(float64(n)/perNM2) / 60 // degrees of latitude
	lat0, lon0 := 25-side/2, 56-side/2/math.Cos(25*math.Pi/180)
	lonSpan := side / math.Cos(25*math.Pi/180)
	rng := rand.New(rand.NewPCG(1, 2))
	vs := make([]st, n)
	for i := range vs {
		v := &vs[i]
		v.lat, v.lon = lat0+rng.Float64()*side, lon0+rng.Float64()*lonSpan
		v.cog, v.every = float32(rng.Float64()*360), 1
		switch r := rng.Float64(); {
		case r < 0.25:
			v.sog, v.every = float32(rng.Float64()*0.1), 18
		case r < 0.35:
			v.sog = float32(1 + rng.Float64()*4)
		default:
			v.sog = float32(10 + rng.Float64()*4)
			v.cog = float32(90 + (rng.Float64()-0.5)*4)
			if int(math.Floor(v.lat*15))%2 == 1 { // 4 nm bands
				v.cog += 180
			}
		}
	}
	next, round, t := 0, 0, t0
	return func(dst []track.Fix) ([]track.Fix, int64) {
		for k := 0; k < len(dst); {
			v := &vs[next]
			if round%v.every == next%v.every {
				// 10 s × every at sog knots along cog, in degrees.
				d := float64(v.sog) * 10 * float64(v.every) / 3600 / 60
				c := float64(v.cog) * math.Pi / 180
				v.lat += d * math.Cos(c)
				v.lon += d * math.Sin(c) / math.Cos(v.lat*math.Pi/180)
				// Lane traffic wraps around east-west (a jump the
				// pairwise stages take as any other move); everything
				// turns back at the northern and southern edges.
				switch {
				case v.lon < lon0:
					v.lon += lonSpan
				case v.lon > lon0+lonSpan:
					v.lon -= lonSpan
				}
				if v.lat < lat0 || v.lat > lat0+side {
					v.cog = float32(math.Mod(float64(v.cog)+180, 360))
				}
				st := uint8(0)
				if v.every > 1 {
					st = 1
				}
				dst[k] = track.Fix{MMSI: 200000000 + uint32(next), Time: t + int64(next)*10*sec/int64(n), Lat: v.lat, Lon: v.lon,
					SOG: v.sog, COG: v.cog, Heading: -1, Status: st, Class: track.ClassA}
				k++
			}
			next++
			if next == n {
				next, round, t = 0, round+1, t+10*sec
			}
		}
		return dst, t
	}
}

// BenchmarkPairwise measures the pairwise stages (encounters and
// collision risk, strait preset, collision range 6 nm) alone, as the
// engine's pairs goroutine runs them, at a constant density of 0.2
// vessels per nm² (the busiest part of the strait; see densityTraffic):
// ns per fix should stay flat from 10k to 100k vessels. stages=enc is
// the encounter stage alone; judge=0 is the collision stage with no
// throttle (every fix searches its neighbours).
func BenchmarkPairwise(b *testing.B) {
	zs, err := zone.Default()
	if err != nil {
		b.Fatal(err)
	}
	cfg, _ := Preset("strait")
	for _, judge := range []time.Duration{-1, cfg.Collision.JudgeEvery, 0} {
		for _, vessels := range []int{10_000, 100_000} {
			name := fmt.Sprintf("stages=enc+col/judge=%v/vessels=%d", judge, vessels)
			if judge < 0 {
				name = fmt.Sprintf("stages=enc/vessels=%d", vessels)
			}
			b.Run(name, func(b *testing.B) {
				cc := cfg.Collision
				cc.Enabled, cc.JudgeEvery = true, max(judge, 0)
				enc, col := NewEncounters(cfg.Encounter, zs), NewCollisions(cc)
				if judge < 0 {
					col = nil
				}
				gen := densityTraffic(vessels, 0.2)
				batch := make([]track.Fix, 4096)
				step := func() int {
					fs, wm := gen(batch)
					n := 0
					for i := range fs {
						enc.Fix(&fs[i])
					}
					enc.Advance(wm)
					if col != nil {
						for i := range fs {
							col.Fix(&fs[i])
						}
						col.Advance(wm)
						n = len(col.Drain())
					}
					return n + len(enc.Drain())
				}
				// Warm up: 3 rounds of 10 s, every moving vessel seen 3
				// times, so the throttle is in its steady state.
				for range 3*vessels/len(batch) + 1 {
					step()
				}
				events := 0
				var cand0, judged0 int64
				if col != nil {
					cand0, judged0 = col.candidates, col.judged
				}
				b.ReportAllocs()
				cpu0, cpuOK := cpuTime()
				b.ResetTimer()
				for b.Loop() {
					events += step()
				}
				b.StopTimer()
				fixes := float64(b.N * len(batch))
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/fixes, "ns/fix")
				if cpu1, ok := cpuTime(); ok && cpuOK {
					// One goroutine does the work, but GC runs beside it:
					// CPU time counts both.
					b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/fixes, "cpu-ns/fix")
				}
				if col != nil {
					b.ReportMetric(float64(col.candidates-cand0)/fixes, "candidates/fix")
					b.ReportMetric(float64(col.judged-judged0)/fixes, "judged/fix")
				}
				b.ReportMetric(float64(events)/fixes, "events/fix")
			})
		}
	}
}
