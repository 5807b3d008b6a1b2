package zone

import (
	"strings"
	"testing"
)

// tsIDs returns the ids of the territorial-sea zones of s containing the
// position, comma-separated.
func tsIDs(s *Set, lat, lon float64) string {
	var b []string
	for _, i := range s.Containing(nil, lat, lon) {
		if s.Zones[i].Kind == KindTerritorialSea {
			b = append(b, s.Zones[i].ID)
		}
	}
	return strings.Join(b, ",")
}

// The expected answers follow from the generator's input (Natural Earth
// 1:10m land plus the GSHHG islets it lacks); "coast" distances below are
// geodesic distances to that coastline, and offsets from ports are
// geodesic from the port's reference point in regions/hormuz.geojson.
func TestTerritorialSeas(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	tests := []struct {
		name     string
		lat, lon float64
		want     string
	}{
		{"5 nm S of Bandar Abbas", 27.06643, 56.2, "ts-irn"},
		{"5 nm S of Jask", 25.54975, 57.76667, "ts-irn"},
		{"11.5 nm S of Jask (11.6 nm from the coast)", 25.44108, 57.76667, "ts-irn"},
		{"12.5 nm S of Jask (12.6 nm from the coast)", 25.42436, 57.76667, ""},
		{"5 nm N of Khasab", 26.30025, 56.23333, "ts-omn"},
		{"5 nm NW of Khasab", 26.27575, 56.16778, "ts-omn"},
		{"off Dibba, Musandam side", 25.70, 56.35, "ts-omn"},
		{"off Dibba, Fujairah side", 25.55, 56.40, "ts-are"},
		{"Fujairah offshore anchorage centroid (7.8 nm out)", 25.22459, 56.51598, "ts-are"},
		{"5 nm S of Gwadar", 25.04974, 62.3, "ts-pak"},
		// In the strait the Omani Quoin islets (from GSHHG; Natural
		// Earth lacks them) bring Oman's belt to Iran's: the point is
		// 13.5 nm from Natural Earth land, 4 nm north of the islets.
		{"strait, Omani side of the equidistance line", 26.60, 56.45, "ts-omn"},
		{"strait, Iranian side (Larak)", 26.70, 56.45, "ts-irn"},
		{"middle of the Gulf of Oman", 24.5, 58.5, ""},
		{"land, Iran", 27.5, 56.5, ""},
		{"land, Oman", 23.0, 57.5, ""},
		{"land, Musandam", 26.0, 56.2, ""},
		{"Bandar Abbas port point (1 nm offshore)", 27.15, 56.2, "ts-irn"},
		{"land, Khasab port point", 26.216667, 56.233333, ""},
		// The disputed islands generate no waters: these points lie within
		// 12 nm of an island but farther than 12 nm from any other coast.
		{"5 nm S of Abu Musa (26.9 nm from other coasts)", 25.78308, 55.03333, ""},
		{"5 nm SW of Abu Musa (23.1 nm)", 25.80755, 54.96804, ""},
		{"5 nm SE of Abu Musa (27.9 nm)", 25.80755, 55.09863, ""},
		{"3 nm N of Greater Tunb (14.6 nm)", 26.30015, 55.26667, ""},
		{"3 nm S of Greater Tunb (20.6 nm)", 26.19985, 55.26667, ""},
		{"3 nm W of Lesser Tunb (20.4 nm)", 26.23332, 55.07773, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tsIDs(s, tt.lat, tt.lon); got != tt.want {
				t.Errorf("territorial seas at %v, %v = %q, want %q", tt.lat, tt.lon, got, tt.want)
			}
		})
	}
}

func TestTerritorialSeasProperties(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	want := map[string]string{"ts-irn": "IRN", "ts-omn": "OMN", "ts-are": "ARE", "ts-pak": "PAK"}
	got := map[string]bool{}
	for _, z := range s.Zones {
		if z.Kind != KindTerritorialSea {
			continue
		}
		got[z.ID] = true
		if c, ok := want[z.ID]; !ok || z.Country != c {
			t.Errorf("%s: country %q; want one of %v", z.ID, z.Country, want)
		}
		for _, w := range []string{"Natural Earth", "equidistance", "Abu Musa"} {
			if !strings.Contains(z.Source, w) {
				t.Errorf("%s: source does not mention %q", z.ID, w)
			}
		}
		for _, w := range []string{"baselines", "1974 Iran-Oman", "not for navigation"} {
			if !strings.Contains(z.Accuracy, w) {
				t.Errorf("%s: accuracy does not mention %q", z.ID, w)
			}
		}
	}
	for id := range want {
		if !got[id] {
			t.Errorf("Default has no %s", id)
		}
	}
}

// No position lies in two territorial seas, and every state's sea is hit
// by the lattice.
func TestTerritorialSeasDisjoint(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	hits := map[string]int{}
	for lat := 22.0; lat <= 28.0; lat += 0.01 {
		for lon := 53.5; lon <= 62.5; lon += 0.01 {
			ids := tsIDs(s, lat, lon)
			if strings.Contains(ids, ",") {
				t.Fatalf("%v, %v lies in %s", lat, lon, ids)
			}
			if ids != "" {
				hits[ids]++
			}
		}
	}
	for _, id := range []string{"ts-irn", "ts-omn", "ts-are", "ts-pak"} {
		if hits[id] == 0 {
			t.Errorf("no lattice point in %s", id)
		}
	}
}

// BenchmarkContainingTerritorialSeas compares, in one run, the default
// region with and without regions/territorial-seas.geojson on the lattice
// of BenchmarkContaining, and on a lattice over the whole region box
// (lat 22-28, lon 53.5-62.5), where most queries fall in a sea's bounds,
// and on a fine lattice off Bandar Abbas, where most fall near a coast.
func BenchmarkContainingTerritorialSeas(b *testing.B) {
	with, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	without, err := merge(hormuzGeoJSON, wpiGulfPortsGeoJSON)
	if err != nil {
		b.Fatal(err)
	}
	lattice := func(lat0, lat1, dlat, lon0, lon1, dlon float64) [][2]float64 {
		var pts [][2]float64
		for lat := lat0; lat < lat1; lat += dlat {
			for lon := lon0; lon < lon1; lon += dlon {
				pts = append(pts, [2]float64{lat, lon})
			}
		}
		return pts
	}
	for _, l := range []struct {
		name string
		pts  [][2]float64
	}{
		{"strait", lattice(24.0, 27.5, 0.037, 54.5, 58.5, 0.041)},
		{"region", lattice(22.0, 28.0, 0.037, 53.5, 62.5, 0.041)},
		{"coast", lattice(26.9, 27.2, 0.0031, 55.9, 56.5, 0.0037)},
	} {
		for _, c := range []struct {
			name string
			s    *Set
		}{{"without", without}, {"with", with}} {
			b.Run(l.name+"/"+c.name, func(b *testing.B) {
				dst := make([]int, 0, 8)
				b.ReportAllocs()
				n := 0
				for i := 0; b.Loop(); i++ {
					p := l.pts[i%len(l.pts)]
					dst = c.s.Containing(dst[:0], p[0], p[1])
					n += len(dst)
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
				_ = n
			})
		}
	}
}

func BenchmarkDefault(b *testing.B) {
	for b.Loop() {
		if _, err := Default(); err != nil {
			b.Fatal(err)
		}
	}
}
