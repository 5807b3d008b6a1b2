package detect

import (
	"math"
	"slices"
	"time"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

// TypeCollision is a collision risk between two vessels by CPA/TCPA.
const TypeCollision Type = "collision_risk"

// CollisionConfig configures the collision-risk stage. A pair is at risk
// while CPA < MaxCPA, 0 < TCPA < MaxTCPA, their range <= MaxRange and
// both speeds > MinSOG.
type CollisionConfig struct {
	Enabled bool
	MaxCPA  float64       // nautical miles
	MaxTCPA time.Duration // time to the closest point of approach
	// MaxRange is the largest range in nautical miles at which targets
	// are judged.
	MaxRange float64
	MinSOG   float64 // knots, compared at the float32 precision of track.Fix.SOG
	// MaxFixAge is how old the other vessel's latest fix may be.
	MaxFixAge time.Duration
}

// OpenCPNCollision returns OpenCPN's default CPA alarm settings: CPA <
// 2 nm, 0 < TCPA < 30 min, targets <= 20 nm, SOG > 0.2 kn; fixes at most
// 3 minutes old (ours).
func OpenCPNCollision() CollisionConfig {
	return CollisionConfig{Enabled: true, MaxCPA: 2, MaxTCPA: 30 * time.Minute, MaxRange: 20, MinSOG: 0.2, MaxFixAge: 3 * time.Minute}
}

type riskState struct {
	id     string
	start  int64
	minCPA float64
}

// Collisions finds pairs at risk of collision over a grid of the latest
// fix of every vessel, with cells MaxRange wide. One goroutine owns it.
// Its cost grows with the number of vessels within MaxRange of each
// other: keep MaxRange to what the watch needs.
type Collisions struct {
	cfg     CollisionConfig
	cellDeg float64
	cells   map[int64][]*gridVessel
	vessels map[uint32]*gridVessel
	risks   map[pairKey]*riskState
	out     Emitter
}

// NewCollisions returns a collision-risk stage.
func NewCollisions(cfg CollisionConfig) *Collisions {
	// Cells MaxRange wide in longitude up to 60 degrees of latitude.
	return &Collisions{cfg: cfg, cellDeg: max(cfg.MaxRange, 0.01) * 2 / 60,
		cells: map[int64][]*gridVessel{}, vessels: map[uint32]*gridVessel{}, risks: map[pairKey]*riskState{}}
}

func (c *Collisions) cellOf(lat, lon float64) int64 {
	return int64(math.Floor((lat+90)/c.cellDeg))<<32 | int64(math.Floor((lon+180)/c.cellDeg))
}

func motion(f *track.Fix) geo.Motion {
	return geo.Motion{Lat: f.Lat, Lon: f.Lon, SOG: float64(f.SOG), COG: float64(f.COG)}
}

// Fix updates the grid with f and judges f's vessel against every
// vessel within range. Fixes older than the vessel's latest are ignored.
func (c *Collisions) Fix(f *track.Fix) {
	if !(f.Lat >= -90 && f.Lat <= 90 && f.Lon >= -180 && f.Lon <= 180) {
		return
	}
	cell := c.cellOf(f.Lat, f.Lon)
	v := c.vessels[f.MMSI]
	switch {
	case v == nil:
		v = &gridVessel{mmsi: f.MMSI, fix: *f, cell: cell}
		c.vessels[f.MMSI] = v
		c.cells[cell] = append(c.cells[cell], v)
	case f.Time < v.fix.Time:
		return
	default:
		if v.cell != cell {
			s := c.cells[v.cell]
			if i := slices.Index(s, v); i >= 0 {
				s[i] = s[len(s)-1]
				s = s[:len(s)-1]
			}
			c.cells[v.cell] = s
			c.cells[cell] = append(c.cells[cell], v)
			v.cell = cell
		}
		v.fix = *f
	}
	r, col := cell>>32, cell&0xffffffff
	for dr := int64(-1); dr <= 1; dr++ {
		for dc := int64(-1); dc <= 1; dc++ {
			for _, o := range c.cells[(r+dr)<<32|(col+dc)] {
				if o != v {
					c.judge(v, o, f.Time)
				}
			}
		}
	}
}

func (c *Collisions) judge(v, o *gridVessel, now int64) {
	k := keyOf(v.mmsi, o.mmsi)
	rs := c.risks[k]
	a, b := &v.fix, &o.fix
	rng := geo.Distance(a.Lat, a.Lon, b.Lat, b.Lon) / geo.NauticalMile
	cpa, tcpa := math.NaN(), time.Duration(0)
	fresh := now-b.Time <= c.cfg.MaxFixAge.Milliseconds()
	if fresh && rng <= c.cfg.MaxRange && a.SOG > float32(c.cfg.MinSOG) && b.SOG > float32(c.cfg.MinSOG) {
		// Project b to a's time at its own velocity before comparing.
		bm := motion(b)
		if dt := float64(a.Time-b.Time) / 3600e3; dt != 0 && !math.IsNaN(bm.SOG+bm.COG) {
			bm.Lat, bm.Lon = geo.Destination(bm.Lat, bm.Lon, bm.COG, bm.SOG*dt*geo.NauticalMile)
		}
		cpa, tcpa = geo.CPA(motion(a), bm)
	}
	risk := cpa < c.cfg.MaxCPA && tcpa > 0 && tcpa < c.cfg.MaxTCPA
	switch {
	case risk && rs == nil:
		rs = &riskState{id: eventID(TypeCollision, uint32(k>>32), now, ""), start: now, minCPA: cpa}
		c.risks[k] = rs
		c.out.Emit(c.event(k, rs, StateOpen, a, b, cpa, tcpa, rng, now))
	case risk:
		rs.minCPA = min(rs.minCPA, cpa)
	case rs != nil:
		c.out.Emit(c.event(k, rs, StateClose, a, b, cpa, tcpa, rng, now))
		delete(c.risks, k)
	}
}

func (c *Collisions) event(k pairKey, rs *riskState, s State, a, b *track.Fix, cpa float64, tcpa time.Duration, rng float64, now int64) Event {
	ev := Event{ID: rs.id, Type: TypeCollision, State: s, Start: rs.start, Vessels: []uint32{uint32(k >> 32), uint32(k)},
		Lat: (a.Lat + b.Lat) / 2, Lon: (a.Lon + b.Lon) / 2, Alarm: true,
		Confidence: clamp01(1 - rs.minCPA/c.cfg.MaxCPA/2),
		Evidence: Evidence{Fixes: []track.Fix{*a, *b}, Figures: []Figure{
			{Name: "cpa", Value: cpa, Op: "<", Threshold: c.cfg.MaxCPA, Unit: "nm"},
			{Name: "tcpa", Value: tcpa.Seconds(), Op: "<", Threshold: c.cfg.MaxTCPA.Seconds(), Unit: "s"},
			{Name: "range", Value: rng, Op: "<=", Threshold: c.cfg.MaxRange, Unit: "nm"},
			{Name: "min_sog", Value: float64(min(a.SOG, b.SOG)), Op: ">", Threshold: c.cfg.MinSOG, Unit: "kn"},
			{Name: "min_cpa", Value: rs.minCPA, Unit: "nm"}}}}
	if s == StateClose {
		ev.End = now
	}
	return ev
}

// Drain returns the events emitted since the last Drain.
func (c *Collisions) Drain() []Event {
	ev := c.out.events
	c.out.events = nil
	return ev
}
