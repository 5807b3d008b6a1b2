package ui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"straitwatch/internal/config"
	"straitwatch/internal/ingest"
	"straitwatch/internal/server"
)

// The browser tests drive Debian's chromium, headless, through the map
// served by a real server replaying testdata/feed.nmea.gz (an hour of
// scenarios/02-all-incidents.yaml from the simulator). They skip when
// chromium is missing, except under CI, where they fail. With
// STRAITWATCH_SCREENSHOTS=1 they write the states they reach, dark and
// light, to docs/screenshots/.

// chromium returns the browser to run, skipping (or failing under CI)
// when there is none.
func chromium(t *testing.T) string {
	t.Helper()
	path := os.Getenv("STRAITWATCH_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium not found at %s under CI: install it (apt-get install -y chromium)", path)
		}
		t.Skipf("chromium not found at %s; install it with apt-get install -y chromium", path)
	}
	return path
}

// startServer runs a server with the replayed feed and no demo on
// loopback, and waits until the feed is in the live picture.
func startServer(t *testing.T, feed string) string {
	t.Helper()
	off := false
	cfg := config.Default()
	cfg.DataDir, cfg.HTTP.Addr, cfg.Demo = t.TempDir(), "127.0.0.1:0", &off
	cfg.Sources = []ingest.SourceConfig{{ID: 1, Name: "replay", Org: "local", Kind: ingest.KindFile, Path: feed}}
	// The feed's times are fixed in the past: keep its vessels and fixes.
	cfg.VesselTTL = 100 * 365 * 24 * time.Hour
	cfg.Store.Retention = 100 * 365 * 24 * time.Hour
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	s, err := server.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
	})
	<-s.Ready()
	base := "http://" + s.Addr().String()
	// Wait for the whole file: the vessel count stops growing.
	last, stable := -1, 0
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && stable < 3; time.Sleep(200 * time.Millisecond) {
		var r struct{ Count int }
		getJSON(t, base+"/api/vessels?limit=10000", &r)
		if r.Count > 0 && r.Count == last {
			stable++
		} else {
			stable = 0
		}
		last = r.Count
	}
	if last <= 0 {
		t.Fatal("the replayed feed gave no vessels")
	}
	return base
}

func getJSON(t *testing.T, u string, v any) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
	}
	return resp.StatusCode
}

// pageLog records what the page did: the URL of every request the page
// target made (DevTools network domain), of every request that left the
// browser from any target, workers included (through the recording
// proxy), and every uncaught exception.
type pageLog struct {
	mu         sync.Mutex
	urls       []string
	proxied    []proxied
	exceptions []string
}

// proxied is a request the proxy saw, with the page that caused it
// (Origin, else Referer) when the request says; the browser's own
// background requests name none.
type proxied struct{ url, from string }

func (l *pageLog) proxiedRequests() []proxied {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.proxied)
}

// recordingProxy is the browser's HTTP proxy: it records every request
// and passes on those for the server under test only; any other is
// refused (403) and recorded, so a test can fail on it.
func recordingProxy(t *testing.T, base string, log *pageLog) string {
	t.Helper()
	server, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme, pr.Out.URL.Host = server.Scheme, server.Host
		},
		FlushInterval: -1, // live streams pass at once
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := r.URL.String()
		if r.Method == http.MethodConnect {
			u = "https://" + r.Host
		}
		log.mu.Lock()
		from := r.Header.Get("Origin")
		if from == "" {
			from = r.Header.Get("Referer")
		}
		log.proxied = append(log.proxied, proxied{u, from})
		log.mu.Unlock()
		if r.Method == http.MethodConnect || r.URL.Host != server.Host {
			http.Error(w, "refused by the test proxy: not the server under test", http.StatusForbidden)
			return
		}
		rp.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

func (l *pageLog) requests() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.urls)
}

func (l *pageLog) errors() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.exceptions)
}

// newBrowser starts chromium with the flags the project requires and a
// fresh profile, recording the page's requests and exceptions. With a
// base URL, every request leaves chromium through a recording proxy that
// passes on only those for base.
func newBrowser(t *testing.T, base string, width, height int) (context.Context, *pageLog) {
	t.Helper()
	log := &pageLog{}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	if base != "" {
		opts = append(opts,
			chromedp.ProxyServer("http://"+recordingProxy(t, base, log)),
			// Loopback too goes through the proxy.
			chromedp.Flag("proxy-bypass-list", "<-loopback>"))
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			log.mu.Lock()
			log.urls = append(log.urls, e.Request.URL)
			log.mu.Unlock()
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			desc := d.Text
			if d.Exception != nil {
				desc += " " + d.Exception.Description
			}
			log.mu.Lock()
			log.exceptions = append(log.exceptions, desc)
			log.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	return ctx, log
}

// run runs steps with a timeout, failing the test on error.
func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// get runs one action that returns a value.
func get[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// js evaluates a JavaScript expression for its value.
func js[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	return get(t, ctx, chromedp.Evaluate[T](expr))
}

// do evaluates a JavaScript expression for its effect.
func do(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[any]("void ("+expr+")")(ctx, tg)
		return err
	})
}

// waitJS polls a JavaScript expression until it is truthy.
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Poll[any](expr, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second))(ctx, tg)
		return err
	})
}

// screenshots writes the page, dark then light, as docs/screenshots/
// name-dark.png and name-light.png when STRAITWATCH_SCREENSHOTS is set.
func screenshots(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if os.Getenv("STRAITWATCH_SCREENSHOTS") == "" {
		return
	}
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, theme := range []string{"dark", "light"} {
		run(t, ctx, "screenshot "+name,
			do(fmt.Sprintf(`document.documentElement.dataset.theme !== %q && document.getElementById("theme").click()`, theme)),
			chromedp.Sleep(300*time.Millisecond),
			waitJS(`straitwatch.map.loaded() && !straitwatch.map.isMoving()`))
		buf := get(t, ctx, chromedp.CaptureScreenshot())
		if err := os.WriteFile(filepath.Join(dir, name+"-"+theme+".png"), buf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(t, ctx, "back to dark", do(`document.documentElement.dataset.theme !== "dark" && document.getElementById("theme").click()`))
}

// vessel is what the tests need of /api/vessels.
type vessel struct {
	MMSI   int `json:"mmsi"`
	Static struct {
		Name     string `json:"name"`
		IMO      int    `json:"imo"`
		CallSign string `json:"call_sign"`
	} `json:"static"`
}

func TestBrowser(t *testing.T) {
	chromium(t)
	base := startServer(t, filepath.Join("testdata", "feed.nmea.gz"))
	ctx, log := newBrowser(t, base, 1400, 900)

	var list struct {
		Count   int      `json:"count"`
		Vessels []vessel `json:"vessels"`
	}
	getJSON(t, base+"/api/vessels?limit=10000", &list)

	t.Run("map shows the vessels", func(t *testing.T) {
		run(t, ctx, "load",
			chromedp.Navigate(base+"/#map=8/26.3/56.5"),
			waitJS(`document.body.dataset.ready === "1"`),
			waitJS(`straitwatch.layer.visibleIn() > 10`))
		count := get(t, ctx, chromedp.Text("#count"))
		if !strings.HasPrefix(count, fmt.Sprint(list.Count)+" ") {
			t.Errorf("#count = %q, want %d vessels (the API's count)", count, list.Count)
		}
		screenshots(t, ctx, "map")
	})

	t.Run("search opens the panel", func(t *testing.T) {
		var want vessel
		for _, v := range list.Vessels {
			if v.Static.Name != "" && v.Static.IMO != 0 && v.Static.CallSign != "" {
				want = v
				break
			}
		}
		if want.MMSI == 0 {
			t.Fatal("the feed has no vessel with name, IMO and call sign")
		}
		run(t, ctx, "search",
			chromedp.SendKeys("#search", want.Static.Name),
			chromedp.WaitVisible(fmt.Sprintf(`#results li[data-mmsi="%d"]`, want.MMSI)),
			chromedp.Click(fmt.Sprintf(`#results li[data-mmsi="%d"]`, want.MMSI)),
			chromedp.WaitVisible(`#panel dd[data-field="imo"]`))
		name := get(t, ctx, chromedp.Text("#panel .vessel-name"))
		imo := get(t, ctx, chromedp.Text(`#panel dd[data-field="imo"]`))
		call := get(t, ctx, chromedp.Text(`#panel dd[data-field="callSign"]`))
		mmsi := get(t, ctx, chromedp.Text(`#panel dd[data-field="mmsi"]`))
		run(t, ctx, "trail",
			chromedp.Click("#panel button.trail"),
			waitJS(`straitwatch.trail?.geometry != null`),
			waitJS(`!straitwatch.map.isMoving()`))
		if name != want.Static.Name || imo != fmt.Sprint(want.Static.IMO) || call != want.Static.CallSign || mmsi != fmt.Sprint(want.MMSI) {
			t.Errorf("panel shows %q IMO %q call sign %q MMSI %q, want %q %d %q %d", name, imo, call, mmsi,
				want.Static.Name, want.Static.IMO, want.Static.CallSign, want.MMSI)
		}
		// The view and the vessel are in the link to share.
		hash := js[string](t, ctx, `location.hash`)
		if !strings.Contains(hash, "map=") || !strings.Contains(hash, fmt.Sprintf("v=%d", want.MMSI)) {
			t.Errorf("location.hash = %q, want the view (map=) and the vessel (v=%d)", hash, want.MMSI)
		}
		screenshots(t, ctx, "vessel-panel")
		run(t, ctx, "close", chromedp.Click("#panel button.close"))
	})

	t.Run("event zooms to its evidence", func(t *testing.T) {
		var r struct {
			Events []struct {
				ID  string  `json:"id"`
				Lat float64 `json:"lat"`
				Lon float64 `json:"lon"`
			} `json:"events"`
		}
		if code := getJSON(t, base+"/api/events?limit=500", &r); code != http.StatusOK {
			t.Skipf("GET /api/events: status %d; the events API is not there yet", code)
		}
		if len(r.Events) == 0 {
			t.Skip("the server detected no events in the feed")
		}
		ev := r.Events[0]
		run(t, ctx, "event",
			waitJS(`document.querySelector("#events li.event") != null`),
			chromedp.Click(fmt.Sprintf(`#events li.event[data-id=%q]`, ev.ID)),
			chromedp.WaitVisible("#event-detail"),
			waitJS(`straitwatch.evidence.length > 0`),
			waitJS(`!straitwatch.map.isMoving()`))
		if !js[bool](t, ctx, fmt.Sprintf(`straitwatch.map.getBounds().contains([%v, %v])`, ev.Lon, ev.Lat)) {
			t.Errorf("event %s at %v,%v is not in view after clicking it", ev.ID, ev.Lat, ev.Lon)
		}
		screenshots(t, ctx, "event")

		const comment = "seen on radar, patrol informed"
		run(t, ctx, "acknowledge",
			chromedp.SendKeys(`#event-detail form.ack input`, comment),
			chromedp.Click(`#event-detail form.ack button`),
			waitJS(fmt.Sprintf(`[...document.querySelectorAll("#event-detail .acks li")].some(li => li.textContent.includes(%q))`, comment)))
		var got struct {
			Acks []struct{ Comment string } `json:"acks"`
		}
		if code := getJSON(t, base+"/api/events/"+url.PathEscape(ev.ID), &got); code != http.StatusOK {
			t.Fatalf("GET /api/events/%s: status %d", ev.ID, code)
		}
		if !slices.ContainsFunc(got.Acks, func(a struct{ Comment string }) bool { return a.Comment == comment }) {
			t.Errorf("event %s acks %+v: want the comment %q stored", ev.ID, got.Acks, comment)
		}
	})

	t.Run("time slider replays the past", func(t *testing.T) {
		slide := func(v int) string {
			return fmt.Sprintf(`(() => { const s = document.getElementById("slider"); s.value = %d; s.dispatchEvent(new Event("input")); })()`, v)
		}
		run(t, ctx, "history",
			do(`straitwatch.map.jumpTo({center: [56.5, 26.3], zoom: 7})`),
			chromedp.SetValue("#window", "1"),
			chromedp.Click("#history-toggle"),
			waitJS(`!document.getElementById("slider").disabled`),
			do(slide(100)))
		early := js[string](t, ctx, `JSON.stringify(straitwatch.drawn.map(v => [v.lon, v.lat]))`)
		from := js[float64](t, ctx, `straitwatch.replayTime`)
		earlyEvents := js[int](t, ctx, `document.querySelectorAll("#events li.event").length`)
		run(t, ctx, "slide", do(slide(900)))
		lateEvents := js[int](t, ctx, `document.querySelectorAll("#events li.event").length`)
		late := js[string](t, ctx, `JSON.stringify(straitwatch.drawn.map(v => [v.lon, v.lat]))`)
		to := js[float64](t, ctx, `straitwatch.replayTime`)
		replay := js[float64](t, ctx, `straitwatch.dataTime`)
		if early == late || early == "[]" {
			t.Errorf("the picture at slider 100 and 900 is the same (%d bytes) or empty", len(early))
		}
		// The list shows the window's events that had started by the
		// slider's time.
		if earlyEvents > lateEvents {
			t.Errorf("%d events listed at slider 100, %d at 900: want no fewer later", earlyEvents, lateEvents)
		}
		t.Logf("replay: %d events listed at slider 100, %d at 900", earlyEvents, lateEvents)
		if !(from < to && to < replay) {
			t.Errorf("replay times %v, %v: want increasing and before the live picture's %v", from, to, replay)
		}
		screenshots(t, ctx, "history")
		run(t, ctx, "back to live", chromedp.Click("#history-toggle"), waitJS(`!straitwatch.replaying`))
	})

	t.Run("range and bearing", func(t *testing.T) {
		// Two clicks, at the screen points of two known positions.
		a, b := [2]float64{56.0, 26.0}, [2]float64{56.5, 26.5}
		run(t, ctx, "measure",
			do(`straitwatch.closePanel(), document.getElementById("event-detail").hidden = true`),
			do(`straitwatch.map.jumpTo({center: [56.25, 26.25], zoom: 8, bearing: 0})`),
			chromedp.Click("#measure"))
		for _, p := range [][2]float64{a, b} {
			xy := js[[]float64](t, ctx, fmt.Sprintf(`(() => { const p = straitwatch.map.project([%v, %v]), r = straitwatch.map.getContainer().getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; })()`, p[0], p[1]))
			run(t, ctx, "click", chromedp.MouseClickXY(xy[0], xy[1]))
		}
		run(t, ctx, "result", waitJS(`document.getElementById("measure-out").dataset.nm != null`))
		gotNM := js[string](t, ctx, `document.getElementById("measure-out").dataset.nm`)
		gotBearing := js[string](t, ctx, `document.getElementById("measure-out").dataset.bearing`)
		var nm, brg float64
		fmt.Sscan(gotNM, &nm)
		fmt.Sscan(gotBearing, &brg)
		// Haversine on a sphere of 3440.065 nm: 40.3 nm, initial bearing 041.8° true.
		if math.Abs(nm-40.3) > 0.5 || math.Abs(brg-41.8) > 1 {
			t.Errorf("range %s nm bearing %s°, want about 40.3 nm 041.8°", gotNM, gotBearing)
		}
		screenshots(t, ctx, "range-bearing")
		run(t, ctx, "end measuring", chromedp.Click("#measure"))
	})

	t.Run("Persian and Arabic are right to left", func(t *testing.T) {
		for _, tc := range []struct{ lang, filters string }{
			{"fa", "پالایه\u200cها"},
			{"ar", "عوامل التصفية"},
			{"en", "Filters"},
		} {
			run(t, ctx, tc.lang,
				chromedp.SetValue("#lang", tc.lang),
				do(`document.getElementById("lang").dispatchEvent(new Event("change"))`))
			dir := js[string](t, ctx, `document.documentElement.dir`)
			htmlLang := js[string](t, ctx, `document.documentElement.lang`)
			filters := get(t, ctx, chromedp.Text(`#filters h3`))
			wantDir := "rtl"
			if tc.lang == "en" {
				wantDir = "ltr"
			}
			if dir != wantDir || htmlLang != tc.lang || filters != tc.filters {
				t.Errorf("%s: dir=%q lang=%q filters heading %q, want %q %q %q", tc.lang, dir, htmlLang, filters, wantDir, tc.lang, tc.filters)
			}
			if tc.lang != "en" {
				screenshots(t, ctx, "lang-"+tc.lang)
			}
		}
		// The choice is remembered.
		stored := js[string](t, ctx, `localStorage.getItem("straitwatch.lang")`)
		if stored != "en" {
			t.Errorf("stored language %q, want en", stored)
		}
	})

	t.Run("no exceptions in the page", func(t *testing.T) {
		for _, e := range log.errors() {
			t.Errorf("page exception: %s", e)
		}
	})

	t.Run("no request to any other host", func(t *testing.T) {
		u, _ := url.Parse(base)
		all := log.requests()
		if len(all) < 5 {
			t.Fatalf("only %d requests recorded: %q", len(all), all)
		}
		// The proxy saw the page's requests and its workers' too: the
		// land and the live stream (the page's stream worker).
		// A request counts as the page's when it names the server as its
		// origin or referrer; the browser's own background requests
		// (component updates and the like, all refused by the proxy) name
		// none and are only logged.
		var fromPage []string
		background := 0
		for _, p := range log.proxiedRequests() {
			if strings.HasPrefix(p.from, base) {
				fromPage = append(fromPage, p.url)
			} else if pu, err := url.Parse(p.url); err != nil || pu.Host != u.Host {
				background++
			}
		}
		t.Logf("%d requests from the page target (DevTools), %d from the page and its workers through the proxy, %d refused background requests of the browser itself",
			len(all), len(fromPage), background)
		for _, want := range []string{"/ui/land.bin", "/api/stream?"} {
			if !slices.ContainsFunc(fromPage, func(r string) bool { return strings.Contains(r, want) }) {
				t.Errorf("the proxy saw no request for %s from the page among %d: %q", want, len(fromPage), fromPage)
			}
		}
		for _, r := range append(all, fromPage...) {
			p, err := url.Parse(r)
			if err != nil || (p.Scheme != "data" && p.Scheme != "blob" && p.Host != u.Host) {
				t.Errorf("request to another host: %s", r)
			}
		}
	})
}
