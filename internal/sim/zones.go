package sim

import (
	"encoding/json"
	"fmt"
	"math"
)

// restrictedRadiusNM is the radius of a restricted_area incident's area.
const restrictedRadiusNM = 0.8

// laneHalfWidthNM is half the width of an exercise lane: narrower than
// the scheme's 2 nm, because the simulator's approximate centre lines
// run closer than 4 nm apart in places and wider lanes would overlap
// the other lane's traffic.
const laneHalfWidthNM = 0.5

// ExerciseZones returns the zones of the scenario's exercise world as a
// GeoJSON FeatureCollection that a server loads beside its default region
// (serve's detect.extra_zones): a restricted area around each
// restricted_area incident's place, and the simulator's two traffic lanes
// of the scheme, segment by segment with their directions of travel. Every
// feature says it is the exercise's, drawn by the simulator: the lanes are
// its approximate centre lines, not the IMO scheme, and nothing here is
// for navigation.
func ExerciseZones(sc *Scenario) ([]byte, error) {
	type feature struct {
		Type       string         `json:"type"`
		ID         string         `json:"id"`
		Properties map[string]any `json:"properties"`
		Geometry   map[string]any `json:"geometry"`
	}
	var fs []feature
	for i, in := range sc.Incidents {
		if in.Type != IncidentRestrict {
			continue
		}
		p, err := ResolvePlace(in.Place)
		if err != nil {
			return nil, fmt.Errorf("incident %d: %w", i+1, err)
		}
		var ring [][2]float64
		for k := 0; k <= 32; k++ {
			q := move(p, float64(k%32)*360/32, restrictedRadiusNM)
			ring = append(ring, [2]float64{q.Lon, q.Lat})
		}
		fs = append(fs, feature{Type: "Feature", ID: fmt.Sprintf("exercise-restricted-%d", i+1),
			Properties: map[string]any{"kind": "restricted_area", "name": fmt.Sprintf("Exercise restricted area %d", i+1),
				"source":   fmt.Sprintf("exercise scenario %q, restricted_area incident %d: a %.1f nm circle around %s", sc.Name, i+1, restrictedRadiusNM, in.Place),
				"accuracy": "exercise geometry, not a real restricted area"},
			Geometry: map[string]any{"type": "Polygon", "coordinates": [][][2]float64{ring}}})
	}
	for _, l := range []struct {
		name string
		line []Point
	}{{"inbound", tssInbound}, {"outbound", tssOutbound}} {
		for k := 0; k+1 < len(l.line); k++ {
			a, b := l.line[k], l.line[k+1]
			c := bearing(a, b)
			ring := [][2]float64{}
			for _, q := range []Point{move(a, c-90, laneHalfWidthNM), move(b, c-90, laneHalfWidthNM), move(b, c+90, laneHalfWidthNM), move(a, c+90, laneHalfWidthNM), move(a, c-90, laneHalfWidthNM)} {
				ring = append(ring, [2]float64{q.Lon, q.Lat})
			}
			fs = append(fs, feature{Type: "Feature", ID: fmt.Sprintf("exercise-tss-%s-%d", l.name, k+1),
				Properties: map[string]any{"kind": "tss_lane", "name": fmt.Sprintf("Exercise TSS %s lane, part %d", l.name, k+1),
					"direction": math.Mod(math.Round(c*10)/10, 360),
					"source":    "straitwatch simulator (internal/sim/region.go): approximate lane centre line from the scheme's public description, drawn 1 nm wide about it",
					"accuracy":  "approximate, for exercises only; not the IMO traffic separation scheme and not for navigation"},
				Geometry: map[string]any{"type": "Polygon", "coordinates": [][][2]float64{ring}}})
		}
	}
	return json.MarshalIndent(map[string]any{"type": "FeatureCollection", "name": "exercise-" + sc.Name, "features": fs}, "", " ")
}
