package detect

import (
	"slices"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

type zoneStay struct {
	zone    int
	start   int64
	first   track.Fix
	outside int       // consecutive fixes outside the zone
	left    track.Fix // the first of those
}

// zoneDetector emits a zone event per stay: open on the first fix inside
// a zone, close after ExitFixes consecutive fixes outside it (the close's
// End is the first of them), so a vessel running along an edge does not
// raise a storm of entries and exits. Late fixes are ignored: a stay is
// judged on the fixes in event-time order as they arrived.
type zoneDetector struct {
	zones     *zone.Set
	wanted    []bool // by zone index
	exitFixes int
}

func newZoneDetector(cfg ZoneConfig, zs *zone.Set) *zoneDetector {
	d := &zoneDetector{zones: zs, wanted: make([]bool, len(zs.Zones)), exitFixes: max(cfg.ExitFixes, 1)}
	for i := range zs.Zones {
		d.wanted[i] = len(cfg.Kinds) == 0 || slices.Contains(cfg.Kinds, zs.Zones[i].Kind)
	}
	return d
}

func (d *zoneDetector) Fix(v *Vessel, f *track.Fix, late bool, e *Emitter) {
	if late {
		return
	}
	// Exits: stays whose zone no longer contains the fix.
	for i := 0; i < len(v.zoneStay); {
		st := &v.zoneStay[i]
		if slices.Contains(v.Next, st.zone) {
			st.outside = 0
			i++
			continue
		}
		if st.outside == 0 {
			st.left = *f
		}
		st.outside++
		if st.outside < d.exitFixes {
			i++
			continue
		}
		z := &d.zones.Zones[st.zone]
		e.Emit(Event{ID: eventID(TypeZone, v.MMSI, st.start, z.ID), Type: TypeZone, State: StateClose,
			Start: st.start, End: st.left.Time, Vessels: []uint32{v.MMSI}, Lat: st.left.Lat, Lon: st.left.Lon, Zone: z.ID,
			Confidence: 1, Alarm: true,
			Evidence: Evidence{Fixes: []track.Fix{st.first, st.left, *f}, Figures: []Figure{
				{Name: "duration", Value: float64(st.left.Time-st.start) / 1000, Unit: "s"},
				{Name: "fixes_outside", Value: float64(st.outside), Op: ">=", Threshold: float64(d.exitFixes)}}}})
		v.zoneStay = slices.Delete(v.zoneStay, i, i+1)
	}
	// Entries.
	for _, zi := range v.Next {
		if !d.wanted[zi] || slices.ContainsFunc(v.zoneStay, func(s zoneStay) bool { return s.zone == zi }) {
			continue
		}
		z := &d.zones.Zones[zi]
		v.zoneStay = append(v.zoneStay, zoneStay{zone: zi, start: f.Time, first: *f})
		figs := []Figure{{Name: "inside", Value: 1, Op: "==", Threshold: 1}}
		if v.HasLast {
			figs = append(figs, Figure{Name: "from_last_fix", Value: geo.Distance(v.Last.Lat, v.Last.Lon, f.Lat, f.Lon), Unit: "m"})
		}
		fixes := []track.Fix{*f}
		if v.HasLast {
			fixes = []track.Fix{v.Last, *f}
		}
		e.Emit(Event{ID: eventID(TypeZone, v.MMSI, f.Time, z.ID), Type: TypeZone, State: StateOpen,
			Start: f.Time, Vessels: []uint32{v.MMSI}, Lat: f.Lat, Lon: f.Lon, Zone: z.ID,
			Confidence: 1, Alarm: true, Evidence: Evidence{Fixes: fixes, Figures: figs}})
	}
}

func (d *zoneDetector) Static(*Vessel, *track.Static, *Emitter) {}
func (d *zoneDetector) Safety(*Vessel, *track.Text, *Emitter)   {}
func (d *zoneDetector) Advance(*Vessel, int64, *Emitter)        {}
