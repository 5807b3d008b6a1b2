package detect

import (
	"math"
	"time"

	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

// gapRecord is a gap event this vessel had, kept so late fixes can
// shrink or retract it.
type gapRecord struct {
	id         string
	start, end int64 // end 0 while open
	from, to   track.Fix
	threshold  int64 // ms
	// covered is how long (ms) the places the vessel could be were heard
	// during the gap, covThr what a gap needs; both -1 when coverage is
	// not judged.
	covered, covThr int64
}

type gapState struct {
	open    bool // a gap is open (found by Advance, no fix since)
	history []gapRecord
}

// gapDetector finds AIS gaps: silences of at least the vessel's
// threshold, max(MinGap, Factor × expected reporting interval at its
// last fix). A gap still going on opens when the watermark passes the
// threshold and closes at the next fix; a gap found only when its
// closing fix arrives is emitted closed. A late fix inside a past gap
// shrinks it, splits it, or retracts it when no part is long enough.
//
// With a coverage grid (GapConfig.CoverageCell, set by the Engine), a
// silence is a gap only when the places the vessel could be were heard
// for long enough during it (see coverSays): out of every receiver's
// range, or while a receiver was down, a silence is no evidence and no
// event is made. Distress devices (AIS-SART, MOB, EPIRB-AIS) have no
// gaps: they fall silent when switched off, and the distress detector
// closes their events.
type gapDetector struct {
	cfg   GapConfig
	zones *zone.Set
	cov   *Coverage // nil: coverage not judged
}

// coverThreshold returns the covered time (ms) a gap after f needs: the
// vessel would have sent CoverageFactor reports in it, so losing every
// one to a lossy receiver is unlikely.
func (d *gapDetector) coverThreshold(f *track.Fix) int64 {
	return max(d.cfg.CoverageMin, time.Duration(d.cfg.CoverageFactor*float64(ExpectedInterval(f)))).Milliseconds()
}

// coverSays returns how long the silence after last (until next, or
// until to when next is nil) was covered, what it needs, and whether it
// is a gap on coverage; -1, -1, true without a grid.
func (d *gapDetector) coverSays(last, next *track.Fix, to int64) (covered, need int64, ok bool) {
	if d.cov == nil {
		return -1, -1, true
	}
	covered, need = d.cov.coveredAlong(last, next, to), d.coverThreshold(last)
	return covered, need, covered >= need
}

// isDevice reports whether mmsi is an AIS-SART, MOB or EPIRB-AIS
// (970xxxxxx, 972xxxxxx, 974xxxxxx; ITU-R M.585).
func isDevice(mmsi uint32) bool {
	p := mmsi / 1_000_000
	return p >= 970 && p <= 974
}

// ThresholdGapMin is the per-zone threshold (zone property "thresholds")
// that replaces GapConfig.MinGap for fixes in the zone, in seconds; the
// least of the zones that contain the last fix applies.
const ThresholdGapMin = "gap_min_s"

// ExpectedInterval returns the reporting interval ITU-R M.1371-5 (Table
// 1 and 2) sets for a station of f's class, speed and status. Class B
// uses the carrier-sense (CS) rates, the longer ones; an unknown class
// or speed gets 3 minutes.
func ExpectedInterval(f *track.Fix) time.Duration {
	sog := float64(f.SOG)
	switch f.Class {
	case track.ClassA:
		switch {
		case math.IsNaN(sog):
			return 3 * time.Minute
		case (f.Status == 1 || f.Status == 5) && sog <= 3: // at anchor, moored
			return 3 * time.Minute
		case sog <= 14:
			return 10 * time.Second
		case sog <= 23:
			return 6 * time.Second
		default:
			return 2 * time.Second
		}
	case track.ClassB:
		if sog > 2 {
			return 30 * time.Second
		}
		return 3 * time.Minute
	case track.ClassSAR, track.ClassBase:
		return 10 * time.Second
	}
	return 3 * time.Minute
}

func (d *gapDetector) threshold(f *track.Fix, zones []int) int64 {
	t := d.cfg.MinGap
	if d.zones != nil {
		first := true
		for _, zi := range zones {
			if s, ok := d.zones.Zones[zi].Thresholds[ThresholdGapMin]; ok {
				zt := time.Duration(s * float64(time.Second))
				if first || zt < t {
					t, first = zt, false
				}
			}
		}
	}
	if d.cfg.Factor > 0 {
		t = max(t, time.Duration(d.cfg.Factor*float64(ExpectedInterval(f))))
	}
	return t.Milliseconds()
}

// confidence grows from 0.5 at the threshold to 1 at twice it; a gap of
// LikelyDisabling or more is at least 0.9. A gap confirmed by coverage
// (covered >= 0) is at least 0.6, rising to 1 as the covered part of
// the silence grows to all of it: neighbours heard throughout leave
// little doubt that the vessel itself fell silent.
func (d *gapDetector) confidence(gap, thr, covered int64) float64 {
	c := 0.5 + 0.5*(float64(gap)/float64(thr)-1)
	if covered >= 0 && gap > 0 {
		c = max(c, 0.6+0.4*min(1, float64(covered)/float64(gap)))
	}
	if d.cfg.LikelyDisabling > 0 && gap >= d.cfg.LikelyDisabling.Milliseconds() {
		c = max(c, 0.9)
	}
	return clamp01(c)
}

func (d *gapDetector) event(v *Vessel, r *gapRecord, s State, now int64) Event {
	end := r.end
	if end == 0 {
		end = now
	}
	gap := end - r.start
	figs := []Figure{
		{Name: "gap", Value: float64(gap) / 1000, Op: ">=", Threshold: float64(r.threshold) / 1000, Unit: "s"},
		{Name: "expected_interval", Value: ExpectedInterval(&r.from).Seconds(), Unit: "s"},
	}
	if d.cfg.LikelyDisabling > 0 {
		figs = append(figs, Figure{Name: "likely_disabling", Value: float64(gap) / 1000, Op: ">=", Threshold: d.cfg.LikelyDisabling.Seconds(), Unit: "s"})
	}
	if r.covered >= 0 {
		// How long the places the vessel could be were heard during the
		// silence: other stations there were received.
		figs = append(figs, Figure{Name: "covered", Value: float64(r.covered) / 1000, Op: ">=", Threshold: float64(r.covThr) / 1000, Unit: "s"})
	}
	fixes := []track.Fix{r.from}
	if r.end != 0 {
		fixes = append(fixes, r.to)
		figs = append(figs, Figure{Name: "distance", Value: distanceM(&r.from, &r.to), Unit: "m"})
	}
	return Event{ID: r.id, Type: TypeGap, State: s, Start: r.start, End: r.end, Vessels: []uint32{v.MMSI},
		Lat: r.from.Lat, Lon: r.from.Lon, Confidence: d.confidence(gap, r.threshold, r.covered), Alarm: s != StateRetract,
		Evidence: Evidence{Fixes: fixes, Figures: figs}}
}

func (d *gapDetector) remember(st *gapState, r gapRecord) {
	if d.cfg.History == 0 {
		return
	}
	if len(st.history) >= d.cfg.History {
		st.history = append(st.history[:0], st.history[1:]...)
	}
	st.history = append(st.history, r)
}

func (d *gapDetector) Fix(v *Vessel, f *track.Fix, late bool, e *Emitter) {
	st := &v.gap
	if !v.HasLast {
		return
	}
	if late {
		d.late(v, f, e)
		return
	}
	dt := f.Time - v.Last.Time
	if st.open {
		r := &st.history[len(st.history)-1]
		r.end, r.to = f.Time, *f
		if r.covered >= 0 {
			// Coverage seen until the vessel was heard again.
			c, _, _ := d.coverSays(&r.from, f, f.Time)
			r.covered = max(r.covered, c)
		}
		st.open = false
		e.Emit(d.event(v, r, StateClose, f.Time))
		return
	}
	if isDevice(v.MMSI) {
		return
	}
	thr := d.threshold(&v.Last, v.Zones)
	if dt < thr {
		return
	}
	cov, need, ok := d.coverSays(&v.Last, f, f.Time)
	if !ok {
		return // a coverage hole, not a gap
	}
	r := gapRecord{id: eventID(TypeGap, v.MMSI, v.Last.Time, ""), start: v.Last.Time, end: f.Time, from: v.Last, to: *f, threshold: thr,
		covered: cov, covThr: need}
	d.remember(st, r)
	e.Emit(d.event(v, &r, StateClose, f.Time))
}

// late handles a fix older than the newest: if it falls inside a past
// gap, the gap shrinks to its longer remaining part, splits in two, or
// is retracted.
func (d *gapDetector) late(v *Vessel, f *track.Fix, e *Emitter) {
	st := &v.gap
	for i := range st.history {
		r := &st.history[i]
		if f.Time <= r.start || (r.end != 0 && f.Time >= r.end) {
			continue
		}
		if r.end == 0 {
			// Cannot happen: an open gap starts at the newest fix and a
			// late fix is older. Keep it safe anyway.
			return
		}
		// Coverage is not judged again: the parts keep the whole gap's,
		// cut to their length.
		part := func(c, dur int64) int64 {
			if c < 0 {
				return c
			}
			return min(c, dur)
		}
		first := gapRecord{id: r.id, start: r.start, end: f.Time, from: r.from, to: *f, threshold: r.threshold,
			covered: part(r.covered, f.Time-r.start), covThr: r.covThr}
		second := gapRecord{start: f.Time, end: r.end, from: *f, to: r.to, threshold: d.threshold(f, nil),
			covered: part(r.covered, r.end-f.Time), covThr: r.covThr}
		second.id = eventID(TypeGap, v.MMSI, f.Time, "")
		okA := first.end-first.start >= first.threshold
		okB := second.end-second.start >= second.threshold
		switch {
		case okA && okB:
			*r = first
			e.Emit(d.event(v, r, StateUpdate, 0))
			e.Emit(d.event(v, &second, StateClose, 0))
			st.history = append(st.history[:i+1], append([]gapRecord{second}, st.history[i+1:]...)...)
		case okA:
			*r = first
			e.Emit(d.event(v, r, StateUpdate, 0))
		case okB:
			// The gap now starts later: same event, new start.
			second.id = r.id
			*r = second
			e.Emit(d.event(v, r, StateUpdate, 0))
		default:
			ev := d.event(v, r, StateRetract, 0)
			ev.Evidence.Fixes = append(ev.Evidence.Fixes, *f)
			ev.Evidence.Figures = append(ev.Evidence.Figures,
				Figure{Name: "gap_before_late_fix", Value: float64(first.end-first.start) / 1000, Op: ">=", Threshold: float64(first.threshold) / 1000, Unit: "s"},
				Figure{Name: "gap_after_late_fix", Value: float64(second.end-second.start) / 1000, Op: ">=", Threshold: float64(second.threshold) / 1000, Unit: "s"})
			e.Emit(ev)
			st.history = append(st.history[:i], st.history[i+1:]...)
		}
		return
	}
}

func (d *gapDetector) Static(*Vessel, *track.Static, *Emitter) {}
func (d *gapDetector) Safety(*Vessel, *track.Text, *Emitter)   {}

func (d *gapDetector) Advance(v *Vessel, wm int64, e *Emitter) {
	st := &v.gap
	if st.open || !v.HasLast || isDevice(v.MMSI) {
		return
	}
	thr := d.threshold(&v.Last, v.Zones)
	if wm-v.Last.Time < thr {
		return
	}
	// Judged again at every sweep until the place is heard long enough
	// or the vessel is.
	cov, need, ok := d.coverSays(&v.Last, nil, wm)
	if !ok {
		return
	}
	r := gapRecord{id: eventID(TypeGap, v.MMSI, v.Last.Time, ""), start: v.Last.Time, from: v.Last, threshold: thr, covered: cov, covThr: need}
	st.open = true
	if d.cfg.History == 0 {
		st.history = append(st.history[:0], r)
	} else {
		d.remember(st, r)
	}
	e.Emit(d.event(v, &r, StateOpen, wm))
}
