package detect

import (
	"math"

	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

type loiterState struct {
	run      bool // a slow run is going on
	excluded bool // it started in or near a port or anchorage
	open     bool
	first    track.Fix
	last     track.Fix
	n        int
	sumSOG   float64
	maxSOG   float64
	id       string
	limSOG   float64 // knots, the speed limit of this run
	minDur   int64   // ms, the minimum duration of this run
	// area is the area rule's window (LoiterConfig.MaxRadius); nil
	// until used. fishing says the vessel's static data gives ship type
	// 30 (fishing); it outlives runs.
	area    *loiterArea
	fishing bool
	sampled int64 // event time of the area rule's last fix taken; 0 when no window
}

// Per-zone loitering thresholds (zone property "thresholds"), replacing
// LoiterConfig.MaxSOG (knots) and MinDuration (seconds) for runs that
// start in the zone; the strictest of the zones applies.
const (
	ThresholdLoiterMaxSOG      = "loiter_max_sog_kn"
	ThresholdLoiterMinDuration = "loiter_min_duration_s"
	// ThresholdLoiterMaxRadius replaces LoiterConfig.MaxRadius (metres)
	// for the area rule; only a zone of a preset that uses the area rule
	// reads it.
	ThresholdLoiterMaxRadius = "loiter_max_radius_m"
)

// loiterDetector flags vessels that loiter away from ports and
// anchorages, by one of two rules. The speed rule (MaxRadius 0; the gfw
// and skylight presets) flags a stay below MaxSOG for MinDuration; a run
// ends at a faster fix or at a silence of MaxGap or more. The area rule
// (MaxRadius > 0; the strait preset, see areaFix) flags a vessel under
// way that keeps within a small area for MinDuration whatever its speed,
// and leaves out what explains such a stay by itself: a declared status
// (anchored, moored, not under command, restricted, aground), lying
// stopped, and a fishing vessel fishing.
type loiterDetector struct {
	cfg   LoiterConfig
	zones *zone.Set
}

func (d *loiterDetector) nearPort(v *Vessel, f *track.Fix) bool {
	if d.zones == nil {
		return false
	}
	for _, zi := range v.Next {
		if k := d.zones.Zones[zi].Kind; k == zone.KindPort || k == zone.KindAnchorage {
			return true
		}
	}
	if d.cfg.PortRadius > 0 {
		if i, dist := d.zones.Nearest(f.Lat, f.Lon, zone.KindPort); i >= 0 && dist <= d.cfg.PortRadius {
			return true
		}
	}
	return false
}

// limits returns the loitering speed (knots) and duration (ms) for a fix
// in the zones v.Next.
func (d *loiterDetector) limits(v *Vessel) (float64, int64) {
	sog, dur := d.cfg.MaxSOG, d.cfg.MinDuration.Milliseconds()
	if d.zones == nil {
		return sog, dur
	}
	for _, zi := range v.Next {
		th := d.zones.Zones[zi].Thresholds
		if th == nil {
			continue
		}
		if x, ok := th[ThresholdLoiterMaxSOG]; ok {
			sog = min(sog, x)
		}
		if x, ok := th[ThresholdLoiterMinDuration]; ok {
			dur = min(dur, int64(x*1000))
		}
	}
	return sog, dur
}

func (d *loiterDetector) event(v *Vessel, st *loiterState, s State) Event {
	dur := st.last.Time - st.first.Time
	ev := Event{ID: st.id, Type: TypeLoiter, State: s, Start: st.first.Time, Vessels: []uint32{v.MMSI},
		Lat: st.last.Lat, Lon: st.last.Lon, Alarm: true,
		Confidence: clamp01(0.5 + 0.5*(float64(dur)/float64(st.minDur)-1)),
		Evidence: Evidence{Fixes: []track.Fix{st.first, st.last}, Figures: []Figure{
			{Name: "duration", Value: float64(dur) / 1000, Op: ">=", Threshold: float64(st.minDur) / 1000, Unit: "s"},
			{Name: "max_sog", Value: st.maxSOG, Op: "<", Threshold: st.limSOG, Unit: "kn"},
			{Name: "mean_sog", Value: st.sumSOG / float64(st.n), Unit: "kn"},
			{Name: "drift", Value: distanceM(&st.first, &st.last), Unit: "m"}}}}
	if s == StateClose {
		ev.End = st.last.Time
	}
	return ev
}

func (d *loiterDetector) end(v *Vessel, e *Emitter) {
	st := &v.loiter
	if st.open {
		e.Emit(d.event(v, st, StateClose))
	}
	*st = loiterState{fishing: st.fishing}
}

func (d *loiterDetector) Fix(v *Vessel, f *track.Fix, late bool, e *Emitter) {
	if late {
		return
	}
	if d.cfg.MaxRadius > 0 {
		d.areaFix(v, f, e)
		return
	}
	st := &v.loiter
	sog := float64(f.SOG)
	if st.run && f.Time-st.last.Time >= d.cfg.MaxGap.Milliseconds() {
		d.end(v, e)
	}
	if math.IsNaN(sog) {
		return
	}
	var limSOG float64
	var minDur int64
	if st.run {
		limSOG, minDur = st.limSOG, st.minDur
	} else {
		limSOG, minDur = d.limits(v)
	}
	if sog >= limSOG {
		d.end(v, e)
		return
	}
	if !st.run {
		*st = loiterState{run: true, first: *f, excluded: d.nearPort(v, f), limSOG: limSOG, minDur: minDur}
	}
	st.last = *f
	st.n++
	st.sumSOG += sog
	st.maxSOG = max(st.maxSOG, sog)
	if st.excluded || st.open || f.Time-st.first.Time < st.minDur {
		return
	}
	st.open = true
	st.id = eventID(TypeLoiter, v.MMSI, st.first.Time, "")
	e.Emit(d.event(v, st, StateOpen))
}

func (d *loiterDetector) Static(v *Vessel, s *track.Static, _ *Emitter) {
	if s.Has&track.HasShipType != 0 {
		v.loiter.fishing = s.ShipType == 30
	}
}

func (d *loiterDetector) Safety(*Vessel, *track.Text, *Emitter) {}
func (d *loiterDetector) Advance(*Vessel, int64, *Emitter)      {}
