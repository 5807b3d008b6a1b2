package zone

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"
)

func loadTest(t testing.TB) *Set {
	t.Helper()
	s, err := Load("testdata/zones.geojson")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

func ids(s *Set, idx []int) string {
	var b []string
	for _, i := range idx {
		b = append(b, s.Zones[i].ID)
	}
	return strings.Join(b, ",")
}

func TestContaining(t *testing.T) {
	s := loadTest(t)
	const e = 1e-6
	tests := []struct {
		name     string
		lat, lon float64
		want     string
	}{
		{"lane only", 25.02, 57.02, "lane-in"},
		{"lane and anchorage", 25.06, 57.06, "lane-in,anch"},
		{"just inside anchorage west edge", 25.06, 57.05 + e, "lane-in,anch"},
		{"just outside anchorage west edge", 25.06, 57.05 - e, "lane-in"},
		{"just inside lane south edge", 25.0 + e, 57.02, "lane-in"},
		{"just outside lane south edge", 25.0 - e, 57.02, ""},
		{"separation zone", 25.15, 57.05, "sep"},
		{"restricted outer", 25.1, 57.6, "restricted-donut"},
		{"restricted hole", 25.25, 57.75, ""},
		{"restricted second polygon", 25.01, 59.05, "restricted-donut"},
		{"open sea", 24.0, 56.0, ""},
		{"quiet zone", 23.05, 57.05, "quiet"},
		{"NaN", math.NaN(), 57.02, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ids(s, s.Containing(nil, tt.lat, tt.lon))
			if got != tt.want {
				t.Errorf("Containing(%v, %v) = %q, want %q", tt.lat, tt.lon, got, tt.want)
			}
		})
	}
}

func TestParseFields(t *testing.T) {
	s := loadTest(t)
	lane := s.ByID("lane-in")
	if lane == nil || lane.Kind != KindTSSLane || lane.Direction != 270 || lane.MaxSOG != 20 {
		t.Fatalf("lane-in = %+v, want tss_lane, direction 270, max 20 kn", lane)
	}
	if sep := s.ByID("sep"); !math.IsNaN(sep.Direction) || !math.IsNaN(sep.MaxSOG) {
		t.Errorf("sep direction, max = %v, %v, want NaN, NaN", sep.Direction, sep.MaxSOG)
	}
	if p := s.ByID("port-p"); !p.HasPoint || p.Point.Lat != 25.3 || p.Point.Lon != 57.3 {
		t.Errorf("port-p = %+v", p)
	}
	if l := s.ByID("line"); len(l.Line) != 2 {
		t.Errorf("line has %d points, want 2", len(l.Line))
	}
	if q := s.ByID("quiet"); q.Thresholds["gap_min_s"] != 600 || len(q.Thresholds) != 3 {
		t.Errorf("quiet thresholds = %v", q.Thresholds)
	}
	if s.ByID("nope") != nil {
		t.Errorf("ByID(nope) != nil")
	}
}

func TestParseErrors(t *testing.T) {
	feat := func(geom, props string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","id":"f","geometry":` + geom + `,"properties":` + props + `}]}`
	}
	sq := `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}`
	tests := []struct {
		name, in, want string
	}{
		{"not json", `{`, "geojson"},
		{"not a collection", `{"type":"Feature"}`, "FeatureCollection"},
		{"no source", feat(sq, `{"kind":"port"}`), "no source"},
		{"unknown kind", feat(sq, `{"kind":"pub","source":"x"}`), "unknown kind"},
		{"lane without direction", feat(sq, `{"kind":"tss_lane","source":"x"}`), "direction"},
		{"bad direction", feat(sq, `{"kind":"tss_lane","direction":360,"source":"x"}`), "direction"},
		{"bad speed", feat(sq, `{"kind":"port","max_sog_kn":-1,"source":"x"}`), "max_sog_kn"},
		{"bad thresholds", feat(sq, `{"kind":"port","thresholds":3,"source":"x"}`), "thresholds"},
		{"bad threshold", feat(sq, `{"kind":"port","thresholds":{"gap_min_s":0},"source":"x"}`), "gap_min_s"},
		{"no geometry", feat(`null`, `{"kind":"port","source":"x"}`), "no geometry"},
		{"out of range", feat(`{"type":"Point","coordinates":[181,0]}`, `{"kind":"port","source":"x"}`), "outside"},
		{"short ring", feat(`{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}`, `{"kind":"port","source":"x"}`), "ring"},
		{"anchorage as point", feat(`{"type":"Point","coordinates":[1,0]}`, `{"kind":"anchorage","source":"x"}`), "needs a Polygon"},
		{"unsupported geometry", feat(`{"type":"GeometryCollection","coordinates":[]}`, `{"kind":"port","source":"x"}`), "not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error = %v, want containing %q", tt.in, err, tt.want)
			}
		})
	}
	_, err := Parse([]byte(feat(sq, `{"kind":"port"}`)))
	if !errors.Is(err, ErrNoSource) {
		t.Errorf("Parse(no source) error = %v, want ErrNoSource", err)
	}
	if _, err := Load("testdata/missing.geojson"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing) error = %v, want ErrNotExist", err)
	}
}

func TestDefault(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	if got, want := len(s.Zones), 27+57+4; got != want {
		t.Errorf("Default has %d zones, want %d", got, want)
	}
	kinds := map[Kind]int{}
	for _, z := range s.Zones {
		if z.Source == "" {
			t.Errorf("zone %s has no source", z.ID)
		}
		kinds[z.Kind]++
	}
	if kinds[KindAnchorage] != 3 || kinds[KindPort] != 17+57 || kinds[KindShelfBoundary] != 2 || kinds[KindTerritorialSea] != 4 {
		t.Errorf("kinds = %v", kinds)
	}
	// The GFW centroids of the anchorage hulls lie inside their hulls; the
	// NMA advisory box spans N25.257-N28, E054-E058. The anchorages lie in
	// the UAE's territorial sea, 26.5N 56.5E in Oman's (territorial_test.go
	// tests the territorial seas).
	tests := []struct {
		lat, lon float64
		want     string
	}{
		{25.22459, 56.51598, "anch-fujairah-offshore,ts-are"},
		{25.3692, 56.52634, "anch-khor-fakkan-offshore,adv-nma-hormuz-isps2,ts-are"},
		{25.51171, 54.95488, "anch-dubai-d,adv-nma-hormuz-isps2"},
		{26.5, 56.5, "adv-nma-hormuz-isps2,ts-omn"},
		{25.257 - 1e-6, 57.5, ""}, // just south of the advisory box
		{25.257 + 1e-6, 57.5, "adv-nma-hormuz-isps2"},
	}
	for _, tt := range tests {
		if got := ids(s, s.Containing(nil, tt.lat, tt.lon)); got != tt.want {
			t.Errorf("Default Containing(%v, %v) = %q, want %q", tt.lat, tt.lon, got, tt.want)
		}
	}
	i, d := s.Nearest(27.16, 56.21, KindPort)
	if i < 0 || s.Zones[i].ID != "port-bandar-abbas" || d > 1500 {
		t.Errorf("Nearest port to 27.16N 56.21E = %v at %v m, want port-bandar-abbas within 1.5 km", i, d)
	}
}

func BenchmarkContaining(b *testing.B) {
	s, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	// Positions on a lattice over the strait and the Gulf of Oman, where
	// the anchorages and the advisory box overlap.
	var pts [][2]float64
	for lat := 24.0; lat < 27.5; lat += 0.037 {
		for lon := 54.5; lon < 58.5; lon += 0.041 {
			pts = append(pts, [2]float64{lat, lon})
		}
	}
	dst := make([]int, 0, 8)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; b.Loop(); i++ {
		p := pts[i%len(pts)]
		dst = s.Containing(dst[:0], p[0], p[1])
		n += len(dst)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
	_ = n
}

func FuzzParse(f *testing.F) {
	for _, p := range []string{"testdata/zones.geojson", "regions/hormuz.geojson"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]},"properties":{"kind":"anchorage","source":"x"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data)
		if err != nil {
			return
		}
		for _, z := range s.Zones {
			if z.Source == "" {
				t.Fatalf("zone %s without source accepted", z.ID)
			}
		}
		_ = s.Containing(nil, 25, 57)
		_, _ = s.Nearest(25, 57, KindPort)
	})
}
