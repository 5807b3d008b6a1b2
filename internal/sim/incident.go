package sim

import (
	"fmt"
	"time"
)

const minute = int64(60000)

// incidentVessel returns a scripted vessel appearing at t (ms), taking
// the j-th identity of in.Vessels when given.
func (s *Simulator) incidentVessel(in Incident, j int, shipType uint8, t int64) *vessel {
	v := s.newVessel(kindScripted)
	v.shipType = shipType
	if j < len(in.Vessels) {
		v.mmsi = in.Vessels[j].MMSI
		if in.Vessels[j].Name != "" {
			v.name = in.Vessels[j].Name
		}
	}
	if shipType < 80 || shipType > 89 {
		v.bow, v.stern, v.port, v.stbd, v.draught = 20, 8, 4, 4, 30
	}
	v.now, v.nextPos, v.nextStat = t, max(t, 0), max(t, 0)+1000
	v.dest = "HORMUZ"
	return v
}

// approach places v so that, sailing at speed on course, it reaches p
// after d ms, and gives it a first leg through p and on for a long way.
func approach(v *vessel, p Point, course, speed float64, d int64, after Point) {
	nm := speed * float64(d) / 3.6e6
	v.pos = move(p, course+180, nm)
	v.course, v.speed = course, speed
	v.plan = append(v.plan, leg{kind: legGo, route: []Point{p, after}, speed: speed})
}

// beacon returns an AIS-SART or MOB device (prefix 970 or 972) active
// from t at p, drifting, silent after end.
func (s *Simulator) beacon(prefix uint32, text string, p Point, t, end int64, driftCourse, driftSpeed float64) *vessel {
	v := s.newVessel(kindBeacon)
	v.mmsi = prefix*1000000 + uint32(hash(s.sc.Seed, uint64(v.idx))%1000000)
	v.name, v.text, v.classB, v.shipType, v.imo = text, text, false, 0, 0
	v.pos, v.now, v.nextPos, v.nextStat, v.active = p, t, t, t, t
	v.plan = []leg{{kind: legDrift, course: driftCourse, speed: driftSpeed, until: forever, status: 14}}
	v.dark = [][2]int64{{end, forever}}
	return v
}

// addIncident adds the vessels of incident id and records its truth.
func (s *Simulator) addIncident(id int, in Incident) error {
	p, err := ResolvePlace(in.Place)
	if err != nil {
		return err
	}
	r := s.rng
	at, dur := in.At.Milliseconds(), in.Duration.Milliseconds()
	start := s.sc.Start.UTC()
	ms := func(t int64) time.Time { return start.Add(time.Duration(t) * time.Millisecond) }
	tr := Truth{ID: id, Type: in.Type, Start: ms(at), End: ms(at + dur), Place: TruthPlace{Name: placeName(in.Place), Lat: p.Lat, Lon: p.Lon}}
	course := r.Float64() * 360
	switch in.Type {
	case IncidentDark:
		to, _ := ResolvePlace(in.To)
		v := s.incidentVessel(in, 0, 80, at-30*minute)
		approach(v, p, course, 12, 30*minute, p)
		on := move(to, bearing(p, to), 200)
		v.plan = append(v.plan,
			leg{kind: legHold, until: at + dur, status: 0},
			leg{kind: legJump, route: []Point{to}},
			leg{kind: legGo, route: []Point{on}, speed: 12})
		v.dark = [][2]int64{{at, at + dur}}
		tr.Vessels = []uint32{v.mmsi}
		tr.To = &TruthPlace{Name: placeName(in.To), Lat: to.Lat, Lon: to.Lon}
		tr.Note = "AIS off at the place, on again at the second place"
	case IncidentSTS:
		t := s.incidentVessel(in, 0, 80, at-60*minute)
		approach(t, p, course, 10, 60*minute, p)
		b := s.incidentVessel(in, 1, 89, at-60*minute)
		b.maxROT, b.accel = 60, 0.1
		approach(b, move(p, course+90, 0.05), course+120, 8, 60*minute, move(p, course+90, 0.05))
		drift := leg{kind: legDrift, course: r.Float64() * 360, speed: 0.3, until: at + dur, status: 0}
		t.plan = append(t.plan, drift, leg{kind: legGo, route: []Point{move(p, course, 200)}, speed: 11})
		b.plan = append(b.plan, drift, leg{kind: legGo, route: []Point{move(p, course+200, 60)}, speed: 9})
		window := [2]int64{at - 10*minute, at + dur + 10*minute}
		if in.Dark == "tanker" || in.Dark == "both" {
			t.dark = append(t.dark, window)
		}
		if in.Dark == "small" || in.Dark == "both" {
			b.dark = append(b.dark, window)
		}
		tr.Vessels = []uint32{t.mmsi, b.mmsi}
		tr.Note = "dark: " + in.Dark
	case IncidentClone:
		to, _ := ResolvePlace(in.To)
		v := s.incidentVessel(in, 0, 71, at-30*minute)
		approach(v, p, course, 14, 30*minute, move(p, course, 300))
		c := s.incidentVessel(in, 0, 71, at)
		c.mmsi, c.name, c.callsign, c.imo = v.mmsi, v.name, v.callsign, v.imo
		c.pos, c.course, c.speed = to, r.Float64()*360, 9
		c.plan = []leg{{kind: legGo, route: []Point{move(to, c.course, 40)}, speed: 9}}
		c.dark = [][2]int64{{at + dur, forever}}
		tr.Vessels = []uint32{v.mmsi}
		tr.To = &TruthPlace{Name: placeName(in.To), Lat: to.Lat, Lon: to.Lon}
		tr.Note = "the genuine vessel passes the place; the clone transmits the same identity at the second place"
	case IncidentWrongWay:
		lane := tssInbound
		if in.Place == "tss-outbound" {
			lane = tssOutbound
		}
		route := make([]Point, 0, len(lane)+1)
		length := 0.0
		for i := len(lane) - 1; i >= 0; i-- {
			if i < len(lane)-1 {
				length += distNM(lane[i+1], lane[i])
			}
			route = append(route, lane[i])
		}
		v := s.incidentVessel(in, 0, 70, at)
		v.pos, v.course, v.speed = route[0], bearing(route[0], route[1]), 12
		end := move(route[len(route)-1], bearing(route[len(route)-2], route[len(route)-1]), 100)
		v.plan = []leg{{kind: legGo, route: append(route[1:], end), speed: 12}}
		tr.Vessels = []uint32{v.mmsi}
		tr.End = ms(at + int64(length/12*3.6e6))
		tr.Place = TruthPlace{Name: in.Place, Lat: route[0].Lat, Lon: route[0].Lon}
		tr.Note = "against the lane's direction from its end to its start; end is when it leaves the lane"
	case IncidentCollision:
		lead := 10 * minute
		a := s.incidentVessel(in, 0, 71, at-lead)
		approach(a, p, course, 18, dur+lead, move(p, course, 60))
		b := s.incidentVessel(in, 1, 80, at-lead)
		approach(b, p, course+90, 12, dur+lead, move(p, course+90, 60))
		tr.Vessels = []uint32{a.mmsi, b.mmsi}
		tr.Note = "both reach the place at the end (CPA about 0); courses cross at 90 degrees"
	case IncidentMOB:
		v := s.incidentVessel(in, 0, 60, at-30*minute)
		approach(v, p, course, 14, 30*minute, move(p, course, 200))
		m := s.beacon(972, "MOB ACTIVE", p, at, at+dur, course+90, 0.6)
		tr.Vessels = []uint32{m.mmsi, v.mmsi}
		tr.Note = "MOB beacon (type 1 status 14, type 14 MOB ACTIVE) from the passing ship"
	case IncidentDisabled:
		v := s.incidentVessel(in, 0, 70, at-30*minute)
		approach(v, p, course, 10, 30*minute, p)
		dc, ds := r.Float64()*360, 0.8+0.7*r.Float64()
		v.plan = append(v.plan, leg{kind: legDrift, course: dc, speed: ds, until: forever, status: 2})
		half := at + dur/2
		sp := move(p, dc, ds*float64(dur/2)/3.6e6)
		sart := s.beacon(970, "SART ACTIVE", sp, half, at+dur, dc, ds)
		tr.Vessels = []uint32{v.mmsi, sart.mmsi}
		tr.Note = "not under command and drifting from start; AIS-SART active from half time to end"
	case IncidentLoiter, IncidentRestrict:
		v := s.incidentVessel(in, 0, 89, at-30*minute)
		speed, radius, status := 3.0, 1.5, uint8(0)
		v.accel = 0.05
		if in.Type == IncidentLoiter {
			v.shipType, v.maxROT, v.accel = 30, 60, 0.05
			speed = 6
		} else {
			radius, status = 0.5, 0
		}
		approach(v, p, course, 10, 30*minute, p)
		// Wander between points near the place until the end, then leave.
		t, pos := at, p
		for t < at+dur {
			next := jitter(r, p, radius)
			t += int64(distNM(pos, next)/speed*3.6e6) + 1000
			v.plan = append(v.plan, leg{kind: legGo, route: []Point{next}, speed: speed, status: status})
			pos = next
		}
		v.plan = append(v.plan, leg{kind: legGo, route: []Point{move(p, course, 100)}, speed: 10})
		tr.Vessels = []uint32{v.mmsi}
		tr.End = ms(t)
		tr.Note = fmt.Sprintf("within %.1f nm of the place from about start to end", radius+0.3)
	case IncidentCircle, IncidentOffset, IncidentTeleport:
		to, _ := ResolvePlace(in.To)
		v := s.incidentVessel(in, 0, 80, at-30*minute)
		approach(v, p, course, 12, 30*minute, move(p, course, 200))
		v.spoof = []spoofing{{from: at, to: at + dur, kind: in.Type, at: to, dlat: to.Lat - p.Lat, dlon: to.Lon - p.Lon}}
		tr.Vessels = []uint32{v.mmsi}
		tr.To = &TruthPlace{Name: placeName(in.To), Lat: to.Lat, Lon: to.Lon}
		tr.Note = map[string]string{
			IncidentCircle:   "reports a 1 nm circle around the second place (30 min a turn) while sailing on",
			IncidentOffset:   "reports its track shifted by the vector from the place to the second place",
			IncidentTeleport: "reports the second place, then its true position again",
		}[in.Type]
	}
	s.truth = append(s.truth, tr)
	sortTruth(s.truth)
	return nil
}

// placeName returns the place's name, or "" for a "lat,lon" place.
func placeName(s string) string {
	if _, ok := places[s]; ok {
		return s
	}
	return ""
}

// sortTruth orders truth by start, then id (insertion sort: few items).
func sortTruth(t []Truth) {
	for i := 1; i < len(t); i++ {
		for j := i; j > 0 && (t[j].Start.Before(t[j-1].Start) || t[j].Start.Equal(t[j-1].Start) && t[j].ID < t[j-1].ID); j-- {
			t[j], t[j-1] = t[j-1], t[j]
		}
	}
}
