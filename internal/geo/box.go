// Package geo provides the geometry straitwatch shares between packages:
// bounding boxes today; geodesy, zones and CPA/TCPA as they arrive.
package geo

import (
	"fmt"
	"strconv"
	"strings"
)

// Box is a latitude/longitude bounding box in degrees. It does not cross
// the antimeridian: MinLon <= MaxLon.
type Box struct {
	MinLat, MinLon, MaxLat, MaxLon float64
}

// World is the box that contains every position.
var World = Box{MinLat: -90, MinLon: -180, MaxLat: 90, MaxLon: 180}

// Contains reports whether the position lies in b, edges included.
func (b Box) Contains(lat, lon float64) bool {
	return lat >= b.MinLat && lat <= b.MaxLat && lon >= b.MinLon && lon <= b.MaxLon
}

// ParseBox parses "minLon,minLat,maxLon,maxLat", the order of GeoJSON
// bounding boxes and of most map APIs.
func ParseBox(s string) (Box, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return Box{}, fmt.Errorf("bbox %q: want minLon,minLat,maxLon,maxLat", s)
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return Box{}, fmt.Errorf("bbox %q: %q is not a number", s, p)
		}
		v[i] = f
	}
	b := Box{MinLon: v[0], MinLat: v[1], MaxLon: v[2], MaxLat: v[3]}
	if err := b.Validate(); err != nil {
		return Box{}, fmt.Errorf("bbox %q: %w", s, err)
	}
	return b, nil
}

// Validate reports whether b is a proper box on the globe.
func (b Box) Validate() error {
	switch {
	case !inRange(b.MinLat, 90) || !inRange(b.MaxLat, 90) || !inRange(b.MinLon, 180) || !inRange(b.MaxLon, 180):
		return fmt.Errorf("outside -180..180, -90..90")
	case b.MinLat > b.MaxLat || b.MinLon > b.MaxLon:
		return fmt.Errorf("minimum above maximum")
	}
	return nil
}

// inRange reports whether -lim <= v <= lim (false for NaN).
func inRange(v, lim float64) bool { return v >= -lim && v <= lim }
