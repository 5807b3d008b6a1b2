package detect

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"straitwatch/internal/track"
)

func TestPresets(t *testing.T) {
	for _, name := range []string{"gfw", "skylight", "strait", ""} {
		c, err := Preset(name)
		if err != nil {
			t.Fatalf("Preset(%q): %v", name, err)
		}
		if err := c.Validate(); err != nil {
			t.Errorf("Preset(%q).Validate() = %v", name, err)
		}
	}
	if _, err := Preset("nope"); err == nil {
		t.Errorf("Preset(nope) = nil error")
	}
	g, _ := Preset("gfw")
	if g.Gap.MinGap != 6*time.Hour || g.Gap.LikelyDisabling != 12*time.Hour || g.Loiter.MaxSOG != 2 {
		t.Errorf("gfw preset = %+v", g)
	}
	bad := g
	bad.SweepEvery = 0
	if err := bad.Validate(); err == nil {
		t.Errorf("Validate(SweepEvery 0) = nil")
	}
}

func TestDistress(t *testing.T) {
	const sart, mob, epirb, ship = 970123456, 972123456, 974123456, 422123456
	withStatus := func(f track.Fix, st uint8) track.Fix { f.Status = st; return f }
	tests := []struct {
		name     string
		steps    []step
		want     []brief
		wantConf float64
	}{
		{"sart active status 14", []step{fx(withStatus(fix(sart, 0, 25, 57, 0), 14))},
			[]brief{{TypeDistress, StateOpen, 0, 0, "", true}}, 1},
		{"sart test status 15 is recorded, no alarm", []step{fx(withStatus(fix(sart, 0, 25, 57, 0), 15))},
			[]brief{{TypeDistress, StateOpen, 0, 0, "", false}}, 0.8},
		{"mob other status", []step{fx(fix(mob, 0, 25, 57, 0))},
			[]brief{{TypeDistress, StateOpen, 0, 0, "", true}}, 0.8},
		{"epirb", []step{fx(fix(epirb, 0, 25, 57, 0))},
			[]brief{{TypeDistress, StateOpen, 0, 0, "", true}}, 0.8},
		{"ship status 14", []step{fx(withStatus(fix(ship, 0, 25, 57, 0), 14))},
			[]brief{{TypeDistress, StateOpen, 0, 0, "", true}}, 0.7},
		{"ship status 13: just outside", []step{fx(withStatus(fix(ship, 0, 25, 57, 0), 13))}, nil, 0},
		{"prefix 971: just outside", []step{fx(fix(971123456, 0, 25, 57, 0))}, nil, 0},
		{"prefix 969: just outside", []step{fx(fix(969123456, 0, 25, 57, 0))}, nil, 0},
		{"SART ACTIVE text from a ship", []step{fx(fix(ship, 0, 25, 57, 10)), {text: &track.Text{MMSI: ship, Time: t0 + sec, Text: "SART ACTIVE"}}},
			[]brief{{TypeDistress, StateOpen, sec, 0, "", true}}, 1},
		{"MOB ACTIVE text", []step{{text: &track.Text{MMSI: mob, Time: t0, Text: "mob active"}}},
			[]brief{{TypeDistress, StateOpen, 0, 0, "", true}}, 1},
		{"SART TEST text from device: recorded", []step{{text: &track.Text{MMSI: sart, Time: t0, Text: "SART TEST"}}},
			[]brief{{TypeDistress, StateOpen, 0, 0, "", false}}, 0.9},
		{"SART TEST text from a ship: nothing", []step{{text: &track.Text{MMSI: ship, Time: t0, Text: "SART TEST"}}}, nil, 0},
		{"ordinary text: nothing", []step{{text: &track.Text{MMSI: ship, Time: t0, Text: "GOOD MORNING ACTIVE CREW"}}}, nil, 0},
		{"alarm then TEST text downgrades", []step{fx(fix(sart, 0, 25, 57, 0)), {text: &track.Text{MMSI: sart, Time: t0 + sec, Text: "SART TEST"}}},
			[]brief{{TypeDistress, StateOpen, 0, 0, "", true}, {TypeDistress, StateUpdate, 0, 0, "", false}}, 0.8},
		{"update at most every minute", []step{fx(fix(sart, 0, 25, 57, 0)), fx(fix(sart, mn-1, 25, 57, 0)), fx(fix(sart, mn, 25, 57, 0))},
			[]brief{{TypeDistress, StateOpen, 0, 0, "", true}, {TypeDistress, StateUpdate, 0, 0, "", true}}, 0.8},
		{"close after 30 mn silence: just before", []step{fx(fix(sart, 0, 25, 57, 0)), {wm: 30*mn - 1}},
			[]brief{{TypeDistress, StateOpen, 0, 0, "", true}}, 0.8},
		{"close after 30 mn silence", []step{fx(fix(sart, 0, 25, 57, 0)), {wm: 30 * mn}},
			[]brief{{TypeDistress, StateOpen, 0, 0, "", true}, {TypeDistress, StateClose, 0, 0, "", true}}, 0.8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := only(t, "strait", "distress")
			s := newShard(t, cfg, nil)
			evs := run(s, tt.steps)
			got := briefs(evs)
			// The close's End is the last time heard (0 here): compare sans End.
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			if len(evs) > 0 {
				if evs[0].Confidence != tt.wantConf {
					t.Errorf("confidence = %v, want %v", evs[0].Confidence, tt.wantConf)
				}
				for _, e := range evs {
					checkEvent(t, e)
					if e.ID != evs[0].ID {
						t.Errorf("event IDs differ: %s, %s", e.ID, evs[0].ID)
					}
				}
			}
		})
	}
}

func TestZoneEntryExit(t *testing.T) {
	zs := testZones(t)
	const v = 422000001
	const e = 1e-6
	tests := []struct {
		name  string
		steps []step
		want  []brief
	}{
		{"just outside lane", []step{fx(fix(v, 0, 25.02, 57-e, 10))}, nil},
		{"just inside lane", []step{fx(fix(v, 0, 25.02, 57+e, 10))}, []brief{{TypeZone, StateOpen, 0, 0, "lane-in", true}}},
		{"enter then one fix outside: still in", []step{fx(fix(v, 0, 25.02, 57-e, 10)), fx(fix(v, mn, 25.02, 57+e, 10)), fx(fix(v, 2*mn, 24.99, 57.05, 10))},
			[]brief{{TypeZone, StateOpen, mn, 0, "lane-in", true}}},
		{"enter then leave lane (2 fixes outside)", []step{fx(fix(v, 0, 25.02, 57-e, 10)), fx(fix(v, mn, 25.02, 57+e, 10)), fx(fix(v, 2*mn, 24.99, 57.05, 10)), fx(fix(v, 3*mn, 24.98, 57.05, 10))},
			[]brief{{TypeZone, StateOpen, mn, 0, "lane-in", true}, {TypeZone, StateClose, mn, 2 * mn, "lane-in", true}}},
		{"edge flicker: out, in, out is one stay", []step{fx(fix(v, 0, 25.02, 57+e, 10)), fx(fix(v, mn, 25.02, 57-e, 10)), fx(fix(v, 2*mn, 25.02, 57+e, 10)), fx(fix(v, 3*mn, 25.02, 57-e, 10))},
			[]brief{{TypeZone, StateOpen, 0, 0, "lane-in", true}}},
		{"into anchorage inside lane", []step{fx(fix(v, 0, 25.06, 57.05-e, 1)), fx(fix(v, mn, 25.06, 57.05+e, 1))},
			[]brief{{TypeZone, StateOpen, 0, 0, "lane-in", true}, {TypeZone, StateOpen, mn, 0, "anch", true}}},
		{"late fix ignored", []step{fx(fix(v, mn, 25.02, 57-e, 10)), fx(fix(v, 0, 25.02, 57+e, 10))}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := only(t, "strait", "zones")
			cfg.Zones.Kinds = nil // every area kind: the mechanics, not the preset's choice
			s := newShard(t, cfg, zs)
			evs := run(s, tt.steps)
			if diff := cmp.Diff(tt.want, briefs(evs)); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			for _, e := range evs {
				checkEvent(t, e)
			}
		})
	}
}

func TestExpectedInterval(t *testing.T) {
	tests := []struct {
		class  track.Class
		status uint8
		sog    float32
		want   time.Duration
	}{
		{track.ClassA, 1, 3, 3 * time.Minute},
		{track.ClassA, 1, 3.1, 10 * time.Second},
		{track.ClassA, 0, 14, 10 * time.Second},
		{track.ClassA, 0, 14.1, 6 * time.Second},
		{track.ClassA, 0, 23, 6 * time.Second},
		{track.ClassA, 0, 23.1, 2 * time.Second},
		{track.ClassB, 15, 2, 3 * time.Minute},
		{track.ClassB, 15, 2.1, 30 * time.Second},
		{track.ClassUnknown, 15, 10, 3 * time.Minute},
	}
	for _, tt := range tests {
		f := track.Fix{Class: tt.class, Status: tt.status, SOG: tt.sog}
		if got := ExpectedInterval(&f); got != tt.want {
			t.Errorf("ExpectedInterval(class %v, status %d, %v kn) = %v, want %v", tt.class, tt.status, tt.sog, got, tt.want)
		}
	}
}

func TestGap(t *testing.T) {
	const v = 422000002
	anch := func(f track.Fix) track.Fix { f.Status = 1; return f }
	tests := []struct {
		name   string
		preset string
		steps  []step
		want   []brief
		conf   []float64
	}{
		{"gfw just under 6 h", "gfw", []step{fx(fix(v, 0, 25, 57, 10)), fx(fix(v, 6*hr-1, 25, 57.5, 10))}, nil, nil},
		{"gfw 6 h", "gfw", []step{fx(fix(v, 0, 25, 57, 10)), fx(fix(v, 6*hr, 25, 57.5, 10))},
			[]brief{{TypeGap, StateClose, 0, 6 * hr, "", true}}, []float64{0.5}},
		{"gfw just under 12 h", "gfw", []step{fx(fix(v, 0, 25, 57, 10)), fx(fix(v, 12*hr-1, 25, 57.5, 10))},
			[]brief{{TypeGap, StateClose, 0, 12*hr - 1, "", true}}, []float64{0.5 + 0.5*(float64(12*hr-1)/float64(6*hr)-1)}},
		{"gfw 12 h likely disabling", "gfw", []step{fx(fix(v, 0, 25, 57, 10)), fx(fix(v, 12*hr, 25, 57.5, 10))},
			[]brief{{TypeGap, StateClose, 0, 12 * hr, "", true}}, []float64{1}},
		{"strait underway: just under 30 mn", "strait", []step{fx(fix(v, 0, 25, 57, 10)), fx(fix(v, 30*mn-1, 25, 57.1, 10))}, nil, nil},
		{"strait underway: 30 mn", "strait", []step{fx(fix(v, 0, 25, 57, 10)), fx(fix(v, 30*mn, 25, 57.1, 10))},
			[]brief{{TypeGap, StateClose, 0, 30 * mn, "", true}}, []float64{0.5}},
		{"strait at anchor: 30 x 3 mn, just under", "strait", []step{fx(anch(fix(v, 0, 25, 57, 0))), fx(fix(v, 90*mn-1, 25, 57, 0))}, nil, nil},
		{"strait at anchor: 90 mn", "strait", []step{fx(anch(fix(v, 0, 25, 57, 0))), fx(fix(v, 90*mn, 25, 57, 0))},
			[]brief{{TypeGap, StateClose, 0, 90 * mn, "", true}}, []float64{0.5}},
		{"open on watermark: just before", "gfw", []step{fx(fix(v, 0, 25, 57, 10)), {wm: 6*hr - 1}}, nil, nil},
		{"open on watermark, close on fix", "gfw", []step{fx(fix(v, 0, 25, 57, 10)), {wm: 6 * hr}, fx(fix(v, 7*hr, 25, 57.5, 10))},
			[]brief{{TypeGap, StateOpen, 0, 0, "", true}, {TypeGap, StateClose, 0, 7 * hr, "", true}}, []float64{0.5, 0.5 + 0.5*(7.0/6-1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newShard(t, only(t, tt.preset, "gap"), nil)
			evs := run(s, tt.steps)
			if diff := cmp.Diff(tt.want, briefs(evs)); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			for i, e := range evs {
				checkEvent(t, e)
				if i < len(tt.conf) && abs(e.Confidence-tt.conf[i]) > 1e-9 {
					t.Errorf("event %d confidence = %v, want %v", i, e.Confidence, tt.conf[i])
				}
				if e.ID != evs[0].ID {
					t.Errorf("event IDs differ: %s, %s", e.ID, evs[0].ID)
				}
			}
		})
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestGapLateData checks that late fixes inside a gap retract, shrink or
// split it (the Skylight rule: dark activity is removed when late data
// shrinks the gap).
func TestGapLateData(t *testing.T) {
	const v = 422000003
	tests := []struct {
		name  string
		steps []step
		want  []brief
	}{
		{"late fix splits 10 h into 5+5: retract", []step{fx(fix(v, 0, 25, 57, 10)), fx(fix(v, 10*hr, 25, 58, 10)), fx(fix(v, 5*hr, 25, 57.5, 10))},
			[]brief{{TypeGap, StateClose, 0, 10 * hr, "", true}, {TypeGap, StateRetract, 0, 10 * hr, "", false}}},
		{"late fix leaves 6 h after it: shrink start", []step{fx(fix(v, 0, 25, 57, 10)), fx(fix(v, 10*hr, 25, 58, 10)), fx(fix(v, 4*hr, 25, 57.5, 10))},
			[]brief{{TypeGap, StateClose, 0, 10 * hr, "", true}, {TypeGap, StateUpdate, 4 * hr, 10 * hr, "", true}}},
		{"late fix leaves 6 h before it: shrink end", []step{fx(fix(v, 0, 25, 57, 10)), fx(fix(v, 10*hr, 25, 58, 10)), fx(fix(v, 6*hr, 25, 57.5, 10))},
			[]brief{{TypeGap, StateClose, 0, 10 * hr, "", true}, {TypeGap, StateUpdate, 0, 6 * hr, "", true}}},
		{"late fix just short on both sides: retract", []step{fx(fix(v, 0, 25, 57, 10)), fx(fix(v, 12*hr-2, 25, 58, 10)), fx(fix(v, 6*hr-1, 25, 57.5, 10))},
			[]brief{{TypeGap, StateClose, 0, 12*hr - 2, "", true}, {TypeGap, StateRetract, 0, 12*hr - 2, "", false}}},
		{"late fix splits 13 h into two gaps", []step{fx(fix(v, 0, 25, 57, 10)), fx(fix(v, 13*hr, 25, 58, 10)), fx(fix(v, 6*hr+30*mn, 25, 57.5, 10))},
			[]brief{{TypeGap, StateClose, 0, 13 * hr, "", true}, {TypeGap, StateUpdate, 0, 6*hr + 30*mn, "", true}, {TypeGap, StateClose, 6*hr + 30*mn, 13 * hr, "", true}}},
		{"late fix outside the gap: nothing", []step{fx(fix(v, hr, 25, 57, 10)), fx(fix(v, 8*hr, 25, 58, 10)), fx(fix(v, 0, 25, 57.5, 10))},
			[]brief{{TypeGap, StateClose, hr, 8 * hr, "", true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newShard(t, only(t, "gfw", "gap"), nil)
			evs := run(s, tt.steps)
			if diff := cmp.Diff(tt.want, briefs(evs)); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			if len(evs) >= 2 && evs[1].ID != evs[0].ID {
				t.Errorf("update/retract ID %s, want %s", evs[1].ID, evs[0].ID)
			}
		})
	}
}

func TestSpeed(t *testing.T) {
	zs := testZones(t)
	const v = 422000004
	classB := func(f track.Fix) track.Fix { f.Class = track.ClassB; return f }
	// Anchorage "anch" has max_sog_kn 3; lane-in has 20; the open sea has
	// only the class B fast-craft limit (strait: 30 kn).
	tests := []struct {
		name  string
		steps []step
		want  []brief
	}{
		{"anchorage at limit", []step{fx(fix(v, 0, 25.06, 57.06, 3)), fx(fix(v, mn, 25.06, 57.06, 3))}, nil},
		{"anchorage just above, twice", []step{fx(fix(v, 0, 25.06, 57.06, 3.01)), fx(fix(v, mn, 25.06, 57.06, 3.01))},
			[]brief{{TypeSpeed, StateOpen, 0, 0, "anch", true}}},
		{"anchorage just above once", []step{fx(fix(v, 0, 25.06, 57.06, 3.01)), fx(fix(v, mn, 25.06, 57.06, 3))}, nil},
		{"lane 20 kn limit", []step{fx(fix(v, 0, 25.02, 57.02, 20)), fx(fix(v, mn, 25.02, 57.02, 20))}, nil},
		{"lane above 20 kn then back", []step{fx(fix(v, 0, 25.02, 57.02, 20.1)), fx(fix(v, mn, 25.02, 57.02, 21)), fx(fix(v, 2*mn, 25.02, 57.02, 19))},
			[]brief{{TypeSpeed, StateOpen, 0, 0, "lane-in", true}, {TypeSpeed, StateClose, 0, 2 * mn, "lane-in", true}}},
		{"class B at 30 kn at sea", []step{fx(classB(fix(v, 0, 24, 56, 30))), fx(classB(fix(v, mn, 24, 56, 30)))}, nil},
		{"class B above 30 kn at sea", []step{fx(classB(fix(v, 0, 24, 56, 30.1))), fx(classB(fix(v, mn, 24, 56, 30.1)))},
			[]brief{{TypeSpeed, StateOpen, 0, 0, "", true}}},
		{"class A at 40 kn at sea: no limit", []step{fx(fix(v, 0, 24, 56, 40)), fx(fix(v, mn, 24, 56, 40))}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newShard(t, only(t, "strait", "speed"), zs)
			evs := run(s, tt.steps)
			if diff := cmp.Diff(tt.want, briefs(evs)); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			for _, e := range evs {
				checkEvent(t, e)
				if e.Evidence.Figures[0].Threshold <= 0 {
					t.Errorf("speed event without threshold: %+v", e.Evidence.Figures)
				}
			}
		})
	}
}

func TestLoiter(t *testing.T) {
	zs := testZones(t)
	const v = 422000005
	slow := func(n int, every int64, lat, lon float64, sog float32) []step {
		var s []step
		for i := 0; i <= n; i++ {
			s = append(s, fx(fix(v, int64(i)*every, lat, lon, sog)))
		}
		return s
	}
	tests := []struct {
		name  string
		steps []step
		want  []brief
	}{
		{"1.9 kn for 1 h: open", slow(6, 10*mn, 24, 56, 1.9), []brief{{TypeLoiter, StateOpen, 0, 0, "", true}}},
		{"1.9 kn for 1 h less 1 ms", append(slow(5, 10*mn, 24, 56, 1.9), fx(fix(v, hr-1, 24, 56, 1.9))), nil},
		{"2.0 kn for 1 h: not loitering", slow(6, 10*mn, 24, 56, 2), nil},
		{"near a port point: excluded", slow(6, 10*mn, 25.3, 57.35, 1), nil},
		{"in an anchorage: excluded", slow(6, 10*mn, 25.06, 57.06, 1), nil},
		{"loiter then resume", append(slow(6, 10*mn, 24, 56, 1), fx(fix(v, 70*mn, 24, 56, 8))),
			[]brief{{TypeLoiter, StateOpen, 0, 0, "", true}, {TypeLoiter, StateClose, 0, hr, "", true}}},
		{"a 1 h silence breaks the run", []step{fx(fix(v, 0, 24, 56, 1)), fx(fix(v, hr, 24, 56, 1)), fx(fix(v, 90*mn, 24, 56, 1))}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newShard(t, only(t, "gfw", "loiter"), zs)
			evs := run(s, tt.steps)
			if diff := cmp.Diff(tt.want, briefs(evs)); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			for _, e := range evs {
				checkEvent(t, e)
			}
		})
	}
}

// TestEngineMatchesShard checks that the sharded engine gives, per
// vessel, the events a single shard gives.
func TestEngineMatchesShard(t *testing.T) {
	zs := testZones(t)
	cfg, _ := Preset("strait")
	cfg.Collision.Enabled = false // a pairwise stage: no shard has it
	cfg.Gap.CoverageCell = 0      // the engine's grid of every vessel: a lone shard has none
	var fixes []track.Fix
	for v := uint32(0); v < 50; v++ {
		for i := int64(0); i < 20; i++ {
			dt := i * mn
			if i >= 10 {
				dt += hr // a gap
			}
			fixes = append(fixes, fix(422100000+v, dt, 25.02+float64(v)*0.001, 56.95+float64(i)*0.01, float32(v%25)))
		}
	}
	fixes = append(fixes, func() track.Fix { f := fix(970000001, 0, 25, 57, 0); f.Status = 14; return f }())
	single := newShard(t, cfg, zs)
	single.run(&Input{Fixes: fixes, Watermark: t0 + 3*hr})
	want := perVessel(single.Drain())

	eng, err := NewEngine(cfg, zs, 3)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	got, err := eng.Process(ctx, &Input{Fixes: fixes, Watermark: t0 + 3*hr})
	if err != nil {
		t.Fatalf("Process: %v", err)
	}
	if len(got) == 0 {
		t.Fatalf("Process gave no events")
	}
	if diff := cmp.Diff(want, perVessel(got)); diff != "" {
		t.Errorf("engine events differ from one shard's (-shard +engine):\n%s", diff)
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
	if _, err := eng.Process(context.Background(), &Input{Fixes: fixes}); err != ErrNotRunning {
		t.Errorf("Process after Run = %v, want ErrNotRunning", err)
	}
}

func perVessel(evs []Event) map[uint32][]string {
	m := map[uint32][]string{}
	for _, e := range evs {
		m[e.Vessels[0]] = append(m[e.Vessels[0]], e.ID+"/"+e.State.String())
	}
	return m
}

func TestEncounter(t *testing.T) {
	zs := testZones(t)
	const a, b = 422000010, 422000011
	// pair returns fixes of a and b every 5 min for dur, d metres apart
	// (b due north of a), both at sog.
	pair := func(dur int64, d float64, sogA, sogB float32) []track.Fix {
		var fs []track.Fix
		for tt := int64(0); tt <= dur; tt += 5 * mn {
			fs = append(fs, fix(a, tt, 24, 56, sogA), fix(b, tt+sec, 24+d/111_195, 56, sogB))
		}
		return fs
	}
	tests := []struct {
		name   string
		preset string
		fixes  []track.Fix
		want   []State
	}{
		// gfw: <= 500 m, >= 2 h (the duration is measured from the first
		// fix of the pair to the latest: a's at 0 to b's at 2 h + 1 s).
		{"gfw 499 m for 2 h", "gfw", pair(2*hr, 499, 1, 1), []State{StateOpen}},
		{"gfw 501 m for 2 h", "gfw", pair(2*hr, 501, 1, 1), nil},
		{"gfw 499 m for 1 h 55", "gfw", pair(2*hr-5*mn, 499, 1, 1), nil},
		{"gfw speed 2 kn: median not below", "gfw", pair(2*hr, 499, 2, 2), nil},
		{"gfw speed 1.9 kn", "gfw", pair(2*hr, 499, 1.9, 1.9), []State{StateOpen}},
		{"gfw near a port point: excluded", "gfw", func() []track.Fix {
			fs := pair(2*hr, 100, 1, 1)
			for i := range fs {
				fs[i].Lat, fs[i].Lon = fs[i].Lat-24+25.3, 57.35
			}
			return fs
		}(), nil},
		{"skylight 249 m 30 min", "skylight", pair(30*mn, 249, 10, 10), []State{StateOpen}},
		{"skylight 251 m", "skylight", pair(30*mn, 251, 10, 10), nil},
		{"skylight speeds differ by 2.1 kn", "skylight", pair(30*mn, 249, 10, 12.1), nil},
		{"strait 499 m 30 min drifting", "strait", pair(30*mn, 499, 0.3, 0.3), []State{StateOpen}},
		{"strait both lying still: berthed", "strait", pair(30*mn, 499, 0, 0), nil},
		{"strait one lying still, one drifting", "strait", pair(30*mn, 499, 0, 0.3), []State{StateOpen}},
		{"strait both at anchor", "strait", func() []track.Fix {
			fs := pair(30*mn, 499, 0.3, 0.3)
			for i := range fs {
				fs[i].Status = 1
			}
			return fs
		}(), nil},
		{"gfw both lying still: still an encounter", "gfw", pair(2*hr, 499, 0, 0), []State{StateOpen}},
		{"gfw encounter then apart", "gfw", append(pair(2*hr, 400, 1, 1), fix(a, 2*hr+10*mn, 24, 56, 1), fix(b, 2*hr+10*mn+sec, 24.1, 56, 1)),
			[]State{StateOpen, StateClose}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _ := Preset(tt.preset)
			g := NewEncounters(cfg.Encounter, zs)
			for i := range tt.fixes {
				g.Fix(&tt.fixes[i])
			}
			evs := g.Drain()
			var got []State
			for _, e := range evs {
				got = append(got, e.State)
				checkEvent(t, e)
				if len(e.Vessels) != 2 || e.Type != TypeEncounter {
					t.Errorf("event %+v: want an encounter of 2 vessels", e)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("states (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBadPositionsDoNotPanic(t *testing.T) {
	zs := testZones(t)
	cfg, _ := Preset("strait")
	s := newShard(t, cfg, zs)
	g := NewEncounters(cfg.Encounter, zs)
	nan := float32(math.NaN())
	for _, f := range []track.Fix{
		fix(1, 0, math.NaN(), 57, 1), fix(1, mn, 91, 181, nan), fix(2, 0, 25, 57, nan), fix(2, mn, 25, 57, 1e9),
	} {
		s.Fix(&f)
		g.Fix(&f)
	}
	s.Advance(t0 + 24*hr)
	g.Advance(t0 + 24*hr)
	for _, e := range append(s.Drain(), g.Drain()...) {
		if !(e.Confidence >= 0 && e.Confidence <= 1) {
			t.Errorf("event %s confidence %v", e.ID, e.Confidence)
		}
	}
}

// TestPerZoneThresholds checks the zone property "thresholds": the test
// zone "quiet" sets gap_min_s 600, loiter_max_sog_kn 1 and
// loiter_min_duration_s 600.
func TestPerZoneThresholds(t *testing.T) {
	zs := testZones(t)
	const v = 422000020
	const lat, lon = 23.05, 57.05 // inside "quiet"
	tests := []struct {
		name, preset, det string
		steps             []step
		want              []brief
	}{
		{"gap just under 10 min in quiet", "strait", "gap", []step{fx(fix(v, 0, lat, lon, 10)), fx(fix(v, 10*mn-1, lat, lon, 10))}, nil},
		{"gap 10 min in quiet", "strait", "gap", []step{fx(fix(v, 0, lat, lon, 10)), fx(fix(v, 10*mn, lat, lon, 10))},
			[]brief{{TypeGap, StateClose, 0, 10 * mn, "", true}}},
		{"gap 10 min outside quiet: no", "strait", "gap", []step{fx(fix(v, 0, 24, 56, 10)), fx(fix(v, 10*mn, 24, 56, 10))}, nil},
		{"loiter 0.99 kn 10 min in quiet", "gfw", "loiter", []step{fx(fix(v, 0, lat, lon, 0.99)), fx(fix(v, 5*mn, lat, lon, 0.99)), fx(fix(v, 10*mn, lat, lon, 0.99))},
			[]brief{{TypeLoiter, StateOpen, 0, 0, "", true}}},
		{"loiter 0.99 kn 10 min less 1 ms", "gfw", "loiter", []step{fx(fix(v, 0, lat, lon, 0.99)), fx(fix(v, 10*mn-1, lat, lon, 0.99))}, nil},
		{"loiter 1.0 kn in quiet: no", "gfw", "loiter", []step{fx(fix(v, 0, lat, lon, 1)), fx(fix(v, 10*mn, lat, lon, 1))}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newShard(t, only(t, tt.preset, tt.det), zs)
			evs := run(s, tt.steps)
			if diff := cmp.Diff(tt.want, briefs(evs)); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			for _, e := range evs {
				checkEvent(t, e)
			}
		})
	}
}

func TestCollisionRisk(t *testing.T) {
	const a, b = 422000030, 422000031
	nm := 1.0 / 60 // a nautical mile of latitude, in degrees
	// Head-on on a meridian: a north at 10 kn from 24N, b south at 10 kn
	// from d nm north, offset east by off nm (the CPA).
	headOn := func(d, off float64, sog float32) []track.Fix {
		fa := fix(a, 0, 24, 56, sog)
		fa.COG = 0
		fb := fix(b, 0, 24+d*nm, 56+off*nm/math.Cos(24*math.Pi/180), sog)
		fb.COG = 180
		return []track.Fix{fa, fb}
	}
	tests := []struct {
		name  string
		fixes []track.Fix
		want  []State
	}{
		{"cpa 1.99 nm", headOn(5, 1.99, 10), []State{StateOpen}},
		{"cpa 2.01 nm", headOn(5, 2.01, 10), nil},
		// Closing at 20 kn: TCPA = d/20 h; 30 min is 10 nm.
		{"tcpa just under 30 min", headOn(9.99, 0.5, 10), []State{StateOpen}},
		{"tcpa just over 30 min", headOn(10.01, 0.5, 10), nil},
		{"sog 0.21 kn", headOn(0.2, 0.1, 0.21), []State{StateOpen}},
		{"sog 0.2 kn", headOn(0.2, 0.1, 0.2), nil},
		{"opening: tcpa negative", func() []track.Fix { f := headOn(1, 0.1, 10); f[0].COG, f[1].COG = 180, 0; return f }(), nil},
		{"risk then passed", append(headOn(1, 0.1, 10), func() track.Fix {
			f := fix(a, 6*mn, 24+2*nm, 56, 10) // a is now north of b: opening
			return f
		}()), []State{StateOpen, StateClose}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCollisions(OpenCPNCollision())
			for i := range tt.fixes {
				c.Fix(&tt.fixes[i])
			}
			var got []State
			for _, e := range c.Drain() {
				got = append(got, e.State)
				checkEvent(t, e)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("states (-want +got):\n%s", diff)
			}
		})
	}
	// Range: 20 nm is the limit; at 25 nm apart nothing is judged even
	// with a collision course (TCPA 37.5 min would fail anyway, so use
	// 40 kn closing to keep TCPA under 30 min).
	c := NewCollisions(OpenCPNCollision())
	fs := headOn(19.9, 0, 20)
	for i := range fs {
		c.Fix(&fs[i])
	}
	if n := len(c.Drain()); n != 1 {
		t.Errorf("range 19.9 nm: %d events, want 1", n)
	}
	c = NewCollisions(OpenCPNCollision())
	fs = headOn(20.1, 0, 20)
	for i := range fs {
		c.Fix(&fs[i])
	}
	if n := len(c.Drain()); n != 0 {
		t.Errorf("range 20.1 nm: %d events, want 0", n)
	}
}
