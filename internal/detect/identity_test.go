package detect

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

// identityOnly returns the strait preset with only the identity
// detector enabled.
func identityOnly(t testing.TB) Config {
	t.Helper()
	return only(t, "strait", "identity")
}

const idShip = 422123456 // Iran, MID 422

// idAt returns a class A fix of mmsi dist metres east of 26N 56E at
// event time t (relative to t0).
func idAt(mmsi uint32, t int64, dist float64) track.Fix {
	lat, lon := geo.Destination(26, 56, 90, dist)
	return fix(mmsi, t, lat, lon, 10)
}

// idB is idAt for a class B fix.
func idB(mmsi uint32, t int64, dist float64) track.Fix {
	f := idAt(mmsi, t, dist)
	f.Class = track.ClassB
	return f
}

// apart returns the distance in metres that implies kn knots over dt ms
// under the strait preset's 1-minute slack.
func apart(kn float64, dt int64) float64 {
	return kn * geo.NauticalMile * float64(dt+mn) / float64(hr)
}

func static(mmsi uint32, t int64, name string, imo uint32) step {
	s := track.Static{MMSI: mmsi, Time: t0 + t, Has: track.HasName, Name: name}
	if imo != 0 {
		s.Has |= track.HasIMO
		s.IMO = imo
	}
	return step{static: &s}
}

// idBrief is what identity tests compare.
type idBrief struct {
	Rule  string
	State State
	Start int64 // relative to t0
	End   int64 // relative to t0; 0 when open
	Alarm bool
}

func idBriefs(evs []Event) []idBrief {
	var b []idBrief
	for _, e := range evs {
		end := int64(0)
		if e.End != 0 {
			end = e.End - t0
		}
		b = append(b, idBrief{e.Evidence.Rule, e.State, e.Start - t0, end, e.Alarm})
	}
	return b
}

func TestIdentity(t *testing.T) {
	// Two stations on one MMSI, 50 km apart, taking turns every 10 s.
	var turns []step
	for i := range int64(4) {
		turns = append(turns, fx(idAt(idShip, i*20*sec, float64(i)*100)), fx(idAt(idShip, i*20*sec+10*sec, 50_000+float64(i)*100)))
	}
	tests := []struct {
		name  string
		steps []step
		want  []idBrief
	}{
		{"valid MMSI: nothing", []step{fx(idAt(idShip, 0, 0))}, nil},
		{"AIS-SART carries no MID: nothing", []step{fx(idAt(970000001, 0, 0))}, nil},
		{"invalid MMSI", []step{fx(idAt(123456789, 0, 0)), fx(idAt(123456789, 10*sec, 10))},
			[]idBrief{{IdentityInvalidMMSI, StateOpen, 0, 0, true}}},
		{"unallocated MID", []step{fx(idAt(200000010, 0, 0))},
			[]idBrief{{IdentityUnknownMID, StateOpen, 0, 0, true}}},
		{"MMSI event stays open just inside MaxGap of silence", []step{fx(idAt(123456789, 0, 0)), {wm: 6*hr - mn}},
			[]idBrief{{IdentityInvalidMMSI, StateOpen, 0, 0, true}}},
		{"MMSI event closes after MaxGap of silence", []step{fx(idAt(123456789, 0, 0)), fx(idAt(123456789, mn, 10)), {wm: 6*hr + mn}},
			[]idBrief{{IdentityInvalidMMSI, StateOpen, 0, 0, true}, {IdentityInvalidMMSI, StateClose, 0, mn, true}}},

		{"move just inside the plausible speed: nothing", []step{fx(idAt(idShip, 0, 0)), fx(idAt(idShip, 10*mn, apart(49.9, 10*mn)))}, nil},
		{"move just over it: jump", []step{fx(idAt(idShip, 0, 0)), fx(idAt(idShip, 10*mn, apart(50.1, 10*mn)))},
			[]idBrief{{IdentityJump, StateClose, 0, 10 * mn, true}}},
		{"fast but just short of MinDistance: nothing", []step{fx(idAt(idShip, 0, 0)), fx(idAt(idShip, 0, 4_990))}, nil},
		{"fast and just over MinDistance: jump", []step{fx(idAt(idShip, 0, 0)), fx(idAt(idShip, 0, 5_010))},
			[]idBrief{{IdentityJump, StateClose, 0, 0, true}}},

		{"position not available in between: judged from the last fix with one", []step{fx(idAt(idShip, 0, 0)),
			fx(fix(idShip, 5*sec, 91, 181, 10)), fx(idAt(idShip, 10*sec, 20_000))},
			[]idBrief{{IdentityJump, StateClose, 0, 10 * sec, true}}},
		{"one stray position: a jump, not two places", []step{fx(idAt(idShip, 0, 0)), fx(idAt(idShip, 10*sec, 50_000)),
			fx(idAt(idShip, 20*sec, 100)), fx(idAt(idShip, 30*sec, 200))},
			[]idBrief{{IdentityJump, StateClose, 0, 10 * sec, true}}},
		{"two stations taking turns: two places, closed by silence",
			append(append([]step(nil), turns...), fx(idAt(idShip, 31*mn, 500)), fx(idAt(idShip, 32*mn, 510))),
			[]idBrief{{IdentityJump, StateClose, 0, 10 * sec, true}, {IdentityTwoPlaces, StateOpen, 20 * sec, 0, true},
				{IdentityTwoPlaces, StateClose, 20 * sec, 70 * sec, true}}},
		{"two places still open just inside Window", append(append([]step(nil), turns...), fx(idAt(idShip, 30*mn, 500))),
			[]idBrief{{IdentityJump, StateClose, 0, 10 * sec, true}, {IdentityTwoPlaces, StateOpen, 20 * sec, 0, true}}},

		{"class A and B within Window: class mix", []step{fx(idAt(idShip, 0, 0)), fx(idB(idShip, 30*mn, 100))},
			[]idBrief{{IdentityClassMix, StateOpen, 0, 0, true}}},
		{"class B just outside Window: nothing", []step{fx(idAt(idShip, 0, 0)), fx(idB(idShip, 30*mn+1, 100))}, nil},
		{"class mix closes when one class falls silent", []step{fx(idAt(idShip, 0, 0)), fx(idB(idShip, mn, 100)), fx(idB(idShip, 40*mn, 200))},
			[]idBrief{{IdentityClassMix, StateOpen, 0, 0, true}, {IdentityClassMix, StateClose, 0, 0, true}}},

		{"same name: nothing", []step{static(idShip, 0, "DHOW ONE", 0), static(idShip, mn, "dhow one", 0)}, nil},
		{"renamed: recorded, no alarm", []step{static(idShip, 0, "DHOW ONE", 0), static(idShip, mn, "DHOW TWO", 0)},
			[]idBrief{{IdentityChange, StateOpen, mn, 0, false}}},
		{"renamed and back: alarm", []step{static(idShip, 0, "DHOW ONE", 0), static(idShip, mn, "DHOW TWO", 0), static(idShip, 2*mn, "DHOW ONE", 0)},
			[]idBrief{{IdentityChange, StateOpen, mn, 0, false}, {IdentityChange, StateUpdate, mn, 0, true}}},
		{"spaces and punctuation are not a change", []step{static(idShip, 0, "PEI YUH NO.6", 0), static(idShip, mn, "pei yuh no6", 0)}, nil},
		{"flipping between known names: counted, not updated", []step{static(idShip, 0, "DHOW ONE", 0), static(idShip, mn, "DHOW TWO", 0),
			static(idShip, 2*mn, "DHOW ONE", 0), static(idShip, 3*mn, "DHOW TWO", 0), static(idShip, 4*mn, "DHOW ONE", 0)},
			[]idBrief{{IdentityChange, StateOpen, mn, 0, false}, {IdentityChange, StateUpdate, mn, 0, true}}},
		{"IMO changed: alarm", []step{static(idShip, 0, "DHOW ONE", 9123456), static(idShip, mn, "DHOW ONE", 9654321)},
			[]idBrief{{IdentityChange, StateOpen, mn, 0, true}}},
		{"late static is not judged", []step{static(idShip, mn, "DHOW ONE", 0), static(idShip, 0, "DHOW TWO", 0)}, nil},
		{"change still open just inside ChangeWindow", []step{static(idShip, 0, "A", 0), static(idShip, mn, "B", 0), {wm: 24*hr + mn - sec}},
			[]idBrief{{IdentityChange, StateOpen, mn, 0, false}}},
		{"change closes after ChangeWindow", []step{static(idShip, 0, "A", 0), static(idShip, mn, "B", 0), {wm: 24*hr + mn}},
			[]idBrief{{IdentityChange, StateOpen, mn, 0, false}, {IdentityChange, StateClose, mn, mn, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newShard(t, identityOnly(t), nil)
			evs := run(s, tt.steps)
			for _, e := range evs {
				checkIdentityEvent(t, e)
			}
			if diff := cmp.Diff(tt.want, idBriefs(evs)); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// TestJumpSpeed checks JumpSpeed apart from Segment.MaxSpeed: a move
// between them opens a segment but is no jump.
func TestJumpSpeed(t *testing.T) {
	cfg := identityOnly(t)
	cfg.Identity.JumpSpeed = 80
	for _, tt := range []struct {
		kn   float64
		want []idBrief
	}{
		{60, nil},
		{79.9, nil},
		{80.1, []idBrief{{IdentityJump, StateClose, 0, 10 * mn, true}}},
	} {
		s := newShard(t, cfg, nil)
		evs := run(s, []step{fx(idAt(idShip, 0, 0)), fx(idAt(idShip, 10*mn, apart(tt.kn, 10*mn)))})
		if diff := cmp.Diff(tt.want, idBriefs(evs)); diff != "" {
			t.Errorf("move at %v kn: events (-want +got):\n%s", tt.kn, diff)
		}
	}
}

// checkIdentityEvent is checkEvent, allowing static-change events
// without a fix (the vessel may not have sent one yet).
func checkIdentityEvent(t *testing.T, e Event) {
	t.Helper()
	if e.Type != TypeIdentity || e.Evidence.Rule == "" || len(e.Vessels) != 1 || !(e.Confidence >= 0 && e.Confidence <= 1) {
		t.Errorf("malformed event %+v", e)
	}
	if e.Evidence.Rule == IdentityChange {
		if len(e.Evidence.Changes) == 0 {
			t.Errorf("change event %s lists no change", e.ID)
		}
		return
	}
	checkEvent(t, e)
}

// TestIdentityLate checks that a late fix inside a jump re-judges it:
// it shrinks the jump when one part still jumps, and retracts it when
// neither does.
func TestIdentityLate(t *testing.T) {
	tests := []struct {
		name string
		late track.Fix
		want []idBrief
	}{
		{"late fix near the start: the jump is shorter", idAt(idShip, 30*sec, 100),
			[]idBrief{{IdentityJump, StateClose, 0, mn, true}, {IdentityJump, StateUpdate, 30 * sec, mn, true}}},
		{"late fix half way: each part under MinDistance, retracted", idAt(idShip, 30*sec, 4_000),
			[]idBrief{{IdentityJump, StateClose, 0, mn, true}, {IdentityJump, StateRetract, 0, mn, false}}},
		{"late fix before the jump: nothing changes", idAt(idShip, -mn, 0),
			[]idBrief{{IdentityJump, StateClose, 0, mn, true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newShard(t, identityOnly(t), nil)
			// 8 km in a minute: about 130 kn.
			evs := run(s, []step{fx(idAt(idShip, 0, 0)), fx(idAt(idShip, mn, 8_000)), fx(tt.late)})
			if diff := cmp.Diff(tt.want, idBriefs(evs)); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			for _, e := range evs[1:] {
				if e.ID != evs[0].ID {
					t.Errorf("event ID %s, want %s: a re-judged jump keeps its ID", e.ID, evs[0].ID)
				}
			}
		})
	}
}

func TestMIDOf(t *testing.T) {
	tests := []struct {
		mmsi uint32
		want uint32
	}{
		{422123456, 422}, {42212345, 422}, {4221234, 422}, {111422123, 422},
		{984221234, 422}, {994221234, 422}, {842212345, 422}, {200000010, 200},
	}
	for _, tt := range tests {
		if got := midOf(tt.mmsi); got != tt.want {
			t.Errorf("midOf(%09d) = %d, want %d", tt.mmsi, got, tt.want)
		}
	}
}

func TestIdentityValidate(t *testing.T) {
	bad := []func(*IdentityConfig){
		func(c *IdentityConfig) { c.JumpSpeed = c.Segment.MaxSpeed - 1 },
		func(c *IdentityConfig) { c.Segment.MaxOpen = 0 },
		func(c *IdentityConfig) { c.MinSegmentFixes = 0 },
		func(c *IdentityConfig) { c.Window = 0 },
		func(c *IdentityConfig) { c.ChangeWindow = 0 },
		func(c *IdentityConfig) { c.History = -1 },
		func(c *IdentityConfig) { c.MinDistance = -1 },
	}
	for i, f := range bad {
		c, _ := Preset("strait")
		f(&c.Identity)
		if err := c.Validate(); err == nil {
			t.Errorf("bad identity config %d: Validate() = nil, want an error", i)
		}
	}
	for _, p := range []string{"strait", "gfw", "skylight"} {
		c, _ := Preset(p)
		if err := c.Validate(); err != nil || !c.Identity.Enabled {
			t.Errorf("Preset(%q): Validate() = %v, Identity.Enabled = %v", p, err, c.Identity.Enabled)
		}
	}
}

// BenchmarkIdentity measures one fix through a shard running only the
// identity detector, over 10,000 vessels of synthetic traffic (each
// reporting every 10 s of event time), beside the same shard with no
// detector: the difference is the detector's cost.
func BenchmarkIdentity(b *testing.B) {
	for _, c := range []struct {
		on bool
		n  int
	}{{false, 10_000}, {true, 10_000}, {false, 1_000}, {true, 1_000}} {
		name := "none"
		if c.on {
			name = "identity"
		}
		on := c.on
		b.Run(fmt.Sprintf("%s/vessels=%d", name, c.n), func(b *testing.B) {
			cfg := identityOnly(b)
			cfg.Identity.Enabled = on
			s := newShard(b, cfg, nil)
			next := traffic(c.n)
			batch := make([]track.Fix, 1000)
			// Warm up: every vessel's state exists before timing.
			for range 10 {
				fs, wm := next(batch)
				for k := range fs {
					s.Fix(&fs[k])
				}
				s.Advance(wm)
				s.Drain()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i += len(batch) {
				fs, wm := next(batch)
				for k := range fs {
					s.Fix(&fs[k])
				}
				s.Advance(wm)
				s.Drain()
			}
		})
	}
}

// BenchmarkEngineNoIdentity is BenchmarkEngine at 10,000 vessels with
// the identity detector off: against BenchmarkEngine it gives the
// detector's share of the whole engine.
func BenchmarkEngineNoIdentity(b *testing.B) {
	cfg, _ := Preset("strait")
	cfg.Identity.Enabled = false
	benchEngine(b, cfg, []int{10_000})
}
