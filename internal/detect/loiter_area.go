package detect

import (
	"math"

	"straitwatch/internal/track"
)

// loiterQuarters is how many parts the area rule's window is kept in:
// the window slides a part at a time, so an event opens at most a
// quarter of MinDuration after the window first qualifies, and its
// start is accurate to a quarter.
const loiterQuarters = 4

// loiterPart sums the fixes of one quarter of the window, in metres
// east (x) and north (y) of the run's origin. It is small: the window is
// judged at every fix from the running totals of the complete parts and
// the newest part, touching little memory.
type loiterPart struct {
	start, end       int64 // first and last fix, UNIX ms
	n                float64
	sx, sy, sxx, syy float64
	// wSOG sums each fix's speed times the time since the fix before,
	// over wT: a time-weighted mean, since a craft reports more often
	// the faster it goes.
	wSOG, wT       float64
	firstX, firstY float64
}

func (p *loiterPart) add(q *loiterPart) {
	p.n, p.sx, p.sy, p.sxx, p.syy = p.n+q.n, p.sx+q.sx, p.sy+q.sy, p.sxx+q.sxx, p.syy+q.syy
	p.wSOG, p.wT = p.wSOG+q.wSOG, p.wT+q.wT
}

// loiterArea is the area rule's state: the parts of the window, oldest
// first, the totals of the complete ones, and the open event.
type loiterArea struct {
	// The fields read at every fix come first, to share cache lines.
	np             int
	cur, end       int64      // start of the newest part and time of the newest fix, UNIX ms
	minDur         int64      // ms
	radius         float64    // m, MaxRadius of this run
	lat0, lon0, kx float64    // origin and metres per degree of longitude there
	done           loiterPart // totals of parts[:np-1]
	now            loiterPart // the newest part, filling; parts[np-1] is stale until it is complete
	x0, y0         float64    // where the window starts (parts[0])
	wStart         int64      // when it starts, UNIX ms
	parts          [loiterQuarters + 1]loiterPart
	slowest        float64 // knots: the slowest complete part's mean speed; +Inf if none
	open           bool
	id             string
	start          track.Fix // first fix of the event
	stats          loiterStats
	// portFor is the start of the newest part when nearPort was last
	// asked, port its answer: asked once a part, not at every fix.
	portFor int64
	port    bool
	// firsts holds each part's first fix, for the evidence; touched only
	// when a part starts.
	firsts [loiterQuarters + 1]track.Fix
}

// loiterStats are the window's figures.
type loiterStats struct {
	dur         int64   // ms
	rg          float64 // radius of gyration, m
	disp        float64 // net displacement, m
	meanSOG     float64 // knots; NaN when no fix had one
	slowestSOG  float64 // knots: the slowest quarter's mean
	first, last track.Fix
}

const mPerDegLat = 111_320.0

// loiterSample is the least event time (ms) between the fixes the area
// rule takes into its window.
const loiterSample = 30_000

// loiterKeep widens the area rule's limits for an open event.
const loiterKeep = 1.25

// loiterExcludedStatus reports whether a navigational status explains a
// stay by itself: at anchor, not under command, restricted in her
// ability to manoeuvre, moored, aground.
func loiterExcludedStatus(s uint8) bool {
	return s == 1 || s == 2 || s == 3 || s == 5 || s == 6
}

// areaFix runs the area rule (LoiterConfig.MaxRadius) on a fix that is
// not late.
func (d *loiterDetector) areaFix(v *Vessel, f *track.Fix, e *Emitter) {
	st := &v.loiter
	if math.IsNaN(f.Lat) || math.IsNaN(f.Lon) {
		return
	}
	if loiterExcludedStatus(f.Status) || isDevice(v.MMSI) {
		if st.sampled != 0 {
			d.areaEnd(v, st.area, e)
		}
		return
	}
	// An hour's figures need no more than a fix every loiterSample;
	// skipping the others keeps the rule cheap for ships that report
	// every few seconds (it touches only v.loiter for them).
	if st.sampled != 0 && f.Time >= st.sampled && f.Time-st.sampled < loiterSample {
		return
	}
	a := st.area
	if a == nil {
		a = &loiterArea{}
		st.area = a
	}
	if a.np > 0 && f.Time-a.end >= d.cfg.MaxGap.Milliseconds() {
		d.areaEnd(v, a, e) // a silence: a gap, not loitering
	}
	st.sampled = f.Time
	if a.np == 0 {
		radius, dur := d.cfg.MaxRadius, d.cfg.MinDuration.Milliseconds()
		if d.zones != nil {
			for _, zi := range v.Next {
				th := d.zones.Zones[zi].Thresholds
				if x, ok := th[ThresholdLoiterMaxRadius]; ok {
					radius = min(radius, x)
				}
				if x, ok := th[ThresholdLoiterMinDuration]; ok {
					dur = min(dur, int64(x*1000))
				}
			}
		}
		*a = loiterArea{lat0: f.Lat, lon0: f.Lon, kx: mPerDegLat * math.Cos(f.Lat*math.Pi/180), radius: radius, minDur: max(dur, 1)}
	}
	x, y := (f.Lon-a.lon0)*a.kx, (f.Lat-a.lat0)*mPerDegLat
	prev := a.end
	quarter := a.minDur / loiterQuarters
	if a.np == 0 || f.Time-a.cur >= quarter {
		if a.np > 0 {
			a.parts[a.np-1] = a.now
		}
		if a.np == len(a.parts) {
			copy(a.parts[:], a.parts[1:])
			copy(a.firsts[:], a.firsts[1:])
			a.np--
		}
		a.now = loiterPart{start: f.Time, firstX: x, firstY: y}
		a.parts[a.np] = a.now
		a.firsts[a.np] = *f
		a.np++
		a.cur = f.Time
		a.x0, a.y0, a.wStart = a.parts[0].firstX, a.parts[0].firstY, a.parts[0].start
		// Totals of the complete parts, once a quarter.
		a.done, a.slowest = loiterPart{}, math.Inf(1)
		for i := range a.np - 1 {
			q := &a.parts[i]
			a.done.add(q)
			if q.wT > 0 {
				a.slowest = min(a.slowest, q.wSOG/q.wT)
			}
		}
	}
	p := &a.now
	p.end, a.end = f.Time, f.Time
	p.n++
	p.sx, p.sy, p.sxx, p.syy = p.sx+x, p.sy+y, p.sxx+x*x, p.syy+y*y
	if sog := float64(f.SOG); !math.IsNaN(sog) && prev > 0 {
		dt := float64(f.Time - prev)
		p.wSOG += sog * dt
		p.wT += dt
	}
	s, ok := d.areaJudge(v, a, f, x, y)
	switch {
	case ok && !a.open:
		a.open, a.start, a.stats = true, s.first, s
		a.id = eventID(TypeLoiter, v.MMSI, s.first.Time, "")
		e.Emit(d.areaEvent(v, a, StateOpen))
	case ok:
		a.stats.last, a.stats.dur = s.last, s.last.Time-a.start.Time
		a.stats.rg, a.stats.disp = max(a.stats.rg, s.rg), max(a.stats.disp, s.disp)
	case a.open:
		// The window no longer keeps to the area: the event ends at the
		// last fix that did, and the next one starts afresh.
		d.areaEnd(v, a, e)
	}
}

// areaJudge returns the window's figures and whether they are
// loitering. The window is the complete parts and the newest, which is
// still filling, ending at f (at x, y): at least MinDuration of track.
func (d *loiterDetector) areaJudge(v *Vessel, a *loiterArea, f *track.Fix, x, y float64) (loiterStats, bool) {
	if a.np < loiterQuarters+1 && !a.open {
		return loiterStats{}, false
	}
	disp := math.Hypot(x-a.x0, y-a.y0)
	// An open event goes on while the window keeps within 1.25 times the
	// limits, so a vessel wandering near them does not end and reopen it
	// at every swing (hysteresis, as GFW's port visits enter at 3 km and
	// leave at 4).
	keep := 1.0
	if a.open {
		keep = loiterKeep
	}
	if disp > 2*a.radius && !a.open {
		return loiterStats{}, false // cheap, and what rejects most vessels under way
	}
	t := a.done
	t.add(&a.now)
	s := loiterStats{disp: disp, slowestSOG: a.slowest, first: a.firsts[0], last: *f, meanSOG: math.NaN()}
	mx, my := t.sx/t.n, t.sy/t.n
	s.rg = math.Sqrt(max(0, t.sxx/t.n-mx*mx+t.syy/t.n-my*my))
	s.dur = f.Time - a.wStart
	if t.wT > 0 {
		s.meanSOG = t.wSOG / t.wT
	}
	fishing := v.loiter.fishing || f.Status == 7
	switch {
	case s.dur < a.minDur, s.rg > a.radius*keep, s.disp > 2*a.radius*keep:
		return s, false
	case math.IsInf(s.slowestSOG, 1) || s.slowestSOG < d.cfg.MinSOG:
		return s, false // lying stopped for a quarter of the window or more
	case fishing && d.cfg.FishingMaxSOG > 0 && s.slowestSOG < d.cfg.FishingMaxSOG:
		return s, false // fishing
	}
	if a.portFor != a.cur {
		a.portFor, a.port = a.cur, d.nearPort(v, f)
	}
	if a.port {
		return s, false
	}
	return s, true
}

func (d *loiterDetector) areaEnd(v *Vessel, a *loiterArea, e *Emitter) {
	if a.open {
		e.Emit(d.areaEvent(v, a, StateClose))
	}
	*a = loiterArea{}
	v.loiter.sampled = 0
}

func (d *loiterDetector) areaEvent(v *Vessel, a *loiterArea, s State) Event {
	st := &a.stats
	ev := Event{ID: a.id, Type: TypeLoiter, State: s, Start: a.start.Time, Vessels: []uint32{v.MMSI},
		Lat: st.last.Lat, Lon: st.last.Lon, Alarm: true,
		Confidence: clamp01(0.5 + 0.5*(float64(st.dur)/float64(a.minDur)-1) + 0.25*(1-st.rg/a.radius)),
		Evidence: Evidence{Fixes: []track.Fix{a.start, st.last}, Figures: []Figure{
			{Name: "duration", Value: float64(st.dur) / 1000, Op: ">=", Threshold: float64(a.minDur) / 1000, Unit: "s"},
			{Name: "radius_of_gyration", Value: st.rg, Op: "<=", Threshold: a.radius, Unit: "m"},
			{Name: "displacement", Value: st.disp, Op: "<=", Threshold: 2 * a.radius, Unit: "m"},
			{Name: "slowest_quarter_sog", Value: st.slowestSOG, Op: ">=", Threshold: d.cfg.MinSOG, Unit: "kn"},
			{Name: "mean_sog", Value: st.meanSOG, Unit: "kn"}}}}
	if v.loiter.fishing && d.cfg.FishingMaxSOG > 0 {
		ev.Evidence.Figures = append(ev.Evidence.Figures,
			Figure{Name: "fishing_vessel_slowest_quarter_sog", Value: st.slowestSOG, Op: ">=", Threshold: d.cfg.FishingMaxSOG, Unit: "kn"})
	}
	if s == StateClose {
		ev.End = st.last.Time
	}
	return ev
}
