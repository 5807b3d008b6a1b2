package ais

import "math"

// Speed is speed over ground in tenths of a knot, as types 1-3, 18 and 19
// carry it. 1023 means not available; 1022 means 102.2 kn or more.
type Speed uint16

// SpeedNA is the "not available" speed.
const SpeedNA Speed = 1023

// Knots returns the speed in knots, or ok == false when not available.
func (s Speed) Knots() (kn float64, ok bool) {
	if s >= SpeedNA {
		return 0, false
	}
	return float64(s) / 10, true
}

// Course is course over ground in tenths of a degree. 3600 means not
// available; 3601 and above are invalid.
type Course uint16

// CourseNA is the "not available" course.
const CourseNA Course = 3600

// Degrees returns the course in degrees, or ok == false when not
// available or invalid.
func (c Course) Degrees() (deg float64, ok bool) {
	if c >= CourseNA {
		return 0, false
	}
	return float64(c) / 10, true
}

// Heading is true heading in whole degrees. 511 means not available.
type Heading uint16

// HeadingNA is the "not available" heading.
const HeadingNA Heading = 511

// Degrees returns the heading, or ok == false when not available or
// invalid.
func (h Heading) Degrees() (deg int, ok bool) {
	if h >= 360 {
		return 0, false
	}
	return int(h), true
}

// Turn is the rate of turn indicator ROT_AIS of types 1-3: 4.733 times the
// square root of the rate in degrees per minute, signed (positive turns
// right). -128 means not available; ±127 means turning at more than 5° in
// 30 s with no turn indicator; ±126 means 708°/min or more.
type Turn int8

// TurnNA is the "not available" rate of turn.
const TurnNA Turn = -128

// DegreesPerMinute returns the rate of turn, or ok == false when not
// available or when the sender gave only a direction (±127; see Fast).
func (t Turn) DegreesPerMinute() (rate float64, ok bool) {
	if t == TurnNA || t == 127 || t == -127 {
		return 0, false
	}
	r := float64(t) / 4.733
	return math.Copysign(r*r, r), true
}

// Fast reports the direction of a turn faster than 5° in 30 s sent without
// a rate: +1 right, -1 left, 0 otherwise.
func (t Turn) Fast() int {
	switch t {
	case 127:
		return 1
	case -127:
		return -1
	}
	return 0
}

// position converts raw latitude and longitude in units of 1/div degree,
// rejecting the "not available" values (91°, 181°) and anything out of
// range.
func position(lat, lon int32, div float64) (float64, float64, bool) {
	la, lo := float64(lat)/div, float64(lon)/div
	if la < -90 || la > 90 || lo < -180 || lo > 180 {
		return 0, 0, false
	}
	return la, lo, true
}

// Divisors for the position resolutions AIS uses.
const (
	div4 = 600000.0 // 1/10000 minute (types 1-4, 9, 11, 18, 19, 21)
	div1 = 600.0    // 1/10 minute (types 17, 22, 23, 27)
	div3 = 60000.0  // 1/1000 minute (binary application payloads)
)
