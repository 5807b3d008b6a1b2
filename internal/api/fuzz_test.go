package api

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"straitwatch/internal/track"
)

// FuzzAppendString checks the JSON string writer against encoding/json:
// the output is valid JSON that decodes to what encoding/json's does.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "ALPHA STAR", `"\`, "<&>", "\x00\x1f\x7f", "\xff\xfe", "é", "\u2028\u2029", "a\xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := appendString(nil, s)
		if !json.Valid(got) {
			t.Fatalf("appendString(%q) = %s, not valid JSON", s, got)
		}
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var g, w string
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		if g != w {
			t.Errorf("appendString(%q) decodes to %q, encoding/json's to %q", s, g, w)
		}
	})
}

// FuzzVesselJSON checks that any vessel, with any float and text values,
// is written as valid JSON.
func FuzzVesselJSON(f *testing.F) {
	f.Add(uint32(422000001), 26.5, 56.3, float32(12.5), float32(90), int16(91), "ALPHA", "EP1", float32(8.5), uint8(0xff))
	f.Add(uint32(0), math.NaN(), math.Inf(1), float32(math.NaN()), float32(math.Inf(-1)), int16(-1), "\xff\"", "\x00", float32(math.NaN()), uint8(0))
	f.Fuzz(func(t *testing.T, mmsi uint32, lat, lon float64, sog, cog float32, heading int16, name, call string, draught float32, has uint8) {
		v := track.Vessel{
			MMSI: mmsi, Kind: track.Kind(mmsi % 16), Flag: call, Country: name,
			Last:    track.Fix{MMSI: mmsi, Time: int64(mmsi), Lat: lat, Lon: lon, SOG: sog, COG: cog, Heading: heading, Class: track.Class(heading & 15)},
			Static:  track.Static{Time: 1, Has: track.StaticFields(has), Name: name, CallSign: call, Draught: draught, Destination: name, ETA: call},
			Sources: []track.SourceID{1, track.SourceID(mmsi)},
		}
		if b := appendVessel(nil, &v); !json.Valid(b) {
			t.Fatalf("appendVessel = %s, not valid JSON", b)
		}
		fixes := []track.Fix{v.Last, v.Last}
		if b := appendTrack(nil, mmsi, 0, 1, fixes, false); !json.Valid(b) {
			t.Fatalf("appendTrack = %s, not valid JSON", b)
		}
		if b := appendFix(nil, &v.Last, true); !json.Valid(b) {
			t.Fatalf("appendFix = %s, not valid JSON", b)
		}
	})
}

// FuzzQuery sends any query string to every JSON endpoint: the answer is
// 200 or a catalogued 4xx, always valid JSON, never a panic.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{
		"", "bbox=55,25,57,27", "bbox=NaN,0,1,1", "limit=-1", "type=tanker,52&flag=ir",
		"min_speed=1e400", "q=%00", "from=2026-11-29T00:00:00Z&to=1", "a=1&a=2", "%zz", ";",
	} {
		f.Add("/api/vessels", s)
		f.Add("/api/vessels/422000001/track", s)
	}
	f.Add("/api/vessels/x", "")
	f.Add("/api/sources", "x")
	e := newEnv(f, nil)
	f.Fuzz(func(t *testing.T, path, query string) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path // as every request a server accepts
		}
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.Path = path
		req.URL.RawQuery = query
		req.RequestURI = req.URL.RequestURI()
		if path == "/api/stream" {
			return // a stream does not end by itself
		}
		rec := httptest.NewRecorder()
		e.api.Handler().ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusMovedPermanently, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
			return // ServeMux cleans paths by redirecting
		case http.StatusBadRequest, http.StatusNotFound, http.StatusRequestURITooLong:
		default:
			t.Fatalf("GET %s?%s = %d %s", path, query, rec.Code, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("GET %s?%s: body %q is not JSON", path, query, rec.Body)
		}
	})
}
