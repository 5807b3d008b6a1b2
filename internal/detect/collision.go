package detect

import (
	"cmp"
	"math"
	"slices"
	"strconv"
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
	// MaxFixAge is how old the other vessel's latest fix may be. A risk
	// not judged again for this long (both went quiet) is closed.
	MaxFixAge time.Duration
	// JudgeEvery is how often, in event time, a vessel's fix is judged
	// against every vessel within range; in between, its fixes update
	// the grid and the pairs already at risk, which are judged at every
	// fix of either vessel. Each pair is thus judged at most twice per
	// JudgeEvery (once from each side) until it is at risk. 0 judges at
	// every fix. The default value is 30 s (ours: at a 60 kn closing
	// speed, 0.25 nm, against a 30-minute TCPA horizon).
	JudgeEvery time.Duration
}

// OpenCPNCollision returns OpenCPN's default CPA alarm settings: CPA <
// 2 nm, 0 < TCPA < 30 min, targets <= 20 nm, SOG > 0.2 kn; fixes at most
// 3 minutes old and a new neighbour search every 30 s (both ours).
func OpenCPNCollision() CollisionConfig {
	return CollisionConfig{Enabled: true, MaxCPA: 2, MaxTCPA: 30 * time.Minute, MaxRange: 20, MinSOG: 0.2,
		MaxFixAge: 3 * time.Minute, JudgeEvery: 30 * time.Second}
}

type riskState struct {
	a, b     *gridVessel // a.mmsi < b.mmsi
	idx      int         // index in Collisions.open
	id       string
	start    int64
	last     int64 // event time of the latest judgement at risk
	minCPA   float64
	reported float64 // minCPA as of the latest open or update sent
}

// Collisions finds pairs at risk of collision over a grid of the latest
// fix of every vessel, with cells MaxRange tall. One goroutine owns it.
// A fix is compared with the vessels in the 3x3 cells around it only at
// a neighbour search (see JudgeEvery), only when it is faster than
// MinSOG, and only with fresh, fast vessels within MaxRange: the cost
// per fix follows the density of moving traffic, not the vessel count.
//
// A risk opens, may be updated when its least CPA falls by a tenth of
// MaxCPA, and closes at the first judgement not at risk (a risk just
// past its closest point stays open for passedGrace), or at Advance
// when neither vessel has been judged at risk for MaxFixAge. When that
// judgement rests on a fix older than the risk's start, the risk was
// raised on a projection the data now contradicts at its own time, and
// it is retracted.
type Collisions struct {
	cfg     CollisionConfig
	grid    posGrid
	vessels map[uint32]*gridVessel
	// open lists the open risks; each vessel also lists its own, so
	// judging a fix needs no lookup by pair.
	open       []*riskState
	out        Emitter
	block      [][]gridEntry
	risky      []*riskState
	lastSweep  int64
	lastForget int64 // event time vessels long silent were last forgotten
	// closed holds, per pair whose risk closed within MaxFixAge, the
	// newest fix time of the judgement that closed it.
	closed map[pairKey]int64
	// candidates and judged count the neighbours a search looked at and
	// the pairs judged in full, for benchmarks: both per fix should not
	// grow with the number of vessels.
	candidates, judged int64
}

// passedGrace is how far past the closest point of approach (negative
// TCPA) an open risk with a CPA still under the limit stays open.
const passedGrace = time.Minute

// NewCollisions returns a collision-risk stage.
func NewCollisions(cfg CollisionConfig) *Collisions {
	return &Collisions{cfg: cfg, grid: newPosGrid(max(cfg.MaxRange, 0.01) * geo.NauticalMile),
		vessels: map[uint32]*gridVessel{}, closed: map[pairKey]int64{}}
}

// Fix updates the grid with f and judges f's vessel against the vessels
// in range (see Collisions). Fixes older than the vessel's latest are
// ignored.
func (c *Collisions) Fix(f *track.Fix) {
	if !(f.Lat >= -90 && f.Lat <= 90 && f.Lon >= -180 && f.Lon <= 180) {
		return
	}
	v := c.vessels[f.MMSI]
	isNew := v == nil
	if isNew {
		v = &gridVessel{mmsi: f.MMSI, lastScan: math.MinInt64 / 4} // far past, without overflow
		c.vessels[f.MMSI] = v
	} else if f.Time < v.fix.Time {
		return
	}
	v.fix = *f
	sin, cos := math.Sincos(float64(f.COG) * math.Pi / 180)
	v.vx, v.vy = float64(f.SOG)*sin, float64(f.SOG)*cos
	c.grid.place(v, isNew)
	// Pairs at risk first, at every fix: an alarm must follow the
	// vessels closely. judge may drop partners: iterate a copy.
	if len(v.risks) > 0 {
		c.risky = append(c.risky[:0], v.risks...)
		for _, rs := range c.risky {
			o := rs.a
			if o == v {
				o = rs.b
			}
			c.judge(v, o, rs)
		}
	}
	minSOG := float32(c.cfg.MinSOG)
	if !(f.SOG > minSOG) {
		return // no new pair can be at risk with a slow vessel
	}
	if c.cfg.JudgeEvery > 0 && f.Time-v.lastScan < c.cfg.JudgeEvery.Milliseconds() {
		return
	}
	v.lastScan = f.Time
	maxAge := c.cfg.MaxFixAge.Milliseconds()
	// A margin over the flat-plane range for the fix's motion since
	// (at most MaxFixAge at 50 kn) and the plane's error.
	rngNM := c.cfg.MaxRange*1.01 + 50*c.cfg.MaxFixAge.Hours()
	rngDeg := rngNM / 60 // degrees of latitude
	kLon := 60 * math.Cos(f.Lat*math.Pi/180)
	c.block = c.grid.block(c.block[:0], v)
	for _, cell := range c.block {
		c.candidates += int64(len(cell))
		for i := range cell {
			b := &cell[i]
			// Cheap tests first, on the cell's own copy: most
			// neighbours fail one of them.
			if !(b.sog > minSOG) || f.Time-b.time > maxAge || b.time-f.Time > maxAge || b.v == v {
				continue
			}
			dy, dx := (b.lat-f.Lat)*60, (b.lon-f.Lon)*kLon
			if math.Abs(b.lat-f.Lat) > rngDeg || dx*dx+dy*dy > rngNM*rngNM {
				continue
			}
			if c.clearlySafe(v, b, dx, dy) {
				continue
			}
			o := b.v
			if len(v.risks) > 0 && slices.ContainsFunc(v.risks, func(rs *riskState) bool { return rs.a == o || rs.b == o }) {
				continue // judged above
			}
			c.judge(v, o, nil)
		}
	}
}

// clearlySafe is a first judgement of v and the neighbour of entry b,
// dx, dy nautical miles east and north of v, from the cell's copy alone:
// flatCPA's plane with a 5 % margin on each threshold, so that only
// pairs near or at risk are looked up and judged. NaN velocities are
// never clearly safe.
func (c *Collisions) clearlySafe(v *gridVessel, b *gridEntry, dx, dy float64) bool {
	bvx, bvy := float64(b.vx), float64(b.vy)
	dt := float64(v.fix.Time-b.time) / 3600e3 // hours
	px, py := dx+bvx*dt, dy+bvy*dt
	rvx, rvy := bvx-v.vx, bvy-v.vy
	v2 := rvx*rvx + rvy*rvy
	if v2 < 1e-12 {
		return true // no relative motion: TCPA is 0, never at risk
	}
	t := -(px*rvx + py*rvy) / v2 // hours
	if t <= 0 || t > c.cfg.MaxTCPA.Hours()*1.05 {
		return true
	}
	cx, cy := px+rvx*t, py+rvy*t
	lim := c.cfg.MaxCPA * 1.05
	return cx*cx+cy*cy > lim*lim
}

// flatCPA returns the range now, the CPA (both in nautical miles) and
// the TCPA of v and o, in a flat plane at v's latitude, as geo.CPA
// works, with o projected to v's time at its velocity: good to well
// under 1 % within 20 nm. It uses the velocities computed once per fix,
// so a pair costs no trigonometry. A NaN velocity gives a NaN CPA.
func flatCPA(v, o *gridVessel) (rng, cpa float64, tcpa time.Duration) {
	a, b := &v.fix, &o.fix
	dx, dy := (b.Lon-a.Lon)*60*math.Cos(a.Lat*math.Pi/180), (b.Lat-a.Lat)*60
	rng = math.Hypot(dx, dy)
	dt := float64(a.Time-b.Time) / 3600e3 // hours
	px, py := dx, dy
	if dt != 0 {
		px, py = dx+o.vx*dt, dy+o.vy*dt
	}
	rvx, rvy := o.vx-v.vx, o.vy-v.vy
	v2 := rvx*rvx + rvy*rvy
	switch {
	case math.IsNaN(v2) || math.IsNaN(px+py):
		return rng, math.NaN(), 0
	case v2 < 1e-12:
		return rng, math.Hypot(px, py), 0 // no relative motion
	}
	t := -(px*rvx + py*rvy) / v2 // hours
	return rng, math.Hypot(px+rvx*t, py+rvy*t), time.Duration(t * float64(time.Hour))
}

// judge judges the pair of v, whose fix is the newest, and o; rs is
// their open risk, nil if none.
func (c *Collisions) judge(v, o *gridVessel, rs *riskState) {
	c.judged++
	k := keyOf(v.mmsi, o.mmsi)
	a, b := &v.fix, &o.fix
	now := a.Time
	rng, cpa, tcpa := flatCPA(v, o)
	age := now - b.Time
	fresh := age <= c.cfg.MaxFixAge.Milliseconds() && -age <= c.cfg.MaxFixAge.Milliseconds()
	if !fresh || !(rng <= c.cfg.MaxRange) || !(a.SOG > float32(c.cfg.MinSOG)) || !(b.SOG > float32(c.cfg.MinSOG)) {
		cpa, tcpa = math.NaN(), 0 // not judged
	}
	risk := cpa < c.cfg.MaxCPA && tcpa > 0 && tcpa < c.cfg.MaxTCPA
	if rs != nil && !risk && cpa < c.cfg.MaxCPA && tcpa > -passedGrace && tcpa < 0 {
		// Just past the closest point: keep the risk until the
		// vessels are clearly past it, so noise in course does not
		// flap it. (TCPA 0 is no relative motion: no risk.)
		risk = true
	}
	start := max(a.Time, b.Time)
	if risk && rs == nil && start <= c.closed[k] {
		// Fixes no newer than those that closed this pair's last risk
		// do not raise it again (late or reordered data).
		risk = false
	}
	switch {
	case risk && rs == nil:
		id := eventID(TypeCollision, uint32(k>>32), start, strconv.FormatUint(uint64(uint32(k)), 10))
		rs = &riskState{a: v, b: o, idx: len(c.open), id: id, start: start, last: now, minCPA: cpa, reported: cpa}
		if o.mmsi < v.mmsi {
			rs.a, rs.b = o, v
		}
		c.open = append(c.open, rs)
		v.risks = append(v.risks, rs)
		o.risks = append(o.risks, rs)
		c.out.Emit(c.event(k, rs, StateOpen, a, b, cpa, tcpa, rng, now))
	case risk:
		rs.last = max(rs.last, now)
		rs.minCPA = min(rs.minCPA, cpa)
		if rs.minCPA <= rs.reported-c.cfg.MaxCPA/10 {
			rs.reported = rs.minCPA
			c.out.Emit(c.event(k, rs, StateUpdate, a, b, cpa, tcpa, rng, now))
		}
	case rs != nil:
		s := StateClose
		if now < rs.start {
			s = StateRetract
		}
		c.out.Emit(c.event(k, rs, s, a, b, cpa, tcpa, rng, now))
		c.drop(rs)
		c.closed[k] = start
	}
}

// drop forgets risk rs.
func (c *Collisions) drop(rs *riskState) {
	last := c.open[len(c.open)-1]
	c.open[rs.idx], last.idx = last, rs.idx
	c.open[len(c.open)-1] = nil
	c.open = c.open[:len(c.open)-1]
	del := func(x *riskState) bool { return x == rs }
	rs.a.risks = slices.DeleteFunc(rs.a.risks, del)
	rs.b.risks = slices.DeleteFunc(rs.b.risks, del)
}

func (c *Collisions) event(k pairKey, rs *riskState, s State, a, b *track.Fix, cpa float64, tcpa time.Duration, rng float64, now int64) Event {
	ev := Event{ID: rs.id, Type: TypeCollision, State: s, Start: rs.start, Vessels: []uint32{uint32(k >> 32), uint32(k)},
		Lat: (a.Lat + b.Lat) / 2, Lon: (a.Lon + b.Lon) / 2, Alarm: s != StateRetract,
		Confidence: clamp01(1 - rs.minCPA/c.cfg.MaxCPA/2),
		Evidence: Evidence{Fixes: []track.Fix{*a, *b}, Figures: []Figure{
			{Name: "cpa", Value: cpa, Op: "<", Threshold: c.cfg.MaxCPA, Unit: "nm"},
			{Name: "tcpa", Value: tcpa.Seconds(), Op: "<", Threshold: c.cfg.MaxTCPA.Seconds(), Unit: "s"},
			{Name: "range", Value: rng, Op: "<=", Threshold: c.cfg.MaxRange, Unit: "nm"},
			{Name: "min_sog", Value: float64(min(a.SOG, b.SOG)), Op: ">", Threshold: c.cfg.MinSOG, Unit: "kn"},
			{Name: "min_cpa", Value: rs.minCPA, Unit: "nm"}}}}
	if math.IsNaN(cpa) {
		// Not judged (stale, out of range or slow): say so rather than
		// carry NaN figures.
		ev.Evidence.Figures[0].Value, ev.Evidence.Figures[1].Value = -1, 0
	}
	switch s {
	case StateClose:
		ev.End = now
	case StateRetract:
		ev.End = rs.start
	}
	return ev
}

// Advance closes the risks not judged at risk for MaxFixAge of event
// time (one or both vessels went quiet). It looks at most every
// MaxFixAge/4 of event time, so a risk closes at most that late.
func (c *Collisions) Advance(wm int64) {
	age := c.cfg.MaxFixAge.Milliseconds()
	if wm < c.lastSweep+age/4 {
		return
	}
	c.lastSweep = wm
	if wm-c.lastForget >= forgetEvery.Milliseconds() {
		c.lastForget = wm
		forget(c.vessels, &c.grid, wm-2*age)
	}
	for k, t := range c.closed {
		if wm-t > age {
			delete(c.closed, k) // fixes that old are stale anyway
		}
	}
	var stale []*riskState
	for _, rs := range c.open {
		if wm-rs.last > age {
			stale = append(stale, rs)
		}
	}
	// Deterministic order of the closes.
	slices.SortFunc(stale, func(x, y *riskState) int { return cmp.Compare(keyOf(x.a.mmsi, x.b.mmsi), keyOf(y.a.mmsi, y.b.mmsi)) })
	for _, rs := range stale {
		va, vb := rs.a, rs.b
		rng := geo.Distance(va.fix.Lat, va.fix.Lon, vb.fix.Lat, vb.fix.Lon) / geo.NauticalMile
		c.out.Emit(c.event(keyOf(va.mmsi, vb.mmsi), rs, StateClose, &va.fix, &vb.fix, math.NaN(), 0, rng, rs.last))
		c.drop(rs)
		c.closed[keyOf(va.mmsi, vb.mmsi)] = max(va.fix.Time, vb.fix.Time)
	}
}

// Drain returns the events emitted since the last Drain.
func (c *Collisions) Drain() []Event {
	ev := c.out.events
	c.out.events = nil
	return ev
}
