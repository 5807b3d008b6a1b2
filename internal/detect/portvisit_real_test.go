package detect

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

// wpiZones builds a zone set of every World Port Index port in
// testdata/wpi_ports.csv, as points of kind port: the real tracks lie
// all over the world, far from the default region's ports.
func wpiZones(t *testing.T) *zone.Set {
	t.Helper()
	f, err := os.Open("testdata/wpi_ports.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("wpi_ports.csv: %v", err)
	}
	type feature struct {
		Type       string         `json:"type"`
		ID         string         `json:"id"`
		Geometry   map[string]any `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	var fs []feature
	for i, r := range recs[1:] {
		lat, err1 := strconv.ParseFloat(r[3], 64)
		lon, err2 := strconv.ParseFloat(r[4], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("wpi_ports.csv line %d: %v %v", i+2, err1, err2)
		}
		fs = append(fs, feature{Type: "Feature", ID: fmt.Sprintf("wpi-%d", i),
			Geometry:   map[string]any{"type": "Point", "coordinates": []float64{lon, lat}},
			Properties: map[string]any{"kind": "port", "name": r[1], "source": "NGA World Port Index via GFW anchorages_pipeline (testdata/wpi_ports.csv)"}})
	}
	b, err := json.Marshal(map[string]any{"type": "FeatureCollection", "name": "wpi", "features": fs})
	if err != nil {
		t.Fatal(err)
	}
	zs, err := zone.Parse(b)
	if err != nil {
		t.Fatalf("wpi zones: %v", err)
	}
	return zs
}

func realTracks(t *testing.T) map[string][]track.Fix {
	t.Helper()
	paths, _ := filepath.Glob("testdata/tracks/*.jsonl.gz")
	paths = append(paths, "testdata/tracks/noaa_test_track.csv")
	out := map[string][]track.Fix{}
	for _, p := range paths {
		var fs []track.Fix
		var err error
		if strings.HasSuffix(p, ".csv") {
			fs, err = readNOAA(p)
		} else {
			fs, err = readJSONL(p)
		}
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = fs
	}
	return out
}

// TestRealTracksPortTSSCollision runs port visits (over every World Port
// Index port), the TSS rules and collision risk on the real tracks in
// file order (late fixes included) and checks the event stream is well
// formed. Run with -v for the counts in docs/detection-real-data.md.
func TestRealTracksPortTSSCollision(t *testing.T) {
	files := realTracks(t)
	names := make([]string, 0, len(files))
	total := 0
	for n, fs := range files {
		names = append(names, n)
		total += len(fs)
	}
	sort.Strings(names)
	wpi := wpiZones(t)
	// MMSIs that several transmitters use at once (see the identity
	// section of docs/detection-real-data.md): their visits churn as
	// the fixes alternate between places.
	shared := map[uint32]bool{416000000: true, 567000000: true, 666000001: true}
	for _, preset := range []string{"strait", "gfw", "skylight"} {
		cfg := only(t, preset, "portvisit")
		cfg.TSS.Enabled = true
		counts := map[string]int{}
		vessels := map[string]map[uint32]bool{}
		perTrack := map[string]int{} // closed visits per track
		ports := map[string]bool{}   // ports visited
		var durations []float64      // hours, closed visits
		var clean []float64          // the same without the shared MMSIs
		withStop, late := 0, 0
		for _, name := range names {
			fs := files[name]
			s := newShard(t, cfg, wpi)
			for i := range fs {
				s.Fix(&fs[i])
			}
			seen := map[string]bool{}
			for _, e := range s.Drain() {
				if e.Type != TypePortVisit && e.Type != TypeTSS {
					continue
				}
				key := string(e.Type) + "/" + e.State.String()
				counts[key]++
				if vessels[key] == nil {
					vessels[key] = map[uint32]bool{}
				}
				vessels[key][e.Vessels[0]] = true
				if !(e.Confidence >= 0 && e.Confidence <= 1) || e.ID == "" {
					t.Errorf("%s %s: malformed event %+v", preset, name, e)
				}
				if e.Type == TypePortVisit && e.State == StateClose {
					perTrack[name]++
					ports[wpi.ByID(e.Zone).Name] = true
					durations = append(durations, float64(e.End-e.Start)/3600e3)
					if !shared[e.Vessels[0]] {
						clean = append(clean, float64(e.End-e.Start)/3600e3)
					}
					if slices.ContainsFunc(e.Evidence.Figures, func(f Figure) bool { return f.Name == "stops" }) {
						withStop++
					}
				}
				if e.Type == TypePortVisit && (e.State == StateRetract || (e.State == StateUpdate && seen[e.ID+"/closed"])) {
					late++ // a change after the close: late data
				}
				if e.State == StateClose {
					seen[e.ID+"/closed"] = true
				}
				if e.State != StateOpen && e.State != StateClose && !seen[e.ID] {
					t.Errorf("%s %s: %s of %s before its open or close", preset, name, e.State, e.ID)
				}
				seen[e.ID] = true
			}
		}
		keys := make([]string, 0, len(counts))
		for k := range counts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		t.Logf("preset %s: %d files, %d fixes, %d WPI ports", preset, len(files), total, len(wpi.Zones))
		for _, k := range keys {
			t.Logf("  %-22s %5d events, %3d vessels", k, counts[k], len(vessels[k]))
		}
		sort.Float64s(durations)
		if len(durations) > 0 {
			t.Logf("  closed visits: %d, %d with a stop, at %d ports; duration median %.1f h, max %.1f h; changed by late fixes after closing: %d",
				len(durations), withStop, len(ports), durations[len(durations)/2], durations[len(durations)-1], late)
		}
		sort.Float64s(clean)
		if len(clean) > 0 {
			t.Logf("  without MMSIs 416000000, 567000000, 666000001: %d closed visits, duration median %.1f h", len(clean), clean[len(clean)/2])
		}
		var tracks []string
		for n, c := range perTrack {
			tracks = append(tracks, fmt.Sprintf("%s %d", strings.TrimSuffix(strings.TrimSuffix(n, ".jsonl.gz"), ".csv"), c))
		}
		sort.Strings(tracks)
		t.Logf("  closed visits per track: %s", strings.Join(tracks, ", "))
	}
	// Collision risk: every track merged in event-time order (the tracks
	// are of different vessels, years and seas, so few pairs meet).
	var all []track.Fix
	for _, n := range names {
		all = append(all, files[n]...)
	}
	slices.SortStableFunc(all, func(a, b track.Fix) int { return int(min(max(a.Time-b.Time, -1), 1)) })
	strait, _ := Preset("strait")
	for _, c := range []struct {
		name string
		cfg  CollisionConfig
	}{{"opencpn", OpenCPNCollision()}, {"strait (6 nm)", strait.Collision}} {
		col := NewCollisions(c.cfg)
		counts := map[State]int{}
		for i := range all {
			col.Fix(&all[i])
			if i%1000 == 999 {
				col.Advance(all[i].Time)
			}
		}
		col.Advance(all[len(all)-1].Time + c.cfg.MaxFixAge.Milliseconds()*2)
		for _, e := range col.Drain() {
			counts[e.State]++
			if !(e.Confidence >= 0 && e.Confidence <= 1) {
				t.Errorf("collision %s: confidence %v", e.ID, e.Confidence)
			}
		}
		t.Logf("collision %s: %d fixes merged: open %d, update %d, close %d, retract %d", c.name, len(all),
			counts[StateOpen], counts[StateUpdate], counts[StateClose], counts[StateRetract])
	}
}
