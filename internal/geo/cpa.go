package geo

import (
	"math"
	"time"
)

// Motion is a vessel's position and velocity over ground at one instant.
type Motion struct {
	Lat, Lon float64 // degrees
	SOG      float64 // speed over ground, knots
	COG      float64 // course over ground, degrees clockwise from true north
}

// CPA returns the closest point of approach between two vessels moving
// at constant velocity: the least distance between them in nautical miles
// and the time from now until they reach it (TCPA). A negative TCPA means
// the closest approach is in the past: the vessels are moving apart and
// the distance returned is the one at that past instant. When their
// relative velocity is zero, TCPA is 0 and the distance is today's.
//
// It works in a local flat plane centred between the vessels, which is
// accurate to well under 1 % for vessels within a few tens of nautical
// miles, the range where CPA matters. A speed or course that is NaN
// makes both results NaN.
func CPA(a, b Motion) (cpaNM float64, tcpa time.Duration) {
	lat0 := (a.Lat + b.Lat) / 2 * rad
	px := (b.Lon - a.Lon) * 60 * math.Cos(lat0)
	py := (b.Lat - a.Lat) * 60
	avx, avy := a.SOG*math.Sin(a.COG*rad), a.SOG*math.Cos(a.COG*rad)
	bvx, bvy := b.SOG*math.Sin(b.COG*rad), b.SOG*math.Cos(b.COG*rad)
	vx, vy := bvx-avx, bvy-avy
	v2 := vx*vx + vy*vy
	if math.IsNaN(v2) {
		return math.NaN(), 0
	}
	if v2 < 1e-12 {
		return math.Hypot(px, py), 0
	}
	t := -(px*vx + py*vy) / v2 // hours
	cx, cy := px+vx*t, py+vy*t
	return math.Hypot(cx, cy), time.Duration(t * float64(time.Hour))
}
