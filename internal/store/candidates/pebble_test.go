package candidates

import (
	"context"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"straitwatch/internal/track"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()

// benchFix is the store benchmark's fleet (../bench_test.go), copied.
func benchFix(i, k int, t int64) track.Fix {
	lat := int64(22.0*600000) + int64(i*7919%4000)*1500 + int64(k%600)*13
	lon := int64(54.0*600000) + int64(i*104729%6000)*1000 + int64(k%600)*17
	return track.Fix{MMSI: uint32(200000000 + i), Time: t,
		Lat: float64(lat) / 600000, Lon: float64(lon) / 600000,
		SOG: float32(k%150) / 10, COG: float32(k*7%3600) / 10, Heading: int16(k * 7 % 360),
		Status: 0, Class: track.ClassA, Source: 1}
}

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

// Keys sort by (MMSI, time, source): big-endian, time with its sign bit
// flipped. Values hold the rest of the fix, 38 bytes.
func pebbleKey(b []byte, f *track.Fix) []byte {
	b = binary.BigEndian.AppendUint32(b, f.MMSI)
	b = binary.BigEndian.AppendUint64(b, uint64(f.Time)^(1<<63))
	return binary.BigEndian.AppendUint16(b, uint16(f.Source))
}

func pebbleValue(b []byte, f *track.Fix) []byte {
	le := binary.LittleEndian
	b = le.AppendUint64(b, math.Float64bits(f.Lat))
	b = le.AppendUint64(b, math.Float64bits(f.Lon))
	b = le.AppendUint32(b, math.Float32bits(f.SOG))
	b = le.AppendUint32(b, math.Float32bits(f.COG))
	b = le.AppendUint16(b, uint16(f.Heading))
	b = append(b, f.Status, byte(f.Class))
	return le.AppendUint64(b, f.Heard)
}

func decodePebble(k, v []byte) track.Fix {
	le := binary.LittleEndian
	return track.Fix{
		MMSI: binary.BigEndian.Uint32(k), Time: int64(binary.BigEndian.Uint64(k[4:]) ^ (1 << 63)),
		Source: track.SourceID(binary.BigEndian.Uint16(k[12:])),
		Lat:    math.Float64frombits(le.Uint64(v)), Lon: math.Float64frombits(le.Uint64(v[8:])),
		SOG: math.Float32frombits(le.Uint32(v[16:])), COG: math.Float32frombits(le.Uint32(v[20:])),
		Heading: int16(le.Uint16(v[24:])), Status: v[26], Class: track.Class(v[27]), Heard: le.Uint64(v[28:]),
	}
}

// pebbleDB is Pebble with the store's durability policy: writes are not
// synced; a goroutine syncs the WAL every 200 ms.
type pebbleDB struct {
	db   *pebble.DB
	done chan struct{}
	wg   sync.WaitGroup
	key  []byte
	val  []byte
}

func openPebble(b *testing.B, dir string) *pebbleDB {
	db, err := pebble.Open(dir, &pebble.Options{MemTableSize: 64 << 20})
	if err != nil {
		b.Fatal(err)
	}
	p := &pebbleDB{db: db, done: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-t.C:
				if err := db.LogData(nil, pebble.Sync); err != nil {
					panic(err) // benchmark only
				}
			}
		}
	}()
	return p
}

func (p *pebbleDB) append(fixes []track.Fix) error {
	batch := p.db.NewBatch()
	for i := range fixes {
		p.key = pebbleKey(p.key[:0], &fixes[i])
		p.val = pebbleValue(p.val[:0], &fixes[i])
		if err := batch.Set(p.key, p.val, nil); err != nil {
			return err
		}
	}
	return batch.Commit(pebble.NoSync)
}

func (p *pebbleDB) track(mmsi uint32, from, to int64) ([]track.Fix, error) {
	lo := pebbleKey(nil, &track.Fix{MMSI: mmsi, Time: from})
	hi := pebbleKey(nil, &track.Fix{MMSI: mmsi, Time: to})
	it, err := p.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: hi})
	if err != nil {
		return nil, err
	}
	var out []track.Fix
	for it.First(); it.Valid(); it.Next() {
		out = append(out, decodePebble(it.Key(), it.Value()))
	}
	return out, it.Close()
}

func (p *pebbleDB) close() error {
	close(p.done)
	p.wg.Wait()
	return p.db.Close()
}

func dirBytes(b *testing.B, dir string) int64 {
	var n int64
	err := filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkPebbleAppend is BenchmarkAppendFixes of the store, on Pebble.
func BenchmarkPebbleAppend(b *testing.B) {
	const vessels, batchSize = 100_000, 1000
	pool := make([]track.Fix, 0, 2_000_000)
	for k := 0; len(pool) < cap(pool); k++ {
		for i := range vessels {
			pool = append(pool, benchFix(i, k, t0+int64(k)*30_000+int64(i)%30_000))
		}
	}
	dir := b.TempDir()
	p := openPebble(b, dir)
	batch := make([]track.Fix, batchSize)
	b.ResetTimer()
	start, cpu := time.Now(), processCPU()
	for n := range b.N {
		off := n * batchSize % len(pool)
		shift := int64(n*batchSize/len(pool)) * int64(len(pool)/vessels) * 30_000
		copy(batch, pool[off:off+batchSize])
		for i := range batch {
			batch[i].Time += shift
		}
		if err := p.append(batch); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N*batchSize)/elapsed.Seconds(), "fixes/s")
	if err := p.db.Flush(); err != nil {
		b.Fatal(err)
	}
	// As the store's benchmark: CPU of the process per fix until all is
	// flushed (Pebble's background compactions included, the final
	// manual compaction not).
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N*batchSize), "cpu-ns/fix")
	b.ReportMetric(float64(b.N*batchSize)/time.Since(start).Seconds(), "flushed-fixes/s")
	if err := p.db.Compact(context.Background(), []byte{0}, []byte{0xff, 0xff, 0xff, 0xff, 0xff}, false); err != nil {
		b.Fatal(err)
	}
	if err := p.close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(dirBytes(b, dir))/float64(b.N*batchSize), "disk-B/fix")
}

// BenchmarkPebbleTrack24h is BenchmarkTrack24h of the store (track
// queries only), on Pebble, with the same dataset and variables.
func BenchmarkPebbleTrack24h(b *testing.B) {
	vessels := benchEnv(b, "STORE_BENCH_VESSELS", 100_000)
	interval := benchEnv(b, "STORE_BENCH_INTERVAL", 600)
	busy := min(benchEnv(b, "STORE_BENCH_BUSY", 100), vessels, 1000)
	if vessels == 0 || interval == 0 {
		b.Fatal("STORE_BENCH_VESSELS and STORE_BENCH_INTERVAL must be positive")
	}
	const day = 24 * 3600_000
	dir := b.TempDir()
	p := openPebble(b, dir)
	defer p.close()
	built := time.Now()
	batch := make([]track.Fix, 0, 1000)
	appendFix := func(f track.Fix) {
		batch = append(batch, f)
		if len(batch) == cap(batch) {
			if err := p.append(batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
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
	if err := p.append(batch); err != nil {
		b.Fatal(err)
	}
	if err := p.db.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := p.db.Compact(context.Background(), []byte{0}, []byte{0xff, 0xff, 0xff, 0xff, 0xff}, false); err != nil {
		b.Fatal(err)
	}
	b.Logf("dataset: %d fixes, %.1f B/fix on disk, built and compacted in %v",
		total, float64(dirBytes(b, dir))/float64(total), time.Since(built).Round(time.Millisecond))
	rng := rand.New(rand.NewPCG(1, 2))
	run := func(name string, pick func() uint32) {
		b.Run(name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			rows := 0
			for range b.N {
				start := time.Now()
				fixes, err := p.track(pick(), t0, t0+day)
				lat = append(lat, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				rows += len(fixes)
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(rows)/float64(b.N), "fixes/op")
		})
	}
	run("sparse", func() uint32 { return uint32(200000000 + busy + rng.IntN(max(vessels-busy, 1))) })
	if busy > 0 {
		run("busy", func() uint32 { return uint32(200000000 + rng.IntN(busy)) })
	}
}
