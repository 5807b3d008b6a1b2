// Package demo is the built-in demo feed of serve: vessels moving on the
// main routes of the Strait of Hormuz and the Gulf of Oman, reported as AIS
// sentences with tag blocks, written exactly as a receiver would send them,
// so that a newcomer sees a live picture with nothing configured. It is
// demonstration traffic, not a simulation of record; the exercise simulator
// replaces it.
package demo

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"straitwatch/ais"
)

// Feed writes demo traffic. The zero value is not usable: set Clock.
type Feed struct {
	// Clock returns the current time; tag-block times come from it.
	Clock func() time.Time
	// Vessels is the number of vessels. The default value is 60.
	Vessels int
	// Seed makes the traffic reproducible. The default value is 1.
	Seed uint64
	// Source is the tag-block s: station name. The default value is
	// "demo".
	Source string
}

// A waypoint in degrees.
type point struct{ lat, lon float64 }

// routes run through open water between the region's ports (positions from
// shared/geodata, rounded); they are illustrative, not for navigation.
var routes = [][]point{
	// Gulf of Oman to Jebel Ali through the strait (inbound lane side).
	{{25.10, 56.75}, {25.80, 56.90}, {26.40, 56.75}, {26.55, 56.35}, {26.25, 55.80}, {25.60, 55.30}, {25.05, 55.00}},
	// Ras al Khaimah to the Gulf of Oman (outbound lane side).
	{{25.85, 55.85}, {26.30, 56.10}, {26.62, 56.45}, {26.45, 56.85}, {25.70, 57.10}, {24.90, 57.60}},
	// Bandar Abbas to Qeshm and Hormoz island ferries.
	{{27.14, 56.21}, {26.98, 56.25}, {27.06, 56.45}, {27.14, 56.21}},
	// Fujairah anchorage to Sohar along the coast.
	{{25.15, 56.45}, {25.60, 56.55}, {24.40, 56.80}},
	// Jask to Chabahar along the Makran coast.
	{{25.60, 57.75}, {25.35, 58.80}, {25.25, 60.55}},
	// Khasab to Bandar Abbas.
	{{26.20, 56.26}, {26.55, 56.30}, {26.95, 56.15}, {27.10, 56.20}},
	// Muscat (Sultan Qaboos) to the strait.
	{{23.65, 58.60}, {24.50, 57.90}, {25.40, 57.20}, {26.30, 56.85}},
}

type vessel struct {
	mmsi     uint32
	name     string
	callsign string
	imo      uint32
	shipType uint8
	classB   bool
	speed    float64 // knots
	route    []point
	leg      int
	frac     float64 // progress along the leg, 0-1
	forward  bool
	nextPos  time.Time
	nextStat time.Time
	lat, lon float64
	course   float64
}

var (
	mids      = []uint32{422, 461, 470, 636, 538, 351, 477, 403}
	names     = []string{"PERSIAN STAR", "SOHAR PRIDE", "HORMUZ TRADER", "GULF SPIRIT", "KHASAB EXPRESS", "QESHM FERRY 3", "AL BATINAH", "JASK FISHER", "MUSCAT BAY", "DARYA NOOR", "SEA OF OMAN", "MAKRAN DHOW", "FALCON LNG", "ARABIAN SUN", "KISH LINE", "OMAN CARRIER"}
	shipTypes = []uint8{80, 84, 70, 71, 60, 30, 52, 89}
)

func (f *Feed) newVessel(r *rand.Rand, i int) *vessel {
	st := shipTypes[r.IntN(len(shipTypes))]
	v := &vessel{
		mmsi:     mids[r.IntN(len(mids))]*1000000 + uint32(100000+r.IntN(899999)),
		name:     fmt.Sprintf("%s %d", names[r.IntN(len(names))], i+1),
		callsign: fmt.Sprintf("D%05d", r.IntN(100000)),
		imo:      9000000 + uint32(r.IntN(999999)),
		shipType: st,
		route:    routes[r.IntN(len(routes))],
		forward:  r.IntN(2) == 0,
	}
	switch {
	case st == 30: // fishing dhows: slow, Class B
		v.speed, v.classB, v.imo = 4+4*r.Float64(), true, 0
	case st == 60: // ferries
		v.speed = 16 + 6*r.Float64()
	default:
		v.speed = 9 + 7*r.Float64()
	}
	v.leg = r.IntN(len(v.route) - 1)
	v.frac = r.Float64()
	v.position()
	return v
}

// position sets lat, lon and course from the leg and progress.
func (v *vessel) position() {
	a, b := v.route[v.leg], v.route[v.leg+1]
	if !v.forward {
		a, b = b, a
	}
	v.lat = a.lat + (b.lat-a.lat)*v.frac
	v.lon = a.lon + (b.lon-a.lon)*v.frac
	dy := b.lat - a.lat
	dx := (b.lon - a.lon) * math.Cos(a.lat*math.Pi/180)
	v.course = math.Mod(math.Atan2(dx, dy)*180/math.Pi+360, 360)
}

// advance moves the vessel by dt along its route, turning back at its ends.
func (v *vessel) advance(dt time.Duration) {
	nm := v.speed * dt.Hours()
	for nm > 0 {
		a, b := v.route[v.leg], v.route[v.leg+1]
		dy := (b.lat - a.lat) * 60
		dx := (b.lon - a.lon) * 60 * math.Cos(a.lat*math.Pi/180)
		legNM := math.Hypot(dx, dy)
		left := (1 - v.frac) * legNM
		if nm < left {
			v.frac += nm / legNM
			break
		}
		nm -= left
		v.frac = 0
		if v.forward {
			if v.leg++; v.leg == len(v.route)-1 {
				v.leg, v.forward = len(v.route)-2, false
			}
		} else {
			if v.leg--; v.leg < 0 {
				v.leg, v.forward = 0, true
			}
		}
	}
	v.position()
}

// Run writes traffic to w until ctx ends, checking every 250 ms which
// vessels are due to report: position reports every 2-10 s (Class A) or
// 30 s (Class B) with jitter, static data every 6 minutes.
func (f *Feed) Run(ctx context.Context, w io.Writer) error {
	n := f.Vessels
	if n <= 0 {
		n = 60
	}
	seed := f.Seed
	if seed == 0 {
		seed = 1
	}
	src := f.Source
	if src == "" {
		src = "demo"
	}
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	now := f.Clock()
	vs := make([]*vessel, n)
	for i := range vs {
		vs[i] = f.newVessel(r, i)
		vs[i].nextPos = now.Add(time.Duration(r.IntN(5000)) * time.Millisecond)
		vs[i].nextStat = now.Add(time.Duration(r.IntN(20000)) * time.Millisecond)
	}
	last := now
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	var buf []byte
	for seq := 0; ; {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		now := f.Clock()
		dt := now.Sub(last)
		last = now
		buf = buf[:0]
		for _, v := range vs {
			v.advance(dt)
			fr := ais.Framing{Time: now, Source: src, Channel: "AB"[r.IntN(2)], Seq: seq % 10, GroupID: 1 + seq%99999}
			var err error
			if !now.Before(v.nextPos) {
				buf, err = ais.AppendSentences(buf, v.report(r, now), fr)
				if err != nil {
					return fmt.Errorf("demo vessel %d: %w", v.mmsi, err)
				}
				interval := 10 * time.Second
				if v.classB {
					interval = 30 * time.Second
				} else if v.speed > 14 {
					interval = 6 * time.Second
				}
				v.nextPos = now.Add(interval + time.Duration(r.IntN(1000))*time.Millisecond)
			}
			if !now.Before(v.nextStat) {
				for _, m := range v.statics(now) {
					seq++
					fr.Seq, fr.GroupID = seq%10, 1+seq%99999
					if buf, err = ais.AppendSentences(buf, m, fr); err != nil {
						return fmt.Errorf("demo vessel %d: %w", v.mmsi, err)
					}
				}
				v.nextStat = now.Add(6 * time.Minute)
			}
		}
		seq++
		if len(buf) > 0 {
			if _, err := w.Write(buf); err != nil {
				return fmt.Errorf("demo feed: %w", err)
			}
		}
	}
}

// report returns the vessel's position report.
func (v *vessel) report(r *rand.Rand, now time.Time) ais.Message {
	lon, lat := int32(math.Round(v.lon*600000)), int32(math.Round(v.lat*600000))
	sog := ais.Speed(math.Round(v.speed * 10))
	cog := ais.Course(math.Round(v.course*10)) % 3600
	hdg := ais.Heading(int(math.Round(v.course)) % 360)
	if v.classB {
		return &ais.ClassBPositionReport{Header: ais.Header{Type: 18, MMSI: v.mmsi}, Speed: sog, Lon: lon, Lat: lat,
			Course: cog, Heading: ais.HeadingNA, Second: uint8(now.Second()), CS: true, Radio: uint32(r.IntN(1 << 20))}
	}
	return &ais.PositionReport{Header: ais.Header{Type: 1, MMSI: v.mmsi}, Status: 0, Turn: 0, Speed: sog,
		Accuracy: true, Lon: lon, Lat: lat, Course: cog, Heading: hdg, Second: uint8(now.Second()), Radio: uint32(r.IntN(1 << 19))}
}

// statics returns the vessel's static and voyage data messages.
func (v *vessel) statics(now time.Time) []ais.Message {
	if v.classB {
		return []ais.Message{
			&ais.StaticDataReport{Header: ais.Header{Type: 24, MMSI: v.mmsi}, Part: 0, ShipName: v.name},
			&ais.StaticDataReport{Header: ais.Header{Type: 24, MMSI: v.mmsi}, Part: 1, ShipType: v.shipType, VendorID: "SWD",
				CallSign: v.callsign, ToBow: 8, ToStern: 6, ToPort: 2, ToStarboard: 2},
		}
	}
	end := v.route[len(v.route)-1]
	if !v.forward {
		end = v.route[0]
	}
	eta := now.Add(time.Duration(math.Hypot(end.lat-v.lat, end.lon-v.lon)*60/v.speed*3600) * time.Second).UTC()
	return []ais.Message{&ais.StaticVoyageData{Header: ais.Header{Type: 5, MMSI: v.mmsi}, IMO: v.imo, CallSign: v.callsign,
		ShipName: v.name, ShipType: v.shipType, ToBow: 150, ToStern: 40, ToPort: 16, ToStarboard: 16, EPFD: 1,
		Month: uint8(eta.Month()), Day: uint8(eta.Day()), Hour: uint8(eta.Hour()), Minute: uint8(eta.Minute()),
		Draught: 110, Destination: "HORMUZ"}}
}
