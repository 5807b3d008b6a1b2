package detect

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"straitwatch/internal/track"
)

// TestCollisionLateData checks that a risk raised on a projection is
// retracted when a fix from before its start shows no risk, and closed
// when a newer one does.
func TestCollisionLateData(t *testing.T) {
	const a, b = 422000060, 422000061
	nm := 1.0 / 60
	// a heads north at 10 kn from 24N; b, 4 nm north, heads south.
	fa := func(tt int64) track.Fix { f := fix(a, tt, 24, 56, 10); f.COG = 0; return f }
	fb := func(tt int64, cog float32) track.Fix { f := fix(b, tt, 24+4*nm, 56, 10); f.COG = cog; return f }
	tests := []struct {
		name  string
		fixes []track.Fix
		want  []State
	}{
		{"b's fix from before the start turns away: retracted", []track.Fix{fb(0, 180), fa(60 * sec), fb(30*sec, 90)},
			[]State{StateOpen, StateRetract}},
		{"b's fix from after the start turns away: closed", []track.Fix{fb(0, 180), fa(60 * sec), fb(90*sec, 90)},
			[]State{StateOpen, StateClose}},
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
				if e.State == StateRetract && (e.Alarm || e.End != e.Start) {
					t.Errorf("retract %+v: want no alarm, End = Start", e)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("states (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCollisionStaleAndUpdate(t *testing.T) {
	const a, b = 422000062, 422000063
	nm := 1.0 / 60
	cfg := OpenCPNCollision()
	// Head-on, 1.5 nm apart abeam: CPA 1.5 nm; then b closes to 0.5 nm
	// abeam: CPA falls by more than a tenth of 2 nm, an update.
	fa := fix(a, 0, 24, 56, 10)
	fa.COG = 0
	fb := fix(b, 0, 24+5*nm, 56+1.5*nm/math.Cos(24*math.Pi/180), 10)
	fb.COG = 180
	fb2 := fb
	fb2.Time, fb2.Lon = t0+10*sec, 56+0.5*nm/math.Cos(24*math.Pi/180)
	c := NewCollisions(cfg)
	for _, f := range []track.Fix{fa, fb, fb2} {
		c.Fix(&f)
	}
	// Both go quiet: the risk closes once MaxFixAge has passed, not
	// before.
	c.Advance(t0 + 10*sec + cfg.MaxFixAge.Milliseconds())
	var got []State
	for _, e := range c.Drain() {
		got = append(got, e.State)
	}
	// Advance looks every MaxFixAge/4 of event time.
	c.Advance(t0 + 10*sec + cfg.MaxFixAge.Milliseconds() + cfg.MaxFixAge.Milliseconds()/4)
	for _, e := range c.Drain() {
		got = append(got, e.State)
		if e.End != t0+10*sec {
			t.Errorf("stale close End = %d, want the last judgement %d", e.End-t0, 10*sec)
		}
	}
	if diff := cmp.Diff([]State{StateOpen, StateUpdate, StateClose}, got); diff != "" {
		t.Errorf("states (-want +got):\n%s", diff)
	}
}

// TestCollisionJudgeEvery checks the neighbour search is throttled per
// vessel while pairs at risk are judged at every fix, and that the grid
// finds neighbours across cells at high latitude.
func TestCollisionJudgeEvery(t *testing.T) {
	const a, b = 422000064, 422000065
	nm := 1.0 / 60
	cfg := OpenCPNCollision()
	cfg.JudgeEvery = time.Minute
	// a and b first run parallel (no risk), 1 nm apart at 60N; at 20 s
	// b turns towards a. Neither searches again before 60 s, so the
	// risk opens at b's fix at 60 s.
	lonNM := nm / math.Cos(60*math.Pi/180)
	fa := func(tt int64) track.Fix { f := fix(a, tt, 60, 5, 10); f.COG = 0; return f }
	fb := func(tt int64, cog float32) track.Fix { f := fix(b, tt, 60, 5+lonNM, 10); f.COG = cog; return f }
	c := NewCollisions(cfg)
	var starts []int64
	for _, f := range []track.Fix{fa(0), fb(0, 0), fa(20 * sec), fb(20*sec, 270), fa(40 * sec), fb(40*sec, 270), fa(50 * sec), fb(60*sec, 270)} {
		c.Fix(&f)
		for _, e := range c.Drain() {
			if e.State == StateOpen {
				starts = append(starts, e.Start-t0)
			}
		}
	}
	if diff := cmp.Diff([]int64{60 * sec}, starts); diff != "" {
		t.Errorf("opens (-want +got):\n%s", diff)
	}
	// At every fix once at risk: b turning back closes it at once.
	f := fb(65*sec, 0)
	c.Fix(&f)
	if evs := c.Drain(); len(evs) != 1 || evs[0].State != StateClose {
		t.Errorf("after turning back: %v, want one close", evs)
	}
	// 19.9 nm east-west at 60N spans cells: still judged.
	c = NewCollisions(OpenCPNCollision())
	f1, f2 := fix(a, 0, 60, 5, 20), fix(b, 0, 60, 5+19.9*lonNM, 20)
	f1.COG, f2.COG = 90, 270
	c.Fix(&f1)
	c.Fix(&f2)
	if n := len(c.Drain()); n != 1 {
		t.Errorf("19.9 nm east-west at 60N: %d events, want 1", n)
	}
}

// TestCollisionIDs checks that two risks of one vessel that start at
// the same time have different IDs, and that a pair's closed risk is
// not raised again by fixes no newer than those that closed it.
func TestCollisionIDs(t *testing.T) {
	const a, b, c = 422000066, 422000067, 422000068
	nm := 1.0 / 60
	fa := fix(a, 0, 24, 56, 10)
	fa.COG = 0
	fb := fix(b, 0, 24+4*nm, 56, 10)
	fb.COG = 180
	fc := fix(c, 0, 24+5*nm, 56, 10)
	fc.COG = 180
	col := NewCollisions(OpenCPNCollision())
	for _, f := range []track.Fix{fb, fc, fa} {
		col.Fix(&f)
	}
	ids := map[string]bool{}
	for _, e := range col.Drain() {
		if e.State == StateOpen && e.Vessels[0] == a {
			ids[e.ID] = true
		}
	}
	if len(ids) != 2 {
		t.Errorf("risks of a opened at one time: IDs %v, want 2 distinct", ids)
	}
	// b turns away at 30 s: closed. b's turn-away fix again, then an
	// older fix of a on the old course: no new risk.
	fb2 := fb
	fb2.Time, fb2.COG = t0+30*sec, 90
	fa2 := fa
	fa2.Time = t0 + 20*sec
	for _, f := range []track.Fix{fb2, fa2} {
		col.Fix(&f)
	}
	var got []State
	for _, e := range col.Drain() {
		if e.Vessels[0] == a && e.Vessels[1] == b {
			got = append(got, e.State)
		}
	}
	if diff := cmp.Diff([]State{StateClose}, got); diff != "" {
		t.Errorf("a-b states (-want +got):\n%s", diff)
	}
}
