package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"straitwatch/internal/access"
	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

// serve runs one request through the API's handler.
func (e *env) serve(method, target string, body io.Reader) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	rec := httptest.NewRecorder()
	e.api.Handler().ServeHTTP(rec, req)
	return rec
}

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error struct {
		Code    Code   `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// checkError checks that rec is a well-formed error response with code.
func checkError(t *testing.T, rec *httptest.ResponseRecorder, code Code) {
	t.Helper()
	if rec.Code != code.Status() {
		t.Errorf("status = %d, want %d (%s); body %s", rec.Code, code.Status(), code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var b errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("error body %q: %v", rec.Body, err)
	}
	if b.Error.Code != code {
		t.Errorf("error code = %q, want %q (message %q)", b.Error.Code, code, b.Error.Message)
	}
	if b.Error.Message == "" {
		t.Error("error message is empty")
	}
	if len(b.Error.Message) > 600 {
		t.Errorf("error message is %d bytes; hostile input must not be echoed at length", len(b.Error.Message))
	}
}

// vesselList is the JSON shape of /api/vessels.
type vesselList struct {
	Count     int              `json:"count"`
	Truncated bool             `json:"truncated"`
	Vessels   []map[string]any `json:"vessels"`
}

// denyPolicy refuses every action.
type denyPolicy struct{ access.AllowAll }

func (denyPolicy) Permit(access.View, access.Action) error { return access.ErrForbidden }

// refuse is an Authenticator that accepts no request.
type refuse struct{}

func (refuse) Authenticate(*http.Request) (access.View, error) {
	return access.View{}, access.ErrUnauthenticated
}

// failReady is a readiness check that fails.
func failReady(context.Context) error { return errors.New("store opening") }

// TestErrors runs every kind of bad request, and checks that between them
// they produce every code of the catalogue.
func TestErrors(t *testing.T) {
	long := strings.Repeat("a", 5000)
	tests := []struct {
		name   string
		method string
		target string
		body   io.Reader
		edit   func(*env)
		want   Code
	}{
		// bbox
		{name: "bbox three numbers", target: "/api/vessels?bbox=1,2,3", want: CodeBadBBox},
		{name: "bbox five numbers", target: "/api/vessels?bbox=1,2,3,4,5", want: CodeBadBBox},
		{name: "bbox words", target: "/api/vessels?bbox=a,b,c,d", want: CodeBadBBox},
		{name: "bbox NaN", target: "/api/vessels?bbox=NaN,0,1,1", want: CodeBadBBox},
		{name: "bbox nan lower case", target: "/api/vessels?bbox=0,0,1,nan", want: CodeBadBBox},
		{name: "bbox Inf", target: "/api/vessels?bbox=-Inf,0,1,1", want: CodeBadBBox},
		{name: "bbox overflow", target: "/api/vessels?bbox=1e999,0,1,1", want: CodeBadBBox},
		{name: "bbox lon out of range", target: "/api/vessels?bbox=-181,0,0,1", want: CodeBadBBox},
		{name: "bbox lat out of range", target: "/api/vessels?bbox=0,-91,1,1", want: CodeBadBBox},
		{name: "bbox min above max", target: "/api/vessels?bbox=10,0,5,1", want: CodeBadBBox},
		{name: "bbox huge numbers", target: "/api/vessels?bbox=" + strings.Repeat("9", 150) + ",0,1,1", want: CodeBadBBox},
		{name: "bbox empty parts", target: "/api/vessels?bbox=,,,", want: CodeBadBBox},
		{name: "stream bbox", target: "/api/stream?bbox=0,0,200,1", want: CodeBadBBox},
		// limit
		{name: "limit zero", target: "/api/vessels?limit=0", want: CodeBadLimit},
		{name: "limit negative", target: "/api/vessels?limit=-1", want: CodeBadLimit},
		{name: "limit above max", target: "/api/vessels?limit=10001", want: CodeBadLimit},
		{name: "limit overflow", target: "/api/vessels?limit=99999999999999999999999", want: CodeBadLimit},
		{name: "limit fraction", target: "/api/vessels?limit=1.5", want: CodeBadLimit},
		{name: "limit NaN", target: "/api/vessels?limit=NaN", want: CodeBadLimit},
		{name: "track limit", target: "/api/vessels/422000001/track?limit=200001", want: CodeBadLimit},
		// speeds
		{name: "speed negative", target: "/api/vessels?min_speed=-1", want: CodeBadSpeed},
		{name: "speed NaN", target: "/api/vessels?min_speed=NaN", want: CodeBadSpeed},
		{name: "speed Inf", target: "/api/vessels?max_speed=Inf", want: CodeBadSpeed},
		{name: "speed overflow", target: "/api/vessels?max_speed=1e400", want: CodeBadSpeed},
		{name: "speed too high", target: "/api/vessels?max_speed=103", want: CodeBadSpeed},
		{name: "speed word", target: "/api/vessels?min_speed=fast", want: CodeBadSpeed},
		{name: "speed min above max", target: "/api/vessels?min_speed=10&max_speed=5", want: CodeBadSpeed},
		// type, flag, q
		{name: "type above 255", target: "/api/vessels?type=256", want: CodeBadType},
		{name: "type negative", target: "/api/vessels?type=-1", want: CodeBadType},
		{name: "type unknown category", target: "/api/vessels?type=submarine", want: CodeBadType},
		{name: "type reversed range", target: "/api/vessels?type=89-80", want: CodeBadType},
		{name: "type empty item", target: "/api/vessels?type=80,,81", want: CodeBadType},
		{name: "type too long", target: "/api/vessels?type=" + strings.Repeat("1,", 600), want: CodeBadType},
		{name: "flag three letters", target: "/api/vessels?flag=IRN", want: CodeBadFlag},
		{name: "flag digits", target: "/api/vessels?flag=1A", want: CodeBadFlag},
		{name: "flag non-ASCII", target: "/api/vessels?flag=%C3%A9%C3%A9", want: CodeBadFlag},
		{name: "q too long", target: "/api/vessels?q=" + strings.Repeat("x", 101), want: CodeBadSearch},
		{name: "q control", target: "/api/vessels?q=a%00b", want: CodeBadSearch},
		{name: "q invalid UTF-8", target: "/api/vessels?q=%FF%FE", want: CodeBadSearch},
		// query string
		{name: "unknown parameter", target: "/api/vessels?bbox=0,0,1,1&colour=red", want: CodeUnknownParameter},
		{name: "parameter on vessel", target: "/api/vessels/422000001?x=1", want: CodeUnknownParameter},
		{name: "parameter on sources", target: "/api/sources?verbose", want: CodeUnknownParameter},
		{name: "repeated parameter", target: "/api/vessels?limit=1&limit=2", want: CodeBadParameter},
		{name: "bad escape", target: "/api/vessels?q=%zz", want: CodeBadParameter},
		{name: "semicolon", target: "/api/vessels?limit=1;q=2", want: CodeBadParameter},
		{name: "query too long", target: "/api/vessels?q=" + long, want: CodeQueryTooLong},
		// mmsi
		{name: "mmsi word", target: "/api/vessels/abc", want: CodeBadMMSI},
		{name: "mmsi zero", target: "/api/vessels/0", want: CodeBadMMSI},
		{name: "mmsi ten digits", target: "/api/vessels/1234567890", want: CodeBadMMSI},
		{name: "mmsi ten digits leading zero", target: "/api/vessels/0422000001", want: CodeBadMMSI},
		{name: "mmsi negative", target: "/api/vessels/-1", want: CodeBadMMSI},
		{name: "mmsi plus", target: "/api/vessels/%2B1", want: CodeBadMMSI},
		{name: "mmsi huge", target: "/api/vessels/" + strings.Repeat("9", 400), want: CodeBadMMSI},
		{name: "mmsi on track", target: "/api/vessels/x/track", want: CodeBadMMSI},
		{name: "vessel not found", target: "/api/vessels/123456789", want: CodeVesselNotFound},
		// times
		{name: "from word", target: "/api/vessels/422000001/track?from=yesterday", want: CodeBadTime},
		{name: "to negative", target: "/api/vessels/422000001/track?to=-5", want: CodeBadTime},
		{name: "from overflow", target: "/api/vessels/422000001/track?from=99999999999999999999", want: CodeBadTime},
		{name: "from after 9999", target: "/api/vessels/422000001/track?from=253402300800000", want: CodeBadTime},
		{name: "from bad date", target: "/api/vessels/422000001/track?from=2026-13-01T00:00:00Z", want: CodeBadTime},
		{name: "from before 1970", target: "/api/vessels/422000001/track?from=1969-12-31T00:00:00Z", want: CodeBadTime},
		{name: "from after to", target: "/api/vessels/422000001/track?from=2026-11-29T00:00:00Z&to=2026-11-28T00:00:00Z", want: CodeBadTimeRange},
		{name: "from equals to", target: "/api/vessels/422000001/track?from=1000&to=1000", want: CodeBadTimeRange},
		{name: "range too long", target: "/api/vessels/422000001/track?from=2026-01-01T00:00:00Z", want: CodeBadTimeRange},
		// routing
		{name: "unknown path", target: "/api/nothing", want: CodeNotFound},
		{name: "root", target: "/", want: CodeNotFound},
		{name: "trailing slash", target: "/api/vessels/", want: CodeNotFound},
		{name: "deeper path", target: "/api/vessels/1/track/x", want: CodeNotFound},
		{name: "POST vessels", method: "POST", target: "/api/vessels", want: CodeMethodNotAllowed},
		{name: "DELETE vessel", method: "DELETE", target: "/api/vessels/422000001", want: CodeMethodNotAllowed},
		{name: "PUT healthz", method: "PUT", target: "/healthz", want: CodeMethodNotAllowed},
		{name: "POST metrics", method: "POST", target: "/metrics", want: CodeMethodNotAllowed},
		{name: "large body", method: "POST", target: "/api/vessels", body: strings.NewReader(strings.Repeat("x", 100<<10)), want: CodeRequestTooLarge},
		// views and backends
		{name: "unauthenticated", target: "/api/vessels", edit: func(e *env) { e.cfg.Auth = refuse{} }, want: CodeUnauthenticated},
		{name: "unauthenticated stream", target: "/api/stream", edit: func(e *env) { e.cfg.Auth = refuse{} }, want: CodeUnauthenticated},
		{name: "forbidden vessels", target: "/api/vessels", edit: func(e *env) { e.policy = denyPolicy{} }, want: CodeForbidden},
		{name: "forbidden track", target: "/api/vessels/422000001/track", edit: func(e *env) { e.policy = denyPolicy{} }, want: CodeForbidden},
		{name: "forbidden sources", target: "/api/sources", edit: func(e *env) { e.policy = denyPolicy{} }, want: CodeForbidden},
		{name: "forbidden stream", target: "/api/stream", edit: func(e *env) { e.policy = denyPolicy{} }, want: CodeForbidden},
		{name: "store fails", target: "/api/vessels/422000001/track", edit: func(e *env) { e.store.err = errors.New("disk on fire") }, want: CodeInternal},
		{name: "store fails on static", target: "/api/vessels/422000001", edit: func(e *env) { e.store.staticHistoryErr = errors.New("disk on fire") }, want: CodeInternal},
		{name: "store slow", target: "/api/vessels/422000001/track", edit: func(e *env) { e.store.err = context.DeadlineExceeded }, want: CodeTimeout},
		{name: "not ready", target: "/healthz", edit: func(e *env) { e.cfg.Ready = failReady }, want: CodeUnavailable},
		// events
		{name: "event type", target: "/api/events?type=gap,smuggling", want: CodeBadEventType},
		{name: "event stream type", target: "/api/events/stream?type=GAP", want: CodeBadEventType},
		{name: "event bbox", target: "/api/events?bbox=0,0,1", want: CodeBadBBox},
		{name: "event mmsi", target: "/api/events?mmsi=x", want: CodeBadMMSI},
		{name: "event state", target: "/api/events?state=opened", want: CodeBadParameter},
		{name: "event zone control", target: "/api/events?zone=a%00b", want: CodeBadParameter},
		{name: "event range", target: "/api/events?from=2000&to=1000", want: CodeBadTimeRange},
		{name: "event limit", target: "/api/events?limit=0", want: CodeBadLimit},
		{name: "event not found", target: "/api/events/gap:1:2", want: CodeEventNotFound},
		{name: "ack not found", method: "POST", target: "/api/events/gap:1:2/ack", body: strings.NewReader(`{"comment":"x"}`), want: CodeEventNotFound},
		{name: "ack no body", method: "POST", target: "/api/events/gap:422000001:1/ack", want: CodeBadBody},
		{name: "ack not JSON", method: "POST", target: "/api/events/gap:422000001:1/ack", body: strings.NewReader(`comment=x`), want: CodeBadBody},
		{name: "ack unknown member", method: "POST", target: "/api/events/gap:422000001:1/ack", body: strings.NewReader(`{"comment":"x","by":"me"}`), want: CodeBadBody},
		{name: "ack two objects", method: "POST", target: "/api/events/gap:422000001:1/ack", body: strings.NewReader(`{} {}`), want: CodeBadBody},
		{name: "ack control characters", method: "POST", target: "/api/events/gap:422000001:1/ack", body: strings.NewReader(`{"comment":"a\u0007"}`), want: CodeBadBody},
		{name: "ack comment too long", method: "POST", target: "/api/events/gap:422000001:1/ack", body: strings.NewReader(`{"comment":"` + strings.Repeat("x", 2001) + `"}`), want: CodeBadBody},
		{name: "GET ack", target: "/api/events/gap:422000001:1/ack", want: CodeMethodNotAllowed},
		{name: "POST event stream", method: "POST", target: "/api/events/stream", want: CodeMethodNotAllowed},
		{name: "forbidden events", target: "/api/events", edit: func(e *env) { e.policy = denyPolicy{} }, want: CodeForbidden},
		{name: "forbidden ack", method: "POST", target: "/api/events/gap:422000001:1/ack", body: strings.NewReader(`{}`), edit: func(e *env) { e.policy = denyPolicy{} }, want: CodeForbidden},
		{name: "detection off", target: "/api/events", edit: func(e *env) { e.events = nil }, want: CodeUnavailable},
	}
	seen := map[Code]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.edit)
			method := tt.method
			if method == "" {
				method = "GET"
			}
			rec := e.serve(method, tt.target, tt.body)
			checkError(t, rec, tt.want)
			seen[tt.want] = true
			if tt.want == CodeMethodNotAllowed && rec.Header().Get("Allow") == "" {
				t.Error("405 without an Allow header")
			}
			if tt.want == CodeUnauthenticated && rec.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without a WWW-Authenticate header")
			}
			got := testutil.ToFloat64(e.api.errors.WithLabelValues(string(tt.want)))
			if got != 1 {
				t.Errorf("straitwatch_http_errors_total{code=%q} = %v, want 1", tt.want, got)
			}
		})
	}
	// Codes only reachable with a special writer or a closed hub.
	seen[CodeStreamUnsupported] = true // TestStreamUnsupported
	for _, c := range Codes() {
		if !seen[c] {
			t.Errorf("no test produces error code %q", c)
		}
	}
}

func TestStreamUnsupported(t *testing.T) {
	e := newEnv(t, nil)
	rec := httptest.NewRecorder()
	w := struct{ http.ResponseWriter }{rec} // hides Flush
	e.api.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/api/stream", nil))
	checkError(t, rec, CodeStreamUnsupported)
	if e.hub.Subscribers() != 0 {
		t.Errorf("hub has %d subscribers after a refused stream, want 0", e.hub.Subscribers())
	}
}

func TestStreamHubClosed(t *testing.T) {
	e := newEnv(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.hub.Run(ctx); err != nil {
		t.Fatal(err)
	}
	rec := e.serve("GET", "/api/stream", nil)
	checkError(t, rec, CodeUnavailable)
}

func TestListVessels(t *testing.T) {
	tests := []struct {
		name       string
		query      string
		wantMMSIs  []float64
		wantBox    geo.Box
		wantFilter track.Filter
		truncated  bool
	}{
		{
			name:       "all",
			wantMMSIs:  []float64{422000001, 422000002, 461000003, 470000004, 538000005},
			wantBox:    geo.World,
			wantFilter: track.Filter{Limit: 1000},
		},
		{
			name:       "bbox",
			query:      "bbox=55.5,26,57,27",
			wantMMSIs:  []float64{422000001, 422000002},
			wantBox:    geo.Box{MinLon: 55.5, MinLat: 26, MaxLon: 57, MaxLat: 27},
			wantFilter: track.Filter{Limit: 1000},
		},
		{
			name:       "bbox with spaces and edges",
			query:      "bbox=" + url.QueryEscape(" -180, -90 ,180,90"),
			wantMMSIs:  []float64{422000001, 422000002, 461000003, 470000004, 538000005},
			wantBox:    geo.World,
			wantFilter: track.Filter{Limit: 1000},
		},
		{
			name:       "type categories and numbers",
			query:      "type=tanker,52",
			wantMMSIs:  []float64{422000001, 461000003, 538000005},
			wantBox:    geo.World,
			wantFilter: track.Filter{ShipTypes: []uint8{80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 52}, Limit: 1000},
		},
		{
			name:       "type range",
			query:      "type=70-70",
			wantMMSIs:  []float64{422000002},
			wantBox:    geo.World,
			wantFilter: track.Filter{ShipTypes: []uint8{70}, Limit: 1000},
		},
		{
			name:       "flags any case",
			query:      "flag=om,Ae",
			wantMMSIs:  []float64{461000003, 470000004},
			wantBox:    geo.World,
			wantFilter: track.Filter{Flags: []string{"OM", "AE"}, Limit: 1000},
		},
		{
			name:       "speed range",
			query:      "min_speed=5&max_speed=13",
			wantMMSIs:  []float64{422000001, 461000003},
			wantBox:    geo.World,
			wantFilter: track.Filter{MinSOG: 5, MaxSOG: 13, Limit: 1000},
		},
		{
			name:       "not moving",
			query:      "max_speed=0",
			wantMMSIs:  []float64{422000002},
			wantBox:    geo.World,
			wantFilter: track.Filter{MaxSOG: 0.1, Limit: 1000},
		},
		{
			name:       "search",
			query:      "q=" + url.QueryEscape("  alpha "),
			wantMMSIs:  []float64{422000001},
			wantBox:    geo.World,
			wantFilter: track.Filter{Text: "alpha", Limit: 1000},
		},
		{
			name:       "search by MMSI",
			query:      "q=461000003",
			wantMMSIs:  []float64{461000003},
			wantBox:    geo.World,
			wantFilter: track.Filter{Text: "461000003", Limit: 1000},
		},
		{
			name:       "limit",
			query:      "limit=2",
			wantMMSIs:  []float64{422000001, 422000002},
			wantBox:    geo.World,
			wantFilter: track.Filter{Limit: 3}, // one more, to tell whether it is truncated
			truncated:  true,
		},
		{
			name:       "empty parameters are absent",
			query:      "bbox=&type=&flag=&q=&limit=&min_speed=&max_speed=",
			wantMMSIs:  []float64{422000001, 422000002, 461000003, 470000004, 538000005},
			wantBox:    geo.World,
			wantFilter: track.Filter{Limit: 1000},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			rec := e.serve("GET", "/api/vessels?"+tt.query, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /api/vessels?%s = %d %s", tt.query, rec.Code, rec.Body)
			}
			var got vesselList
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("body %s: %v", rec.Body, err)
			}
			var mmsis []float64
			for _, v := range got.Vessels {
				mmsis = append(mmsis, v["mmsi"].(float64))
			}
			if diff := cmp.Diff(tt.wantMMSIs, mmsis); diff != "" {
				t.Errorf("vessels (-want +got):\n%s", diff)
			}
			if got.Count != len(tt.wantMMSIs) || got.Truncated != tt.truncated {
				t.Errorf("count, truncated = %d, %v; want %d, %v", got.Count, got.Truncated, len(tt.wantMMSIs), tt.truncated)
			}
			box, f := e.table.last()
			if box != tt.wantBox {
				t.Errorf("box = %+v, want %+v", box, tt.wantBox)
			}
			if tt.wantFilter.Limit == 1000 {
				tt.wantFilter.Limit = 1001
			}
			if diff := cmp.Diff(tt.wantFilter, f); diff != "" {
				t.Errorf("filter (-want +got):\n%s", diff)
			}
		})
	}
}

// TestVesselJSON checks one vessel's representation in full, including
// values that are not available and names that need escaping.
func TestVesselJSON(t *testing.T) {
	e := newEnv(t, nil)
	rec := e.serve("GET", "/api/vessels?q=delta", nil)
	want := `{"count":1,"truncated":false,"vessels":[{"mmsi":470000004,"kind":"ship","flag":"AE",` +
		`"last":{"time":1795953599000,"lat":25,"lon":55,"cog":90,"heading":91,"status":0,"class":"A","source":1},` +
		`"static":{"time":1795953540000,"name":"DELTA \u003c\u0026\u003e \"Q\"","call_sign":"CS4","imo":9000004,"ship_type":30,` +
		`"to_bow":100,"to_stern":20,"to_port":10,"to_starboard":12,"draught":8.5,"destination":"BANDAR ABBAS",` +
		`"eta":"12-01T06:00Z","source":1},"sources":[1,2],"count":42}]}` + "\n"
	if diff := cmp.Diff(want, rec.Body.String()); diff != "" {
		t.Errorf("GET /api/vessels?q=delta body (-want +got):\n%s", diff)
	}
	for k, v := range map[string]string{
		"Content-Type":           "application/json",
		"Cache-Control":          "no-store",
		"X-Content-Type-Options": "nosniff",
	} {
		if got := rec.Header().Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
}

func TestGetVessel(t *testing.T) {
	e := newEnv(t, nil)
	rec := e.serve("GET", "/api/vessels/422000001", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var got struct {
		MMSI   uint32 `json:"mmsi"`
		Static struct {
			Name string `json:"name"`
		} `json:"static"`
		Last struct {
			Lat float64 `json:"lat"`
		} `json:"last"`
		Sources []int `json:"sources"`
		HeardBy []struct {
			ID   int    `json:"id"`
			Name string `json:"name"`
			Org  string `json:"org"`
		} `json:"heard_by"`
		StaticHistory []struct {
			Name   string `json:"name"`
			Source int    `json:"source"`
		} `json:"static_history"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
	if got.MMSI != 422000001 || got.Static.Name != "ALPHA STAR" || got.Last.Lat != 26.5 {
		t.Errorf("vessel = %+v", got)
	}
	if len(got.HeardBy) != 2 || got.HeardBy[0].Name != "muscat" || got.HeardBy[1].Name != "bandar-abbas" ||
		got.HeardBy[0].Org != access.BuiltinOrg {
		t.Errorf("heard_by = %+v, want muscat then bandar-abbas", got.HeardBy)
	}
	if len(got.StaticHistory) != 2 || got.StaticHistory[0].Name != "OLD NAME" {
		t.Errorf("static_history = %+v, want OLD NAME first", got.StaticHistory)
	}

	// A vessel with no static history has an empty list, not null.
	rec = e.serve("GET", "/api/vessels/461000003", nil)
	if !strings.Contains(rec.Body.String(), `"static_history":[]`) || !strings.Contains(rec.Body.String(), `"heard_by":[`) {
		t.Errorf("vessel without history: %s", rec.Body)
	}
}

// trackFeature is the JSON shape of a track.
type trackFeature struct {
	Type     string `json:"type"`
	Geometry *struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
	Properties struct {
		MMSI      uint32     `json:"mmsi"`
		From      int64      `json:"from"`
		To        int64      `json:"to"`
		Count     int        `json:"count"`
		Truncated bool       `json:"truncated"`
		Times     []int64    `json:"times"`
		SOG       []*float64 `json:"sog"`
		COG       []*float64 `json:"cog"`
		Heading   []*int     `json:"heading"`
		Sources   []int      `json:"sources"`
	} `json:"properties"`
}

func TestTrack(t *testing.T) {
	now := testNow().UnixMilli()
	tests := []struct {
		name          string
		query         string
		wantFrom      int64
		wantTo        int64
		wantLimit     int
		wantCount     int
		wantGeometry  string // "" for null
		wantTruncated bool
	}{
		{name: "default last 24 h", wantFrom: now - 86400000, wantTo: now, wantLimit: 50001, wantCount: 10, wantGeometry: "LineString"},
		{name: "RFC 3339", query: "from=2026-11-29T11:55:00Z&to=2026-11-29T11:57:30.5Z",
			wantFrom: now - 300000, wantTo: now - 149500, wantLimit: 50001, wantCount: 3, wantGeometry: "LineString"},
		{name: "RFC 3339 with offset", query: "from=" + url.QueryEscape("2026-11-29T15:29:00+03:30"),
			wantFrom: now - 60000, wantTo: now, wantLimit: 50001, wantCount: 1, wantGeometry: "Point"},
		{name: "UNIX ms", query: "from=" + itoa(now-120000) + "&to=" + itoa(now),
			wantFrom: now - 120000, wantTo: now, wantLimit: 50001, wantCount: 2, wantGeometry: "LineString"},
		{name: "only to", query: "to=" + itoa(now-500000),
			wantFrom: now - 500000 - 86400000, wantTo: now - 500000, wantLimit: 50001, wantCount: 2, wantGeometry: "LineString"},
		{name: "empty", query: "from=1000&to=2000", wantFrom: 1000, wantTo: 2000, wantLimit: 50001},
		{name: "limit", query: "limit=4", wantFrom: now - 86400000, wantTo: now, wantLimit: 5, wantCount: 4,
			wantGeometry: "LineString", wantTruncated: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			rec := e.serve("GET", "/api/vessels/422000001/track?"+tt.query, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/geo+json" {
				t.Errorf("Content-Type = %q, want application/geo+json", ct)
			}
			if e.store.from != tt.wantFrom || e.store.to != tt.wantTo || e.store.limit != tt.wantLimit {
				t.Errorf("store.Track(from %d, to %d, limit %d), want (%d, %d, %d)",
					e.store.from, e.store.to, e.store.limit, tt.wantFrom, tt.wantTo, tt.wantLimit)
			}
			var got trackFeature
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("body %s: %v", rec.Body, err)
			}
			p := got.Properties
			if got.Type != "Feature" || p.MMSI != 422000001 || p.Count != tt.wantCount || p.Truncated != tt.wantTruncated ||
				p.From != tt.wantFrom || p.To != tt.wantTo {
				t.Errorf("feature %+v", got)
			}
			for name, n := range map[string]int{"times": len(p.Times), "sog": len(p.SOG), "cog": len(p.COG),
				"heading": len(p.Heading), "sources": len(p.Sources)} {
				if n != tt.wantCount {
					t.Errorf("properties.%s has %d values, want %d", name, n, tt.wantCount)
				}
			}
			switch {
			case tt.wantGeometry == "" && got.Geometry != nil:
				t.Errorf("geometry = %+v, want null", got.Geometry)
			case tt.wantGeometry != "" && (got.Geometry == nil || got.Geometry.Type != tt.wantGeometry):
				t.Errorf("geometry = %+v, want %s", got.Geometry, tt.wantGeometry)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestTrackJSON checks the GeoJSON of a track in full, with a fix whose
// speed and course are not available.
func TestTrackJSON(t *testing.T) {
	e := newEnv(t, nil)
	now := testNow().UnixMilli()
	rec := e.serve("GET", "/api/vessels/422000001/track?from="+itoa(now-420000)+"&to="+itoa(now-360000+1), nil)
	want := `{"type":"Feature","geometry":{"type":"LineString","coordinates":[[56,26.03],[56,26.04]]},` +
		`"properties":{"mmsi":422000001,"from":1795953180000,"to":1795953240001,"count":2,"truncated":false,` +
		`"times":[1795953180000,1795953240000],"sog":[null,10],"cog":[null,45],"heading":[null,null],"sources":[1,1]}}` + "\n"
	if diff := cmp.Diff(want, rec.Body.String()); diff != "" {
		t.Errorf("track body (-want +got):\n%s", diff)
	}
}

func TestSources(t *testing.T) {
	e := newEnv(t, nil)
	rec := e.serve("GET", "/api/sources", nil)
	want := `{"sources":[` +
		`{"id":1,"name":"muscat","org":"builtin","kind":"udp","connected":false,"last_message":null,"messages":0,"messages_per_second":0,"rejects":{}},` +
		`{"id":2,"name":"bandar-abbas","org":"builtin","kind":"tcp-client","connected":true,"last_message":1795953599500,"messages":1000,"messages_per_second":12.5,"rejects":{"checksum":3},"detail":{"address":"10.0.0.1:5631","bytes":81234}}]}` + "\n"
	if diff := cmp.Diff(want, rec.Body.String()); diff != "" {
		t.Errorf("GET /api/sources (-want +got):\n%s", diff)
	}
}

func TestHealthzOpenAPIMetrics(t *testing.T) {
	e := newEnv(t, nil)
	rec := e.serve("GET", "/healthz", nil)
	if rec.Code != http.StatusOK || rec.Body.String() != `{"status":"ok"}`+"\n" {
		t.Errorf("GET /healthz = %d %q", rec.Code, rec.Body)
	}
	rec = e.serve("HEAD", "/healthz", nil)
	if rec.Code != http.StatusOK {
		t.Errorf("HEAD /healthz = %d, want 200", rec.Code)
	}
	rec = e.serve("HEAD", "/api/stream", nil)
	if rec.Code != http.StatusOK || e.hub.Subscribers() != 0 {
		t.Errorf("HEAD /api/stream = %d with %d subscribers, want 200 and none", rec.Code, e.hub.Subscribers())
	}
	rec = e.serve("GET", "/api/openapi.json", nil)
	if rec.Code != http.StatusOK || !json.Valid(rec.Body.Bytes()) {
		t.Errorf("GET /api/openapi.json = %d, valid JSON %v", rec.Code, json.Valid(rec.Body.Bytes()))
	}
	e.serve("GET", "/api/vessels?bbox=bad", nil)
	rec = e.serve("GET", "/metrics", nil)
	body := rec.Body.String()
	for _, want := range []string{
		`straitwatch_http_requests_total{route="/api/vessels",status="400"} 1`,
		`straitwatch_http_requests_total{route="/healthz",status="200"} 2`,
		`straitwatch_http_errors_total{code="bad_bbox"} 1`,
		`straitwatch_http_request_duration_seconds_bucket{route="/api/openapi.json"`,
		`straitwatch_stream_subscribers 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /metrics lacks %q", want)
		}
	}
}

// TestNewRequiresQueryAndRegistry checks the constructor's refusals.
func TestNewRequiresQueryAndRegistry(t *testing.T) {
	e := newEnv(t, nil)
	if _, err := New(Config{Registry: e.reg}); err == nil {
		t.Error("New without Query succeeded")
	}
	if _, err := New(Config{Query: e.cfg.Query}); err == nil {
		t.Error("New without Registry succeeded")
	}
	// The same registry twice: the metrics collide.
	if _, err := New(Config{Query: e.cfg.Query, Registry: e.reg}); err == nil {
		t.Error("New registering its metrics twice succeeded")
	}
}

// panicky is a Vessels that panics.
type panicky struct{ fakeTable }

func (*panicky) InBox(geo.Box, track.Filter) []track.Vessel { panic("bug") }

func TestPanicIsInternalError(t *testing.T) {
	e := newEnv(t, nil)
	q, err := access.NewQuery(access.AllowAll{}, access.Backends{Vessels: &panicky{}, History: e.store, Sources: e.sources, Feed: e.hub})
	if err != nil {
		t.Fatal(err)
	}
	e.cfg.Query = q
	e.cfg.Registry = prometheus.NewRegistry()
	a, err := New(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/vessels", nil))
	checkError(t, rec, CodeInternal)
}

// TestRequestTimeout checks that a request's work is bounded by
// RequestTimeout.
func TestRequestTimeout(t *testing.T) {
	e := newEnv(t, func(e *env) { e.cfg.RequestTimeout = time.Nanosecond })
	rec := e.serve("GET", "/api/vessels/422000001/track", nil)
	checkError(t, rec, CodeTimeout)
}
