package detect

import (
	"math"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

// PortVisitConfig configures port visits and anchorage stays. A visit
// begins at the first fix within EntryRadius of a port or anchorage
// (point, or polygon: inside it counts as distance 0), has stops (a fix
// below StopSOG begins one, a fix above ResumeSOG ends it) and ends at
// the first fix beyond ExitRadius of the same site. Exiting farther out
// than entering keeps a vessel on the edge from entering and leaving at
// every fix; the same hysteresis on speed keeps a vessel swinging at
// anchor in one stop.
type PortVisitConfig struct {
	Enabled bool
	// EntryRadius is the distance in metres from a port or anchorage
	// within which a visit begins (GFW: 3 km).
	EntryRadius float64
	// ExitRadius is the distance in metres beyond which it ends (GFW:
	// 4 km); at least EntryRadius.
	ExitRadius float64
	// StopSOG is the speed in knots below which a stop begins (GFW:
	// 0.2 kn).
	StopSOG float64
	// ResumeSOG is the speed in knots above which a stop ends (GFW:
	// 0.5 kn); at least StopSOG.
	ResumeSOG float64
	// RequireStop makes only visits with a stop events: the event opens
	// at the first stop, with Start at the entry. Traffic passing a
	// port then raises nothing.
	RequireStop bool
	// History is how many past visits per vessel are kept so late fixes
	// can shrink or retract them. The default value is 4.
	History int
}

// Per-zone port-visit thresholds (zone property "thresholds" of a port
// or anchorage), replacing the PortVisitConfig field of the same meaning
// for that site: EntryRadius and ExitRadius in metres, StopSOG and
// ResumeSOG in knots.
const (
	ThresholdPortEntry     = "port_entry_m"
	ThresholdPortExit      = "port_exit_m"
	ThresholdPortStopSOG   = "port_stop_kn"
	ThresholdPortResumeSOG = "port_resume_kn"
)

// GFWPortVisit returns Global Fishing Watch's published port-visit
// definition: entry within 3 km of an anchorage point, exit beyond 4 km,
// stop below 0.2 kn, resume above 0.5 kn. GFW reports visits without a
// stop too (at a lower confidence), so RequireStop is off.
func GFWPortVisit() PortVisitConfig {
	return PortVisitConfig{Enabled: true, EntryRadius: 3000, ExitRadius: 4000, StopSOG: 0.2, ResumeSOG: 0.5, History: 4}
}

// StraitPortVisit returns our thresholds for the strait. The radii stay
// GFW's: the default region's port points are World Port Index reference
// positions, good to about 1.8 km, so a smaller radius would miss
// berths. The speeds are higher: vessels swinging at anchor in the
// strait's tidal streams report 0.2-0.5 kn, which under GFW's 0.2 kn
// splits one stay into many stops or none. A stop is required: the
// island ports (Hormuz, Larak, Qeshm) lie within 3 km of through
// traffic, and passing them is not a visit.
func StraitPortVisit() PortVisitConfig {
	return PortVisitConfig{Enabled: true, EntryRadius: 3000, ExitRadius: 4000, StopSOG: 0.5, ResumeSOG: 1, RequireStop: true, History: 4}
}

// portSite is a port or anchorage with its thresholds resolved.
type portSite struct {
	zone         int // index in the zone set
	entry, exit  float64
	stop, resume float64
	box          geo.Box // the zone's bounds grown by exit
	lat, lon     float64 // representative position
}

// maxStops bounds the stops kept per visit; later stops merge into the
// last one, so a vessel whose speed flickers for days costs no more.
const maxStops = 8

// stopSpan is one stop: from the first fix below the stop speed to the
// first fix above the resume speed (end.Time 0 while stopped).
type stopSpan struct {
	start, end track.Fix
}

type portVisit struct {
	id          string
	site        int // index in portVisitDetector.sites
	start, end  int64
	entry       track.Fix // first fix inside (or the late fix that bounds a split)
	last        track.Fix // newest fix inside
	exit        track.Fix // first fix beyond the exit radius; set when end != 0
	entryD      float64
	exitD       float64
	stops       []stopSpan
	emitted     bool // an open or close has been sent
	fromLateFix bool // start is bounded by a late fix, not an entry
}

func (p *portVisit) stopped() bool { return len(p.stops) > 0 && p.stops[len(p.stops)-1].end.Time == 0 }

type portVisitState struct {
	// cur is the visit going on, nil when not in port: most vessels
	// are at sea, and a pointer keeps their Vessel small.
	cur     *portVisit
	history []portVisit // past visits that were events, oldest first
}

// portVisitDetector finds port visits and anchorage stays (see
// PortVisitConfig). Visits are found from fixes in event-time order; a
// late fix beyond the exit radius during a past or current visit shows
// the vessel was away then: the visit shrinks, splits or, when no part
// keeps a stop that RequireStop needs, is retracted.
type portVisitDetector struct {
	cfg   PortVisitConfig
	zones *zone.Set
	sites []portSite
	// cells lists, per siteCell-degree cell, the sites whose grown
	// bounds overlap it: a world port list has thousands of sites.
	cells map[int64][]int32
}

// siteCell is the size in degrees of the port-site index cells: a few
// times the usual exit radius, so a site sits in a handful of cells.
const siteCell = 0.25

func siteCellOf(lat, lon float64) (int64, int64) {
	return int64(math.Floor(lat / siteCell)), int64(math.Floor(lon / siteCell))
}

// newPortVisitDetector returns nil when zs holds no port or anchorage.
func newPortVisitDetector(cfg PortVisitConfig, zs *zone.Set) *portVisitDetector {
	if zs == nil {
		return nil
	}
	d := &portVisitDetector{cfg: cfg, zones: zs}
	for i := range zs.Zones {
		z := &zs.Zones[i]
		if z.Kind != zone.KindPort && z.Kind != zone.KindAnchorage || !(z.HasPoint || z.IsArea()) {
			continue
		}
		s := portSite{zone: i, entry: cfg.EntryRadius, exit: cfg.ExitRadius, stop: cfg.StopSOG, resume: cfg.ResumeSOG}
		if x, ok := z.Thresholds[ThresholdPortEntry]; ok {
			s.entry = x
		}
		if x, ok := z.Thresholds[ThresholdPortExit]; ok {
			s.exit = x
		}
		if x, ok := z.Thresholds[ThresholdPortStopSOG]; ok {
			s.stop = x
		}
		if x, ok := z.Thresholds[ThresholdPortResumeSOG]; ok {
			s.resume = x
		}
		// A zone's own values may break the hysteresis the config
		// promises: keep exit >= entry and resume >= stop.
		s.exit, s.resume = max(s.exit, s.entry), max(s.resume, s.stop)
		b := z.Bounds
		s.lat, s.lon = (b.MinLat+b.MaxLat)/2, (b.MinLon+b.MaxLon)/2
		if z.HasPoint {
			s.lat, s.lon = z.Point.Lat, z.Point.Lon
		}
		dLat := s.exit / 111_000
		// Degrees of longitude shrink towards the poles: size the box
		// for its highest latitude.
		dLon := dLat / math.Cos(math.Min(math.Max(math.Abs(b.MaxLat), math.Abs(b.MinLat))+dLat, 89)*math.Pi/180)
		s.box = geo.Box{MinLat: b.MinLat - dLat, MaxLat: b.MaxLat + dLat, MinLon: b.MinLon - dLon, MaxLon: b.MaxLon + dLon}
		d.sites = append(d.sites, s)
	}
	if len(d.sites) == 0 {
		return nil
	}
	d.cells = map[int64][]int32{}
	for i, s := range d.sites {
		r0, c0 := siteCellOf(s.box.MinLat, s.box.MinLon)
		r1, c1 := siteCellOf(s.box.MaxLat, s.box.MaxLon)
		for r := r0; r <= r1; r++ {
			for c := c0; c <= c1; c++ {
				d.cells[r<<32|(c&0xffffffff)] = append(d.cells[r<<32|(c&0xffffffff)], int32(i))
			}
		}
	}
	return d
}

// distance returns the distance in metres from the position to site s:
// to its point, 0 inside its polygons, else to the nearest edge.
func (d *portVisitDetector) distance(s *portSite, lat, lon float64) float64 {
	z := &d.zones.Zones[s.zone]
	if z.HasPoint {
		return geo.Distance(lat, lon, z.Point.Lat, z.Point.Lon)
	}
	if z.Contains(lat, lon) {
		return 0
	}
	best := math.Inf(1)
	for _, p := range z.Polygons {
		for _, r := range p {
			for i := 1; i < len(r); i++ {
				best = math.Min(best, segmentDistance(lat, lon, r[i-1], r[i]))
			}
		}
	}
	return best
}

// segmentDistance returns the distance in metres from a position to the
// segment a-b, in a local flat plane: good to well under 1 % over the
// few kilometres that matter here.
func segmentDistance(lat, lon float64, a, b geo.Point) float64 {
	const m = 111_195.0 // metres per degree of latitude
	k := math.Cos(lat * math.Pi / 180)
	ax, ay := (a.Lon-lon)*k*m, (a.Lat-lat)*m
	bx, by := (b.Lon-lon)*k*m, (b.Lat-lat)*m
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = min(max(-(ax*dx+ay*dy)/l2, 0), 1)
	}
	return math.Hypot(ax+t*dx, ay+t*dy)
}

// enter returns the nearest site whose entry radius holds the position,
// or -1, and the distance to it.
func (d *portVisitDetector) enter(lat, lon float64) (int, float64) {
	best, bestD := -1, math.Inf(1)
	r, c := siteCellOf(lat, lon)
	for _, i := range d.cells[r<<32|(c&0xffffffff)] {
		s := &d.sites[i]
		if !s.box.Contains(lat, lon) {
			continue
		}
		if dist := d.distance(s, lat, lon); dist <= s.entry && dist < bestD {
			best, bestD = int(i), dist
		}
	}
	return best, bestD
}

func (d *portVisitDetector) Fix(v *Vessel, f *track.Fix, late bool, e *Emitter) {
	if !(f.Lat >= -90 && f.Lat <= 90 && f.Lon >= -180 && f.Lon <= 180) {
		return
	}
	if late {
		d.late(v, f, e)
		return
	}
	st := &v.port
	if st.cur != nil {
		p := st.cur
		s := &d.sites[p.site]
		if dist := d.distance(s, f.Lat, f.Lon); dist > s.exit {
			p.end, p.exit, p.exitD = f.Time, *f, dist
			if p.stopped() {
				p.stops[len(p.stops)-1].end = *f
			}
			st.cur = nil
			if p.emitted {
				e.Emit(d.event(v, p, StateClose))
				d.remember(st, *p)
			}
			// Fall through: the same fix may enter another site.
		} else {
			p.last = *f
			d.speed(v, p, f, e)
			return
		}
	}
	si, dist := d.enter(f.Lat, f.Lon)
	if si < 0 {
		return
	}
	st.cur = &portVisit{id: eventID(TypePortVisit, v.MMSI, f.Time, d.zones.Zones[d.sites[si].zone].ID),
		site: si, start: f.Time, entry: *f, last: *f, entryD: dist}
	if !d.cfg.RequireStop {
		st.cur.emitted = true
		e.Emit(d.event(v, st.cur, StateOpen))
	}
	d.speed(v, st.cur, f, e)
}

// speed runs the stop and resume rules on a fix inside visit p.
func (d *portVisitDetector) speed(v *Vessel, p *portVisit, f *track.Fix, e *Emitter) {
	sog := float64(f.SOG)
	if math.IsNaN(sog) {
		return
	}
	s := &d.sites[p.site]
	switch {
	case !p.stopped() && sog < s.stop:
		if len(p.stops) < maxStops {
			p.stops = append(p.stops, stopSpan{start: *f})
		} else {
			p.stops[len(p.stops)-1].end = track.Fix{} // merge into the last stop
		}
		if !p.emitted {
			p.emitted = true
			e.Emit(d.event(v, p, StateOpen))
			return
		}
		e.Emit(d.event(v, p, StateUpdate))
	case p.stopped() && sog > s.resume:
		p.stops[len(p.stops)-1].end = *f
		if p.emitted {
			e.Emit(d.event(v, p, StateUpdate))
		}
	}
}

func (d *portVisitDetector) remember(st *portVisitState, p portVisit) {
	if d.cfg.History == 0 {
		return
	}
	if len(st.history) >= d.cfg.History {
		st.history = append(st.history[:0], st.history[1:]...)
	}
	st.history = append(st.history, p)
}

// event builds the event of visit p in state s.
func (d *portVisitDetector) event(v *Vessel, p *portVisit, s State) Event {
	site := &d.sites[p.site]
	z := &d.zones.Zones[site.zone]
	fixes := []track.Fix{p.entry}
	var figs []Figure
	if !p.fromLateFix {
		figs = append(figs, Figure{Name: "entry_distance", Value: p.entryD, Op: "<=", Threshold: site.entry, Unit: "m"})
	}
	last := p.last.Time
	if p.end != 0 {
		last = p.end
	}
	conf := 0.4
	if len(p.stops) > 0 {
		first, lastStop := p.stops[0], p.stops[len(p.stops)-1]
		fixes = append(fixes, first.start)
		figs = append(figs, Figure{Name: "stop_sog", Value: float64(first.start.SOG), Op: "<", Threshold: site.stop, Unit: "kn"})
		var stopped int64
		for _, sp := range p.stops {
			end := sp.end.Time
			if end == 0 {
				end = last
			}
			stopped += end - sp.start.Time
		}
		figs = append(figs, Figure{Name: "stops", Value: float64(len(p.stops))},
			Figure{Name: "stopped", Value: float64(stopped) / 1000, Unit: "s"})
		// The stop ended by a fix above the resume speed, which may be
		// the exit fix itself when the vessel left between reports.
		if lastStop.end.Time != 0 && float64(lastStop.end.SOG) > site.resume {
			if lastStop.end.Time != p.end {
				fixes = append(fixes, lastStop.end)
			}
			figs = append(figs, Figure{Name: "resume_sog", Value: float64(lastStop.end.SOG), Op: ">", Threshold: site.resume, Unit: "kn"})
			conf += 0.3
		}
		conf += 0.3
	}
	figs = append(figs, Figure{Name: "duration", Value: float64(last-p.start) / 1000, Unit: "s"})
	ev := Event{ID: p.id, Type: TypePortVisit, State: s, Start: p.start, Vessels: []uint32{v.MMSI},
		Lat: site.lat, Lon: site.lon, Zone: z.ID, Confidence: clamp01(conf),
		// A visit is a record for analysts, not an alert.
		Alarm: false}
	if p.end != 0 {
		ev.End = p.end
		fixes = append(fixes, p.exit)
		figs = append(figs, Figure{Name: "exit_distance", Value: p.exitD, Op: ">", Threshold: site.exit, Unit: "m"})
	} else {
		fixes = append(fixes, p.last)
	}
	ev.Evidence = Evidence{Fixes: fixes, Figures: figs}
	return ev
}

// late handles a fix older than the newest. Only a fix beyond the exit
// radius during a visit changes anything: the vessel was away then, so
// the visit is cut at the fix. Each part keeps the stops wholly on its
// side (a stop the fix falls in is contradicted and dropped); a part
// is a visit if it has a stop or RequireStop is off. The first part
// keeps the event's ID, the second gets a new one (like a split gap);
// a lone second part keeps the ID with a later start; with no part left
// the event is retracted.
func (d *portVisitDetector) late(v *Vessel, f *track.Fix, e *Emitter) {
	st := &v.port
	for i := range st.history {
		if d.cut(v, &st.history[i], f, false, e) {
			return
		}
	}
	if st.cur != nil {
		d.cut(v, st.cur, f, true, e)
	}
}

// cut applies late fix f to visit p (current says p is the visit going
// on); it reports whether f fell in p.
func (d *portVisitDetector) cut(v *Vessel, p *portVisit, f *track.Fix, current bool, e *Emitter) bool {
	if f.Time <= p.start || (p.end != 0 && f.Time >= p.end) {
		return false
	}
	s := &d.sites[p.site]
	dist := d.distance(s, f.Lat, f.Lon)
	if dist <= s.exit {
		return true // in port as recorded: nothing to change
	}
	var before, after []stopSpan
	for _, sp := range p.stops {
		switch {
		case sp.end.Time != 0 && sp.end.Time <= f.Time:
			before = append(before, sp)
		case sp.start.Time >= f.Time:
			after = append(after, sp)
		}
	}
	a := *p
	a.stops, a.end, a.exit, a.exitD = before, f.Time, *f, dist
	if a.last.Time >= f.Time {
		a.last = a.entry
		if len(before) > 0 {
			a.last = before[len(before)-1].end
		}
	}
	b := *p
	b.stops, b.start, b.fromLateFix = after, f.Time, true
	b.entry = *f
	if len(after) > 0 {
		b.entry = after[0].start
	}
	okA := len(before) > 0 || !d.cfg.RequireStop
	okB := len(after) > 0 || !d.cfg.RequireStop
	st := &v.port
	switch {
	case okA && okB:
		a.emitted = true
		*p = a
		if current {
			e.Emit(d.event(v, p, StateClose))
			d.remember(st, a)
			b.id, b.emitted = eventID(TypePortVisit, v.MMSI, f.Time, d.zones.Zones[s.zone].ID), true
			st.cur = &b
			e.Emit(d.event(v, st.cur, StateOpen))
			return true
		}
		e.Emit(d.event(v, p, StateUpdate))
		b.id, b.emitted = eventID(TypePortVisit, v.MMSI, f.Time, d.zones.Zones[s.zone].ID), true
		e.Emit(d.event(v, &b, StateClose))
		// Insert b after p, keeping History entries.
		for i := range st.history {
			if st.history[i].id == p.id {
				st.history = append(st.history[:i+1], append([]portVisit{b}, st.history[i+1:]...)...)
				break
			}
		}
		if d.cfg.History > 0 && len(st.history) > d.cfg.History {
			st.history = st.history[len(st.history)-d.cfg.History:]
		}
	case okA:
		*p = a
		if current {
			e.Emit(d.event(v, p, StateClose))
			d.remember(st, a)
			b.id, b.emitted = eventID(TypePortVisit, v.MMSI, f.Time, d.zones.Zones[s.zone].ID), false
			st.cur = &b // still in port, no stop yet
			return true
		}
		e.Emit(d.event(v, p, StateUpdate))
	case okB:
		b.emitted = p.emitted
		*p = b // same event, later start
		if p.emitted {
			e.Emit(d.event(v, p, StateUpdate))
		}
	default:
		if p.emitted {
			ev := d.event(v, p, StateRetract)
			ev.Evidence.Fixes = append(ev.Evidence.Fixes, *f)
			ev.Evidence.Figures = append(ev.Evidence.Figures,
				Figure{Name: "late_fix_distance", Value: dist, Op: ">", Threshold: s.exit, Unit: "m"})
			e.Emit(ev)
		}
		if current {
			b.id, b.emitted = eventID(TypePortVisit, v.MMSI, f.Time, d.zones.Zones[s.zone].ID), false
			st.cur = &b
			return true
		}
		for i := range st.history {
			if st.history[i].id == p.id {
				st.history = append(st.history[:i], st.history[i+1:]...)
				break
			}
		}
	}
	return true
}

func (d *portVisitDetector) Static(*Vessel, *track.Static, *Emitter) {}
func (d *portVisitDetector) Safety(*Vessel, *track.Text, *Emitter)   {}
func (d *portVisitDetector) Advance(*Vessel, int64, *Emitter)        {}
