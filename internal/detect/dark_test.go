package detect

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"straitwatch/internal/track"
)

// TestDarkRendezvous builds a small vessel (x, COG 90) that falls silent
// heading for a tanker (y) east of it, and checks the strait preset's
// dark-rendezvous candidate at each threshold.
func TestDarkRendezvous(t *testing.T) {
	const x, y = 422000020, 636000021
	const lat, lon = 24.5, 57.5
	east := func(m float64) float64 { return lon + m/(111_195*0.9100) } // cos(24.5°) ≈ 0.91
	type step struct {
		f  *track.Fix
		wm int64
	}
	at := func(f track.Fix) step { return step{f: &f} }
	wait := func(t int64) step { return step{wm: t} }
	// y reports every minute from 0 to end at d metres east of x's last
	// position, at sog; x's last fix is at 0.
	partner := func(d float64, sog float32, end int64) []step {
		var s []step
		for tt := int64(0); tt <= end; tt += mn {
			s = append(s, at(fix(y, tt, lat, east(d), sog)), wait(tt))
		}
		return s
	}
	with := func(first step, rest []step) []step { return append([]step{first}, rest...) }
	tests := []struct {
		name  string
		steps []step
		want  []State
	}{
		{"waiting tanker 3,700 m ahead, silent 10 min", with(at(fix(x, 0, lat, lon, 9)), partner(3700, 0.5, 12*mn)), []State{StateOpen}},
		{"silent only 9 min", with(at(fix(x, 0, lat, lon, 9)), partner(3700, 0.5, 9*mn)), nil},
		{"tanker 3,710 m away: beyond 2 nm", with(at(fix(x, 0, lat, lon, 9)), partner(3710, 0.5, 12*mn)), nil},
		{"tanker under way at 3 kn", with(at(fix(x, 0, lat, lon, 9)), partner(1000, 3, 12*mn)), nil},
		{"heading away from the tanker", with(at(func() track.Fix { f := fix(x, 0, lat, lon, 9); f.COG = 270; return f }()), partner(1000, 0.5, 12*mn)), nil},
		{"slowed near the tanker, heading away", with(at(func() track.Fix { f := fix(x, 0, lat, lon, 2); f.COG = 270; return f }()), partner(1000, 0.5, 12*mn)), []State{StateOpen}},
		{"both class B", with(at(func() track.Fix { f := fix(x, 0, lat, lon, 9); f.Class = track.ClassB; return f }()), func() []step {
			s := partner(1000, 0.5, 12*mn)
			for i := range s {
				if s[i].f != nil {
					s[i].f.Class = track.ClassB
				}
			}
			return s
		}()), nil},
		{"reappears: closed", append(with(at(fix(x, 0, lat, lon, 9)), partner(1000, 0.5, 12*mn)), at(fix(x, 40*mn, lat, east(900), 0.5))), []State{StateOpen, StateClose}},
		{"a late fix shows it was heard: retracted", append(with(at(fix(x, 0, lat, lon, 9)), partner(1000, 0.5, 12*mn)), at(fix(x, 6*mn, lat, east(500), 3))), []State{StateOpen, StateRetract}},
		{"both fall silent closing on each other, 7 km apart", []step{
			at(fix(x, 0, lat, lon, 9)), at(func() track.Fix { f := fix(y, 2*mn, lat, east(7000), 9); f.COG = 270; return f }()),
			wait(5 * mn), wait(11 * mn), wait(13 * mn)}, []State{StateOpen}},
		{"both fall silent 7.5 km apart: beyond 2 x 2 nm", []step{
			at(fix(x, 0, lat, lon, 9)), at(func() track.Fix { f := fix(y, 2*mn, lat, east(7500), 9); f.COG = 270; return f }()),
			wait(5 * mn), wait(11 * mn), wait(13 * mn)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _ := Preset("strait")
			g := NewEncounters(cfg.Encounter, nil)
			var evs []Event
			for _, s := range tt.steps {
				if s.f != nil {
					g.Fix(s.f)
				} else {
					g.Advance(t0 + s.wm)
				}
				evs = append(evs, g.Drain()...)
			}
			var got []State
			for _, e := range evs {
				if e.Evidence.Rule != DarkRendezvous {
					continue
				}
				got = append(got, e.State)
				checkEvent(t, e)
				if e.Vessels[0] != x && e.Vessels[0] != y {
					t.Errorf("event of %v", e.Vessels)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("dark rendezvous states (-want +got):\n%s", diff)
			}
		})
	}
}
