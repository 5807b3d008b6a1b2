package geo

import "math"

// Ring is a closed sequence of positions; the last may repeat the first.
type Ring []Point

// Polygon is an outer ring followed by zero or more holes, as in GeoJSON.
// Its edges are straight lines in longitude/latitude, which is how GeoJSON
// (RFC 7946) draws them; it must not cross the antimeridian.
type Polygon []Ring

// Contains reports whether the position lies inside r by the even-odd
// rule. Points exactly on an edge may fall either way.
func (r Ring) Contains(lat, lon float64) bool {
	in := false
	n := len(r)
	if n < 3 {
		return false
	}
	j := n - 1
	for i := 0; i < n; i++ {
		a, b := r[i], r[j]
		if (a.Lat > lat) != (b.Lat > lat) {
			x := (b.Lon-a.Lon)*(lat-a.Lat)/(b.Lat-a.Lat) + a.Lon
			if lon < x {
				in = !in
			}
		}
		j = i
	}
	return in
}

// Contains reports whether the position lies inside the outer ring of p
// and in none of its holes.
func (p Polygon) Contains(lat, lon float64) bool {
	if len(p) == 0 || !p[0].Contains(lat, lon) {
		return false
	}
	for _, h := range p[1:] {
		if h.Contains(lat, lon) {
			return false
		}
	}
	return true
}

// Bounds returns the bounding box of p's outer ring; the zero Box when p
// is empty.
func (p Polygon) Bounds() Box {
	if len(p) == 0 || len(p[0]) == 0 {
		return Box{}
	}
	b := Box{MinLat: math.Inf(1), MinLon: math.Inf(1), MaxLat: math.Inf(-1), MaxLon: math.Inf(-1)}
	for _, q := range p[0] {
		b.MinLat = math.Min(b.MinLat, q.Lat)
		b.MaxLat = math.Max(b.MaxLat, q.Lat)
		b.MinLon = math.Min(b.MinLon, q.Lon)
		b.MaxLon = math.Max(b.MaxLon, q.Lon)
	}
	return b
}
