package candidates

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"straitwatch/internal/track"
)

// pqFix is a fix as a Parquet segment row.
type pqFix struct {
	MMSI    int64   `parquet:"mmsi"`
	Time    int64   `parquet:"time,timestamp(millisecond)"`
	Lat     float64 `parquet:"lat"`
	Lon     float64 `parquet:"lon"`
	SOG     float32 `parquet:"sog"`
	COG     float32 `parquet:"cog"`
	Heading int32   `parquet:"heading"`
	Status  int32   `parquet:"status"`
	Class   int32   `parquet:"class"`
	Source  int32   `parquet:"source"`
	Heard   int64   `parquet:"heard"`
}

func toPQ(f *track.Fix) pqFix {
	return pqFix{MMSI: int64(f.MMSI), Time: f.Time, Lat: f.Lat, Lon: f.Lon, SOG: f.SOG, COG: f.COG,
		Heading: int32(f.Heading), Status: int32(f.Status), Class: int32(f.Class), Source: int32(f.Source), Heard: int64(f.Heard)}
}

// partitionRows is one hour of the Track24h dataset, sorted by (MMSI,
// time) as a segment is.
func partitionRows(vessels, interval, busy int, hour int) []pqFix {
	var rows []pqFix
	start := t0 + int64(hour)*3600_000
	for i := range vessels {
		if i < busy {
			for k := range 360 {
				f := benchFix(i, hour*360+k, start+int64(k)*10_000+int64(i))
				rows = append(rows, toPQ(&f))
			}
		}
		per := 3600 / interval
		for k := range per {
			f := benchFix(i, hour*per+k, start+int64(k*interval)*1000+int64(busy+i%1000))
			rows = append(rows, toPQ(&f))
		}
	}
	slices.SortStableFunc(rows, func(a, b pqFix) int {
		if c := cmp.Compare(a.MMSI, b.MMSI); c != 0 {
			return c
		}
		return cmp.Compare(a.Time, b.Time)
	})
	return rows
}

func writeParquet(path string, rows []pqFix) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := parquet.NewGenericWriter[pqFix](f, parquet.Compression(&parquet.Zstd), parquet.PageBufferSize(8<<10))
	if _, err := w.Write(rows); err != nil {
		f.Close()
		return err
	}
	if err := w.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// parquetTrack reads one vessel's rows from a segment through the page
// index of the mmsi column: only pages whose bounds contain it are read.
func parquetTrack(f *parquet.File, mmsi int64, out []pqFix) ([]pqFix, error) {
	buf := make([]pqFix, 256)
	for _, rg := range f.RowGroups() {
		cc := rg.ColumnChunks()[0]
		ci, err := cc.ColumnIndex()
		if err != nil {
			return nil, err
		}
		oi, err := cc.OffsetIndex()
		if err != nil {
			return nil, err
		}
		for p := range ci.NumPages() {
			if mmsi < ci.MinValue(p).Int64() || mmsi > ci.MaxValue(p).Int64() {
				continue
			}
			first := oi.FirstRowIndex(p)
			end := rg.NumRows()
			if p+1 < oi.NumPages() {
				end = oi.FirstRowIndex(p + 1)
			}
			r := parquet.NewGenericRowGroupReader[pqFix](rg)
			if err := r.SeekToRow(first); err != nil {
				r.Close()
				return nil, err
			}
			for left := end - first; left > 0; {
				n, err := r.Read(buf[:min(int64(len(buf)), left)])
				for _, row := range buf[:n] {
					if row.MMSI == mmsi {
						out = append(out, row)
					}
				}
				left -= int64(n)
				if err != nil || n == 0 {
					break
				}
			}
			r.Close()
		}
	}
	return out, nil
}

// BenchmarkParquetSegments writes the 24 hourly segments of the Track24h
// dataset as Parquet files (zstd, 8 KiB pages, page index) and queries
// one vessel's 24 h track through the page index, as the store would with
// Parquet segments behind its own write-ahead log.
func BenchmarkParquetSegments(b *testing.B) {
	vessels := benchEnv(b, "STORE_BENCH_VESSELS", 100_000)
	interval := benchEnv(b, "STORE_BENCH_INTERVAL", 600)
	busy := min(benchEnv(b, "STORE_BENCH_BUSY", 100), vessels, 1000)
	dir := b.TempDir()
	var files []*parquet.File
	var rowsTotal, bytes int64
	var writing time.Duration
	for h := range 24 {
		rows := partitionRows(vessels, interval, busy, h)
		path := filepath.Join(dir, fmt.Sprintf("seg-%02d.parquet", h))
		start := time.Now()
		if err := writeParquet(path, rows); err != nil {
			b.Fatal(err)
		}
		writing += time.Since(start)
		rowsTotal += int64(len(rows))
		fh, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer fh.Close()
		st, err := fh.Stat()
		if err != nil {
			b.Fatal(err)
		}
		bytes += st.Size()
		pf, err := parquet.OpenFile(fh, st.Size())
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, pf)
	}
	b.Logf("dataset: %d rows in 24 files, %.1f B/fix, written at %.0f rows/s (encoding sorted rows only)",
		rowsTotal, float64(bytes)/float64(rowsTotal), float64(rowsTotal)/writing.Seconds())
	rng := rand.New(rand.NewPCG(1, 2))
	run := func(name string, pick func() int64) {
		b.Run(name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			rows := 0
			var out []pqFix
			for range b.N {
				m := pick()
				start := time.Now()
				out = out[:0]
				for _, f := range files {
					var err error
					if out, err = parquetTrack(f, m, out); err != nil {
						b.Fatal(err)
					}
				}
				lat = append(lat, time.Since(start))
				rows += len(out)
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(rows)/float64(b.N), "fixes/op")
		})
	}
	run("sparse", func() int64 { return int64(200000000 + busy + rng.IntN(max(vessels-busy, 1))) })
	if busy > 0 {
		run("busy", func() int64 { return int64(200000000 + rng.IntN(busy)) })
	}
}
