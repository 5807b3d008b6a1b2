package ui_test

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"straitwatch/internal/ui"
)

// TestBadDataAndReconnect serves the page an API with awkward vessels (no
// position, no static data, positions not available, unknown kinds and
// types, markup in a name), a live stream with malformed updates that
// then drops, no zones, and three events (an info, a gap with evidence,
// and the oldest, a distress). The page must not throw, must say the
// stream is lost and reconnect, must list distress first, and must draw
// the gap's silent stretch and figures.
func TestBadDataAndReconnect(t *testing.T) {
	chromium(t)
	now := time.Now().UnixMilli()
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", ui.Handler())
	mux.Handle("GET /ui/", ui.Handler())
	mux.HandleFunc("GET /api/vessels", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"count":5,"truncated":false,"vessels":[
{"mmsi":1,"kind":"class_a","sources":[],"count":0},
{"mmsi":422000001,"kind":"class_a","last":{"time":%[1]d,"lat":26.5,"lon":56.3,"status":15,"class":"A","source":1},"sources":[1],"count":1},
{"mmsi":422000002,"kind":"class_b","static":{"time":%[1]d,"name":"","ship_type":255,"source":1},"last":{"time":%[1]d,"lat":91,"lon":181,"status":0,"class":"B","source":1},"sources":[1],"count":1},
{"mmsi":422000003,"kind":"something_new","static":{"time":%[1]d,"name":"<img src=x onerror=alert(1)>","ship_type":99,"source":1},"last":{"time":%[1]d,"lat":26.4,"lon":56.4,"cog":360,"sog":102.3,"status":99,"class":"?","source":1},"sources":[1],"count":1},
{"mmsi":422000004,"kind":"class_a","last":{"time":0,"lat":null,"lon":null,"status":0,"class":"A","source":1},"sources":[],"count":1}]}`, now)
	})
	mux.HandleFunc("GET /api/vessels/{mmsi}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"mmsi":%s,"kind":"class_a","sources":[],"count":0,"heard_by":[],"static_history":[]}`, r.PathValue("mmsi"))
	})
	// Events: distress is the oldest, yet must be listed first; a gap
	// draws its silent stretch.
	mux.HandleFunc("GET /api/events", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"events":[
{"id":"port_visit:422000001:%[1]d","type":"port_visit","state":"open","start":%[1]d,"vessels":[422000001],"lat":26.5,"lon":56.3,"severity":"info","confidence":0.7},
{"id":"gap:422000003:%[2]d","type":"gap","state":"close","start":%[2]d,"end":%[1]d,"vessels":[422000003],"lat":26.4,"lon":56.4,"severity":"alarm","confidence":0.9,
 "evidence":{"fixes":[{"mmsi":422000003,"time":%[2]d,"lat":26.3,"lon":56.2},{"mmsi":422000003,"time":%[1]d,"lat":26.4,"lon":56.4}],"figures":[{"name":"silent","value":3600,"op":">=","threshold":600,"unit":"s"}],"text":"no reports for an hour"}},
{"id":"distress:1:%[3]d","type":"distress","state":"open","start":%[3]d,"vessels":[1],"lat":26.2,"lon":56.1,"severity":"distress","alarm":true}]}`,
			now, now-3600000, now-7200000)
	})
	mux.HandleFunc("GET /api/events/stream", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	var streams atomic.Int32
	mux.HandleFunc("GET /api/stream", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		// A short retry so that the test does not wait the real 5 s.
		fmt.Fprint(w, "retry: 500\n\nevent: hello\ndata: {}\n\n")
		if streams.Add(1) == 1 {
			fmt.Fprintf(w, "event: fixes\ndata: [{\"mmsi\":422000001,\"time\":%d,\"lat\":26.51,\"lon\":56.31},null,{\"lat\":1},{\"mmsi\":5,\"time\":%d}]\n\n", now+1000, now+1000)
			fmt.Fprint(w, "event: fixes\ndata: not json\n\nevent: dropped\ndata: {\"dropped\":3,\"total\":3}\n\n")
			w.(http.Flusher).Flush()
			time.Sleep(1500 * time.Millisecond)
			return // the stream drops
		}
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	base := "http://" + ln.Addr().String()

	ctx, log := newBrowser(t, base, 1200, 800)
	run(t, ctx, "load",
		chromedp.Navigate(base+"/"),
		waitJS(`document.body.dataset.ready === "1"`),
		waitJS(`straitwatch.connLog.includes("reconnecting") && straitwatch.connLog.at(-1) === "connected"`),
		waitJS(`straitwatch.stats.updates > 0`),
		do(`straitwatch.selectVessel(422000001)`),
		chromedp.WaitVisible(`#panel dd[data-field="imo"]`))
	if first := js[string](t, ctx, `document.querySelector("#events li.event").dataset.type`); first != "distress" {
		t.Errorf("first event listed is %q, want distress on top", first)
	}
	run(t, ctx, "gap evidence",
		chromedp.Click(`#events li.event[data-type="gap"]`),
		waitJS(`straitwatch.evidence.some(f => f.properties.role === "silent")`),
		chromedp.WaitVisible(`#event-detail .figures li`))
	if fig := get(t, ctx, chromedp.Text(`#event-detail .figures li`)); !strings.Contains(fig, "3600") {
		t.Errorf("gap figure %q, want the silent seconds", fig)
	}
	if got := js[int](t, ctx, `straitwatch.drawn.length`); got != 2 {
		t.Errorf("%d vessels drawn, want the 2 with positions", got)
	}
	if imo := get(t, ctx, chromedp.Text(`#panel dd[data-field="imo"]`)); imo != "—" {
		t.Errorf("IMO of a vessel without static data shows %q, want —", imo)
	}
	if n := js[int](t, ctx, `document.querySelectorAll("img").length`); n != 0 {
		t.Errorf("a vessel name became markup: %d img elements", n)
	}
	for _, e := range log.errors() {
		t.Errorf("page exception: %s", e)
	}
	if conn := get(t, ctx, chromedp.Text("#conn")); !strings.Contains(conn, "Live") {
		t.Errorf("connection status %q, want Live after reconnecting", conn)
	}
}
