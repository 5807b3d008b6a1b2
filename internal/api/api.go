// Package api serves straitwatch over HTTP: JSON endpoints for the
// vessels in a bounding box, one vessel, a vessel's track as GeoJSON and
// the ingest sources; a live stream of position updates as Server-Sent
// Events fed by a Hub; an OpenAPI 3.1 document of all of it at
// /api/openapi.json; Prometheus metrics at /metrics and a health check at
// /healthz.
//
// Every read goes through an access.Query with the caller's access.View,
// which a request gets from the configured access.Authenticator before any
// handler runs; handlers never see the tracker, store or sources directly.
// Every error response is JSON with a code from one catalogue (see Code),
// and every parameter is checked, so that bad input gets a clear 4xx.
package api

import (
	"cmp"
	"context"
	_ "embed"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"straitwatch/internal/access"
)

// Config configures the API. Query and Registry are required.
type Config struct {
	// Query is the query layer every read passes through.
	Query *access.Query
	// Auth gives each request its view. The default value gives every
	// request access.Builtin().
	Auth access.Authenticator
	// Registry receives the API's metrics and is what /metrics serves.
	Registry *prometheus.Registry
	// Logger receives request errors (at Error) and a line per request
	// (at Debug). The default value discards.
	Logger *slog.Logger
	// Now is the clock. The default value is time.Now.
	Now func() time.Time
	// Ready reports whether the server is ready to serve; /healthz answers
	// 503 while it returns an error. The default value is always ready.
	Ready func(context.Context) error

	// DefaultLimit is the number of vessels /api/vessels returns without
	// a limit parameter. The default value is 1000.
	DefaultLimit int
	// MaxLimit is the largest limit /api/vessels accepts. The default
	// value is 10000.
	MaxLimit int
	// DefaultTrackLimit is the number of fixes a track returns without a
	// limit parameter. The default value is 50000.
	DefaultTrackLimit int
	// MaxTrackLimit is the largest limit a track accepts. The default
	// value is 200000.
	MaxTrackLimit int
	// DefaultTrackRange is the span of a track without a from parameter.
	// The default value is 24 hours.
	DefaultTrackRange time.Duration
	// MaxTrackRange is the longest span of a track. The default value is
	// 31 days.
	MaxTrackRange time.Duration
	// MaxQueryBytes is the longest query string accepted. The default
	// value is 4096 bytes.
	MaxQueryBytes int
	// MaxBodyBytes is the largest request body accepted. The default
	// value is 64 KiB.
	MaxBodyBytes int64
	// RequestTimeout bounds the work of one request (not of a live
	// stream). The default value is 10 seconds.
	RequestTimeout time.Duration
	// Heartbeat is the interval of the comments a live stream sends to
	// keep idle connections open. The default value is 15 seconds.
	Heartbeat time.Duration
	// StreamWriteTimeout is how long one write to a live stream may take
	// before the client is deemed gone and the stream ends. The default
	// value is 10 seconds.
	StreamWriteTimeout time.Duration
	// StreamBatch is the largest number of updates in one "fixes" event.
	// The default value is 500.
	StreamBatch int
}

// withDefaults returns c with zero fields set to their defaults.
func (c Config) withDefaults() Config {
	def := func(p *int, v int) {
		if *p <= 0 {
			*p = v
		}
	}
	defD := func(p *time.Duration, v time.Duration) {
		if *p <= 0 {
			*p = v
		}
	}
	def(&c.DefaultLimit, 1000)
	def(&c.MaxLimit, 10000)
	def(&c.DefaultTrackLimit, 50000)
	def(&c.MaxTrackLimit, 200000)
	def(&c.MaxQueryBytes, 4096)
	def(&c.StreamBatch, 500)
	defD(&c.DefaultTrackRange, 24*time.Hour)
	defD(&c.MaxTrackRange, 31*24*time.Hour)
	defD(&c.RequestTimeout, 10*time.Second)
	defD(&c.Heartbeat, 15*time.Second)
	defD(&c.StreamWriteTimeout, 10*time.Second)
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 64 << 10
	}
	if c.Auth == nil {
		c.Auth = access.Fixed{View: access.Builtin()}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.DefaultLimit = min(c.DefaultLimit, c.MaxLimit)
	c.DefaultTrackLimit = min(c.DefaultTrackLimit, c.MaxTrackLimit)
	return c
}

// API is the HTTP API. Its Handler is safe for concurrent use.
type API struct {
	cfg     Config
	q       *access.Query
	log     *slog.Logger
	handler http.Handler
	routes  []route
	bufs    sync.Pool // *[]byte response buffers

	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	errors   *prometheus.CounterVec
}

// Route is one endpoint: a method and a ServeMux path pattern, such as
// GET and /api/vessels/{mmsi}.
type Route struct {
	Method string // an HTTP method; GET routes also answer HEAD
	Path   string // a net/http ServeMux path pattern
}

// route is a Route with its handler.
type route struct {
	Route
	h      http.Handler
	stream bool // a live stream: no request timeout or duration metric
}

//go:embed openapi.json
var openAPIDoc []byte

// New returns the API configured by cfg, with its metrics registered in
// cfg.Registry.
func New(cfg Config) (*API, error) {
	if cfg.Query == nil {
		return nil, errors.New("api: no query layer")
	}
	if cfg.Registry == nil {
		return nil, errors.New("api: no metrics registry")
	}
	cfg = cfg.withDefaults()
	a := &API{
		cfg: cfg,
		q:   cfg.Query,
		log: cfg.Logger,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "straitwatch_http_requests_total",
			Help: "HTTP requests served, by route pattern and status.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "straitwatch_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request (live streams excluded), by route pattern.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .2, .5, 1, 2, 5, 10},
		}, []string{"route"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "straitwatch_http_errors_total",
			Help: "HTTP error responses, by error code of the catalogue.",
		}, []string{"code"}),
	}
	for _, c := range []prometheus.Collector{a.requests, a.duration, a.errors} {
		if err := cfg.Registry.Register(c); err != nil {
			return nil, err
		}
	}
	a.routes = []route{
		{Route{"GET", "/api/vessels"}, a.withView(a.listVessels), false},
		{Route{"GET", "/api/vessels/{mmsi}"}, a.withView(a.getVessel), false},
		{Route{"GET", "/api/vessels/{mmsi}/track"}, a.withView(a.getTrack), false},
		{Route{"GET", "/api/history"}, a.withView(a.getHistory), false},
		{Route{"GET", "/api/sources"}, a.withView(a.listSources), false},
		{Route{"GET", "/api/stream"}, a.withView(a.stream), true},
		{Route{"GET", "/api/events"}, a.withView(a.listEvents), false},
		{Route{"GET", "/api/events/stream"}, a.withView(a.eventStream), true},
		{Route{"GET", "/api/events/{id}"}, a.withView(a.getEvent), false},
		{Route{"POST", "/api/events/{id}/ack"}, a.withView(a.ackEvent), false},
		{Route{"GET", "/api/zones"}, a.withView(a.getZones), false},
		{Route{"GET", "/api/openapi.json"}, http.HandlerFunc(a.openAPI), false},
		{Route{"GET", "/metrics"}, promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}), false},
		{Route{"GET", "/healthz"}, http.HandlerFunc(a.healthz), false},
	}
	mux := http.NewServeMux()
	methods := map[string][]string{}
	var paths []string
	for _, rt := range a.routes {
		mux.Handle(rt.Method+" "+rt.Path, a.instrument(rt.Path, rt.h, rt.stream))
		if _, ok := methods[rt.Path]; !ok {
			paths = append(paths, rt.Path)
		}
		methods[rt.Path] = append(methods[rt.Path], rt.Method)
	}
	// The same path without a method catches every other method: 405.
	// Paths with wildcards go first; a literal path that one of them
	// already covers (/api/events/stream by /api/events/{id}: both take
	// only GET) keeps that catch-all, as the mux refuses the overlap.
	slices.SortStableFunc(paths, func(x, y string) int {
		return cmp.Compare(strings.Count(y, "{"), strings.Count(x, "{"))
	})
	for _, p := range paths {
		if _, pattern := mux.Handler(&http.Request{Method: "OPTIONS", URL: &url.URL{Path: p}}); pattern != "" && !strings.Contains(pattern, " ") {
			continue
		}
		allow := methods[p]
		if slices.Contains(allow, "GET") && !slices.Contains(allow, "HEAD") {
			allow = append(allow, "HEAD")
		}
		mux.Handle(p, a.instrument(p, methodNotAllowed(strings.Join(allow, ", ")), false))
	}
	mux.Handle("/", a.instrument("unmatched", http.HandlerFunc(notFound), false))
	a.handler = mux
	return a, nil
}

// Handler returns the HTTP handler of every route.
func (a *API) Handler() http.Handler { return a.handler }

// Routes returns the API's routes, in the order they were registered.
func (a *API) Routes() []Route {
	out := make([]Route, len(a.routes))
	for i, r := range a.routes {
		out[i] = r.Route
	}
	return out
}

// OpenAPI returns the OpenAPI 3.1 document that /api/openapi.json serves.
func OpenAPI() []byte { return slices.Clone(openAPIDoc) }

// recorder remembers the status and error code of a response for metrics
// and the request log.
type recorder struct {
	http.ResponseWriter
	status int
	code   Code
}

// WriteHeader records the status and passes it on.
func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

// Write records an implicit 200 and passes b on.
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// instrument wraps h with what every route has: request size limits,
// panic recovery, metrics and the request log.
func (a *API) instrument(pattern string, h http.Handler, stream bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := a.cfg.Now()
		rec := &recorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				a.log.Error("handler panic", "route", pattern, "panic", p, "stack", string(debug.Stack()))
				if rec.status == 0 {
					writeError(rec, errorf(CodeInternal, "internal error"))
				}
			}
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			elapsed := a.cfg.Now().Sub(start)
			a.requests.WithLabelValues(pattern, strconv.Itoa(status)).Inc()
			if rec.code != "" {
				a.errors.WithLabelValues(string(rec.code)).Inc()
			}
			if !stream {
				a.duration.WithLabelValues(pattern).Observe(elapsed.Seconds())
			}
			if a.log.Enabled(r.Context(), slog.LevelDebug) {
				a.log.Debug("request", "method", r.Method, "route", pattern, "uri", quote(r.RequestURI),
					"status", status, "code", string(rec.code), "duration", elapsed)
			}
		}()
		if r.ContentLength > a.cfg.MaxBodyBytes {
			writeError(rec, errorf(CodeRequestTooLarge, "request body is "+strconv.FormatInt(r.ContentLength, 10)+
				" bytes; at most "+strconv.FormatInt(a.cfg.MaxBodyBytes, 10)+" are accepted"))
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(rec, r.Body, a.cfg.MaxBodyBytes)
		}
		h.ServeHTTP(rec, r)
	})
}

// viewHandler is a handler that has been given the caller's view.
type viewHandler func(w http.ResponseWriter, r *http.Request, v access.View)

// withView gives the request its view from the Authenticator; this is the
// one point where a request becomes a view. Requests without one are
// refused before any handler runs.
func (a *API) withView(h viewHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := a.cfg.Auth.Authenticate(r)
		if err != nil {
			if errors.Is(err, access.ErrForbidden) {
				writeError(w, errorf(CodeForbidden, "not permitted"))
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="straitwatch"`)
			writeError(w, errorf(CodeUnauthenticated, "authentication required"))
			return
		}
		h(w, r, v)
	})
}

// methodNotAllowed answers 405 with the methods the path takes.
func methodNotAllowed(allow string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, errorf(CodeMethodNotAllowed, "method "+quote(r.Method)+" is not allowed here; use "+allow))
	})
}

// notFound answers 404 for paths no route has.
func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, errorf(CodeNotFound, "no such path "+quote(r.URL.Path)+"; see /api/openapi.json"))
}

// fail answers err from the query layer, logging server-side failures.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error, what string) {
	e := fromQueryError(err, what)
	if e.Code == CodeInternal {
		a.log.Error("request failed", "route", r.Pattern, "uri", quote(r.RequestURI), "err", err)
	}
	writeError(w, e)
}

// requestContext bounds a request's work by RequestTimeout.
func (a *API) requestContext(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), a.cfg.RequestTimeout)
}

// buffer returns a response buffer from the pool.
func (a *API) buffer() *[]byte {
	if p, ok := a.bufs.Get().(*[]byte); ok {
		*p = (*p)[:0]
		return p
	}
	b := make([]byte, 0, 64<<10)
	return &b
}

// release returns a buffer to the pool unless it grew very large.
func (a *API) release(p *[]byte) {
	if cap(*p) <= 4<<20 {
		a.bufs.Put(p)
	}
}

// writeJSON writes b as a complete response.
func writeJSON(w http.ResponseWriter, contentType string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// openAPI serves the OpenAPI document.
func (a *API) openAPI(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(openAPIDoc)))
	_, _ = w.Write(openAPIDoc)
}

// healthz answers 200 {"status":"ok"} when the server is ready, else 503.
func (a *API) healthz(w http.ResponseWriter, r *http.Request) {
	if a.cfg.Ready != nil {
		ctx, cancel := a.requestContext(r)
		defer cancel()
		if err := a.cfg.Ready(ctx); err != nil {
			writeError(w, errorf(CodeUnavailable, "not ready: "+err.Error()))
			return
		}
	}
	writeJSON(w, "application/json", []byte(`{"status":"ok"}`+"\n"))
}
