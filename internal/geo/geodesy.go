package geo

import "math"

// EarthRadius is the mean radius of the Earth (IUGG), in metres, used by
// the spherical formulas of this package.
const EarthRadius = 6371008.8

// NauticalMile is one international nautical mile in metres.
const NauticalMile = 1852.0

// Point is a position in degrees: latitude north, longitude east.
type Point struct {
	Lat, Lon float64
}

const rad = math.Pi / 180

// Distance returns the great-circle distance between two positions in
// metres, by the haversine formula on a sphere of EarthRadius. Its error
// against the WGS 84 ellipsoid is at most about 0.5 %.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	p1, p2 := lat1*rad, lat2*rad
	dp := (lat2 - lat1) * rad
	dl := (lon2 - lon1) * rad
	s1, s2 := math.Sin(dp/2), math.Sin(dl/2)
	h := s1*s1 + math.Cos(p1)*math.Cos(p2)*s2*s2
	if h > 1 {
		h = 1
	}
	return 2 * EarthRadius * math.Asin(math.Sqrt(h))
}

// Bearing returns the initial great-circle bearing from the first position
// to the second, in degrees clockwise from true north, in [0, 360). It is
// 0 when the positions coincide.
func Bearing(lat1, lon1, lat2, lon2 float64) float64 {
	p1, p2 := lat1*rad, lat2*rad
	dl := (lon2 - lon1) * rad
	y := math.Sin(dl) * math.Cos(p2)
	x := math.Cos(p1)*math.Sin(p2) - math.Sin(p1)*math.Cos(p2)*math.Cos(dl)
	b := math.Atan2(y, x) / rad
	if b < 0 {
		b += 360
	}
	if b >= 360 {
		b -= 360
	}
	return b
}

// Destination returns the position reached from (lat, lon) after
// travelling dist metres along the great circle of initial bearing
// bearing degrees.
func Destination(lat, lon, bearing, dist float64) (float64, float64) {
	d := dist / EarthRadius
	p1, l1, b := lat*rad, lon*rad, bearing*rad
	p2 := math.Asin(math.Sin(p1)*math.Cos(d) + math.Cos(p1)*math.Sin(d)*math.Cos(b))
	l2 := l1 + math.Atan2(math.Sin(b)*math.Sin(d)*math.Cos(p1), math.Cos(d)-math.Sin(p1)*math.Sin(p2))
	lon2 := math.Mod(l2/rad+540, 360) - 180
	return p2 / rad, lon2
}
