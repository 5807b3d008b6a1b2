package sim

import (
	"math"

	"straitwatch/ais"
)

// legKind is what a vessel does during one leg of its plan.
type legKind uint8

const (
	legGo    legKind = iota // steer through waypoints at a speed
	legHold                 // stay (anchored, moored or stopped) until a time
	legDrift                // drift on a set course and speed until a time
	legJump                 // appear at a position (a dark vessel reappearing)
)

// leg is one part of a vessel's plan.
type leg struct {
	kind   legKind
	route  []Point // legGo: waypoints; legJump: route[0] is the new position
	speed  float64 // knots: legGo's speed, legDrift's drift speed
	course float64 // legDrift: course in degrees
	until  int64   // legHold, legDrift: end in ms since the start, or if negative a duration from the leg's start
	status uint8   // navigational status during the leg
}

// vessel kinds, for replanning when a plan ends.
type kind uint8

const (
	kindScripted kind = iota // incident vessels: hold still at the end
	kindTransit
	kindPortCall
	kindAnchored
	kindFerry
	kindDhow
	kindFastCraft
	kindBeacon // MOB or AIS-SART
)

// vessel is one simulated AIS station and its motion.
type vessel struct {
	idx        int
	kind       kind
	mmsi       uint32
	name       string
	callsign   string
	imo        uint32
	shipType   uint8
	classB     bool
	dest       string
	bow, stern uint16
	port, stbd uint8
	draught    uint8

	pos    Point
	course float64 // degrees
	speed  float64 // knots
	rot    float64 // degrees per minute, last step
	maxROT float64 // degrees per minute
	accel  float64 // knots per second

	plan []leg
	cur  int
	wp   int // next waypoint of a legGo

	now      int64 // ms since start: time the state is at
	nextPos  int64
	nextStat int64
	dark     [][2]int64 // [from, to) windows with no transmissions

	spoof   []spoofing
	home    Point // dhows: fishing ground
	inbound bool  // transits: the current or last voyage is into the Gulf

	// beacons: burst counter and the safety text.
	burst  int
	text   string
	active int64 // beacons: first transmission
}

// spoofing falsifies the reported position during [from, to).
type spoofing struct {
	from, to int64
	kind     string // IncidentCircle, IncidentOffset or IncidentTeleport
	at       Point  // circle centre, teleport place
	dlat     float64
	dlon     float64 // offset in degrees
}

// reported returns the position, course and speed the vessel reports at
// t: its own, or a spoofed one.
func (v *vessel) reported(t int64) (Point, float64, float64) {
	for _, s := range v.spoof {
		if t < s.from || t >= s.to {
			continue
		}
		switch s.kind {
		case IncidentCircle:
			// 1 nm radius, once round in 30 minutes (about 12.6 kn).
			a := 2 * math.Pi * float64(t-s.from) / 1.8e6
			return move(s.at, a/deg, 1), math.Mod(a/deg+90, 360), 2 * math.Pi / 0.5
		case IncidentOffset:
			return Point{v.pos.Lat + s.dlat, v.pos.Lon + s.dlon}, v.course, v.speed
		case IncidentTeleport:
			return s.at, v.course, v.speed
		}
	}
	return v.pos, v.course, v.speed
}

// status returns the current navigational status.
func (v *vessel) status() uint8 {
	if v.cur < len(v.plan) {
		return v.plan[v.cur].status
	}
	return 5 // moored at the end of its plan
}

// isDark reports whether t falls in a dark window.
func (v *vessel) isDark(t int64) bool {
	for _, w := range v.dark {
		if t >= w[0] && t < w[1] {
			return true
		}
	}
	return false
}

// advance moves the vessel from v.now to t, in steps of at most 1 s.
func (v *vessel) advance(t int64, replan func(*vessel)) {
	for v.now < t {
		if v.cur >= len(v.plan) {
			replan(v)
			if v.cur >= len(v.plan) {
				v.speed, v.rot, v.now = 0, 0, t
				return
			}
		}
		l := &v.plan[v.cur]
		switch l.kind {
		case legJump:
			v.pos = l.route[0]
			v.cur++
			continue
		case legHold:
			if l.until < 0 { // a duration from the leg's start
				l.until = v.now - l.until
			}
			end := min(t, l.until)
			v.rot, v.speed = 0, 0
			v.now = end
			if end >= l.until {
				v.cur++
			}
			continue
		case legDrift:
			if l.until < 0 {
				l.until = v.now - l.until
			}
			end := min(t, l.until)
			v.speed, v.rot = l.speed, 0
			v.pos = move(v.pos, l.course, l.speed*float64(end-v.now)/3.6e6)
			v.course = l.course
			v.now = end
			if end >= l.until {
				v.cur++
			}
			continue
		}
		// legGo: steer towards the waypoint with limited turn rate and
		// acceleration.
		step := min(t-v.now, 1000)
		dt := float64(step) / 1000
		target := l.route[v.wp]
		want := bearing(v.pos, target)
		d := angleDiff(v.course, want)
		maxTurn := v.maxROT / 60 * dt
		turn := math.Max(-maxTurn, math.Min(maxTurn, d))
		v.course = math.Mod(v.course+turn+360, 360)
		v.rot = turn / dt * 60
		// Slow down in sharp turns, then speed up to the leg's speed.
		goal := l.speed
		if math.Abs(d) > 45 {
			goal *= 0.7
		}
		// Slow down towards a stop (anchoring, berthing): 3 kn plus 8 kn a
		// mile to go.
		if v.wp == len(l.route)-1 && v.cur+1 < len(v.plan) && v.plan[v.cur+1].kind == legHold {
			goal = math.Min(goal, 3+8*distNM(v.pos, target))
		}
		if v.speed < goal {
			v.speed = math.Min(goal, v.speed+v.accel*dt)
		} else {
			v.speed = math.Max(goal, v.speed-v.accel*dt)
		}
		nm := v.speed * dt / 3600
		v.pos = move(v.pos, v.course, nm)
		v.now += step
		// Turn radius in nautical miles sets how early a waypoint counts
		// as reached.
		radius := v.speed / 3600 / (v.maxROT / 60 * deg)
		if distNM(v.pos, target) < math.Max(0.15, 1.5*radius) {
			if v.wp++; v.wp >= len(l.route) {
				v.wp = 0
				v.cur++
			}
		}
	}
}

// sog10 returns the speed over ground in tenths of a knot as reported.
func (v *vessel) sog10() int {
	return int(math.Round(v.speed * 10))
}

// turning reports whether the vessel is changing course, as the reporting
// rules mean it (more than 2° a minute, which the rate of turn field shows).
func (v *vessel) turning() bool { return math.Abs(v.rot) > 2 }

// interval returns the time to the next position report in ms, by the
// reporting rules of ITU-R M.1371-5, Annex 1, Tables 1 and 2, computed from
// the values the report carries.
func (v *vessel) interval() int64 {
	if v.kind == kindBeacon {
		// AIS-SART and MOB: bursts of 8 reports, one a minute.
		if v.burst%8 == 7 {
			return 60000 - 7*2000
		}
		return 2000
	}
	return ReportInterval(v.classB, v.status(), v.sog10(), v.turning())
}

// ReportInterval returns the position report interval in ms that ITU-R
// M.1371-5 gives for a station of the class, navigational status, speed
// over ground in tenths of a knot and whether it is changing course.
func ReportInterval(classB bool, status uint8, sog10 int, turning bool) int64 {
	if classB {
		if sog10 > 20 {
			return 30000
		}
		return 180000
	}
	switch {
	case (status == 1 || status == 5) && sog10 <= 30:
		return 180000
	case sog10 > 230:
		return 2000
	case sog10 > 140 && turning:
		return 2000
	case sog10 > 140:
		return 6000
	case turning:
		return 10000 / 3
	default:
		return 10000
	}
}

// turnField returns the rate of turn field for rot degrees per minute.
func turnField(rot float64) ais.Turn {
	if math.Abs(rot) <= 2 {
		return 0
	}
	t := math.Round(4.733 * math.Sqrt(math.Abs(rot)))
	t = math.Min(t, 126)
	if rot < 0 {
		t = -t
	}
	return ais.Turn(t)
}

// positionMessage returns the vessel's position report at its current
// state at t; second is the UTC second.
func (v *vessel) positionMessage(t int64, second uint8, radio uint32) ais.Message {
	pos, course, speed := v.reported(t)
	lon, lat := int32(math.Round(pos.Lon*600000)), int32(math.Round(pos.Lat*600000))
	sog := ais.Speed(min(1022, int(math.Round(speed*10))))
	cog := ais.Course(math.Round(course*10)) % 3600
	hdg := ais.Heading(int(math.Round(course)) % 360)
	if v.classB {
		return &ais.ClassBPositionReport{Header: ais.Header{Type: 18, MMSI: v.mmsi}, Speed: sog, Lon: lon, Lat: lat,
			Course: cog, Heading: ais.HeadingNA, Second: second, CS: true, Radio: radio & (1<<20 - 1)}
	}
	m := &ais.PositionReport{Header: ais.Header{Type: 1, MMSI: v.mmsi}, Status: v.status(), Turn: turnField(v.rot),
		Speed: sog, Accuracy: true, Lon: lon, Lat: lat, Course: cog, Heading: hdg, Second: second, Radio: radio & (1<<19 - 1)}
	if v.kind == kindBeacon {
		m.Status, m.Turn, m.Heading = 14, ais.TurnNA, ais.HeadingNA
	}
	return m
}

// staticMessages returns the vessel's static and voyage data.
func (v *vessel) staticMessages() []ais.Message {
	if v.classB {
		return []ais.Message{
			&ais.StaticDataReport{Header: ais.Header{Type: 24, MMSI: v.mmsi}, Part: 0, ShipName: v.name},
			&ais.StaticDataReport{Header: ais.Header{Type: 24, MMSI: v.mmsi}, Part: 1, ShipType: v.shipType, VendorID: "SWS",
				CallSign: v.callsign, ToBow: v.bow, ToStern: v.stern, ToPort: v.port, ToStarboard: v.stbd},
		}
	}
	return []ais.Message{&ais.StaticVoyageData{Header: ais.Header{Type: 5, MMSI: v.mmsi}, IMO: v.imo, CallSign: v.callsign,
		ShipName: v.name, ShipType: v.shipType, ToBow: v.bow, ToStern: v.stern, ToPort: v.port, ToStarboard: v.stbd, EPFD: 1,
		Month: 0, Day: 0, Hour: 24, Minute: 60, Draught: v.draught, Destination: v.dest}}
}
