// Package zone loads typed zone sets from GeoJSON and answers which zones
// contain a position.
//
// A zone set is a GeoJSON FeatureCollection (RFC 7946, longitude/latitude)
// whose features each carry a "kind" (see [Kind]) and a non-empty
// "source" property naming where their coordinates come from. Traffic
// separation lanes also carry "direction", the direction of travel in
// degrees true. Any zone may carry "max_sog_kn", a speed limit in knots,
// and "thresholds", an object of named positive numbers that detectors
// read as per-zone thresholds (see the detect package for the names).
//
// The default region, the Strait of Hormuz with the Gulf of Oman and the
// Gulf, is embedded in the binary ([Default]); other regions load from a
// file ([Load]) or bytes ([Parse]). See regions/README.md for what the
// default holds and what it leaves out for want of a source.
package zone

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"

	"straitwatch/internal/geo"
)

// Kind is what a zone is.
type Kind string

// Zone kinds, as spelled in the "kind" property.
const (
	KindTerritorialSea Kind = "territorial_sea"
	KindBoundary       Kind = "boundary"                   // a boundary line
	KindShelfBoundary  Kind = "continental_shelf_boundary" // a boundary line from a shelf treaty
	KindTSSLane        Kind = "tss_lane"                   // traffic lane; needs "direction"
	KindSeparationZone Kind = "separation_zone"            // TSS separation zone
	KindPort           Kind = "port"                       // port area or reference point
	KindAnchorage      Kind = "anchorage"
	KindRestricted     Kind = "restricted_area"
	KindAdvisory       Kind = "advisory_area" // flag-state security advisory area
	KindSAR            Kind = "sar_region"    // search-and-rescue region
	KindIsland         Kind = "island"        // island label point
)

// knownKinds is the read-only table of accepted kinds.
var knownKinds = map[Kind]bool{
	KindTerritorialSea: true, KindBoundary: true, KindShelfBoundary: true, KindTSSLane: true,
	KindSeparationZone: true, KindPort: true, KindAnchorage: true, KindRestricted: true,
	KindAdvisory: true, KindSAR: true, KindIsland: true,
}

// Zone is one feature of a zone set. Exactly one of Polygons, Line and
// Point is set, according to the feature's geometry.
type Zone struct {
	ID       string // the feature's id
	Kind     Kind
	Name     string
	Country  string // ISO 3166 alpha-3 code when given; "" otherwise
	Source   string // where the coordinates come from; never empty
	Accuracy string // what the coordinates are good for; "" when not given
	// Polygons holds the areas of a Polygon or MultiPolygon feature.
	Polygons []geo.Polygon
	// Line holds the vertices of a LineString feature.
	Line []geo.Point
	// Point is the position of a Point feature; HasPoint says it is set.
	Point    geo.Point
	HasPoint bool
	// Direction is a traffic lane's direction of travel in degrees true;
	// NaN for other zones.
	Direction float64
	// MaxSOG is the zone's speed limit in knots; NaN when it has none.
	MaxSOG float64
	// Thresholds holds the zone's per-zone detector thresholds by name;
	// nil when it has none.
	Thresholds map[string]float64
	// Bounds is the bounding box of the geometry.
	Bounds geo.Box
}

// IsArea reports whether z has an area, so that positions can lie in it.
func (z *Zone) IsArea() bool { return len(z.Polygons) > 0 }

// Contains reports whether the position lies in one of z's polygons.
func (z *Zone) Contains(lat, lon float64) bool {
	if !z.Bounds.Contains(lat, lon) {
		return false
	}
	for _, p := range z.Polygons {
		if p.Contains(lat, lon) {
			return true
		}
	}
	return false
}

// Set is a zone set with its spatial index. It is read-only once built
// and safe for concurrent use.
type Set struct {
	Name  string
	Zones []Zone
	idx   grid
}

// ErrNoSource is returned (wrapped) for a feature without a source.
var ErrNoSource = errors.New("no source")

// Load reads a zone set from a GeoJSON file.
func Load(path string) (*Set, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("zone set: %w", err)
	}
	s, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("zone set %s: %w", path, err)
	}
	return s, nil
}

type fileFC struct {
	Type     string        `json:"type"`
	Name     string        `json:"name"`
	Features []fileFeature `json:"features"`
}

type fileFeature struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Geometry   *fileGeometry   `json:"geometry"`
	Properties map[string]any  `json:"properties"`
}

type fileGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// Parse reads a zone set from GeoJSON bytes. It rejects, with the
// feature's id in the error, a feature without a known kind or a source,
// a lane without a direction, and coordinates outside -180..180,
// -90..90.
func Parse(data []byte) (*Set, error) {
	return merge(data)
}

// merge parses one or more FeatureCollections into one set.
func merge(files ...[]byte) (*Set, error) {
	s := &Set{}
	seen := map[string]bool{}
	for _, data := range files {
		var fc fileFC
		if err := json.Unmarshal(data, &fc); err != nil {
			return nil, fmt.Errorf("geojson: %w", err)
		}
		if fc.Type != "FeatureCollection" {
			return nil, fmt.Errorf("geojson: type %q, want FeatureCollection", fc.Type)
		}
		if s.Name == "" {
			s.Name = fc.Name
		}
		for i, f := range fc.Features {
			z, err := parseFeature(f)
			if err != nil {
				return nil, fmt.Errorf("feature %d (%s): %w", i, featureID(f.ID), err)
			}
			if z.ID == "" {
				z.ID = fmt.Sprintf("%s#%d", fc.Name, i)
			}
			if seen[z.ID] {
				return nil, fmt.Errorf("feature %d: duplicate id %q", i, z.ID)
			}
			seen[z.ID] = true
			s.Zones = append(s.Zones, z)
		}
	}
	s.idx = buildGrid(s.Zones)
	return s, nil
}

func featureID(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

func str(p map[string]any, k string) string {
	s, _ := p[k].(string)
	return s
}

func parseFeature(f fileFeature) (Zone, error) {
	z := Zone{ID: featureID(f.ID), Direction: math.NaN(), MaxSOG: math.NaN()}
	p := f.Properties
	z.Kind = Kind(str(p, "kind"))
	if !knownKinds[z.Kind] {
		return z, fmt.Errorf("unknown kind %q", z.Kind)
	}
	z.Name, z.Country, z.Source, z.Accuracy = str(p, "name"), str(p, "country"), str(p, "source"), str(p, "accuracy")
	if z.Source == "" {
		return z, ErrNoSource
	}
	if v, ok := p["direction"]; ok {
		d, ok := v.(float64)
		if !ok || !(d >= 0 && d < 360) {
			return z, fmt.Errorf("direction %v: want degrees 0..360", v)
		}
		z.Direction = d
	}
	if z.Kind == KindTSSLane && math.IsNaN(z.Direction) {
		return z, errors.New("traffic lane without a direction")
	}
	if v, ok := p["max_sog_kn"]; ok {
		d, ok := v.(float64)
		if !ok || !(d > 0) {
			return z, fmt.Errorf("max_sog_kn %v: want knots above 0", v)
		}
		z.MaxSOG = d
	}
	if v, ok := p["thresholds"]; ok {
		m, ok := v.(map[string]any)
		if !ok {
			return z, fmt.Errorf("thresholds %v: want an object", v)
		}
		z.Thresholds = make(map[string]float64, len(m))
		for k, x := range m {
			d, ok := x.(float64)
			if !ok || !(d > 0) {
				return z, fmt.Errorf("threshold %s = %v: want a number above 0", k, x)
			}
			z.Thresholds[k] = d
		}
	}
	if f.Geometry == nil {
		return z, errors.New("no geometry")
	}
	c := f.Geometry.Coordinates
	var err error
	switch f.Geometry.Type {
	case "Point":
		var q [2]float64
		if err = json.Unmarshal(c, &q); err == nil {
			z.Point, z.HasPoint = geo.Point{Lat: q[1], Lon: q[0]}, true
			err = checkPoints([]geo.Point{z.Point})
			z.Bounds = geo.Box{MinLat: q[1], MaxLat: q[1], MinLon: q[0], MaxLon: q[0]}
		}
	case "LineString":
		var q [][2]float64
		if err = json.Unmarshal(c, &q); err == nil {
			if len(q) < 2 {
				return z, errors.New("line with fewer than 2 points")
			}
			z.Line = toPoints(q)
			err = checkPoints(z.Line)
			z.Bounds = geo.Polygon{z.Line}.Bounds()
		}
	case "Polygon":
		var q [][][2]float64
		if err = json.Unmarshal(c, &q); err == nil {
			err = z.addPolygon(q)
		}
	case "MultiPolygon":
		var q [][][][2]float64
		if err = json.Unmarshal(c, &q); err == nil {
			for _, pq := range q {
				if err = z.addPolygon(pq); err != nil {
					break
				}
			}
		}
	default:
		return z, fmt.Errorf("geometry type %q not supported", f.Geometry.Type)
	}
	if err != nil {
		return z, fmt.Errorf("%s coordinates: %w", f.Geometry.Type, err)
	}
	if z.Kind == KindTSSLane || z.Kind == KindSeparationZone || z.Kind == KindAnchorage || z.Kind == KindSAR || z.Kind == KindTerritorialSea || z.Kind == KindRestricted {
		if !z.IsArea() {
			return z, fmt.Errorf("kind %s needs a Polygon or MultiPolygon", z.Kind)
		}
	}
	return z, nil
}

func toPoints(q [][2]float64) []geo.Point {
	ps := make([]geo.Point, len(q))
	for i, c := range q {
		ps[i] = geo.Point{Lat: c[1], Lon: c[0]}
	}
	return ps
}

func checkPoints(ps []geo.Point) error {
	for _, p := range ps {
		if !(p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180) {
			return fmt.Errorf("position %v,%v outside -180..180, -90..90", p.Lon, p.Lat)
		}
	}
	return nil
}

func (z *Zone) addPolygon(q [][][2]float64) error {
	if len(q) == 0 {
		return errors.New("polygon without rings")
	}
	var poly geo.Polygon
	for _, r := range q {
		if len(r) < 4 {
			return errors.New("ring with fewer than 4 positions")
		}
		ring := geo.Ring(toPoints(r))
		if err := checkPoints(ring); err != nil {
			return err
		}
		poly = append(poly, ring)
	}
	b := poly.Bounds()
	if len(z.Polygons) == 0 {
		z.Bounds = b
	} else {
		z.Bounds.MinLat = math.Min(z.Bounds.MinLat, b.MinLat)
		z.Bounds.MinLon = math.Min(z.Bounds.MinLon, b.MinLon)
		z.Bounds.MaxLat = math.Max(z.Bounds.MaxLat, b.MaxLat)
		z.Bounds.MaxLon = math.Max(z.Bounds.MaxLon, b.MaxLon)
	}
	z.Polygons = append(z.Polygons, poly)
	return nil
}

// Containing appends to dst the indexes in s.Zones of the area zones
// that contain the position, in ascending order, and returns the
// extended slice. It allocates nothing when dst has room.
func (s *Set) Containing(dst []int, lat, lon float64) []int {
	es := s.idx.candidates(lat, lon)
	last := int32(-1)
	for i := range es {
		if e := &es[i]; e.zone != last && e.contains(lat, lon) {
			dst = append(dst, int(e.zone))
			last = e.zone
		}
	}
	return dst
}

// Nearest returns the index of the zone of the given kind whose point,
// vertex or polygon vertex lies nearest the position, and that distance
// in metres; -1 and +Inf when s has no zone of that kind. For areas it
// returns 0 when the position is inside.
func (s *Set) Nearest(lat, lon float64, kind Kind) (int, float64) {
	best, bestD := -1, math.Inf(1)
	for i := range s.Zones {
		z := &s.Zones[i]
		if z.Kind != kind {
			continue
		}
		d := math.Inf(1)
		switch {
		case z.HasPoint:
			d = geo.Distance(lat, lon, z.Point.Lat, z.Point.Lon)
		case z.IsArea() && z.Contains(lat, lon):
			d = 0
		default:
			for _, p := range z.Polygons {
				for _, r := range p {
					for _, q := range r {
						d = math.Min(d, geo.Distance(lat, lon, q.Lat, q.Lon))
					}
				}
			}
			for _, q := range z.Line {
				d = math.Min(d, geo.Distance(lat, lon, q.Lat, q.Lon))
			}
		}
		if d < bestD {
			best, bestD = i, d
		}
	}
	return best, bestD
}

// ByID returns the zone with the given id, or nil.
func (s *Set) ByID(id string) *Zone {
	for i := range s.Zones {
		if s.Zones[i].ID == id {
			return &s.Zones[i]
		}
	}
	return nil
}

// Union returns a set of the zones of every set, in order, with a new
// index; a zone ID used twice is an error. Its name is the first set's.
func Union(sets ...*Set) (*Set, error) {
	u := &Set{}
	seen := map[string]bool{}
	for _, s := range sets {
		if u.Name == "" {
			u.Name = s.Name
		}
		for _, z := range s.Zones {
			if seen[z.ID] {
				return nil, fmt.Errorf("zone id %q in two sets", z.ID)
			}
			seen[z.ID] = true
			u.Zones = append(u.Zones, z)
		}
	}
	u.idx = buildGrid(u.Zones)
	return u, nil
}

// Open returns the zone set a server or a replay works with: the set in
// the GeoJSON file base, or the embedded default region when base is
// empty, with the sets in the files extra added (Union).
func Open(base string, extra ...string) (*Set, error) {
	var s *Set
	var err error
	if base != "" {
		s, err = Load(base)
	} else {
		s, err = Default()
	}
	if err != nil || len(extra) == 0 {
		return s, err
	}
	sets := []*Set{s}
	for _, path := range extra {
		x, err := Load(path)
		if err != nil {
			return nil, err
		}
		sets = append(sets, x)
	}
	return Union(sets...)
}
