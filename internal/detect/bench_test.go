package detect

import (
	"context"
	"fmt"
	"testing"

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

// BenchmarkEngineCollision is BenchmarkEngine with the collision-risk
// stage on (6 nm range). The synthetic traffic puts 10k vessels over
// 3.5 x 4 degrees, far denser per nm² than the strait's real traffic,
// so this is a worst case.
func BenchmarkEngineCollision(b *testing.B) {
	cfg, _ := Preset("strait")
	cfg.Collision.Enabled = true
	benchEngine(b, cfg, []int{1_000, 10_000})
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
