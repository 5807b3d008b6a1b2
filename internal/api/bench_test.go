package api

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

// reportLatency reports the 50th and 99th percentiles of ds in
// milliseconds.
func reportLatency(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	pct := func(p float64) float64 {
		i := min(int(float64(len(ds))*p), len(ds)-1)
		return float64(ds[i]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// discardWriter is a ResponseWriter that only counts, as a socket would
// take the bytes, so that benchmarks do not measure a recorder's copying.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (d *discardWriter) Header() http.Header { return d.h }

func (d *discardWriter) WriteHeader(s int) { d.status = s }

func (d *discardWriter) Write(b []byte) (int, error) {
	if d.status == 0 {
		d.status = http.StatusOK
	}
	d.n += len(b)
	return len(b), nil
}

// reset readies d for the next request.
func (d *discardWriter) reset() {
	if d.h == nil {
		d.h = http.Header{}
	}
	clear(d.h)
	d.status, d.n = 0, 0
}

// vesselQueries are the /api/vessels queries the benchmarks run.
var vesselQueries = []struct{ name, query string }{
	{"strait-default-limit", "bbox=55,25,57.5,27"},           // about 2,800 in the box, 1,000 returned
	{"strait-limit-10000", "bbox=55,25,57.5,27&limit=10000"}, // all of the box
	{"harbour", "bbox=56.2,27.1,56.4,27.2"},                  // a port's approaches: a few vessels
	{"filtered", "bbox=48,20,66,30&type=tanker&min_speed=5"}, // the region, tankers under way
	{"search", "q=VESSEL%2012345"},                           // a name search over everything
	{"world-limit-10000", "limit=10000"},                     // the largest page
}

// BenchmarkVesselsInBox measures GET /api/vessels through the whole
// handler (routing, parameters, view, query layer, JSON) over a fake
// table of 100,000 vessels spread over the Gulf and the Gulf of Oman.
// The fake scans every vessel on each query, as a shard would scan its
// own; the real table's cost is measured by the end-to-end benchmark.
func BenchmarkVesselsInBox(b *testing.B) {
	e := newEnv(b, func(e *env) { e.table.all = manyVessels(100_000) })
	h := e.api.Handler()
	for _, bm := range vesselQueries {
		b.Run(bm.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/api/vessels?"+bm.query, nil)
			var ds []time.Duration
			var w discardWriter
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				start := time.Now()
				h.ServeHTTP(&w, req)
				ds = append(ds, time.Since(start))
				if w.status != http.StatusOK {
					b.Fatalf("status %d", w.status)
				}
			}
			b.ReportMetric(float64(w.n), "bytes/resp")
			reportLatency(b, ds)
		})
	}
}

// BenchmarkVesselsInBoxHTTP is BenchmarkVesselsInBox over a real loopback
// connection, with a keep-alive client reading every response: the
// latency a client sees, net/http included.
func BenchmarkVesselsInBoxHTTP(b *testing.B) {
	e := newEnv(b, func(e *env) { e.table.all = manyVessels(100_000) })
	srv := httptest.NewServer(e.api.Handler())
	defer srv.Close()
	client := srv.Client()
	for _, bm := range vesselQueries[:3] {
		b.Run(bm.name, func(b *testing.B) {
			url := srv.URL + "/api/vessels?" + bm.query
			var ds []time.Duration
			var n int64
			for b.Loop() {
				start := time.Now()
				resp, err := client.Get(url)
				if err != nil {
					b.Fatal(err)
				}
				n, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				ds = append(ds, time.Since(start))
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatalf("status %d, %v", resp.StatusCode, err)
				}
			}
			b.ReportMetric(float64(n), "bytes/resp")
			reportLatency(b, ds)
		})
	}
}

// BenchmarkTrack24h measures GET /api/vessels/{mmsi}/track for 24 hours of
// one vessel reporting every 2 seconds (43,200 fixes) from a fake store.
func BenchmarkTrack24h(b *testing.B) {
	e := newEnv(b, func(e *env) {
		now := testNow().UnixMilli()
		fixes := make([]track.Fix, 0, 43200)
		for i := range 43200 {
			fixes = append(fixes, track.Fix{MMSI: 422000001, Time: now - 86400000 + int64(i)*2000,
				Lat: 26 + float64(i)/1e5, Lon: 56 + float64(i)/2e5, SOG: 12.3, COG: 271.5, Heading: 270, Source: 1})
		}
		e.store.fixes[422000001] = fixes
	})
	h := e.api.Handler()
	req := httptest.NewRequest("GET", "/api/vessels/422000001/track", nil)
	var ds []time.Duration
	var w discardWriter
	b.ReportAllocs()
	for b.Loop() {
		w.reset()
		start := time.Now()
		h.ServeHTTP(&w, req)
		ds = append(ds, time.Since(start))
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
	b.ReportMetric(float64(w.n), "bytes/resp")
	reportLatency(b, ds)
}

// BenchmarkHubPublish measures Publish of 1,000-fix batches to 10
// subscribers in different boxes, each taking its updates as they come.
func BenchmarkHubPublish(b *testing.B) {
	h, err := NewHub(HubConfig{Buffer: 4096})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := range 10 {
		lon := 48 + float64(i)*1.8
		sub, err := h.Subscribe(ctx, geo.Box{MinLon: lon, MinLat: 20, MaxLon: lon + 1.8, MaxLat: 30}, func(track.Fix) bool { return true })
		if err != nil {
			b.Fatal(err)
		}
		go func() {
			var buf []track.Fix
			for {
				select {
				case <-sub.Done():
					return
				case <-sub.Ready():
					buf, _ = sub.Take(buf[:0])
				}
			}
		}()
	}
	vs := manyVessels(1000)
	batch := make([]track.Fix, len(vs))
	for i := range vs {
		batch[i] = vs[i].Last
	}
	b.ReportAllocs()
	for b.Loop() {
		h.Publish(batch)
	}
	b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "fixes/s")
}
