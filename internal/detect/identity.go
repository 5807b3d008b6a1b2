package detect

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"straitwatch/internal/segment"
	"straitwatch/internal/track"
)

// IdentityConfig configures the identity detector and the track
// segmentation it judges places by.
type IdentityConfig struct {
	Enabled bool
	// Segment configures the track segmentation; see segment.Config
	// for each field's default. An invalid_mmsi or unknown_mid event
	// closes after Segment.MaxGap without a fix, when the MMSI's
	// segments would.
	Segment segment.Config
	// JumpSpeed is the implied speed, in knots, above which a fix that
	// opens a new segment is a jump from the newest fix. It must be at
	// least Segment.MaxSpeed. A fix after more than Segment.MaxGap of
	// silence is not judged: that is a gap (the gap detector reports
	// its distance). The default value is 50 kn.
	JumpSpeed float64
	// MinDistance is the least distance, in metres, of a jump or between
	// two places at once: shorter ones are left to position noise. The
	// default value is 5 km.
	MinDistance float64
	// MinSegmentFixes is how many fixes each of two segments must hold
	// before they count as two places at once, so a single stray
	// position does not. The default value is 2.
	MinSegmentFixes int
	// Window is how recent the newest fix of each segment (or of each
	// class, A and B) must be for both to be in use at once; the event
	// closes when one has been silent this long. The default value is
	// 30 minutes.
	Window time.Duration
	// ChangeWindow closes a static-change event after this long with no
	// further change. The default value is 24 hours.
	ChangeWindow time.Duration
	// History is how many past jumps per vessel are kept so late fixes
	// can re-judge them. The default value is 4.
	History int
}

// StraitIdentity returns the identity thresholds of the strait preset,
// all ours: dense terrestrial coverage, where two stations on one MMSI
// are each heard every few minutes, and fast craft doing 45 kn.
func StraitIdentity() IdentityConfig {
	return IdentityConfig{Enabled: true, Segment: segment.DefaultConfig(), JumpSpeed: 50, MinDistance: 5_000,
		MinSegmentFixes: 2, Window: 30 * time.Minute, ChangeWindow: 24 * time.Hour, History: 4}
}

// GFWIdentity returns identity thresholds with GlobalFishingWatch's
// gpsdio-segment segmentation (its defaults: 25 kn, a 5-minute time
// buffer, segments closed after 2.5 days, at most 20 open, 500 m noise
// distance). The rest is ours, with a 6-hour window for satellite data,
// where a vessel may go hours between receptions.
func GFWIdentity() IdentityConfig {
	c := StraitIdentity()
	c.Segment = segment.Config{MaxSpeed: 25, NoiseDistance: 500, TimeSlack: 5 * time.Minute, MaxGap: 60 * time.Hour, MaxOpen: 20}
	c.Window = 6 * time.Hour
	return c
}

func (c *IdentityConfig) validate() error {
	if err := c.Segment.Validate(); err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	if !(c.JumpSpeed >= c.Segment.MaxSpeed) || !(c.MinDistance >= 0) || c.MinSegmentFixes < 1 || c.Window <= 0 || c.ChangeWindow <= 0 || c.History < 0 {
		return errors.New("identity: JumpSpeed must be at least Segment.MaxSpeed, Window and ChangeWindow positive, MinSegmentFixes at least 1, MinDistance and History not negative")
	}
	return nil
}

// Identity event rules, as Evidence.Rule names them for TypeIdentity.
const (
	// IdentityInvalidMMSI is an MMSI whose digits no ITU-R M.585 kind
	// allows (e.g. 1 or 123456789).
	IdentityInvalidMMSI = "invalid_mmsi"
	// IdentityUnknownMID is an MMSI whose Maritime Identification
	// Digits the ITU has not allocated (e.g. 200xxxxxx).
	IdentityUnknownMID = "unknown_mid"
	// IdentityTwoPlaces is one MMSI heard from two places at once: two
	// track segments both active, too far apart for one vessel.
	IdentityTwoPlaces = "two_places"
	// IdentityJump is a fix too far from the previous one for any
	// plausible speed, opening a new track segment.
	IdentityJump = "jump"
	// IdentityChange is a change of name, call sign, IMO number or ship
	// type in static reports.
	IdentityChange = "static_change"
	// IdentityClassMix is one MMSI sending both class A and class B
	// position reports.
	IdentityClassMix = "class_mix"
)

// Change is one identity field that changed between static reports, as
// a static_change event's Evidence.Changes lists them.
type Change struct {
	Time  int64  `json:"time"`  // event time of the report that changed it, UNIX ms
	Field string `json:"field"` // "name", "call_sign", "imo" or "ship_type"
	Old   string `json:"old"`   // the value before
	New   string `json:"new"`   // the value after
	// Reverted says New is a value this MMSI had sent before the
	// previous one: two stations taking turns, not a renaming.
	Reverted bool `json:"reverted"`
}

// identityFields is how many static fields are compared.
const identityFields = 4

var identityFieldNames = [identityFields]string{"name", "call_sign", "imo", "ship_type"}

// identityField is one static field's recent values, newest first.
type identityField struct {
	values [3]string
	n      int
}

// jumpRecord is a jump this vessel made, kept so late fixes can re-judge
// it.
type jumpRecord struct {
	id       string
	from, to track.Fix
}

// identityState is one vessel's identity state. It is allocated at the
// vessel's first record, so detectors that do not need it cost a pointer.
type identityState struct {
	// Hot: read or written at every fix, kept together.
	seg      segment.MMSI // inline: one pointer fewer to follow at every fix
	checked  bool
	mmsiRule string // IdentityInvalidMMSI, IdentityUnknownMID or ""
	nA, nB   int32
	lastA    classFix // newest class A fix
	lastB    classFix // newest class B fix
	// The open events, nil when none: most vessels have none, and an
	// Event is large.
	mmsiEv, twoEv, classEv, changeEv *Event
	twoA, twoB                       segment.ID // the pair of segments of the open two_places event

	// Cold: jumps and static reports.
	jumps          []jumpRecord
	fields         [identityFields]identityField
	imo            uint32 // newest IMO number, as a number
	staticTime     int64  // newest static report judged
	changes        int    // changes in the open event
	lastChangeTime int64  // event time of the newest change
}

// classFix is what class mixing keeps of a fix: 24 bytes, not 64.
type classFix struct {
	Time     int64
	Lat, Lon float64
}

// fix returns c as evidence, with what it does not keep not available.
func (c classFix) fix(mmsi uint32, class track.Class) track.Fix {
	nan := float32(math.NaN())
	return track.Fix{MMSI: mmsi, Time: c.Time, Lat: c.Lat, Lon: c.Lon, SOG: nan, COG: nan, Heading: -1, Status: 15, Class: class}
}

// identityDetector judges whether the identity an MMSI claims is sound:
// its digits, whether it is heard from two places at once or jumps
// farther than any vessel could go, whether its static identity
// changes, and whether it sends both class A and class B reports.
//
// Lifecycles: invalid_mmsi and unknown_mid open at the first fix and
// close after Segment.MaxGap of silence; two_places and class_mix open
// when both places (classes) are heard within Window and close when one
// falls silent for Window; static_change opens at the first change,
// is updated when a new value appears or the confidence rises, and
// closes after ChangeWindow without change; a jump is emitted closed,
// and a late fix inside it updates or retracts it.
//
// It splits each MMSI's fixes into track segments ([segment.MMSI]) and
// judges places by them, so two stations taking turns raise one
// two_places event, not a jump at every fix.
type identityDetector struct {
	cfg IdentityConfig
}

func (d *identityDetector) state(v *Vessel) *identityState {
	if v.identity == nil {
		v.identity = new(identityState)
		v.identity.seg.Init(&d.cfg.Segment)
	}
	return v.identity
}

func identityID(rule string, mmsi uint32, start int64) string {
	return fmt.Sprintf("%s:%s:%d:%d", TypeIdentity, rule, mmsi, start)
}

func (d *identityDetector) newEvent(v *Vessel, rule string, s State, start int64, at *track.Fix) Event {
	return Event{ID: identityID(rule, v.MMSI, start), Type: TypeIdentity, State: s, Start: start,
		Vessels: []uint32{v.MMSI}, Lat: at.Lat, Lon: at.Lon, Alarm: true, Evidence: Evidence{Rule: rule}}
}

func (d *identityDetector) Fix(v *Vessel, f *track.Fix, late bool, e *Emitter) {
	st := d.state(v)
	d.checkMMSI(v, st, f, e)
	if !segment.Available(f) {
		st.seg.Add(f) // counted there
		return
	}
	if late {
		d.lateJump(v, st, f, e)
	}
	// Jumps are judged from the newest fix of the open segments, not
	// v.Last, which may have no position.
	r := st.seg.Add(f)
	if r.Outcome == segment.Opened && !late && r.HasPrev {
		d.jump(v, st, &r.Prev, f, e)
	}
	newest := f.Time
	if v.HasLast && v.Last.Time > newest {
		newest = v.Last.Time
	}
	d.twoPlaces(v, st, f, r.Seg, newest, e)
	if !late {
		d.classMix(v, st, f, e)
	}
}

// checkMMSI opens an event for an invalid MMSI or an unallocated MID at
// the first fix, and again at the first fix after one closed.
func (d *identityDetector) checkMMSI(v *Vessel, st *identityState, f *track.Fix, e *Emitter) {
	if !st.checked {
		st.checked = true
		switch k := track.KindOf(v.MMSI); {
		case k == track.KindInvalid:
			st.mmsiRule = IdentityInvalidMMSI
		case k == track.KindSART || k == track.KindMOB || k == track.KindEPIRB:
			// These kinds carry no MID.
		default:
			if _, _, ok := track.FlagOf(v.MMSI); !ok {
				st.mmsiRule = IdentityUnknownMID
			}
		}
	}
	if st.mmsiRule == "" || st.mmsiEv != nil {
		return
	}
	ev := d.newEvent(v, st.mmsiRule, StateOpen, f.Time, f)
	ev.Confidence = 1
	if st.mmsiRule == IdentityUnknownMID {
		// The MID table may lag the ITU's allocations.
		ev.Confidence = 0.9
	}
	ev.Evidence.Fixes = []track.Fix{*f}
	if st.mmsiRule == IdentityUnknownMID {
		ev.Evidence.Figures = []Figure{{Name: "mid", Value: float64(midOf(v.MMSI))}}
	} else {
		ev.Evidence.Figures = []Figure{{Name: "mmsi", Value: float64(v.MMSI)}}
	}
	st.mmsiEv = &ev
	e.Emit(ev)
}

// midOf returns the three digits where the MMSI's kind carries its MID
// (ITU-R M.585: MIDxxxxxx, 0MIDxxxxx, 00MIDxxxx, 111MIDxxx, 98MIDxxxx,
// 99MIDxxxx, 8MIDxxxxx).
func midOf(mmsi uint32) uint32 {
	switch track.KindOf(mmsi) {
	case track.KindGroup, track.KindDiver:
		return mmsi / 100_000 % 1000
	case track.KindCoast, track.KindAuxiliary, track.KindAtoN:
		return mmsi / 10_000 % 1000
	case track.KindSARAircraft:
		return mmsi / 1000 % 1000
	}
	return mmsi / 1_000_000 % 1000
}

// jumpSpeed returns the implied speed and distance of a move from a to b
// under the segmentation's slack and noise.
func (d *identityDetector) jumpSpeed(a, b *track.Fix) (kn, dist float64) {
	return segment.ImpliedSpeed(a, b, d.cfg.Segment.TimeSlack, d.cfg.Segment.NoiseDistance)
}

// isJump reports whether moving from a to b is a jump.
func (d *identityDetector) isJump(a, b *track.Fix) bool {
	kn, dist := d.jumpSpeed(a, b)
	return kn > d.cfg.JumpSpeed && dist >= d.cfg.MinDistance
}

func (d *identityDetector) jumpEvent(v *Vessel, r *jumpRecord, s State) Event {
	kn, dist := d.jumpSpeed(&r.from, &r.to)
	ev := d.newEvent(v, IdentityJump, s, r.from.Time, &r.to)
	ev.ID, ev.End = r.id, r.to.Time
	// 0.5 at the threshold, 1 at twice it.
	ev.Confidence = clamp01(0.5 + 0.5*(kn/d.cfg.JumpSpeed-1))
	ev.Alarm = s != StateRetract
	ev.Evidence.Fixes = []track.Fix{r.from, r.to}
	ev.Evidence.Figures = []Figure{
		{Name: "implied_speed", Value: kn, Op: ">", Threshold: d.cfg.JumpSpeed, Unit: "kn"},
		{Name: "distance", Value: dist, Op: ">=", Threshold: d.cfg.MinDistance, Unit: "m"},
		{Name: "time", Value: float64(r.to.Time-r.from.Time) / 1000, Unit: "s"},
	}
	return ev
}

// jump emits a jump from the newest fix to f, which opened a segment.
func (d *identityDetector) jump(v *Vessel, st *identityState, from, f *track.Fix, e *Emitter) {
	if !d.isJump(from, f) {
		return
	}
	r := jumpRecord{id: identityID(IdentityJump, v.MMSI, from.Time), from: *from, to: *f}
	if d.cfg.History > 0 {
		if len(st.jumps) >= d.cfg.History {
			st.jumps = append(st.jumps[:0], st.jumps[1:]...)
		}
		st.jumps = append(st.jumps, r)
	}
	e.Emit(d.jumpEvent(v, &r, StateClose))
}

// lateJump re-judges a past jump that a late fix falls inside: the jump
// is now two moves, from its start to the late fix and from there to its
// end. When one of them is still a jump the event is updated to it (the
// faster when both are); when neither is, the event is retracted.
func (d *identityDetector) lateJump(v *Vessel, st *identityState, f *track.Fix, e *Emitter) {
	for i := range st.jumps {
		r := &st.jumps[i]
		if f.Time <= r.from.Time || f.Time >= r.to.Time {
			continue
		}
		first, second := d.isJump(&r.from, f), d.isJump(f, &r.to)
		if !first && !second {
			ev := d.jumpEvent(v, r, StateRetract)
			ev.Evidence.Fixes = append(ev.Evidence.Fixes, *f)
			k1, d1 := d.jumpSpeed(&r.from, f)
			k2, d2 := d.jumpSpeed(f, &r.to)
			ev.Evidence.Figures = append(ev.Evidence.Figures,
				Figure{Name: "implied_speed_before_late_fix", Value: k1, Op: ">", Threshold: d.cfg.JumpSpeed, Unit: "kn"},
				Figure{Name: "distance_before_late_fix", Value: d1, Op: ">=", Threshold: d.cfg.MinDistance, Unit: "m"},
				Figure{Name: "implied_speed_after_late_fix", Value: k2, Op: ">", Threshold: d.cfg.JumpSpeed, Unit: "kn"},
				Figure{Name: "distance_after_late_fix", Value: d2, Op: ">=", Threshold: d.cfg.MinDistance, Unit: "m"})
			e.Emit(ev)
			st.jumps = append(st.jumps[:i], st.jumps[i+1:]...)
			return
		}
		if first && second {
			k1, _ := d.jumpSpeed(&r.from, f)
			k2, _ := d.jumpSpeed(f, &r.to)
			first = k1 >= k2
		}
		// The ID stays: it is the same event, now known better.
		if first {
			r.to = *f
		} else {
			r.from = *f
		}
		e.Emit(d.jumpEvent(v, r, StateUpdate))
		return
	}
}

// twoPlaces opens an event when the segment of f and another open
// segment both hold MinSegmentFixes fixes, both had a fix within Window
// of the newest, and their newest fixes are too far apart for one
// vessel; it closes the event when one of them falls silent for Window.
func (d *identityDetector) twoPlaces(v *Vessel, st *identityState, f *track.Fix, id segment.ID, newest int64, e *Emitter) {
	win := d.cfg.Window.Milliseconds()
	if st.twoEv != nil {
		d.closeTwo(v, st, newest, e)
		return
	}
	open := st.seg.Open()
	var s *segment.Segment
	for i := range open {
		if open[i].ID == id {
			s = &open[i]
		}
	}
	if s == nil || s.Fixes < d.cfg.MinSegmentFixes || s.Last.Time < newest-win {
		return
	}
	for i := range open {
		o := &open[i]
		if o.ID == id || o.Fixes < d.cfg.MinSegmentFixes || o.Last.Time < newest-win {
			continue
		}
		kn, dist := d.jumpSpeed(&o.Last, &s.Last)
		if kn <= d.cfg.Segment.MaxSpeed || dist < d.cfg.MinDistance {
			continue
		}
		a, b := o, s
		if a.ID > b.ID {
			a, b = b, a
		}
		// Both places are known from the older of their newest fixes;
		// a later event on the same pair starts after this one ended.
		start := min(a.Last.Time, b.Last.Time)
		ev := d.newEvent(v, IdentityTwoPlaces, StateOpen, start, f)
		// 0.6 when barely apart, 1 at four times the plausible speed:
		// each place holds MinSegmentFixes fixes, so one stray
		// position cannot raise this.
		ev.Confidence = clamp01(0.6 + 0.4*(kn/d.cfg.Segment.MaxSpeed-1)/3)
		ev.Evidence.Fixes = []track.Fix{a.Last, b.Last}
		if b.Last.Time < a.Last.Time {
			ev.Evidence.Fixes[0], ev.Evidence.Fixes[1] = b.Last, a.Last
		}
		ev.Evidence.Figures = []Figure{
			{Name: "implied_speed", Value: kn, Op: ">", Threshold: d.cfg.Segment.MaxSpeed, Unit: "kn"},
			{Name: "distance", Value: dist, Op: ">=", Threshold: d.cfg.MinDistance, Unit: "m"},
			{Name: "fixes_first_place", Value: float64(a.Fixes), Op: ">=", Threshold: float64(d.cfg.MinSegmentFixes), Unit: "fixes"},
			{Name: "fixes_second_place", Value: float64(b.Fixes), Op: ">=", Threshold: float64(d.cfg.MinSegmentFixes), Unit: "fixes"},
			{Name: "time_apart", Value: math.Abs(float64(a.Last.Time-b.Last.Time)) / 1000, Op: "<=", Threshold: d.cfg.Window.Seconds(), Unit: "s"},
		}
		st.twoA, st.twoB, st.twoEv = a.ID, b.ID, &ev
		e.Emit(ev)
		return
	}
}

// closeTwo closes the open two_places event when one of its segments
// closed or has been silent for Window at event time now.
func (d *identityDetector) closeTwo(v *Vessel, st *identityState, now int64, e *Emitter) {
	a, okA := st.seg.Segment(st.twoA)
	b, okB := st.seg.Segment(st.twoB)
	cut := now - d.cfg.Window.Milliseconds()
	if okA && okB && a.Last.Time >= cut && b.Last.Time >= cut {
		return
	}
	ev := *st.twoEv
	ev.State, ev.End = StateClose, ev.Start
	fixes := make([]track.Fix, 0, 2)
	if okA {
		fixes = append(fixes, a.Last)
		ev.End = max(ev.End, a.Last.Time)
	}
	if okB {
		fixes = append(fixes, b.Last)
		ev.End = max(ev.End, b.Last.Time)
	}
	if okA && okB {
		// Both in the set: the event ended when the first fell silent.
		ev.End = min(a.Last.Time, b.Last.Time)
	}
	if len(fixes) > 0 {
		ev.Evidence.Fixes = fixes
		ev.Lat, ev.Lon = fixes[len(fixes)-1].Lat, fixes[len(fixes)-1].Lon
	}
	ev.End = max(ev.End, ev.Start)
	st.twoEv = nil
	e.Emit(ev)
}

// classMix opens an event while the MMSI has sent both class A and class
// B position reports within Window, and closes it when one class has not
// been heard for Window.
func (d *identityDetector) classMix(v *Vessel, st *identityState, f *track.Fix, e *Emitter) {
	switch f.Class {
	case track.ClassA:
		st.lastA = classFix{f.Time, f.Lat, f.Lon}
		st.nA++
	case track.ClassB:
		st.lastB = classFix{f.Time, f.Lat, f.Lon}
		st.nB++
	default:
		return
	}
	if st.classEv != nil {
		d.closeClass(v, st, f.Time, e)
		return
	}
	win := d.cfg.Window.Milliseconds()
	if st.nA == 0 || st.nB == 0 || st.lastA.Time < f.Time-win || st.lastB.Time < f.Time-win {
		return
	}
	older, newer := st.lastA.fix(v.MMSI, track.ClassA), st.lastB.fix(v.MMSI, track.ClassB)
	if newer.Time < older.Time {
		older, newer = newer, older
	}
	newer = *f // f is the newest: keep it whole
	ev := d.newEvent(v, IdentityClassMix, StateOpen, older.Time, f)
	kn, dist := d.jumpSpeed(&older, &newer)
	// Far apart, two stations share the MMSI; together, one station may
	// carry both transceivers or be misconfigured.
	ev.Confidence = 0.6
	if kn > d.cfg.Segment.MaxSpeed && dist >= d.cfg.MinDistance {
		ev.Confidence = 0.9
	}
	ev.Evidence.Fixes = []track.Fix{older, newer}
	ev.Evidence.Figures = []Figure{
		{Name: "time_apart", Value: float64(newer.Time-older.Time) / 1000, Op: "<=", Threshold: d.cfg.Window.Seconds(), Unit: "s"},
		{Name: "class_a_fixes", Value: float64(st.nA), Unit: "fixes"},
		{Name: "class_b_fixes", Value: float64(st.nB), Unit: "fixes"},
		{Name: "distance", Value: dist, Unit: "m"},
		{Name: "implied_speed", Value: kn, Op: ">", Threshold: d.cfg.Segment.MaxSpeed, Unit: "kn"},
	}
	st.classEv = &ev
	e.Emit(ev)
}

func (d *identityDetector) closeClass(v *Vessel, st *identityState, now int64, e *Emitter) {
	cut := now - d.cfg.Window.Milliseconds()
	if st.lastA.Time >= cut && st.lastB.Time >= cut {
		return
	}
	ev := *st.classEv
	ev.State, ev.End = StateClose, max(min(st.lastA.Time, st.lastB.Time), ev.Start)
	ev.Evidence.Fixes = []track.Fix{st.lastA.fix(v.MMSI, track.ClassA), st.lastB.fix(v.MMSI, track.ClassB)}
	if st.lastB.Time < st.lastA.Time {
		ev.Evidence.Fixes[0], ev.Evidence.Fixes[1] = ev.Evidence.Fixes[1], ev.Evidence.Fixes[0]
	}
	ev.Evidence.Figures = append([]Figure(nil), ev.Evidence.Figures...)
	ev.Evidence.Figures[1].Value, ev.Evidence.Figures[2].Value = float64(st.nA), float64(st.nB)
	st.classEv = nil
	// Counts start again: a later mix is a new event.
	st.nA, st.nB = 0, 0
	e.Emit(ev)
}

// staticValue returns field i of s as text and whether s carries it.
func staticValue(s *track.Static, i int) (string, bool) {
	switch i {
	case 0:
		return s.Name, s.Has&track.HasName != 0 && s.Name != ""
	case 1:
		return s.CallSign, s.Has&track.HasCallSign != 0 && s.CallSign != ""
	case 2:
		if s.Has&track.HasIMO == 0 || s.IMO == 0 {
			return "", false
		}
		return strconv.FormatUint(uint64(s.IMO), 10), true
	case 3:
		if s.Has&track.HasShipType == 0 || s.ShipType == 0 {
			return "", false
		}
		return strconv.Itoa(int(s.ShipType)), true
	}
	return "", false
}

// Static compares the identity fields of s with those the MMSI sent
// before. The first change opens an event, later ones update it, and it
// closes after ChangeWindow without a change. A report older than the
// newest judged one is not judged: its values may predate a change
// already seen.
func (d *identityDetector) Static(v *Vessel, s *track.Static, e *Emitter) {
	st := d.state(v)
	if s.Time < st.staticTime {
		return
	}
	st.staticTime = s.Time
	var found [identityFields]Change
	n := 0
	for i := range identityFields {
		if i == 2 && s.Has&track.HasIMO != 0 && s.IMO != 0 && s.IMO == st.imo {
			continue // unchanged, and not formatted: that would allocate
		}
		val, ok := staticValue(s, i)
		if !ok {
			continue
		}
		if i == 2 {
			st.imo = s.IMO
		}
		fl := &st.fields[i]
		if fl.n > 0 && sameIdentity(fl.values[0], val) {
			continue
		}
		if fl.n > 0 {
			c := Change{Time: s.Time, Field: identityFieldNames[i], Old: fl.values[0], New: val}
			for _, old := range fl.values[1:fl.n] {
				if sameIdentity(old, val) {
					c.Reverted = true
				}
			}
			found[n] = c
			n++
		}
		// Keep the newest first; an old value seen again moves up.
		copy(fl.values[1:], fl.values[:len(fl.values)-1])
		fl.values[0] = val
		fl.n = min(fl.n+1, len(fl.values))
	}
	if n == 0 {
		return
	}
	conf, fresh := 0.5, false // a renaming, as after a sale, is ordinary
	for _, c := range found[:n] {
		if c.Field == "imo" {
			conf = max(conf, 0.8) // the IMO number belongs to the hull for life
		}
		if c.Reverted {
			conf = max(conf, 0.9)
		} else {
			fresh = true
		}
	}
	st.lastChangeTime = s.Time
	if st.changeEv == nil {
		at := track.Fix{Lat: v.Last.Lat, Lon: v.Last.Lon}
		ev := d.newEvent(v, IdentityChange, StateOpen, s.Time, &at)
		if v.HasLast {
			ev.Evidence.Fixes = []track.Fix{v.Last}
		}
		st.changeEv, st.changes = &ev, 0
	}
	ev := st.changeEv
	// Two stations taking turns flip between known values at every
	// report: such flips are counted, and the event is only updated
	// when a value is new or the confidence rises.
	emit := st.changes == 0 || fresh || conf > ev.Confidence
	st.changes += n
	if !emit {
		return // no allocation for a flip: the close carries the count
	}
	if ev.Evidence.Changes != nil {
		ev.State = StateUpdate
	}
	// Keep the newest changes only: two stations taking turns would
	// otherwise grow the event without bound. A new slice each time:
	// emitted events share nothing that changes later.
	const keep = 8
	chs := append(append(make([]Change, 0, len(ev.Evidence.Changes)+n), ev.Evidence.Changes...), found[:n]...)
	if len(chs) > keep {
		chs = chs[len(chs)-keep:]
	}
	ev.Evidence.Changes = chs
	ev.Confidence = max(ev.Confidence, conf)
	ev.Alarm = ev.Confidence >= 0.8
	ev.Evidence.Figures = changeFigures(st.changes)
	if v.HasLast {
		ev.Lat, ev.Lon = v.Last.Lat, v.Last.Lon
	}
	e.Emit(*ev)
}

func changeFigures(n int) []Figure {
	return []Figure{{Name: "changes", Value: float64(n), Op: ">=", Threshold: 1, Unit: "changes"}}
}

// sameIdentity reports whether two identity texts are the same once
// case, spaces and punctuation are ignored: "PEI YUH NO.6" is "PEI YUH
// NO6", as receivers and crews write it either way.
func sameIdentity(a, b string) bool {
	i, j := 0, 0
	for {
		for i < len(a) && !alnum(a[i]) {
			i++
		}
		for j < len(b) && !alnum(b[j]) {
			j++
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if lower(a[i]) != lower(b[j]) {
			return false
		}
		i++
		j++
	}
}

// alnum reports whether c is an ASCII letter or digit (AIS text is
// 6-bit ASCII; other bytes are compared as punctuation and ignored).
func alnum(c byte) bool { return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func (d *identityDetector) Safety(*Vessel, *track.Text, *Emitter) {}

// Advance closes the segments, and the events, whose cause has been
// silent long enough at watermark wm.
func (d *identityDetector) Advance(v *Vessel, wm int64, e *Emitter) {
	st := v.identity
	if st == nil {
		return
	}
	st.seg.Expire(wm)
	if st.twoEv != nil {
		d.closeTwo(v, st, wm, e)
	}
	if st.classEv != nil {
		d.closeClass(v, st, wm, e)
	}
	// An MMSI event lasts while the MMSI has a track: it closes when
	// the segments would, after Segment.MaxGap of silence.
	if st.mmsiEv != nil && v.HasLast && wm-v.Last.Time >= d.cfg.Segment.MaxGap.Milliseconds() {
		ev := *st.mmsiEv
		ev.State, ev.End = StateClose, v.Last.Time
		ev.Evidence.Fixes = []track.Fix{ev.Evidence.Fixes[0], v.Last}
		st.mmsiEv = nil
		e.Emit(ev)
	}
	if st.changeEv != nil && wm-st.lastChangeTime >= d.cfg.ChangeWindow.Milliseconds() {
		ev := *st.changeEv
		ev.Evidence.Figures = changeFigures(st.changes)
		ev.State, ev.End = StateClose, st.lastChangeTime
		st.changeEv = nil
		e.Emit(ev)
	}
}
