package detect

import (
	"math"
	"slices"
	"time"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

// EncounterConfig configures the pairwise encounter (ship-to-ship
// rendezvous) detector.
type EncounterConfig struct {
	Enabled bool
	// MaxDistance is the largest distance in metres between two vessels
	// that counts as together (GFW: 500 m; Skylight: 250 m).
	MaxDistance float64
	// MinDuration is how long they must stay together (GFW: more than
	// 2 h; Skylight: 30 min).
	MinDuration int64 // milliseconds
	// MaxMedianSOG is the speed in knots the median of the pair's
	// speeds while together must stay below (GFW: 2 kn); 0 disables it.
	// When set, a pair starts only at a fix below it.
	MaxMedianSOG float64
	// MaxSOGDiff and MaxCOGDiff, when positive, require similar speed
	// (knots) and course (degrees) at each observation (Skylight).
	MaxSOGDiff, MaxCOGDiff float64
	// MaxFixAge is how old the other vessel's latest fix may be, in
	// milliseconds, to pair with a new fix (GFW: 10 min grid;
	// Skylight: fixes at most 3 min apart).
	MaxFixAge int64
	// PortRadius excludes pairs within this many metres of a port point
	// or of an anchorage area's vertex, or inside a port or anchorage
	// area (GFW: 10 km from an anchorage).
	PortRadius float64
	// SkipBerthed starts no pair whose vessels both report themselves at
	// anchor or moored (status 1 or 5) or both lie still (0 kn): ships in
	// an anchorage or craft at a berth that the zone set does not know
	// (ours; a transfer alongside drifts).
	SkipBerthed bool
	// SkipSmallCraft starts no pair, and raises no dark rendezvous, of
	// two class B stations: fishing dhows work in groups, and a transfer
	// worth a watch officer's attention involves a ship (ours).
	SkipSmallCraft bool
	// DarkAfter, when positive, raises a dark-rendezvous candidate (an
	// encounter event with rule DarkRendezvous): a vessel that has been
	// silent for DarkAfter, having slowed or been heading (within 45
	// degrees) for another vessel within DarkRadius metres of its last
	// position, where that vessel is still heard and slower than
	// MaxMedianSOG (which says the place is covered: the silence is the
	// vessel's), or fell silent within DarkAfter of it while closing on
	// it too, up to twice DarkRadius away. Judged once a minute of event time, up to DarkWindow into
	// the silence (ours).
	DarkAfter  time.Duration
	DarkRadius float64
	DarkWindow time.Duration
}

// DarkRendezvous is the Evidence.Rule of a dark-rendezvous candidate.
const DarkRendezvous = "dark_rendezvous"

// darkScanEvery is how often, in event time, silent vessels are judged.
const darkScanEvery = time.Minute

// skip reports whether the pair of a and b is left out by SkipBerthed
// or SkipSmallCraft.
func (g *Encounters) skip(a, b *track.Fix) bool {
	return g.cfg.SkipBerthed && berthed(a) && berthed(b) ||
		g.cfg.SkipSmallCraft && a.Class == track.ClassB && b.Class == track.ClassB
}

// berthed reports whether f says its vessel is at anchor, moored or
// lying still.
func berthed(f *track.Fix) bool {
	return f.Status == 1 || f.Status == 5 || f.SOG == 0
}

type pairKey uint64

func keyOf(a, b uint32) pairKey {
	if a > b {
		a, b = b, a
	}
	return pairKey(uint64(a)<<32 | uint64(b))
}

type pairState struct {
	start, last  int64
	below, total int // observations with both speeds below MaxMedianSOG
	minD, maxD   float64
	first, lastA track.Fix
	lastB        track.Fix
	open         bool
	id           string
}

// Encounters finds pairs of vessels that stay close together, over a
// grid of the latest position of every vessel. It is the cross-vessel
// stage: one goroutine owns it (the Engine runs it beside the shards).
type Encounters struct {
	cfg        EncounterConfig
	zones      *zone.Set
	grid       posGrid
	vessels    map[uint32]*gridVessel
	pairs      map[pairKey]*pairState
	out        Emitter
	near       []*gridVessel
	lastScan   int64 // event time of the last dark-rendezvous scan
	lastForget int64
}

// NewEncounters returns an encounter stage. zones may be nil.
func NewEncounters(cfg EncounterConfig, zones *zone.Set) *Encounters {
	return &Encounters{cfg: cfg, zones: zones, grid: newPosGrid(cfg.MaxDistance),
		vessels: map[uint32]*gridVessel{}, pairs: map[pairKey]*pairState{}}
}

func (g *Encounters) nearPort(lat, lon float64) bool {
	if g.zones == nil {
		return false
	}
	var buf [8]int
	for _, zi := range g.zones.Containing(buf[:0], lat, lon) {
		if k := g.zones.Zones[zi].Kind; k == zone.KindPort || k == zone.KindAnchorage {
			return true
		}
	}
	if g.cfg.PortRadius > 0 {
		for _, k := range []zone.Kind{zone.KindPort, zone.KindAnchorage} {
			if i, d := g.zones.Nearest(lat, lon, k); i >= 0 && d <= g.cfg.PortRadius {
				return true
			}
		}
	}
	return false
}

// Fix updates the grid with f and judges f's vessel against its
// neighbours. Fixes older than the vessel's latest are ignored.
func (g *Encounters) Fix(f *track.Fix) {
	if !(f.Lat >= -90 && f.Lat <= 90 && f.Lon >= -180 && f.Lon <= 180) {
		return // not a position; track never makes such a Fix
	}
	v := g.vessels[f.MMSI]
	isNew := v == nil
	if isNew {
		v = &gridVessel{mmsi: f.MMSI}
		g.vessels[f.MMSI] = v
	} else if f.Time < v.fix.Time {
		return
	}
	if v.darkID != "" {
		g.endDark(v, f)
	}
	v.fix = *f
	g.grid.place(v, isNew)
	g.near = g.near[:0]
	// With a median-speed rule a pair may only start at an observation
	// where this vessel is slow: a fast vessel with no partner is not
	// compared with its neighbours, which saves most of the work in
	// traffic that is mostly underway.
	if g.cfg.MaxMedianSOG > 0 && !(float64(f.SOG) < g.cfg.MaxMedianSOG) && len(v.partners) == 0 {
		return
	}
	g.near = g.grid.near(g.near, v)
	// Partners that moved out of the 3x3 cells must be judged too, or
	// their pair would only end when it goes stale.
	for _, m := range v.partners {
		if o := g.vessels[m]; o != nil && !slices.Contains(g.near, o) {
			g.near = append(g.near, o)
		}
	}
	for _, o := range g.near {
		m := o.mmsi
		if f.Time-o.fix.Time > g.cfg.MaxFixAge {
			continue
		}
		d := geo.Distance(f.Lat, f.Lon, o.fix.Lat, o.fix.Lon)
		k := keyOf(f.MMSI, m)
		p := g.pairs[k]
		if d > g.cfg.MaxDistance || !g.similar(f, &o.fix) {
			if p != nil {
				g.end(k, p)
			}
			continue
		}
		if p == nil {
			if g.nearPort(f.Lat, f.Lon) || g.skip(f, &o.fix) {
				continue
			}
			p = &pairState{start: min(f.Time, o.fix.Time), minD: d, maxD: d, first: *f}
			g.pairs[k] = p
			v.partners = append(v.partners, m)
			o.partners = append(o.partners, f.MMSI)
		}
		p.last = f.Time
		p.minD, p.maxD = min(p.minD, d), max(p.maxD, d)
		p.total++
		if g.cfg.MaxMedianSOG <= 0 || (float64(f.SOG) < g.cfg.MaxMedianSOG && float64(o.fix.SOG) < g.cfg.MaxMedianSOG) {
			p.below++
		}
		p.lastA, p.lastB = *f, o.fix
		if !p.open && p.last-p.start >= g.cfg.MinDuration && g.medianOK(p) && !g.skip(f, &o.fix) {
			p.open = true
			p.id = eventID(TypeEncounter, uint32(k>>32), p.start, "")
			g.out.Emit(g.event(k, p, StateOpen))
		}
	}
}

func (g *Encounters) similar(a, b *track.Fix) bool {
	if g.cfg.MaxSOGDiff > 0 && !(math.Abs(float64(a.SOG-b.SOG)) <= g.cfg.MaxSOGDiff) {
		return false
	}
	if g.cfg.MaxCOGDiff > 0 {
		d := math.Abs(math.Mod(float64(a.COG-b.COG)+540, 360) - 180)
		if !(d <= g.cfg.MaxCOGDiff) {
			return false
		}
	}
	return true
}

// medianOK reports whether the median observation had both speeds below
// MaxMedianSOG: more than half the observations did.
func (g *Encounters) medianOK(p *pairState) bool {
	return g.cfg.MaxMedianSOG <= 0 || p.below*2 > p.total
}

func (g *Encounters) event(k pairKey, p *pairState, s State) Event {
	a, b := uint32(k>>32), uint32(k)
	dur := p.last - p.start
	figs := []Figure{
		{Name: "duration", Value: float64(dur) / 1000, Op: ">=", Threshold: float64(g.cfg.MinDuration) / 1000, Unit: "s"},
		{Name: "max_distance", Value: p.maxD, Op: "<=", Threshold: g.cfg.MaxDistance, Unit: "m"},
		{Name: "min_distance", Value: p.minD, Unit: "m"},
	}
	if g.cfg.MaxMedianSOG > 0 {
		figs = append(figs, Figure{Name: "share_below_speed", Value: float64(p.below) / float64(p.total), Op: ">", Threshold: 0.5},
			Figure{Name: "median_sog_limit", Value: g.cfg.MaxMedianSOG, Unit: "kn"})
	}
	ev := Event{ID: p.id, Type: TypeEncounter, State: s, Start: p.start, Vessels: []uint32{a, b},
		Lat: (p.lastA.Lat + p.lastB.Lat) / 2, Lon: (p.lastA.Lon + p.lastB.Lon) / 2, Alarm: true,
		Confidence: clamp01(0.5 + 0.5*(float64(dur)/float64(max(g.cfg.MinDuration, 1))-1)),
		Evidence:   Evidence{Fixes: []track.Fix{p.first, p.lastA, p.lastB}, Figures: figs}}
	if s == StateClose {
		ev.End = p.last
	}
	return ev
}

func (g *Encounters) end(k pairKey, p *pairState) {
	if p.open {
		g.out.Emit(g.event(k, p, StateClose))
	}
	delete(g.pairs, k)
	a, b := uint32(k>>32), uint32(k)
	if v := g.vessels[a]; v != nil {
		v.partners = slices.DeleteFunc(v.partners, func(m uint32) bool { return m == b })
	}
	if v := g.vessels[b]; v != nil {
		v.partners = slices.DeleteFunc(v.partners, func(m uint32) bool { return m == a })
	}
}

// endDark closes v's dark-rendezvous event at its reappearance f, or
// retracts it when f, arriving late, shows the silence was shorter than
// DarkAfter.
func (g *Encounters) endDark(v *gridVessel, f *track.Fix) {
	st := StateClose
	if f.Time-v.fix.Time < g.cfg.DarkAfter.Milliseconds() {
		st = StateRetract
	}
	e := Event{ID: v.darkID, Type: TypeEncounter, State: st, Start: v.fix.Time, End: f.Time,
		Vessels: []uint32{v.mmsi}, Lat: v.fix.Lat, Lon: v.fix.Lon, Confidence: 0.5, Alarm: true,
		Evidence: Evidence{Rule: DarkRendezvous, Fixes: []track.Fix{v.fix, *f},
			Figures: []Figure{{Name: "silence", Value: float64(f.Time-v.fix.Time) / 1000, Op: ">=", Threshold: g.cfg.DarkAfter.Seconds(), Unit: "s"}}}}
	g.out.Emit(e)
	v.darkID = ""
}

// scanDark judges every vessel silent for DarkAfter, up to DarkWindow.
func (g *Encounters) scanDark(wm int64) {
	after, window := g.cfg.DarkAfter.Milliseconds(), g.cfg.DarkWindow.Milliseconds()
	var found []*gridVessel
	for _, v := range g.vessels {
		silent := wm - v.fix.Time
		if silent < after || silent > window || v.darkDone == v.fix.Time || berthed(&v.fix) {
			continue
		}
		switch track.KindOf(v.mmsi) {
		case track.KindShip, track.KindAuxiliary:
		default:
			continue
		}
		found = append(found, v)
	}
	// Map order is random: judge in MMSI order so replays agree.
	slices.SortFunc(found, func(a, b *gridVessel) int { return int(a.mmsi) - int(b.mmsi) })
	for _, v := range found {
		var best *gridVessel
		bestD := math.Inf(1)
		g.near = g.grid.within(g.near[:0], v, 2*g.cfg.DarkRadius)
		for _, o := range g.near {
			if g.cfg.SkipSmallCraft && v.fix.Class == track.ClassB && o.fix.Class == track.ClassB {
				continue
			}
			d := geo.Distance(v.fix.Lat, v.fix.Lon, o.fix.Lat, o.fix.Lon)
			if d >= bestD || !converging(&v.fix, &o.fix, g.cfg.MaxMedianSOG) {
				continue
			}
			heard := wm-o.fix.Time <= g.cfg.MaxFixAge
			switch {
			case heard && d <= g.cfg.DarkRadius && float64(o.fix.SOG) < g.cfg.MaxMedianSOG:
				// The partner waits, heard: the place is covered.
			case !heard && d <= 2*g.cfg.DarkRadius && !berthed(&o.fix) && abs64(o.fix.Time-v.fix.Time) <= after &&
				converging(&o.fix, &v.fix, g.cfg.MaxMedianSOG):
				// Both fell silent together, closing on each other, each
				// up to DarkRadius from where they meet.
			default:
				continue
			}
			best, bestD = o, d
		}
		if best == nil {
			continue
		}
		v.darkDone = v.fix.Time
		if wm-best.fix.Time > g.cfg.MaxFixAge {
			best.darkDone = best.fix.Time // one event for a pair silent together
		}
		v.darkID = eventID(TypeEncounter, v.mmsi, v.fix.Time, DarkRendezvous)
		g.out.Emit(Event{ID: v.darkID, Type: TypeEncounter, State: StateOpen, Start: v.fix.Time,
			Vessels: []uint32{v.mmsi, best.mmsi}, Lat: v.fix.Lat, Lon: v.fix.Lon, Confidence: 0.5, Alarm: true,
			Evidence: Evidence{Rule: DarkRendezvous, Fixes: []track.Fix{v.fix, best.fix}, Figures: []Figure{
				{Name: "silence", Value: float64(wm-v.fix.Time) / 1000, Op: ">=", Threshold: g.cfg.DarkAfter.Seconds(), Unit: "s"},
				{Name: "distance_to_partner", Value: bestD, Op: "<=", Threshold: g.cfg.DarkRadius, Unit: "m"},
				{Name: "partner_silent", Value: float64(wm-best.fix.Time) / 1000, Unit: "s"},
				{Name: "partner_sog", Value: float64(best.fix.SOG), Op: "<", Threshold: g.cfg.MaxMedianSOG, Unit: "kn"},
			}}})
	}
}

// converging reports whether a, at its last fix, was slow or heading
// for b's last position (within 45 degrees).
func converging(a, b *track.Fix, slow float64) bool {
	return float64(a.SOG) < slow || !math.IsNaN(float64(a.COG)) &&
		courseDiff(float64(a.COG), geo.Bearing(a.Lat, a.Lon, b.Lat, b.Lon)) <= 45
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// Advance ends pairs not seen together for MaxFixAge of event time and,
// once a minute of event time, judges silent vessels for dark
// rendezvous.
func (g *Encounters) Advance(wm int64) {
	if g.cfg.DarkAfter > 0 && wm-g.lastScan >= darkScanEvery.Milliseconds() {
		g.lastScan = wm
		g.scanDark(wm)
	}
	if wm-g.lastForget >= forgetEvery.Milliseconds() {
		g.lastForget = wm
		forget(g.vessels, &g.grid, wm-max(g.cfg.MaxFixAge, g.cfg.DarkWindow.Milliseconds())-forgetEvery.Milliseconds())
	}
	var stale []pairKey
	for k, p := range g.pairs {
		if wm-p.last > g.cfg.MaxFixAge {
			stale = append(stale, k)
		}
	}
	slices.Sort(stale) // deterministic order of the closes
	for _, k := range stale {
		g.end(k, g.pairs[k])
	}
}

// Drain returns the events emitted since the last Drain.
func (g *Encounters) Drain() []Event {
	ev := g.out.events
	g.out.events = nil
	return ev
}
