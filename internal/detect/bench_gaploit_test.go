package detect

import (
	"strings"
	"testing"
	"time"

	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

// BenchmarkCoverageHeard is the per-fix cost the coverage grid adds to
// Engine.Process (serial, before the shards run), over the synthetic
// traffic of traffic() at 10k vessels.
func BenchmarkCoverageHeard(b *testing.B) {
	c := NewCoverage(0.05, 10*time.Minute, 12*time.Minute)
	gen := traffic(10_000)
	batch := make([]track.Fix, 4096)
	fs, _ := gen(batch)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range fs {
			c.Heard(&fs[i])
		}
		n += len(fs)
		fs, _ = gen(batch)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/fix")
}

// BenchmarkShardGapLoiter is the per-fix cost, on one shard, of the gap
// and loitering detectors of the strait preset (coverage grid fed as the
// engine feeds it, area rule) against the same without them
// (strait-without: no coverage, speed rule) and the gfw preset's, over
// traffic() at 10k vessels with the default zones.
func BenchmarkShardGapLoiter(b *testing.B) {
	zs, err := zone.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, preset := range []string{"gfw", "strait-without", "strait"} {
		b.Run(preset, func(b *testing.B) {
			cfg, _ := Preset(strings.TrimSuffix(preset, "-without"))
			if strings.HasSuffix(preset, "-without") {
				// The strait preset as it was: no coverage, the speed rule.
				cfg.Gap.CoverageCell, cfg.Loiter.MaxRadius = 0, 0
			}
			cfg.Distress.Enabled, cfg.Zones.Enabled, cfg.Speed.Enabled = false, false, false
			cfg.PortVisit.Enabled, cfg.TSS.Enabled, cfg.Identity.Enabled = false, false, false
			s, err := NewShard(cfg, zs)
			if err != nil {
				b.Fatal(err)
			}
			var cov *Coverage
			if cfg.Gap.CoverageCell > 0 {
				cov = NewCoverage(cfg.Gap.CoverageCell, cfg.Gap.CoverageJoin, cfg.Gap.CoverageSteady)
				s.setCoverage(cov)
			}
			gen := traffic(10_000)
			batch := make([]track.Fix, 4096)
			step := func() int {
				fs, wm := gen(batch)
				if cov != nil {
					for i := range fs {
						cov.Heard(&fs[i])
					}
				}
				s.run(&Input{Fixes: fs, Watermark: wm})
				s.Drain()
				return len(fs)
			}
			for range 10_000/len(batch) + 1 {
				step()
			}
			n := 0
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				n += step()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/fix")
		})
	}
}

// BenchmarkEngineCoverageArea is BenchmarkEngineNoCollision at 10k
// vessels with and without what the gap coverage grid and the loitering
// area rule add, to show their share of the engine's cost.
func BenchmarkEngineCoverageArea(b *testing.B) {
	for _, on := range []bool{false, true} {
		b.Run(map[bool]string{false: "without", true: "with"}[on], func(b *testing.B) {
			cfg, _ := Preset("strait")
			cfg.Collision.Enabled = false
			if !on {
				cfg.Gap.CoverageCell, cfg.Loiter.MaxRadius = 0, 0
			}
			benchEngine(b, cfg, []int{10_000})
		})
	}
}
