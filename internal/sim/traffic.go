package sim

import (
	"fmt"
	"math"
)

// forever is a leg end beyond any run.
const forever = math.MaxInt64 / 4

var (
	mids      = []uint32{422, 636, 538, 477, 353, 470, 461, 563, 403, 419, 256, 215}
	nameParts = []string{"GULF", "OCEAN", "PERSIAN", "ARABIAN", "HORMUZ", "MUSCAT", "SOHAR", "STAR", "PRIDE",
		"SPIRIT", "GLORY", "TRADER", "VENTURE", "FALCON", "PEARL", "CROWN", "HORIZON", "MARINER"}
	dhowGrounds   = []Point{{25.55, 57.90}, {26.30, 56.45}, {26.60, 55.95}, {25.30, 59.00}, {24.60, 56.85}, {26.95, 56.60}}
	fujairahBerth = Point{25.165, 56.37} // approximate, in the harbour basin east of the WPI point
	ferryEnds     = []Point{{27.14, 56.22}, {26.955, 56.275}, {27.09, 56.44}}
	craftEnds     = []Point{{26.20, 56.25}, {26.87, 56.36}, {27.05, 56.05}, {26.95, 56.28}}
)

// mmsiFor returns a unique MMSI for vessel index idx.
func mmsiFor(idx int, seed uint64) uint32 {
	mid := mids[idx%len(mids)]
	serial := (uint64(idx)*7919 + seed*104729) % 900000
	return mid*1000000 + 100000 + uint32(serial)
}

// newVessel returns a vessel of kind k with a generated identity.
func (s *Simulator) newVessel(k kind) *vessel {
	idx := len(s.vessels)
	r := s.rng
	v := &vessel{idx: idx, kind: k, mmsi: mmsiFor(idx, s.sc.Seed), maxROT: 20, accel: 0.01}
	v.name = fmt.Sprintf("%s %s %d", nameParts[r.IntN(len(nameParts))], nameParts[r.IntN(len(nameParts))], idx%1000)
	v.callsign = fmt.Sprintf("%c%c%04d", 'A'+r.IntN(26), 'A'+r.IntN(26), r.IntN(10000))
	v.imo = 9100000 + uint32(r.IntN(800000))
	v.bow, v.stern, v.port, v.stbd, v.draught = 180, 40, 20, 20, uint8(80+r.IntN(100))
	switch k {
	case kindTransit, kindPortCall, kindAnchored, kindScripted:
		v.shipType = []uint8{80, 81, 84, 70, 71, 74, 89}[r.IntN(7)]
	case kindFerry:
		v.shipType, v.maxROT, v.accel = 60, 90, 0.1
		v.bow, v.stern, v.port, v.stbd, v.draught = 30, 10, 5, 5, 25
		v.name = fmt.Sprintf("QESHM FERRY %d", idx%1000)
	case kindDhow:
		v.shipType, v.classB, v.maxROT, v.accel, v.imo = 30, true, 60, 0.05, 0
		v.bow, v.stern, v.port, v.stbd = 14, 6, 3, 3
		v.name = fmt.Sprintf("DHOW %d", idx%10000)
	case kindFastCraft:
		v.shipType, v.classB, v.maxROT, v.accel, v.imo = 37, true, 180, 0.5, 0
		v.bow, v.stern, v.port, v.stbd = 8, 4, 2, 2
		v.name = fmt.Sprintf("SPEEDBOAT %d", idx%10000)
	}
	s.vessels = append(s.vessels, v)
	return v
}

// jitterRoute returns route with every point moved by up to r nm.
func (s *Simulator) jitterRoute(route []Point, r float64) []Point {
	out := make([]Point, len(route))
	for i, p := range route {
		out[i] = jitter(s.rng, p, r)
	}
	return out
}

// transitRoute returns a full route through the strait: inbound from the
// Gulf of Oman to the Gulf, or outbound.
func (s *Simulator) transitRoute(inbound bool) []Point {
	r := s.rng
	gulf := gulfEnds[r.IntN(len(gulfEnds))]
	oman := omanEnds[r.IntN(len(omanEnds))]
	var route []Point
	if inbound {
		for i := len(oman) - 1; i >= 0; i-- {
			route = append(route, oman[i])
		}
		route = append(route, s.jitterRoute(laneInbound, 0.4)...)
		route = append(route, gulf...)
	} else {
		for i := len(gulf) - 1; i >= 0; i-- {
			route = append(route, gulf[i])
		}
		route = append(route, s.jitterRoute(laneOutbound, 0.4)...)
		route = append(route, oman...)
	}
	return route
}

// startOnRoute puts v at a random point of route, underway at speed, with
// the rest of the route as its first leg.
func (s *Simulator) startOnRoute(v *vessel, route []Point, speed float64, random bool) {
	k := 1
	frac := 0.0
	if random {
		k = 1 + s.rng.IntN(len(route)-1)
		frac = s.rng.Float64()
	}
	a, b := route[k-1], route[k]
	v.pos = Point{a.Lat + (b.Lat-a.Lat)*frac, a.Lon + (b.Lon-a.Lon)*frac}
	v.course = bearing(v.pos, b)
	v.speed = speed
	v.plan = append(v.plan, leg{kind: legGo, route: route[k:], speed: speed, status: 0})
}

// transitSpeed returns a service speed in knots for the ship type.
func (s *Simulator) transitSpeed(v *vessel) float64 {
	switch v.shipType {
	case 71, 74: // container ships
		return 16 + 6*s.rng.Float64()
	case 84: // LNG
		return 15 + 4*s.rng.Float64()
	default:
		return 11 + 4*s.rng.Float64()
	}
}

// addBackground creates the scenario's background traffic.
func (s *Simulator) addBackground() {
	t := s.sc.Traffic
	r := s.rng
	for range scaled(t.Transits, t.Density) {
		v := s.newVessel(kindTransit)
		inbound := r.IntN(2) == 0
		v.inbound = inbound
		v.dest = map[bool]string{true: "AE JEA", false: "OM SOH"}[inbound]
		s.startOnRoute(v, s.transitRoute(inbound), s.transitSpeed(v), true)
	}
	for range scaled(t.PortCalls, t.Density) {
		v := s.newVessel(kindPortCall)
		v.dest = "AE FJR"
		v.pos = jitter(r, places["fujairah-anchorage"].Point, 2)
		v.course = r.Float64() * 360
		v.plan = []leg{
			{kind: legHold, until: int64(r.IntN(10*3600)) * 1000, status: 1},
			{kind: legGo, route: []Point{{25.20, 56.42}, fujairahBerth}, speed: 6 + 2*r.Float64()},
			{kind: legHold, until: -int64(6*3600+r.IntN(12*3600)) * 1000, status: 5},
			{kind: legGo, route: []Point{{25.20, 56.50}, places["gulf-of-oman"].Point, omanEnds[r.IntN(2)][2]}, speed: s.transitSpeed(v)},
		}
	}
	anchorages := []string{"fujairah-anchorage", "khor-fakkan-anchorage", "dubai-d-anchorage"}
	for range scaled(t.Anchored, t.Density) {
		v := s.newVessel(kindAnchored)
		v.dest = "AE FJR"
		v.pos = jitter(r, places[anchorages[r.IntN(len(anchorages))]].Point, 2)
		v.course = r.Float64() * 360
		v.plan = []leg{{kind: legHold, until: forever, status: 1}}
	}
	for range scaled(t.Ferries, t.Density) {
		v := s.newVessel(kindFerry)
		v.dest = "IR BND"
		v.pos = ferryEnds[0]
		v.course = 180
		v.plan = []leg{{kind: legHold, until: int64(r.IntN(40*60)) * 1000, status: 5}}
	}
	for range scaled(t.Dhows, t.Density) {
		v := s.newVessel(kindDhow)
		v.home = dhowGrounds[r.IntN(len(dhowGrounds))]
		v.pos = jitter(r, v.home, 5)
		v.course = r.Float64() * 360
	}
	for range scaled(t.FastCraft, t.Density) {
		v := s.newVessel(kindFastCraft)
		v.pos = jitter(r, craftEnds[r.IntN(len(craftEnds))], 0.5)
		v.course = r.Float64() * 360
		v.plan = []leg{{kind: legHold, until: int64(r.IntN(2*3600)) * 1000, status: 5}}
	}
}

// replan gives v its next plan when the current one has ended.
func (s *Simulator) replan(v *vessel) {
	r := s.rng
	now := v.now
	v.plan, v.cur, v.wp = v.plan[:0], 0, 0
	switch v.kind {
	case kindTransit, kindPortCall:
		// Wait at the end of the voyage, then sail back through the strait.
		// Back the other way: a port call ends on the Gulf of Oman side.
		inbound := !v.inbound || v.kind == kindPortCall
		v.inbound = inbound
		v.dest = map[bool]string{true: "AE JEA", false: "OM SOH"}[inbound]
		route := s.transitRoute(inbound)
		route[0] = v.pos
		v.plan = append(v.plan,
			leg{kind: legHold, until: now + int64(3600+r.IntN(5*3600))*1000, status: 1},
			leg{kind: legGo, route: route[1:], speed: s.transitSpeed(v)})
		v.kind = kindTransit
	case kindFerry:
		// Sail from the nearest terminal to another one, then wait moored.
		near := 0
		for i, p := range ferryEnds {
			if distNM(v.pos, p) < distNM(v.pos, ferryEnds[near]) {
				near = i
			}
		}
		to := ferryEnds[(near+1+r.IntN(len(ferryEnds)-1))%len(ferryEnds)]
		mid := Point{(v.pos.Lat+to.Lat)/2 + 0.01, (v.pos.Lon+to.Lon)/2 + 0.01}
		speed := 18 + 8*r.Float64()
		v.plan = append(v.plan,
			leg{kind: legGo, route: []Point{mid, to}, speed: speed},
			leg{kind: legHold, until: -int64(20*60+r.IntN(20*60)) * 1000, status: 5})
	case kindDhow:
		// Steam to a nearby spot, then fish slowly across it.
		to := jitter(r, v.home, 5)
		fish := move(to, r.Float64()*360, 1+2*r.Float64())
		v.plan = append(v.plan,
			leg{kind: legGo, route: []Point{to}, speed: 5 + 3*r.Float64(), status: 0},
			leg{kind: legGo, route: []Point{fish}, speed: 0.8 + 1.2*r.Float64(), status: 7})
	case kindFastCraft:
		to := craftEnds[r.IntN(len(craftEnds))]
		if distNM(to, v.pos) < 2 {
			to = craftEnds[(r.IntN(len(craftEnds)-1)+1)%len(craftEnds)]
		}
		speed := 28 + 12*r.Float64()
		v.plan = append(v.plan,
			leg{kind: legGo, route: []Point{jitter(r, to, 0.3)}, speed: speed},
			leg{kind: legHold, until: -int64(1800+r.IntN(3*3600)) * 1000, status: 5})
	default:
		v.plan = append(v.plan, leg{kind: legHold, until: forever, status: 5})
	}
}
