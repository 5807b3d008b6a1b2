package detect

import (
	"math"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

func distanceM(a, b *track.Fix) float64 { return geo.Distance(a.Lat, a.Lon, b.Lat, b.Lon) }

type speedState struct {
	above int // consecutive fixes above the limit
	open  bool
	ev    Event
	max   float64
}

// speedDetector flags speeds above the limit of the zones a vessel is in
// (a zone's max_sog_kn, else the limit for its kind) and, for class B
// stations, above FastCraftSOG anywhere. MinFixes consecutive fixes above
// the limit open an event; the first fix at or below it closes it.
type speedDetector struct {
	cfg   SpeedConfig
	zones *zone.Set
}

// limit returns the lowest limit in knots that applies to f and the zone
// that sets it ("" for the fast-craft limit); +Inf when none applies.
func (d *speedDetector) limit(v *Vessel, f *track.Fix) (float64, string) {
	lim, zid := math.Inf(1), ""
	if d.zones != nil {
		for _, zi := range v.Next {
			z := &d.zones.Zones[zi]
			l := z.MaxSOG
			if math.IsNaN(l) {
				var ok bool
				if l, ok = d.cfg.ByKind[z.Kind]; !ok {
					continue
				}
			}
			if l < lim {
				lim, zid = l, z.ID
			}
		}
	}
	if d.cfg.FastCraftSOG > 0 && f.Class == track.ClassB && d.cfg.FastCraftSOG < lim {
		lim, zid = d.cfg.FastCraftSOG, ""
	}
	return lim, zid
}

func (d *speedDetector) Fix(v *Vessel, f *track.Fix, late bool, e *Emitter) {
	if late || math.IsNaN(float64(f.SOG)) {
		return
	}
	st := &v.speed
	sog := float64(f.SOG)
	lim, zid := d.limit(v, f)
	if sog <= lim {
		st.above = 0
		if st.open {
			st.ev.State, st.ev.End = StateClose, f.Time
			st.ev.Evidence.Fixes = append(st.ev.Evidence.Fixes, *f)
			e.Emit(st.ev)
			st.open, st.ev = false, Event{}
		}
		return
	}
	st.above++
	if st.open {
		st.ev.Evidence.Fixes = appendCapped(st.ev.Evidence.Fixes, *f, 16)
		if sog > st.max {
			st.max = sog
			st.ev.Evidence.Figures[1].Value = sog
		}
		return
	}
	if st.above == 1 {
		st.ev = Event{Evidence: Evidence{Fixes: []track.Fix{*f}}}
		st.max = sog
	} else {
		st.ev.Evidence.Fixes = appendCapped(st.ev.Evidence.Fixes, *f, 16)
		st.max = max(st.max, sog)
	}
	if st.above < d.cfg.MinFixes {
		return
	}
	first := st.ev.Evidence.Fixes[0]
	st.open = true
	st.ev = Event{ID: eventID(TypeSpeed, v.MMSI, first.Time, zid), Type: TypeSpeed, State: StateOpen, Start: first.Time,
		Vessels: []uint32{v.MMSI}, Lat: f.Lat, Lon: f.Lon, Zone: zid, Alarm: true,
		Confidence: clamp01(0.5 + 0.5*(sog-lim)/lim*4),
		Evidence: Evidence{Fixes: st.ev.Evidence.Fixes, Figures: []Figure{
			{Name: "sog", Value: sog, Op: ">", Threshold: lim, Unit: "kn"},
			{Name: "max_sog", Value: st.max, Op: ">", Threshold: lim, Unit: "kn"},
			{Name: "fixes_above", Value: float64(st.above), Op: ">=", Threshold: float64(d.cfg.MinFixes)}}}}
	ev := st.ev
	ev.Evidence.Fixes = append([]track.Fix(nil), st.ev.Evidence.Fixes...)
	ev.Evidence.Figures = append([]Figure(nil), st.ev.Evidence.Figures...)
	e.Emit(ev)
}

func (d *speedDetector) Static(*Vessel, *track.Static, *Emitter) {}
func (d *speedDetector) Safety(*Vessel, *track.Text, *Emitter)   {}
func (d *speedDetector) Advance(*Vessel, int64, *Emitter)        {}
