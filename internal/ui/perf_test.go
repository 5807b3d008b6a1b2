package ui_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"

	"straitwatch/internal/ui"
)

// TestPerformance measures the map with many live vessels in headless
// chromium: time to first picture, whether 1 Hz updates of every vessel
// keep up, and the main-thread time each update costs. It reports and
// does not assert; it runs only with STRAITWATCH_PERF set (to the number
// of vessels, or 1 for 50000), and its figures go in docs/benchmarks.md.
//
//	STRAITWATCH_PERF=1 go test -run TestPerformance -v ./internal/ui/
//
// The API is a synthetic one serving the page's requests (vessels, the
// live stream at 1 Hz in batches of 500 like the real one); the page and
// its bundle are the real ones.
func TestPerformance(t *testing.T) {
	env := os.Getenv("STRAITWATCH_PERF")
	if env == "" {
		t.Skip("set STRAITWATCH_PERF=1 (or a vessel count) to measure the map")
	}
	n, _ := strconv.Atoi(env)
	if n <= 1 {
		n = 50000
	}
	const seconds = 20
	fleet := newFleet(n)
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", ui.Handler())
	mux.Handle("GET /ui/", ui.Handler())
	mux.HandleFunc("GET /api/vessels", fleet.list)
	mux.HandleFunc("GET /api/stream", fleet.stream)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	base := "http://" + ln.Addr().String()

	ctx, _ := newBrowser(t, "", 1400, 900) // no proxy: it would be measured too
	run(t, ctx, "load", chromedp.Navigate(base+"/#map=6/26.0/56.5"))
	for deadline := time.Now().Add(60 * time.Second); !js[bool](t, ctx, `document.body.dataset.ready === "1"`); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no first picture in 60 s")
		}
	}
	first := js[float64](t, ctx, `straitwatch.stats.firstPicture`)
	loaded := js[float64](t, ctx, `straitwatch.stats.loaded`)
	fetched := js[float64](t, ctx, `straitwatch.stats.fetched`)
	mapLoad := js[float64](t, ctx, `straitwatch.stats.mapLoad`)
	styleLoad := js[float64](t, ctx, `straitwatch.stats.styleLoad`)
	landLoad := js[float64](t, ctx, `straitwatch.stats.landLoad`)
	domReady := js[float64](t, ctx, `performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd`)
	drawn := js[int](t, ctx, `straitwatch.drawn.length`)

	metrics := func() map[string]float64 {
		r, err := chromedp.Call(ctx, performance.GetMetrics, cdp.Empty{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, x := range r.Metrics {
			out[x.Name] = x.Value
		}
		return out
	}
	if _, err := chromedp.Call(ctx, performance.Enable, performance.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	u0 := js[float64](t, ctx, `straitwatch.stats.updates`)
	f0 := js[float64](t, ctx, `straitwatch.stats.fixes`)
	ms0 := js[float64](t, ctx, `straitwatch.stats.totalMs`)
	fr0 := js[float64](t, ctx, `straitwatch.stats.frames`)
	m0 := metrics()
	start := time.Now()
	time.Sleep(seconds * time.Second)
	m1 := metrics()
	fr1 := js[float64](t, ctx, `straitwatch.stats.frames`)
	elapsed := time.Since(start).Seconds()
	u1 := js[float64](t, ctx, `straitwatch.stats.updates`)
	f1 := js[float64](t, ctx, `straitwatch.stats.fixes`)
	ms1 := js[float64](t, ctx, `straitwatch.stats.totalMs`)
	maxMs := js[float64](t, ctx, `straitwatch.stats.maxMs`)
	rendered := js[int](t, ctx, `straitwatch.layer.visibleIn()`)

	updates := u1 - u0
	task := (m1["TaskDuration"] - m0["TaskDuration"]) * 1000
	script := (m1["ScriptDuration"] - m0["ScriptDuration"]) * 1000
	var b strings.Builder
	fmt.Fprintf(&b, "| vessels | %d (drawn after the first load: %d, rendered in view at the end: %d) |\n", n, drawn, rendered)
	fmt.Fprintf(&b, "| first picture (navigation start to the first frame with every vessel and the land) | %.0f ms |\n", first)
	fmt.Fprintf(&b, "| of which: page parsed / style loaded / land tiled / map loaded / vessels fetched and parsed / drawn | %.0f / %.0f / %.0f / %.0f / %.0f / %.0f ms |\n", domReady, styleLoad, landLoad, mapLoad, fetched, loaded)
	fmt.Fprintf(&b, "| updates applied in %.0f s of 1 Hz stream | %.0f (fixes %.0f, %.0f/s) |\n", elapsed, updates, f1-f0, (f1-f0)/elapsed)
	fmt.Fprintf(&b, "| main thread, all tasks, per update (DevTools TaskDuration) | %.1f ms |\n", task/updates)
	fmt.Fprintf(&b, "| main thread, script, per update (DevTools ScriptDuration) | %.1f ms |\n", script/updates)
	fmt.Fprintf(&b, "| frames drawn per second | %.1f |\n", (fr1-fr0)/elapsed)
	fmt.Fprintf(&b, "| applying one update to the vessel layer, mean / max | %.1f ms / %.1f ms |\n", (ms1-ms0)/updates, maxMs)
	t.Logf("\n%s", b.String())
}

// fleet is a synthetic set of vessels moving in the region.
type fleet struct {
	mmsi             []uint32
	lat, lon, sog, c []float64
	typ              []int
}

func newFleet(n int) *fleet {
	r := rand.New(rand.NewPCG(1, 2))
	f := &fleet{}
	for i := range n {
		f.mmsi = append(f.mmsi, uint32(200000000+i))
		f.lat = append(f.lat, 22.5+r.Float64()*5)
		f.lon = append(f.lon, 52+r.Float64()*9)
		f.sog = append(f.sog, r.Float64()*20)
		f.c = append(f.c, r.Float64()*360)
		f.typ = append(f.typ, []int{30, 52, 60, 70, 80, 0, 36}[i%7])
	}
	return f
}

func (f *fleet) appendFix(b []byte, i int, now int64, withMMSI bool) []byte {
	b = append(b, '{')
	if withMMSI {
		b = append(b, `"mmsi":`...)
		b = strconv.AppendUint(b, uint64(f.mmsi[i]), 10)
		b = append(b, ',')
	}
	b = fmt.Appendf(b, `"time":%d,"lat":%.6f,"lon":%.6f,"sog":%.1f,"cog":%.1f,"heading":%d,"status":0,"class":"A","source":1}`,
		now, f.lat[i], f.lon[i], f.sog[i], f.c[i], int(f.c[i]))
	return b
}

// list serves /api/vessels as the API does, 10000 at most, truncated
// when there are more in the box.
func (f *fleet) list(w http.ResponseWriter, r *http.Request) {
	box := [4]float64{-180, -90, 180, 90}
	if s := r.URL.Query().Get("bbox"); s != "" {
		for i, p := range strings.Split(s, ",") {
			box[i], _ = strconv.ParseFloat(p, 64)
		}
	}
	now := time.Now().UnixMilli()
	compact := r.URL.Query().Get("format") == "compact"
	var b []byte
	count, truncated := 0, false
	b = append(b, `{"vessels":[`...)
	for i := range f.mmsi {
		if f.lon[i] < box[0] || f.lat[i] < box[1] || f.lon[i] >= box[2] || f.lat[i] >= box[3] {
			continue
		}
		if count == 10000 {
			truncated = true
			break
		}
		if count > 0 {
			b = append(b, ',')
		}
		count++
		if compact {
			b = fmt.Appendf(b, `[%d,"ship","SYNTH %d",%d,"",%d,%.6f,%.6f,%.1f,%.1f,null,0]`,
				f.mmsi[i], i, f.typ[i], now, f.lat[i], f.lon[i], f.sog[i], f.c[i])
			continue
		}
		b = fmt.Appendf(b, `{"mmsi":%d,"kind":"class_a","last":`, f.mmsi[i])
		b = f.appendFix(b, i, now, false)
		b = fmt.Appendf(b, `,"static":{"time":%d,"name":"SYNTH %d","ship_type":%d,"source":1},"sources":[1],"count":1}`, now, i, f.typ[i])
	}
	b = fmt.Appendf(b, `],"count":%d,"truncated":%t`, count, truncated)
	if compact {
		b = append(b, `,"fields":["mmsi","kind","name","ship_type","flag","time","lat","lon","sog","cog","heading","status"]`...)
	}
	b = append(b, '}')
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// stream serves /api/stream: every vessel moves once a second, sent in
// "fixes" events of 500 like the real stream.
func (f *fleet) stream(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/event-stream")
	fmt.Fprint(w, "retry: 5000\n\nevent: hello\ndata: {}\n\n")
	w.(http.Flusher).Flush()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var b []byte
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
		now := time.Now().UnixMilli()
		b = b[:0]
		for i := range f.mmsi {
			d := f.sog[i] / 3600 / 60 // degrees a second, roughly
			f.lat[i] += d * math.Cos(f.c[i]*math.Pi/180)
			f.lon[i] += d * math.Sin(f.c[i]*math.Pi/180)
			if i%500 == 0 {
				if i > 0 {
					b = append(b, "]\n\n"...)
				}
				b = append(b, "event: fixes\ndata: ["...)
			} else {
				b = append(b, ',')
			}
			b = f.appendFix(b, i, now, true)
		}
		b = append(b, "]\n\n"...)
		if _, err := w.Write(b); err != nil {
			return
		}
		w.(http.Flusher).Flush()
	}
}
