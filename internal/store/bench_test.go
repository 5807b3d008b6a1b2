package store

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

// Benchmark sizes come from the environment, with CI-sized defaults:
//
//	STORE_BENCH_VESSELS   vessels (default 100000)
//	STORE_BENCH_INTERVAL  seconds between two reports of a vessel over the
//	                      24 h of history (default 600: 14.4 M fixes)
//	STORE_BENCH_BUSY      vessels that also report every 10 s (default 100:
//	                      8640 fixes each in 24 h, 0.86 M in all)
func benchEnv(b *testing.B, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		b.Fatalf("%s=%q: want a non-negative integer", name, s)
	}
	return v
}

// benchFix returns report k of vessel i of the benchmark fleet: spread
// over the Strait of Hormuz and the Gulf of Oman, at AIS resolution.
func benchFix(i, k int, t int64) track.Fix {
	lat := int64(22.0*600000) + int64(i*7919%4000)*1500 + int64(k%600)*13
	lon := int64(54.0*600000) + int64(i*104729%6000)*1000 + int64(k%600)*17
	return track.Fix{MMSI: uint32(200000000 + i), Time: t,
		Lat: float64(lat) / 600000, Lon: float64(lon) / 600000,
		SOG: float32(k%150) / 10, COG: float32(k*7%3600) / 10, Heading: int16(k * 7 % 360),
		Status: 0, Class: track.ClassA, Source: 1}
}

// BenchmarkAppendFixes appends batches of 1000 fixes of 100k vessels in
// time order, as the tracker does, with the default options (the
// background writer and the 200 ms group commit run as in production).
// Run it with -cpu 1 to have them share one core with the appender.
func BenchmarkAppendFixes(b *testing.B) {
	const vessels, batchSize = 100_000, 1000
	pool := make([]track.Fix, 0, 2_000_000)
	for k := 0; len(pool) < cap(pool); k++ {
		for i := range vessels {
			pool = append(pool, benchFix(i, k, t0+int64(k)*30_000+int64(i)%30_000))
		}
	}
	dir := b.TempDir()
	db, err := Open(dir, Options{MemtableStopWrites: benchEnv(b, "STORE_BENCH_STOP", 0)})
	if err != nil {
		b.Fatal(err)
	}
	batch := make([]track.Fix, batchSize)
	b.ResetTimer()
	start, cpu := time.Now(), processCPU()
	for n := range b.N {
		off := n * batchSize % len(pool)
		shift := int64(n*batchSize/len(pool)) * int64(len(pool)/vessels) * 30_000
		copy(batch, pool[off:off+batchSize])
		if shift != 0 {
			for i := range batch {
				batch[i].Time += shift
			}
		}
		if err := db.AppendFixes(batch); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N*batchSize)/elapsed.Seconds(), "fixes/s")
	if err := db.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := db.compact(); err != nil {
		b.Fatal(err)
	}
	// The CPU time of the whole process (appends, writing segments,
	// compaction, syncs) per fix, until everything is in segments:
	// 1e9 divided by it is the rate one core sustains.
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N*batchSize), "cpu-ns/fix")
	b.ReportMetric(float64(b.N*batchSize)/time.Since(start).Seconds(), "flushed-fixes/s")
	b.ReportMetric(float64(segmentBytes(b, db))/float64(b.N*batchSize), "seg-B/fix")
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
}

func segmentBytes(b *testing.B, db *DB) int64 {
	db.mu.RLock()
	defer db.mu.RUnlock()
	var n int64
	for _, s := range db.segs {
		st, err := os.Stat(filepath.Join(db.dir, s.meta.File))
		if err != nil {
			b.Fatal(err)
		}
		n += st.Size()
	}
	return n
}

// BenchmarkTrack24h builds 24 h of history for STORE_BENCH_VESSELS
// vessels once, then queries it as the API does: one vessel's 24 h track
// (sparse: a vessel of the fleet; busy: one of the vessels that report
// every 10 s) and the fixes of one hour, or 24 hours, in a 0.2 degree box.
// Each sub-benchmark reports p50 and p99 latency.
func BenchmarkTrack24h(b *testing.B) {
	vessels := benchEnv(b, "STORE_BENCH_VESSELS", 100_000)
	interval := benchEnv(b, "STORE_BENCH_INTERVAL", 600)
	busy := min(benchEnv(b, "STORE_BENCH_BUSY", 100), vessels, 1000)
	if vessels == 0 || interval == 0 {
		b.Fatal("STORE_BENCH_VESSELS and STORE_BENCH_INTERVAL must be positive")
	}
	const day = 24 * 3600_000
	dir := b.TempDir()
	db, err := Open(dir, Options{Now: func() time.Time { return time.UnixMilli(t0 + day) }})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	built := time.Now()
	batch := make([]track.Fix, 0, 1000)
	appendFix := func(f track.Fix) {
		batch = append(batch, f)
		if len(batch) == cap(batch) {
			if err := db.AppendFixes(batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	// Time order, as a live feed delivers: every 10 s the busy vessels
	// report, and the fleet's reports are spread evenly.
	step := int64(10_000)
	perStep := float64(vessels) * float64(step) / float64(interval*1000)
	var done float64
	total := 0
	for t, k := t0, 0; t < t0+day; t, k = t+step, k+1 {
		for i := range busy {
			appendFix(benchFix(i, k, t+int64(i)))
			total++
		}
		next := done + perStep
		for j := int(done); j < int(next); j++ {
			i := j % vessels
			appendFix(benchFix(i, j/vessels, t+int64(busy+j%(int(step)-busy))))
			total++
		}
		done = next
	}
	if err := db.AppendFixes(batch); err != nil {
		b.Fatal(err)
	}
	if err := db.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := db.compact(); err != nil {
		b.Fatal(err)
	}
	db.mu.RLock()
	segs := len(db.segs)
	db.mu.RUnlock()
	bytes := segmentBytes(b, db)
	b.Logf("dataset: %d vessels every %d s + %d every 10 s: %d fixes, %d segments, %.1f B/fix, built in %v",
		vessels, interval, busy, total, segs, float64(bytes)/float64(total), time.Since(built).Round(time.Millisecond))
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	run := func(name string, query func() (int, error)) {
		b.Run(name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			var rows int
			for range b.N {
				start := time.Now()
				n, err := query()
				lat = append(lat, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				rows += n
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(rows)/float64(b.N), "fixes/op")
		})
	}
	run("sparse", func() (int, error) {
		i := busy + rng.IntN(max(vessels-busy, 1))
		fixes, err := db.Track(ctx, uint32(200000000+i%vessels), t0, t0+day, 0)
		return len(fixes), err
	})
	if busy > 0 {
		run("busy", func() (int, error) {
			fixes, err := db.Track(ctx, uint32(200000000+rng.IntN(busy)), t0, t0+day, 0)
			return len(fixes), err
		})
	}
	run("box-1h", func() (int, error) {
		lat, lon := 22.5+rng.Float64()*5, 54.5+rng.Float64()*5
		from := t0 + int64(rng.IntN(23))*3600_000
		fixes, err := db.FixesIn(ctx, geo.Box{MinLat: lat, MinLon: lon, MaxLat: lat + 0.2, MaxLon: lon + 0.2}, from, from+3600_000, 0)
		return len(fixes), err
	})
	run("box-24h", func() (int, error) {
		lat, lon := 22.5+rng.Float64()*5, 54.5+rng.Float64()*5
		fixes, err := db.FixesIn(ctx, geo.Box{MinLat: lat, MinLon: lon, MaxLat: lat + 0.2, MaxLon: lon + 0.2}, t0, t0+day, 0)
		return len(fixes), err
	})
}

// BenchmarkBlock measures the segment encoding alone.
func BenchmarkBlock(b *testing.B) {
	fixes := make([]track.Fix, 144)
	for k := range fixes {
		fixes[k] = benchFix(7, k, t0+int64(k)*600_000)
	}
	var buf []byte
	b.Run("encode", func(b *testing.B) {
		for range b.N {
			buf = appendBlock(buf[:0], fixes)
		}
		b.ReportMetric(float64(len(buf))/float64(len(fixes)), "B/fix")
		b.ReportMetric(float64(b.N*len(fixes))/b.Elapsed().Seconds(), "fixes/s")
	})
	b.Run("decode", func(b *testing.B) {
		var out []track.Fix
		for range b.N {
			var err error
			if out, err = decodeBlock(out[:0], buf, 7); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*len(fixes))/b.Elapsed().Seconds(), "fixes/s")
	})
}
