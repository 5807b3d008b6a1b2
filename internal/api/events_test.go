package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"straitwatch/internal/detect"
	"straitwatch/internal/events"
)

func TestEventsList(t *testing.T) {
	e := newEnv(t, nil)
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"distress:970000002:2", "encounter:422000003:3", "gap:422000001:1"}},
		{"type=gap,distress", []string{"distress:970000002:2", "gap:422000001:1"}},
		{"bbox=56,25,57,25.5", []string{"distress:970000002:2"}},
		{"mmsi=636000004", []string{"encounter:422000003:3"}},
		{"zone=anch-1", []string{"distress:970000002:2"}},
		{"state=open", []string{"distress:970000002:2", "encounter:422000003:3"}},
		{"from=2026-11-29T10:30:00Z", []string{"distress:970000002:2", "encounter:422000003:3"}},
		{"to=2026-11-29T10:00:00Z", []string{"gap:422000001:1"}},
		{"limit=1", []string{"distress:970000002:2"}},
	}
	for _, tt := range tests {
		rec := e.serve("GET", "/api/events?"+tt.query, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", tt.query, rec.Code, rec.Body)
		}
		var out struct {
			Events    []events.Record
			Truncated bool
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range out.Events {
			got = append(got, r.ID)
		}
		if !cmp.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.query, got, tt.want)
		}
		if out.Truncated != (tt.query == "limit=1") {
			t.Errorf("%s: truncated %v", tt.query, out.Truncated)
		}
	}
}

func TestEventGetAndAck(t *testing.T) {
	e := newEnv(t, nil)
	rec := e.serve("GET", "/api/events/gap:422000001:1", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var r events.Record
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if r.Type != detect.TypeGap || r.State != detect.StateClose || len(r.Evidence.Fixes) != 2 || r.Evidence.Figures[0].Threshold != 1800 {
		t.Errorf("event %+v", r)
	}
	rec = e.serve("POST", "/api/events/gap:422000001:1/ack", strings.NewReader(`{"comment":"checked with VTS Bandar Abbas"}`))
	if rec.Code != http.StatusOK {
		t.Fatalf("ack: %d %s", rec.Code, rec.Body)
	}
	rec = e.serve("GET", "/api/events/gap:422000001:1", nil)
	r = events.Record{}
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	want := []events.Ack{{Time: testNow().UnixMilli(), By: "builtin", Comment: "checked with VTS Bandar Abbas"}}
	if !cmp.Equal(r.Acks, want) {
		t.Errorf("acks %+v, want %+v", r.Acks, want)
	}
}

func TestZones(t *testing.T) {
	e := newEnv(t, nil)
	rec := e.serve("GET", "/api/zones", nil)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/geo+json" {
		t.Fatalf("%d %s %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	if !strings.Contains(rec.Body.String(), `"id":"anch-1"`) || !strings.Contains(rec.Body.String(), `"kind":"anchorage"`) {
		t.Errorf("zones: %s", rec.Body)
	}
}

func TestEventStream(t *testing.T) {
	e := newEnv(t, nil)
	srv := httptest.NewServer(e.api.Handler())
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	resp, r := openSSE(t, ctx, srv.URL+"/api/events/stream?type=distress,gap")
	defer resp.Body.Close()
	waitFor(t, "the subscription", func() bool { return e.events.Subscribers() == 1 })
	evs := testEvents()
	evs[1].State = detect.StateUpdate // distress: sent
	evs[2].State = detect.StateClose  // encounter: filtered out
	if err := e.events.Apply([]detect.Event{evs[2], evs[1]}); err != nil {
		t.Fatal(err)
	}
	ev, err := r.next()
	if err != nil {
		t.Fatal(err)
	}
	var got events.Record
	if err := json.Unmarshal([]byte(ev.data), &got); err != nil {
		t.Fatalf("%q: %v", ev.data, err)
	}
	if ev.name != "event" || got.ID != evs[1].ID || got.State != detect.StateUpdate || got.Severity != "distress" {
		t.Errorf("got %s %+v", ev.name, got)
	}
	cancel()
	resp.Body.Close()
	waitFor(t, "the subscription to end after the client left", func() bool { return e.events.Subscribers() == 0 })
}

func TestHistory(t *testing.T) {
	e := newEnv(t, nil)
	now := testNow().UnixMilli()
	rec := e.serve("GET", fmt.Sprintf("/api/history?bbox=55,25,57,27&from=%d&to=%d", now-5*60000, now), nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var out struct {
		From, To  int64
		Truncated bool
		Fixes     []struct {
			MMSI uint32
			Time int64
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s: %v", rec.Body, err)
	}
	// The test store's vessel 422000001 reports every minute for ten
	// minutes: the last five are in the range.
	if len(out.Fixes) != 5 || out.Truncated || out.Fixes[0].MMSI != 422000001 || out.Fixes[0].Time >= out.Fixes[4].Time {
		t.Errorf("history %+v", out)
	}
	for _, q := range []string{"from=1000&to=1000", "from=2026-11-27T00:00:00Z&to=2026-11-29T00:00:00Z"} {
		checkError(t, e.serve("GET", "/api/history?"+q, nil), CodeBadTimeRange)
	}
}

func TestVesselsCompact(t *testing.T) {
	e := newEnv(t, nil)
	full := e.serve("GET", "/api/vessels?bbox=40,0,70,40&limit=100", nil)
	compact := e.serve("GET", "/api/vessels?bbox=40,0,70,40&limit=100&format=compact", nil)
	if full.Code != 200 || compact.Code != 200 {
		t.Fatalf("%d %s / %d %s", full.Code, full.Body, compact.Code, compact.Body)
	}
	var f struct {
		Count   int
		Vessels []map[string]any
	}
	var c struct {
		Count   int
		Fields  []string
		Vessels [][]any
	}
	if err := json.Unmarshal(full.Body.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(compact.Body.Bytes(), &c); err != nil {
		t.Fatalf("%s: %v", compact.Body, err)
	}
	if c.Count != f.Count || len(c.Vessels) != len(f.Vessels) || len(c.Fields) != 12 {
		t.Fatalf("compact %d vessels, %d fields; full %d", len(c.Vessels), len(c.Fields), len(f.Vessels))
	}
	// Each compact row carries the full form's values.
	for i, row := range c.Vessels {
		v := f.Vessels[i]
		last, _ := v["last"].(map[string]any)
		static, _ := v["static"].(map[string]any)
		want := map[string]any{"mmsi": v["mmsi"], "kind": v["kind"], "flag": v["flag"], "name": static["name"], "ship_type": static["ship_type"],
			"time": last["time"], "lat": last["lat"], "lon": last["lon"], "sog": last["sog"], "cog": last["cog"], "heading": last["heading"], "status": last["status"]}
		for k, name := range c.Fields {
			w := want[name]
			if w == nil && (name == "name" || name == "flag") {
				w = ""
			}
			if !cmp.Equal(row[k], w) {
				t.Errorf("vessel %v field %s = %v, want %v", v["mmsi"], name, row[k], w)
			}
		}
	}
	checkError(t, e.serve("GET", "/api/vessels?format=csv", nil), CodeBadParameter)
}
