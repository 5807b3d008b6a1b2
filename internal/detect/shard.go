package detect

import (
	"fmt"

	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

// Vessel is the per-vessel state the detectors share. It is owned by one
// Shard and must not be touched from another goroutine.
type Vessel struct {
	MMSI uint32
	// Last is the newest fix before the one being processed; HasLast
	// says there is one.
	Last    track.Fix
	HasLast bool
	// Zones holds the indexes (in the zone set) of the area zones that
	// contain Last; Next those that contain the fix being processed
	// (valid only for fixes that are not late).
	Zones, Next []int

	distress distressState
	zoneStay []zoneStay
	gap      gapState
	speed    speedState
	loiter   loiterState
	port     portVisitState
	tss      tssState
	identity *identityState // nil until the identity detector sees the vessel
}

// Emitter collects the events detectors emit.
type Emitter struct {
	events []Event
}

// Emit records e.
func (m *Emitter) Emit(e Event) { m.events = append(m.events, e) }

// Events returns the events emitted so far.
func (m *Emitter) Events() []Event { return m.events }

// Detector is one per-vessel detection rule. A Shard calls it, from the
// shard's goroutine only, for each vessel's records in arrival order; the
// detector keeps its per-vessel state in the Vessel.
type Detector interface {
	// Fix handles a fix of v. late reports that f is older than v.Last;
	// v.Last is still the previous newest fix while Fix runs.
	Fix(v *Vessel, f *track.Fix, late bool, e *Emitter)
	// Static handles a static or voyage report of v.
	Static(v *Vessel, s *track.Static, e *Emitter)
	// Safety handles a safety text sent by v.
	Safety(v *Vessel, t *track.Text, e *Emitter)
	// Advance tells the detector that event time has reached watermark,
	// for rules that fire on silence.
	Advance(v *Vessel, watermark int64, e *Emitter)
}

// Shard owns a set of vessels and runs every enabled detector on them. It
// is not safe for concurrent use: one goroutine owns it.
type Shard struct {
	cfg       Config
	zones     *zone.Set
	detectors []Detector
	vessels   map[uint32]*Vessel
	lastSweep int64
	out       Emitter
}

// NewShard returns a shard with the detectors cfg enables. zones may be
// nil: no zone, zone-speed or port rules then apply.
func NewShard(cfg Config, zones *zone.Set) (*Shard, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new shard: %w", err)
	}
	s := &Shard{cfg: cfg, zones: zones, vessels: make(map[uint32]*Vessel)}
	if cfg.Distress.Enabled {
		s.detectors = append(s.detectors, &distressDetector{cfg: cfg.Distress})
	}
	if cfg.Zones.Enabled && zones != nil {
		s.detectors = append(s.detectors, newZoneDetector(cfg.Zones, zones))
	}
	if cfg.Gap.Enabled {
		s.detectors = append(s.detectors, &gapDetector{cfg: cfg.Gap, zones: zones})
	}
	if cfg.Speed.Enabled {
		s.detectors = append(s.detectors, &speedDetector{cfg: cfg.Speed, zones: zones})
	}
	if cfg.Loiter.Enabled {
		s.detectors = append(s.detectors, &loiterDetector{cfg: cfg.Loiter, zones: zones})
	}
	// Both idle without their zones: a region with no port, anchorage
	// or TSS lane (the default has no sourced TSS) costs nothing.
	if d := newPortVisitDetector(cfg.PortVisit, zones); cfg.PortVisit.Enabled && d != nil {
		s.detectors = append(s.detectors, d)
	}
	if d := newTSSDetector(cfg.TSS, zones); cfg.TSS.Enabled && d != nil {
		s.detectors = append(s.detectors, d)
	}
	if cfg.Identity.Enabled {
		s.detectors = append(s.detectors, &identityDetector{cfg: cfg.Identity})
	}
	return s, nil
}

func (s *Shard) vessel(mmsi uint32) *Vessel {
	v := s.vessels[mmsi]
	if v == nil {
		v = &Vessel{MMSI: mmsi}
		s.vessels[mmsi] = v
	}
	return v
}

// Fix runs the detectors on one fix.
func (s *Shard) Fix(f *track.Fix) {
	v := s.vessel(f.MMSI)
	late := v.HasLast && f.Time < v.Last.Time
	if !late && s.zones != nil {
		v.Next = s.zones.Containing(v.Next[:0], f.Lat, f.Lon)
	}
	for _, d := range s.detectors {
		d.Fix(v, f, late, &s.out)
	}
	if !late {
		v.Last, v.HasLast = *f, true
		v.Zones, v.Next = v.Next, v.Zones
	}
}

// Static runs the detectors on one static report.
func (s *Shard) Static(st *track.Static) {
	v := s.vessel(st.MMSI)
	for _, d := range s.detectors {
		d.Static(v, st, &s.out)
	}
}

// Safety runs the detectors on one safety text.
func (s *Shard) Safety(t *track.Text) {
	v := s.vessel(t.MMSI)
	for _, d := range s.detectors {
		d.Safety(v, t, &s.out)
	}
}

// Advance moves the shard's event time to watermark; every
// Config.SweepEvery of event time it runs the time-driven rules over
// every vessel.
func (s *Shard) Advance(watermark int64) {
	if watermark < s.lastSweep+s.cfg.SweepEvery.Milliseconds() {
		return
	}
	s.lastSweep = watermark
	for _, v := range s.vessels {
		for _, d := range s.detectors {
			d.Advance(v, watermark, &s.out)
		}
	}
}

// Drain returns the events emitted since the last Drain and forgets
// them. The slice is the caller's until the next Drain.
func (s *Shard) Drain() []Event {
	ev := s.out.events
	s.out.events = nil
	return ev
}

// Len returns the number of vessels the shard holds.
func (s *Shard) Len() int { return len(s.vessels) }
