package detect

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"straitwatch/internal/zone"
)

// lanePoint is inside the test lane "lane-in" (direction 270) and
// outside the anchorage within it; sepPoint is inside "sep".
const (
	laneLat, laneLon = 25.02, 57.02
	sepLat, sepLon   = 25.15, 57.05
)

// course returns n fixes of the TSS test vessel every 10 s from t, at
// lat, lon, with the given course and speed.
func course(t int64, n int, lat, lon float64, cog, sog float32) []step {
	var s []step
	for i := range n {
		f := fix(422000050, t+int64(i)*10*sec, lat, lon, sog)
		f.COG = cog
		s = append(s, fx(f))
	}
	return s
}

func cat(parts ...[]step) []step {
	var s []step
	for _, p := range parts {
		s = append(s, p...)
	}
	return s
}

type tssBrief struct {
	State      State
	Start, End int64
	Zone, Rule string
}

func tssBriefs(evs []Event) []tssBrief {
	var b []tssBrief
	for _, e := range evs {
		if e.Type != TypeTSS {
			continue // other detectors that only() leaves on
		}
		end := int64(0)
		if e.End != 0 {
			end = e.End - t0
		}
		b = append(b, tssBrief{e.State, e.Start - t0, end, e.Zone, e.Evidence.Rule})
	}
	return b
}

func TestTSS(t *testing.T) {
	zs := testZones(t)
	over, err := zone.Parse([]byte(`{"type": "FeatureCollection", "name": "t", "features": [
	 {"type": "Feature", "id": "lane-strict", "geometry": {"type": "Polygon", "coordinates": [[[57.0, 25.0], [57.1, 25.0], [57.1, 25.1], [57.0, 25.1], [57.0, 25.0]]]},
	  "properties": {"kind": "tss_lane", "direction": 270, "thresholds": {"tss_max_course_diff_deg": 60, "tss_min_fixes": 2}, "source": "test geometry, invented for unit tests"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	const l, sz = "lane-in", "sep"
	tests := []struct {
		name  string
		zs    *zone.Set
		steps []step
		want  []tssBrief
	}{
		{"5 fixes against the lane", zs, course(0, 5, laneLat, laneLon, 90, 10), []tssBrief{{StateOpen, 0, 0, l, RuleAgainstLane}}},
		{"4 fixes against the lane", zs, course(0, 4, laneLat, laneLon, 90, 10), nil},
		{"course 121 degrees off", zs, course(0, 5, laneLat, laneLon, 149, 10), []tssBrief{{StateOpen, 0, 0, l, RuleAgainstLane}}},
		{"course 119 degrees off", zs, course(0, 5, laneLat, laneLon, 151, 10), nil},
		{"3 kn is judged", zs, course(0, 5, laneLat, laneLon, 90, 3), []tssBrief{{StateOpen, 0, 0, l, RuleAgainstLane}}},
		{"2.9 kn is not", zs, course(0, 5, laneLat, laneLon, 90, 2.9), nil},
		{"against, then with the lane: closed", zs, cat(course(0, 5, laneLat, laneLon, 90, 10), course(50*sec, 1, laneLat, laneLon, 270, 10)),
			[]tssBrief{{StateOpen, 0, 0, l, RuleAgainstLane}, {StateClose, 0, 50 * sec, l, RuleAgainstLane}}},
		{"4 against, 1 with, 4 against: nothing", zs, cat(course(0, 4, laneLat, laneLon, 90, 10), course(40*sec, 1, laneLat, laneLon, 270, 10),
			course(50*sec, 4, laneLat, laneLon, 90, 10)), nil},
		{"against, then out of the lane: closed", zs, cat(course(0, 5, laneLat, laneLon, 90, 10), course(50*sec, 1, 24.9, laneLon, 90, 10)),
			[]tssBrief{{StateOpen, 0, 0, l, RuleAgainstLane}, {StateClose, 0, 50 * sec, l, RuleAgainstLane}}},
		{"5 fixes in the separation zone", zs, course(0, 5, sepLat, sepLon, 0, 10), []tssBrief{{StateOpen, 0, 0, sz, RuleSeparationZone}}},
		{"4 fixes in the separation zone", zs, course(0, 4, sepLat, sepLon, 0, 10), nil},
		{"stopped at 0.49 kn in the separation zone", zs, cat(course(0, 5, sepLat, sepLon, 0, 10), course(50*sec, 1, sepLat, sepLon, 0, 0.49)),
			[]tssBrief{{StateOpen, 0, 0, sz, RuleSeparationZone}, {StateUpdate, 0, 0, sz, RuleSeparationZoneStop}}},
		{"0.5 kn is not stopped", zs, cat(course(0, 5, sepLat, sepLon, 0, 10), course(50*sec, 1, sepLat, sepLon, 0, 0.5)),
			[]tssBrief{{StateOpen, 0, 0, sz, RuleSeparationZone}}},
		{"zone override: 61 degrees off, 2 fixes", over, course(0, 2, laneLat, laneLon, 209, 10), []tssBrief{{StateOpen, 0, 0, "lane-strict", RuleAgainstLane}}},
		{"zone override: 59 degrees off", over, course(0, 5, laneLat, laneLon, 211, 10), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newShard(t, only(t, "strait", "tss"), tt.zs)
			evs := run(s, tt.steps)
			if diff := cmp.Diff(tt.want, tssBriefs(evs)); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			for _, e := range evs {
				checkEvent(t, e)
				if e.Type == TypeTSS && !e.Alarm {
					t.Errorf("event %+v: want an alarm of type tss", e)
				}
			}
		})
	}
}

// TestTSSIdle checks the detector is not run over the default region,
// which has no sourced TSS, nor without zones.
func TestTSSIdle(t *testing.T) {
	cfg, _ := Preset("strait")
	zs, err := zone.Default()
	if err != nil {
		t.Fatal(err)
	}
	if d := newTSSDetector(cfg.TSS, zs); d != nil {
		t.Errorf("default region: TSS detector %v, want nil", d)
	}
	if d := newTSSDetector(cfg.TSS, nil); d != nil {
		t.Errorf("no zones: TSS detector %v, want nil", d)
	}
}

func TestTSSLateData(t *testing.T) {
	zs := testZones(t)
	const l = "lane-in"
	with := func(t int64) []step { return course(t, 1, laneLat, laneLon, 270, 10) }
	six := cat(course(0, 6, laneLat, laneLon, 90, 10), with(60*sec)) // against at 0..50 s, closed at 60 s
	twelve := cat(course(0, 12, laneLat, laneLon, 90, 10), with(120*sec))
	tests := []struct {
		name  string
		steps []step
		want  []tssBrief
	}{
		{"late fix with the lane in the middle: 3 and 3 left, retracted", cat(six, with(25*sec)),
			[]tssBrief{{StateOpen, 0, 0, l, RuleAgainstLane}, {StateClose, 0, 60 * sec, l, RuleAgainstLane}, {StateRetract, 0, 60 * sec, l, RuleAgainstLane}}},
		{"late fix against the lane: no change", cat(six, course(25*sec, 1, laneLat, laneLon, 90, 10)),
			[]tssBrief{{StateOpen, 0, 0, l, RuleAgainstLane}, {StateClose, 0, 60 * sec, l, RuleAgainstLane}}},
		{"late fix near the start: starts later", cat(twelve, with(15*sec)),
			[]tssBrief{{StateOpen, 0, 0, l, RuleAgainstLane}, {StateClose, 0, 120 * sec, l, RuleAgainstLane}, {StateUpdate, 15 * sec, 120 * sec, l, RuleAgainstLane}}},
		{"late fix near the end: ends earlier", cat(twelve, with(95*sec)),
			[]tssBrief{{StateOpen, 0, 0, l, RuleAgainstLane}, {StateClose, 0, 120 * sec, l, RuleAgainstLane}, {StateUpdate, 0, 95 * sec, l, RuleAgainstLane}}},
		{"late fix in the middle of 12: split", cat(twelve, with(55*sec)),
			[]tssBrief{{StateOpen, 0, 0, l, RuleAgainstLane}, {StateClose, 0, 120 * sec, l, RuleAgainstLane},
				{StateUpdate, 0, 55 * sec, l, RuleAgainstLane}, {StateClose, 55 * sec, 120 * sec, l, RuleAgainstLane}}},
		{"late fix in a run going on: retracted, run goes on", cat(course(0, 6, laneLat, laneLon, 90, 10), with(25*sec), course(60*sec, 2, laneLat, laneLon, 90, 10)),
			[]tssBrief{{StateOpen, 0, 0, l, RuleAgainstLane}, {StateRetract, 0, 0, l, RuleAgainstLane}, {StateOpen, 25 * sec, 0, l, RuleAgainstLane}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newShard(t, only(t, "strait", "tss"), zs)
			evs := run(s, tt.steps)
			if diff := cmp.Diff(tt.want, tssBriefs(evs)); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			for _, e := range evs {
				checkEvent(t, e)
			}
		})
	}
}
