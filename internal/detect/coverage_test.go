package detect

import (
	"context"
	"testing"
	"time"

	"straitwatch/internal/track"
)

// covShard returns a shard running only the strait gap detector against
// its own coverage grid, fed as the engine feeds it.
func covShard(t *testing.T) (*Shard, *Coverage) {
	t.Helper()
	cfg := only(t, "strait", "gap")
	s := newShard(t, cfg, nil)
	cov := NewCoverage(cfg.Gap.CoverageCell, cfg.Gap.CoverageJoin, cfg.Gap.CoverageSteady)
	s.setCoverage(cov)
	return s, cov
}

// runCov runs steps as Engine.Process would: every fix reaches the grid
// before the shard.
func runCov(s *Shard, cov *Coverage, steps []step) []Event {
	for _, st := range steps {
		if st.fix != nil {
			cov.Heard(st.fix)
		}
	}
	return run(s, steps)
}

// every returns fixes of mmsi every `every` ms over [from, to], at one
// place and speed, heard by source src.
func every(mmsi uint32, from, to, every int64, lat, lon float64, sog float32, src track.SourceID) []step {
	var out []step
	for t := from; t <= to; t += every {
		f := fix(mmsi, t, lat, lon, sog)
		f.Source = src
		out = append(out, fx(f))
	}
	return out
}

// merge interleaves step lists by event time (fixes; watermarks after
// fixes of the same time).
func merge(lists ...[]step) []step {
	var out []step
	for _, l := range lists {
		out = append(out, l...)
	}
	key := func(s step) int64 {
		if s.fix != nil {
			return 2 * (s.fix.Time - t0)
		}
		return 2*s.wm + 1
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && key(out[j]) < key(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func wmStep(t int64) step { return step{wm: t} }

// The strait preset's gap for a Class A vessel at 0 kn (10 s expected
// interval): silence >= 30 min, covered >= 5 min (20 × 10 s = 200 s is
// less than CoverageMin); a cell is steadily heard after 12 min.
func TestGapCoverage(t *testing.T) {
	const (
		v     = 422000100 // goes silent at 0
		other = 422000101 // a station near it
		far   = 422000102 // a station 1 degree away, same receiver
	)
	const lat, lon = 25.52, 57.52
	self := every(v, -5*mn, 0, 10*sec, lat, lon, 0, 0) // 5 min: not steady alone
	tests := []struct {
		name  string
		steps []step
		want  []brief
	}{
		{"others near heard 5 min of the silence", merge(self, every(other, -2*mn, 5*mn, 30*sec, lat+0.001, lon, 0, 0), every(far, -hr, hr, mn, lat+1, lon, 0, 0), []step{wmStep(31 * mn)}),
			[]brief{{TypeGap, StateOpen, 0, 0, "", true}}},
		{"others near heard 4.5 min of it", merge(self, every(other, -2*mn, 4*mn+30*sec, 30*sec, lat+0.001, lon, 0, 0), every(far, -hr, hr, mn, lat+1, lon, 0, 0), []step{wmStep(31 * mn)}),
			nil},
		{"nobody near, not steady", merge(self, every(far, -hr, hr, mn, lat+1, lon, 0, 0), []step{wmStep(31 * mn)}), nil},
		{"alone but steadily heard 12 min, receiver up", merge(every(v, -12*mn, 0, 10*sec, lat, lon, 0, 0), every(far, -hr, hr, mn, lat+1, lon, 0, 0), []step{wmStep(31 * mn)}),
			[]brief{{TypeGap, StateOpen, 0, 0, "", true}}},
		{"alone, heard 11.5 min: not steady", merge(every(v, -11*mn-30*sec, 0, 10*sec, lat, lon, 0, 0), every(far, -hr, hr, mn, lat+1, lon, 0, 0), []step{wmStep(31 * mn)}),
			nil},
		{"steadily heard but its receiver went down", merge(every(v, -hr, 0, 10*sec, lat, lon, 0, 1), every(far, -hr, hr, mn, lat+1, lon, 0, 2), []step{wmStep(31 * mn)}),
			nil},
		{"steadily heard, receiver up, the silence closed by a fix", merge(every(v, -hr, 0, 10*sec, lat, lon, 0, 0), every(far, -hr, hr, mn, lat+1, lon, 0, 0), every(v, 40*mn, 40*mn, 1, lat, lon, 0, 0)),
			[]brief{{TypeGap, StateClose, 0, 40 * mn, "", true}}},
		{"not covered, the silence closed by a fix", merge(self, every(v, 40*mn, 40*mn, 1, lat, lon, 0, 0)), nil},
		{"a MOB beacon falls silent: no gap", merge(every(972000001, -hr, 0, 10*sec, lat, lon, 0, 0), every(far, -hr, hr, mn, lat+1, lon, 0, 0), []step{wmStep(31 * mn)}),
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, cov := covShard(t)
			evs := runCov(s, cov, tt.steps)
			var gaps []Event
			for _, e := range evs {
				checkEvent(t, e)
				if e.Type == TypeGap && e.Vessels[0] != far && e.Vessels[0] != other {
					gaps = append(gaps, e)
				}
			}
			if got := briefs(gaps); !equalBriefs(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			for _, e := range gaps {
				if c := figure(e, "covered"); c == nil || c.Value < c.Threshold {
					t.Errorf("gap %s: covered figure %+v, want one at or above its threshold", e.ID, c)
				}
				if e.Confidence < 0.6 {
					t.Errorf("gap %s confirmed by coverage has confidence %.2f, want >= 0.6", e.ID, e.Confidence)
				}
			}
		})
	}
}

// A ship sailing out of range leaves a cell others are still heard in;
// where it would be now nobody is heard, so its silence is no gap. With
// stations heard along its dead-reckoned track, it is one.
func TestGapCoverageDeadReckoning(t *testing.T) {
	const v, near = 422000110, 422000111
	const lat, lon = 25.52, 57.52
	ship := func(t int64) track.Fix { // 15 kn due east
		f := fix(v, t, lat, lon+float64(t)/float64(hr)*15*1852/100_500, 15)
		return f
	}
	var sailing []step
	for tt := -20 * mn; tt <= 0; tt += 6 * sec {
		sailing = append(sailing, fx(ship(tt)))
	}
	lastLon := ship(0).Lon
	// 15 kn for 15.5 min (half of the 31 min silence) is 7.2 km east;
	// for 31 min, 14.4 km.
	midLon, endLon := lastLon+7_175/100_500.0, lastLon+14_350/100_500.0
	atLast := every(near, -hr, hr, 30*sec, lat, lastLon, 0, 0)
	alongTrack := merge(every(near+1, -hr, hr, 30*sec, lat, midLon, 0, 0), every(near+2, -hr, hr, 30*sec, lat, endLon, 0, 0))
	for _, tt := range []struct {
		name  string
		steps []step
		want  int
	}{
		{"into a hole", merge(sailing, atLast, []step{wmStep(31 * mn)}), 0},
		{"along a heard track", merge(sailing, atLast, alongTrack, []step{wmStep(31 * mn)}), 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, cov := covShard(t)
			n := 0
			for _, e := range runCov(s, cov, tt.steps) {
				if e.Type == TypeGap && e.Vessels[0] == v {
					n++
				}
			}
			if n != tt.want {
				t.Errorf("%d gap events of the ship, want %d", n, tt.want)
			}
		})
	}
}

// A late fix inside a gap judged on coverage shrinks or retracts it as
// without coverage; the covered figure stays.
func TestGapCoverageLateFix(t *testing.T) {
	const v, far = 422000120, 422000121
	const lat, lon = 25.52, 57.52
	steps := merge(every(v, -hr, 0, 10*sec, lat, lon, 0, 0), every(far, -hr, 2*hr, mn, lat+1, lon, 0, 0), every(v, 70*mn, 70*mn, 1, lat, lon, 0, 0))
	s, cov := covShard(t)
	evs := runCov(s, cov, steps)
	want := []brief{{TypeGap, StateClose, 0, 70 * mn, "", true}}
	if got := briefs(gapsOf(evs, v)); !equalBriefs(got, want) {
		t.Fatalf("before the late fix: got %+v, want %+v", got, want)
	}
	// A fix at 35 min leaves 35 min before it (still a gap) and 35 min
	// after it (a second gap).
	late := fix(v, 35*mn, lat, lon, 0)
	cov.Heard(&late)
	evs = run(s, []step{fx(late)})
	want = []brief{{TypeGap, StateUpdate, 0, 35 * mn, "", true}, {TypeGap, StateClose, 35 * mn, 70 * mn, "", true}}
	if got := briefs(gapsOf(evs, v)); !equalBriefs(got, want) {
		t.Fatalf("after the first late fix: got %+v, want %+v", got, want)
	}
	for _, e := range evs {
		if c := figure(e, "covered"); c == nil {
			t.Errorf("%s: no covered figure after the late fix", e.ID)
		}
	}
	// A fix at 20 min leaves 20 and 15 min: retracted.
	late = fix(v, 20*mn, lat, lon, 0)
	evs = run(s, []step{fx(late)})
	want = []brief{{TypeGap, StateRetract, 0, 35 * mn, "", false}}
	if got := briefs(gapsOf(evs, v)); !equalBriefs(got, want) {
		t.Fatalf("after the second late fix: got %+v, want %+v", got, want)
	}
}

func TestCoverageHeard(t *testing.T) {
	c := NewCoverage(0.05, 10*time.Minute, 12*time.Minute)
	at := func(t int64, src track.SourceID) *track.Fix {
		f := fix(1, t, 25.51, 57.51, 0)
		f.Source = src
		return &f
	}
	c.Heard(at(0, 3))
	c.Heard(at(5*mn, 3))
	c.Heard(at(4*mn, 3)) // late: ignored for the run
	if got := c.covered(25.51, 57.51, t0+mn, t0+hr); got != 4*mn {
		t.Errorf("covered = %d ms, want %d", got, 4*mn)
	}
	c.Heard(at(15*mn, 3)) // a 10 min silence breaks the run
	if got := c.covered(25.51, 57.51, t0, t0+hr); got != 0 {
		t.Errorf("covered after a break = %d ms, want 0", got)
	}
	if got := c.covered(25.61, 57.51, t0, t0+hr); got != 0 {
		t.Errorf("covered in an unheard cell = %d ms, want 0", got)
	}
	if c.Len() != 1 {
		t.Errorf("Len = %d, want 1", c.Len())
	}
}

func gapsOf(evs []Event, mmsi uint32) []Event {
	var out []Event
	for _, e := range evs {
		if e.Type == TypeGap && e.Vessels[0] == mmsi {
			out = append(out, e)
		}
	}
	return out
}

func figure(e Event, name string) *Figure {
	for i := range e.Evidence.Figures {
		if e.Evidence.Figures[i].Name == name {
			return &e.Evidence.Figures[i]
		}
	}
	return nil
}

func equalBriefs(a, b []brief) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Through an Engine of several shards, one grid serves them all: a
// vessel going silent among others still heard (owned by other shards)
// has a gap; a group going silent together (a coverage hole) has none.
// Run with -race: the shards read the grid Process writes.
func TestEngineCoverageGap(t *testing.T) {
	cfg, _ := Preset("strait")
	cfg.Collision.Enabled, cfg.Encounter.Enabled = false, false
	eng, err := NewEngine(cfg, nil, 3)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	const dark = 422000300
	var gaps []uint32
	for m := int64(0); m < 60; m++ {
		var in Input
		for i := uint32(0); i < 20; i++ {
			// Group A near 25.52N 57.52E, heard throughout but for the dark
			// vessel after 10 min; group B near 24.52N, silent after 10 min.
			if i != 0 || m < 10 {
				in.Fixes = append(in.Fixes, fix(dark+i, m*mn, 25.52+float64(i)*0.0005, 57.52, 0))
			}
			if m < 10 {
				in.Fixes = append(in.Fixes, fix(dark+100+i, m*mn, 24.52+float64(i)*0.0005, 57.52, 0))
			}
		}
		in.Watermark = t0 + m*mn
		evs, err := eng.Process(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if e.Type == TypeGap {
				gaps = append(gaps, e.Vessels[0])
			}
		}
	}
	if len(gaps) != 1 || gaps[0] != dark {
		t.Errorf("gap events of %v, want one of %d", gaps, dark)
	}
}
