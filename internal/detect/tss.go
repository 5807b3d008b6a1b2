package detect

import (
	"math"
	"slices"

	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

// TSSConfig configures the traffic separation scheme rules (COLREG rule
// 10): proceeding against a lane's direction of traffic, and entering
// or stopping in a separation zone. They need zones of kind tss_lane
// (with a direction) and separation_zone; without them the detector is
// not run.
type TSSConfig struct {
	Enabled bool
	// MaxCourseDiff is how far in degrees a course may be from a lane's
	// direction before it is against the lane. Rule 10 lets vessels
	// cross a lane at right angles, so it is above 90. The default
	// value is 120 (ours; no system we follow publishes one).
	MaxCourseDiff float64
	// MinFixes is how many consecutive fixes must break a rule to open
	// an event, so one bad course or position does not. The default
	// value is 5.
	MinFixes int
	// MinSOG is the speed in knots below which a course over ground is
	// too noisy to judge against a lane. The default value is 3.
	MinSOG float64
	// StopSOG is the speed in knots below which a vessel in a
	// separation zone is stopped there; 0 disables the stop rule. The
	// default value is 0.5.
	StopSOG float64
	// History is how many past TSS events per vessel are kept so late
	// fixes can shrink or retract them. The default value is 4.
	History int
}

// DefaultTSS returns our TSS rule thresholds (see TSSConfig).
func DefaultTSS() TSSConfig {
	return TSSConfig{Enabled: true, MaxCourseDiff: 120, MinFixes: 5, MinSOG: 3, StopSOG: 0.5, History: 4}
}

// Rules of TypeTSS events, in Evidence.Rule.
const (
	// RuleAgainstLane: a course more than MaxCourseDiff from the lane's
	// direction (COLREG 10(b)(i)).
	RuleAgainstLane = "against_lane"
	// RuleSeparationZone: in a separation zone, crossing it or
	// proceeding in it (COLREG 10(e)).
	RuleSeparationZone = "in_separation_zone"
	// RuleSeparationZoneStop: stopped in a separation zone; an event
	// of RuleSeparationZone changes to it when the vessel stops.
	RuleSeparationZoneStop = "stopped_in_separation_zone"
)

// Per-zone TSS thresholds (zone property "thresholds" of a lane or
// separation zone), replacing MaxCourseDiff (degrees), MinFixes and
// StopSOG (knots) in that zone.
const (
	ThresholdTSSCourseDiff = "tss_max_course_diff_deg"
	ThresholdTSSMinFixes   = "tss_min_fixes"
	ThresholdTSSStopSOG    = "tss_stop_sog_kn"
)

// tssRun is a run of consecutive fixes breaking one rule in one zone,
// and, once it has MinFixes of them, its event.
type tssRun struct {
	zone       int
	id         string
	rule       string
	open       bool // an event has been emitted and not closed
	start, end int64
	n          int // fixes in the run
	minFixes   int
	first      track.Fix
	last       track.Fix
	worst      float64 // largest course difference (lanes) or least speed (separation zones)
	// head and tail are the times of the first and last minFixes fixes
	// of the run: enough to tell whether a late fix leaves minFixes on
	// either side of it.
	head, tail []int64
}

type tssState struct {
	runs    []tssRun
	history []tssRun // closed events, oldest first
}

// tssDetector applies the TSS rules to each fix in a lane or separation
// zone. A run of MinFixes consecutive fixes breaking a rule opens an
// event; the first fix that does not break it (or leaves the zone)
// closes it. A late fix that keeps the rule, inside a run's time span,
// breaks the run in two: the event shrinks to the part that still has
// MinFixes fixes, splits when both have, and is retracted when neither
// has.
type tssDetector struct {
	cfg   TSSConfig
	zones *zone.Set
	isTSS []bool // by zone index: a lane or separation zone
}

// newTSSDetector returns nil when zs holds no lane or separation zone.
func newTSSDetector(cfg TSSConfig, zs *zone.Set) *tssDetector {
	if zs == nil {
		return nil
	}
	d := &tssDetector{cfg: cfg, zones: zs, isTSS: make([]bool, len(zs.Zones))}
	found := false
	for i := range zs.Zones {
		k := zs.Zones[i].Kind
		if (k == zone.KindTSSLane && !math.IsNaN(zs.Zones[i].Direction)) || k == zone.KindSeparationZone {
			d.isTSS[i], found = true, true
		}
	}
	if !found {
		return nil
	}
	return d
}

// courseDiff returns the angle in degrees between two courses, 0..180.
func courseDiff(a, b float64) float64 {
	return math.Abs(math.Mod(a-b+540, 360) - 180)
}

func (d *tssDetector) minFixes(z *zone.Zone) int {
	if x, ok := z.Thresholds[ThresholdTSSMinFixes]; ok {
		return max(int(x), 1)
	}
	return d.cfg.MinFixes
}

// breaks reports whether fix f, in zone z, breaks z's rule, and the
// figure it is judged by (course difference or speed); ok is false when
// the fix cannot be judged (no course), which leaves a run as it is.
func (d *tssDetector) breaks(z *zone.Zone, f *track.Fix) (bad bool, x float64, ok bool) {
	sog := float64(f.SOG)
	if z.Kind == zone.KindSeparationZone {
		return true, sog, true
	}
	if math.IsNaN(float64(f.COG)) || math.IsNaN(sog) {
		return false, 0, false
	}
	lim := d.cfg.MaxCourseDiff
	if t, ok := z.Thresholds[ThresholdTSSCourseDiff]; ok {
		lim = t
	}
	diff := courseDiff(float64(f.COG), z.Direction)
	return sog >= d.cfg.MinSOG && diff > lim, diff, true
}

func (d *tssDetector) stopSOG(z *zone.Zone) float64 {
	if t, ok := z.Thresholds[ThresholdTSSStopSOG]; ok {
		return t
	}
	return d.cfg.StopSOG
}

func (d *tssDetector) Fix(v *Vessel, f *track.Fix, late bool, e *Emitter) {
	if late {
		d.late(v, f, e)
		return
	}
	st := &v.tss
	// End the runs whose zone no longer holds the vessel.
	for i := 0; i < len(st.runs); {
		if !slices.Contains(v.Next, st.runs[i].zone) {
			d.end(v, i, f, e)
			continue
		}
		i++
	}
	for _, zi := range v.Next {
		if !d.isTSS[zi] {
			continue
		}
		z := &d.zones.Zones[zi]
		i := slices.IndexFunc(st.runs, func(r tssRun) bool { return r.zone == zi })
		bad, x, ok := d.breaks(z, f)
		if !ok {
			continue
		}
		if !bad {
			if i >= 0 {
				d.end(v, i, f, e)
			}
			continue
		}
		if i < 0 {
			rule := RuleAgainstLane
			if z.Kind == zone.KindSeparationZone {
				rule = RuleSeparationZone
			}
			st.runs = append(st.runs, tssRun{zone: zi, rule: rule, start: f.Time, first: *f, worst: x, minFixes: d.minFixes(z)})
			i = len(st.runs) - 1
		}
		r := &st.runs[i]
		r.n++
		r.last, r.end = *f, f.Time
		if len(r.head) < r.minFixes {
			r.head = append(r.head, f.Time)
		}
		if len(r.tail) == r.minFixes {
			r.tail = append(r.tail[:0], r.tail[1:]...)
		}
		r.tail = append(r.tail, f.Time)
		changed := false
		if z.Kind == zone.KindSeparationZone {
			if x < r.worst || math.IsNaN(r.worst) {
				r.worst = x
			}
			if s := d.stopSOG(z); s > 0 && x < s && r.rule != RuleSeparationZoneStop {
				r.rule, changed = RuleSeparationZoneStop, true
			}
		} else if x > r.worst {
			r.worst = x
		}
		switch {
		case !r.open && r.n >= r.minFixes:
			r.open = true
			r.id = eventID(TypeTSS, v.MMSI, r.start, z.ID)
			e.Emit(d.event(v, r, StateOpen))
		case r.open && changed:
			e.Emit(d.event(v, r, StateUpdate))
		}
	}
}

// end ends run i at fix f (the first fix that does not break its rule).
func (d *tssDetector) end(v *Vessel, i int, f *track.Fix, e *Emitter) {
	st := &v.tss
	r := st.runs[i]
	st.runs = slices.Delete(st.runs, i, i+1)
	if !r.open {
		return
	}
	r.open = false
	ev := d.event(v, &r, StateClose)
	ev.End = f.Time
	ev.Evidence.Fixes = append(ev.Evidence.Fixes, *f)
	e.Emit(ev)
	r.end = f.Time
	if d.cfg.History == 0 {
		return
	}
	if len(st.history) >= d.cfg.History {
		st.history = append(st.history[:0], st.history[1:]...)
	}
	st.history = append(st.history, r)
}

func (d *tssDetector) event(v *Vessel, r *tssRun, s State) Event {
	z := &d.zones.Zones[r.zone]
	figs := []Figure{{Name: "fixes", Value: float64(r.n), Op: ">=", Threshold: float64(r.minFixes)}}
	switch r.rule {
	case RuleAgainstLane:
		lim := d.cfg.MaxCourseDiff
		if t, ok := z.Thresholds[ThresholdTSSCourseDiff]; ok {
			lim = t
		}
		figs = append(figs,
			Figure{Name: "course_diff", Value: courseDiff(float64(r.last.COG), z.Direction), Op: ">", Threshold: lim, Unit: "deg"},
			Figure{Name: "max_course_diff", Value: r.worst, Op: ">", Threshold: lim, Unit: "deg"},
			Figure{Name: "lane_direction", Value: z.Direction, Unit: "deg"},
			Figure{Name: "min_sog", Value: d.cfg.MinSOG, Unit: "kn"})
	case RuleSeparationZoneStop:
		figs = append(figs, Figure{Name: "min_sog", Value: r.worst, Op: "<", Threshold: d.stopSOG(z), Unit: "kn"})
	}
	figs = append(figs, Figure{Name: "duration", Value: float64(r.end-r.start) / 1000, Unit: "s"})
	conf := 0.5 + 0.5*float64(r.n-r.minFixes+1)/float64(r.minFixes)
	ev := Event{ID: r.id, Type: TypeTSS, State: s, Start: r.start, Vessels: []uint32{v.MMSI},
		Lat: r.last.Lat, Lon: r.last.Lon, Zone: z.ID, Confidence: clamp01(conf), Alarm: s != StateRetract,
		Evidence: Evidence{Fixes: []track.Fix{r.first, r.last}, Figures: figs, Rule: r.rule}}
	if s == StateClose || (s != StateOpen && !r.open) {
		ev.End = r.end
	}
	return ev
}

// late handles a fix older than the newest that falls in a run's span.
// A fix that also breaks the run's rule changes nothing; one that keeps
// it (or lies outside the zone) cuts the run in two at its time.
func (d *tssDetector) late(v *Vessel, f *track.Fix, e *Emitter) {
	st := &v.tss
	for i := range st.history {
		if d.cut(v, &st.history[i], f, false, e) {
			return
		}
	}
	for i := range st.runs {
		if d.cut(v, &st.runs[i], f, true, e) {
			return
		}
	}
}

// cut applies late fix f to run r (current: a run going on); it reports
// whether f fell in r's span.
func (d *tssDetector) cut(v *Vessel, r *tssRun, f *track.Fix, current bool, e *Emitter) bool {
	if f.Time <= r.start || f.Time >= r.end {
		return false
	}
	z := &d.zones.Zones[r.zone]
	if z.Contains(f.Lat, f.Lon) {
		if bad, _, ok := d.breaks(z, f); bad || !ok {
			return true // consistent with the run
		}
	}
	// The known times on each side: head holds the first minFixes, tail
	// the last minFixes, so each side has minFixes fixes exactly when
	// these lists show it.
	var before, after []int64
	for _, t := range append(slices.Clone(r.head), r.tail...) {
		switch {
		case t < f.Time && !slices.Contains(before, t):
			before = append(before, t)
		case t > f.Time && !slices.Contains(after, t):
			after = append(after, t)
		}
	}
	okA, okB := len(before) >= r.minFixes, len(after) >= r.minFixes
	st := &v.tss
	wasOpen := r.open || !current
	a := *r
	a.end, a.last, a.open = f.Time, *f, false
	a.head, a.tail = before[:min(len(before), r.minFixes)], before[max(len(before)-r.minFixes, 0):]
	b := *r
	b.start, b.first = f.Time, *f
	b.head, b.tail = after[:min(len(after), r.minFixes)], after[max(len(after)-r.minFixes, 0):]
	// Counts beyond the known times are not kept: the parts count what
	// the head and tail show, at least.
	a.n, b.n = len(before), len(after)
	if !okB {
		a.n = r.n - len(after) // every fix after f is in the tail
	}
	if !okA {
		b.n = r.n - len(before) // every fix before f is in the head
	}
	switch {
	case !wasOpen:
		// A run that has not opened: only its count changes.
		*r = b
		r.id = ""
	case okA && okB:
		*r = a
		if current {
			// The part before the fix is over; the run goes on as a new
			// event from the fix.
			e.Emit(d.event(v, r, StateClose))
			d.remember(st, a)
			b.id, b.open = eventID(TypeTSS, v.MMSI, f.Time, z.ID), true
			for i := range st.runs {
				if st.runs[i].zone == b.zone {
					st.runs[i] = b
					e.Emit(d.event(v, &st.runs[i], StateOpen))
				}
			}
			return true
		}
		e.Emit(d.event(v, r, StateUpdate))
		b.id, b.open = eventID(TypeTSS, v.MMSI, f.Time, z.ID), false
		e.Emit(d.event(v, &b, StateClose))
		d.remember(st, b)
	case okA:
		*r = a
		if current {
			e.Emit(d.event(v, r, StateClose))
			d.remember(st, a)
			b.id, b.open = "", false
			for i := range st.runs {
				if st.runs[i].zone == b.zone {
					st.runs[i] = b
				}
			}
			return true
		}
		e.Emit(d.event(v, r, StateUpdate))
	case okB:
		b.open = r.open
		*r = b // the same event, starting later
		e.Emit(d.event(v, r, StateUpdate))
	default:
		ev := d.event(v, r, StateRetract)
		ev.Evidence.Fixes = append(ev.Evidence.Fixes, *f)
		ev.Evidence.Figures = append(ev.Evidence.Figures,
			Figure{Name: "fixes_before_late_fix", Value: float64(len(before)), Op: ">=", Threshold: float64(r.minFixes)},
			Figure{Name: "fixes_after_late_fix", Value: float64(len(after)), Op: ">=", Threshold: float64(r.minFixes)})
		e.Emit(ev)
		if current {
			b.id, b.open = "", false
			*r = b
			return true
		}
		for i := range st.history {
			if st.history[i].id == r.id {
				st.history = slices.Delete(st.history, i, i+1)
				break
			}
		}
	}
	return true
}

func (d *tssDetector) remember(st *tssState, r tssRun) {
	if d.cfg.History == 0 {
		return
	}
	if len(st.history) >= d.cfg.History {
		st.history = append(st.history[:0], st.history[1:]...)
	}
	st.history = append(st.history, r)
}

func (d *tssDetector) Static(*Vessel, *track.Static, *Emitter) {}
func (d *tssDetector) Safety(*Vessel, *track.Text, *Emitter)   {}
func (d *tssDetector) Advance(*Vessel, int64, *Emitter)        {}
