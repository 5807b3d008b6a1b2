package detect

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"straitwatch/internal/track"
)

// readJSONL reads a gpsdio-segment track: one JSON object per line, in
// the file's order (which is not always event-time order).
func readJSONL(path string) ([]track.Fix, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var fixes []track.Fix
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r struct {
			SSVID     json.Number `json:"ssvid"`
			Lat, Lon  *float64
			Timestamp string
			Speed     *float64
			Course    *float64
			Heading   *float64
			Status    *float64
			Type      string
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if r.Lat == nil || r.Lon == nil || math.Abs(*r.Lat) > 90 || math.Abs(*r.Lon) > 180 {
			continue
		}
		ts, err := time.Parse(time.RFC3339Nano, r.Timestamp)
		if err != nil {
			ts, err = time.Parse("2006-01-02 15:04:05.999999", r.Timestamp)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		mmsi, _ := strconv.ParseUint(strings.Trim(r.SSVID.String(), `"`), 10, 32)
		fx := track.Fix{MMSI: uint32(mmsi), Time: ts.UnixMilli(), Lat: *r.Lat, Lon: *r.Lon,
			SOG: float32(math.NaN()), COG: float32(math.NaN()), Heading: -1, Status: 15, Class: track.ClassA}
		if r.Speed != nil {
			fx.SOG = float32(*r.Speed)
		}
		if r.Course != nil {
			fx.COG = float32(*r.Course)
		}
		if r.Status != nil {
			fx.Status = uint8(*r.Status)
		}
		if r.Type == "AIS.18" || r.Type == "AIS.19" {
			fx.Class = track.ClassB
		}
		fixes = append(fixes, fx)
	}
	return fixes, sc.Err()
}

// readNOAA reads the Atlantes NOAA track CSV.
func readNOAA(path string) ([]track.Fix, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var fixes []track.Fix
	for _, r := range recs[1:] {
		ts, err := time.Parse("2006-01-02 15:04:05", r[1])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		mmsi, _ := strconv.ParseUint(r[0], 10, 32)
		lat, _ := strconv.ParseFloat(r[2], 64)
		lon, _ := strconv.ParseFloat(r[3], 64)
		sog, _ := strconv.ParseFloat(r[4], 32)
		cog, _ := strconv.ParseFloat(r[5], 32)
		nav, _ := strconv.Atoi(r[11])
		fixes = append(fixes, track.Fix{MMSI: uint32(mmsi), Time: ts.UnixMilli(), Lat: lat, Lon: lon,
			SOG: float32(sog), COG: float32(cog), Heading: -1, Status: uint8(nav), Class: track.ClassA})
	}
	return fixes, nil
}

// TestRealTracks runs every detector, under each preset, on every real
// track in testdata/tracks, in file order (late fixes included), and
// checks the event stream is well formed: every event has an ID, its
// later states follow an open or close of the same ID, and confidences
// lie in [0, 1]. Run with -v to see the counts per preset and type.
func TestRealTracks(t *testing.T) {
	paths, _ := filepath.Glob("testdata/tracks/*.jsonl.gz")
	paths = append(paths, "testdata/tracks/noaa_test_track.csv")
	if len(paths) < 2 {
		t.Fatalf("no real tracks in testdata/tracks")
	}
	type fileFixes struct {
		name  string
		fixes []track.Fix
	}
	var files []fileFixes
	total := 0
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
		files = append(files, fileFixes{filepath.Base(p), fs})
		total += len(fs)
	}
	for _, preset := range []string{"strait", "gfw", "skylight"} {
		cfg, _ := Preset(preset)
		counts := map[string]int{}
		examples := map[string]string{}
		for _, f := range files {
			s := newShard(t, cfg, nil)
			g := NewEncounters(cfg.Encounter, nil)
			for i := range f.fixes {
				s.Fix(&f.fixes[i])
				g.Fix(&f.fixes[i])
			}
			evs := append(s.Drain(), g.Drain()...)
			seen := map[string]bool{}
			for _, e := range evs {
				key := string(e.Type) + "/" + e.State.String()
				counts[key]++
				if _, ok := examples[key]; !ok {
					examples[key] = fmt.Sprintf("%s %s start %s end %s conf %.2f %v",
						f.name, e.ID, time.UnixMilli(e.Start).UTC().Format(time.RFC3339), time.UnixMilli(e.End).UTC().Format(time.RFC3339), e.Confidence, e.Evidence.Figures[0])
				}
				if !(e.Confidence >= 0 && e.Confidence <= 1) || e.ID == "" {
					t.Errorf("%s %s: malformed event %+v", preset, f.name, e)
				}
				if (e.State == StateUpdate || e.State == StateRetract) && !seen[e.ID] {
					t.Errorf("%s %s: %s of %s before its open or close", preset, f.name, e.State, e.ID)
				}
				seen[e.ID] = true
			}
		}
		var keys []string
		for k := range counts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		t.Logf("preset %s: %d files, %d fixes", preset, len(files), total)
		for _, k := range keys {
			t.Logf("  %-20s %5d  e.g. %s", k, counts[k], examples[k])
		}
	}
}
