package zone

import (
	"encoding/json"
	"math"

	"straitwatch/internal/geo"
)

type outFeature struct {
	Type       string         `json:"type"`
	ID         string         `json:"id"`
	Geometry   outGeometry    `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

type outGeometry struct {
	Type        string `json:"type"`
	Coordinates any    `json:"coordinates"`
}

// MarshalJSON writes the set as a GeoJSON FeatureCollection that Parse
// reads back: every zone with its id, kind, name, country, source,
// accuracy, direction, speed limit and thresholds. Map clients draw it.
func (s *Set) MarshalJSON() ([]byte, error) {
	fc := struct {
		Type     string       `json:"type"`
		Name     string       `json:"name,omitempty"`
		Features []outFeature `json:"features"`
	}{Type: "FeatureCollection", Name: s.Name, Features: make([]outFeature, 0, len(s.Zones))}
	for i := range s.Zones {
		z := &s.Zones[i]
		p := map[string]any{"kind": z.Kind, "source": z.Source}
		for k, v := range map[string]string{"name": z.Name, "country": z.Country, "accuracy": z.Accuracy} {
			if v != "" {
				p[k] = v
			}
		}
		if !math.IsNaN(z.Direction) {
			p["direction"] = z.Direction
		}
		if !math.IsNaN(z.MaxSOG) {
			p["max_sog_kn"] = z.MaxSOG
		}
		if len(z.Thresholds) > 0 {
			p["thresholds"] = z.Thresholds
		}
		f := outFeature{Type: "Feature", ID: z.ID, Properties: p}
		switch {
		case z.HasPoint:
			f.Geometry = outGeometry{"Point", pair(z.Point)}
		case len(z.Line) > 0:
			f.Geometry = outGeometry{"LineString", ring(z.Line)}
		case len(z.Polygons) == 1:
			f.Geometry = outGeometry{"Polygon", polygon(z.Polygons[0])}
		default:
			ps := make([][][][2]float64, len(z.Polygons))
			for i, q := range z.Polygons {
				ps[i] = polygon(q)
			}
			f.Geometry = outGeometry{"MultiPolygon", ps}
		}
		fc.Features = append(fc.Features, f)
	}
	return json.Marshal(fc)
}

func pair(p geo.Point) [2]float64 { return [2]float64{p.Lon, p.Lat} }

func ring(ps []geo.Point) [][2]float64 {
	out := make([][2]float64, len(ps))
	for i, p := range ps {
		out[i] = pair(p)
	}
	return out
}

func polygon(q geo.Polygon) [][][2]float64 {
	out := make([][][2]float64, len(q))
	for i, r := range q {
		out[i] = ring(r)
	}
	return out
}
