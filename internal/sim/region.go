package sim

import (
	"math"
	"sort"
)

// Point is a position in degrees.
type Point struct{ Lat, Lon float64 }

// Place is a named place of the default region.
type Place struct {
	Point
	// Source says where the position comes from.
	Source string
}

// The default region's places. Ports and anchorages come from
// shared/geodata/region-hormuz.geojson (NGA World Port Index points and
// Global Fishing Watch anchorage centroids). The traffic separation scheme
// lines, the ferry terminals off the WPI list and the open-sea points are
// approximate, drawn from public descriptions of the Strait of Hormuz: they
// are for simulation, not for navigation.
var places = map[string]Place{
	"bandar-abbas":          {Point{27.15, 56.20}, "WPI"},
	"shahid-rajaee":         {Point{27.10, 56.066667}, "WPI"},
	"hormoz-island":         {Point{27.10, 56.45}, "WPI"},
	"qeshm-town":            {Point{26.955, 56.275}, "approximate, off the town's pier"},
	"jask":                  {Point{25.633333, 57.766667}, "WPI"},
	"chabahar":              {Point{25.266667, 60.616667}, "WPI"},
	"khasab":                {Point{26.216667, 56.233333}, "WPI"},
	"muscat":                {Point{23.633333, 58.583333}, "WPI"},
	"sohar":                 {Point{24.516667, 56.633333}, "WPI"},
	"fujairah":              {Point{25.166667, 56.333333}, "WPI"},
	"khor-fakkan":           {Point{25.35, 56.383333}, "WPI"},
	"jebel-ali":             {Point{25.016667, 55.05}, "WPI"},
	"ras-al-khaimah":        {Point{25.983333, 56.05}, "WPI"},
	"fujairah-anchorage":    {Point{25.22459, 56.51598}, "GFW anchorage centroid"},
	"khor-fakkan-anchorage": {Point{25.3692, 56.52634}, "GFW anchorage centroid"},
	"dubai-d-anchorage":     {Point{25.51171, 54.95488}, "GFW anchorage centroid"},
	"tss-inbound":           {Point{26.60, 56.58}, "approximate TSS inbound lane, at the bend"},
	"tss-outbound":          {Point{26.50, 56.50}, "approximate TSS outbound lane, at the bend"},
	"gulf-of-oman":          {Point{25.20, 57.30}, "open water, approximate"},
	"off-jask":              {Point{25.45, 57.65}, "open water, approximate"},
	"off-musandam":          {Point{26.40, 56.70}, "open water east of Musandam, approximate"},
	"west-of-tunbs":         {Point{26.15, 55.05}, "open water, approximate"},
	"off-qeshm-south":       {Point{26.55, 55.85}, "open water south of Qeshm, approximate"},
}

// Places returns the names of the region's places, sorted.
func Places() []string {
	names := make([]string, 0, len(places))
	for n := range places {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Approximate centre lines of the Strait of Hormuz traffic separation scheme,
// in the direction of travel, drawn from its public description (two lanes
// of 2 nautical miles with a 2 nautical mile separation zone, off the
// Musandam peninsula, traffic keeping to starboard). Not for navigation.
var (
	laneInbound = []Point{{25.45, 57.08}, {25.95, 56.93}, {26.38, 56.82}, {26.65, 56.62},
		{26.52, 56.28}, {26.38, 55.98}, {26.12, 55.62}}
	laneOutbound = []Point{{26.05, 55.65}, {26.30, 56.00}, {26.45, 56.30}, {26.56, 56.55},
		{26.30, 56.75}, {25.90, 56.85}, {25.40, 57.00}}
)

// The parts of the lanes inside the scheme proper, off Musandam
// (approximate), used for wrong-way traffic.
var (
	tssInbound  = laneInbound[2:6]
	tssOutbound = laneOutbound[1:5]
)

// Transit ends: where inbound ships go after the lane, and where outbound
// ones come from (the Gulf side), and the Gulf of Oman side.
var (
	gulfEnds = [][]Point{
		{{25.60, 55.20}, {25.05, 55.00}},                 // Jebel Ali
		{{25.75, 55.25}, {25.51, 54.96}},                 // Dubai D anchorage
		{{26.05, 55.00}, {26.40, 53.80}, {26.60, 52.50}}, // up the Gulf
		{{26.25, 55.40}, {26.60, 54.40}, {27.00, 53.00}}, // up the Gulf, north of the Tunbs
	}
	omanEnds = [][]Point{
		{{24.80, 57.40}, {23.90, 58.60}, {22.80, 60.00}}, // to the Arabian Sea
		{{25.10, 57.60}, {25.00, 59.00}, {24.80, 61.50}}, // east, to Pakistan and India
		{{25.25, 56.75}, {25.22, 56.52}},                 // Fujairah anchorage
	}
)

// defaultReceivers are coastal stations of the region (positions near the
// named ports, rounded).
var defaultReceivers = []Receiver{
	{Name: "bandar-abbas-rx", Lat: 27.15, Lon: 56.20, RangeNM: 45, Loss: 0.02},
	{Name: "khasab-rx", Lat: 26.20, Lon: 56.25, RangeNM: 40, Loss: 0.02},
	{Name: "fujairah-rx", Lat: 25.17, Lon: 56.35, RangeNM: 40, Loss: 0.02},
	{Name: "jask-rx", Lat: 25.64, Lon: 57.77, RangeNM: 40, Loss: 0.03},
	{Name: "dubai-rx", Lat: 25.25, Lon: 55.30, RangeNM: 40, Loss: 0.02},
	{Name: "muscat-rx", Lat: 23.63, Lon: 58.58, RangeNM: 40, Loss: 0.02},
}

const (
	earthNM = 3440.065 // mean Earth radius in nautical miles
	deg     = math.Pi / 180
)

// distNM returns the great-circle distance between a and b in nautical
// miles.
func distNM(a, b Point) float64 {
	dlat := (b.Lat - a.Lat) * deg
	dlon := (b.Lon - a.Lon) * deg
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(a.Lat*deg)*math.Cos(b.Lat*deg)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * earthNM * math.Asin(math.Sqrt(min(1, h)))
}

// bearing returns the initial bearing from a to b in degrees, 0-360, on a
// local flat projection (adequate over the tens of miles used here).
func bearing(a, b Point) float64 {
	dy := b.Lat - a.Lat
	dx := (b.Lon - a.Lon) * math.Cos(a.Lat*deg)
	return math.Mod(math.Atan2(dx, dy)/deg+360, 360)
}

// move returns p moved nm nautical miles on course c (degrees).
func move(p Point, c, nm float64) Point {
	p.Lat += nm * math.Cos(c*deg) / 60
	p.Lon += nm * math.Sin(c*deg) / 60 / math.Cos(p.Lat*deg)
	return p
}

// angleDiff returns b-a in degrees, in (-180, 180].
func angleDiff(a, b float64) float64 {
	d := math.Mod(b-a, 360)
	if d > 180 {
		d -= 360
	} else if d <= -180 {
		d += 360
	}
	return d
}

// jitter returns p moved by up to r nautical miles in a random direction.
func jitter(rng randSource, p Point, r float64) Point {
	return move(p, rng.Float64()*360, r*math.Sqrt(rng.Float64()))
}

// randSource is the part of *rand.Rand the simulator uses.
type randSource interface {
	Float64() float64
	IntN(n int) int
}
