package detect

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

// north returns a fix of the port-visit test vessel d metres due north
// of the test zone "port-p" (25.3N 57.3E).
func north(t int64, d float64, sog float32) track.Fix {
	return fix(422000040, t, 25.3+d/111_195.08, 57.3, sog)
}

func TestPortVisit(t *testing.T) {
	zs := testZones(t)
	over, err := zone.Parse([]byte(`{"type": "FeatureCollection", "name": "t", "features": [
	 {"type": "Feature", "id": "small-port", "geometry": {"type": "Point", "coordinates": [57.3, 25.3]},
	  "properties": {"kind": "port", "thresholds": {"port_entry_m": 1000, "port_exit_m": 1500, "port_stop_kn": 1}, "source": "test geometry, invented for unit tests"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	const p = "port-p"
	// visit enters at d (5 kn), slows to stop, resumes at resume, and
	// leaves to exit metres.
	visit := func(d float64, stop, resume float32, exit float64) []step {
		return []step{fx(north(0, 5000, 5)), fx(north(mn, d, 5)), fx(north(10*mn, d, stop)), fx(north(60*mn, d, resume)),
			fx(north(70*mn, exit, resume))}
	}
	tests := []struct {
		name, preset string
		zs           *zone.Set
		steps        []step
		want         []brief
	}{
		{"gfw entry 2990 m, stop, resume, exit 4010 m", "gfw", zs, visit(2990, 0.1, 0.6, 4010), []brief{
			{TypePortVisit, StateOpen, mn, 0, p, false}, {TypePortVisit, StateUpdate, mn, 0, p, false},
			{TypePortVisit, StateUpdate, mn, 0, p, false}, {TypePortVisit, StateClose, mn, 70 * mn, p, false}}},
		{"gfw 3010 m: no entry", "gfw", zs, visit(3010, 0.1, 0.6, 4010), nil},
		{"gfw exit 3990 m: still in", "gfw", zs, visit(2990, 5, 5, 3990), []brief{{TypePortVisit, StateOpen, mn, 0, p, false}}},
		{"gfw exit 4010 m, no stop", "gfw", zs, visit(2990, 5, 5, 4010), []brief{
			{TypePortVisit, StateOpen, mn, 0, p, false}, {TypePortVisit, StateClose, mn, 70 * mn, p, false}}},
		{"gfw 0.19 kn is a stop, 0.51 kn resumes", "gfw", zs, visit(1000, 0.19, 0.51, 1000), []brief{
			{TypePortVisit, StateOpen, mn, 0, p, false}, {TypePortVisit, StateUpdate, mn, 0, p, false}, {TypePortVisit, StateUpdate, mn, 0, p, false}}},
		{"gfw 0.2 kn is no stop", "gfw", zs, visit(1000, 0.2, 0.6, 1000), []brief{{TypePortVisit, StateOpen, mn, 0, p, false}}},
		{"gfw 0.5 kn does not resume", "gfw", zs, visit(1000, 0.1, 0.5, 1000), []brief{
			{TypePortVisit, StateOpen, mn, 0, p, false}, {TypePortVisit, StateUpdate, mn, 0, p, false}}},
		{"strait passing at 5 kn: nothing", "strait", zs, visit(1000, 5, 5, 5000), nil},
		{"strait 0.49 kn stop opens at the entry", "strait", zs, visit(2990, 0.49, 1.01, 4010), []brief{
			{TypePortVisit, StateOpen, mn, 0, p, false}, {TypePortVisit, StateUpdate, mn, 0, p, false},
			{TypePortVisit, StateClose, mn, 70 * mn, p, false}}},
		{"strait 0.5 kn is no stop", "strait", zs, visit(2990, 0.5, 1.01, 4010), nil},
		{"strait 1.0 kn does not resume", "strait", zs, visit(2990, 0.1, 1, 3990), []brief{{TypePortVisit, StateOpen, mn, 0, p, false}}},
		{"zone override: entry 990 m of 1000", "strait", over, visit(990, 0.9, 2, 1510), []brief{
			{TypePortVisit, StateOpen, mn, 0, "small-port", false}, {TypePortVisit, StateUpdate, mn, 0, "small-port", false},
			{TypePortVisit, StateClose, mn, 70 * mn, "small-port", false}}},
		{"zone override: 1010 m is out", "strait", over, visit(1010, 0.9, 2, 1510), nil},
		{"zone override: exit 1490 m is still in", "strait", over, visit(990, 0.9, 2, 1490), []brief{
			{TypePortVisit, StateOpen, mn, 0, "small-port", false}, {TypePortVisit, StateUpdate, mn, 0, "small-port", false}}},
		{"anchorage polygon: inside", "strait", zs, []step{fx(fix(422000041, 0, 25.065, 57.065, 0.1))}, []brief{{TypePortVisit, StateOpen, 0, 0, "anch", false}}},
		// 2990 m south of the anchorage's southern edge (25.05N).
		{"anchorage polygon: 2990 m off its edge", "strait", zs, []step{fx(fix(422000041, 0, 25.05-2990/111_195.08, 57.065, 0.1))},
			[]brief{{TypePortVisit, StateOpen, 0, 0, "anch", false}}},
		{"anchorage polygon: 3010 m off its edge", "strait", zs, []step{fx(fix(422000041, 0, 25.05-3010/111_195.08, 57.065, 0.1))}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newShard(t, only(t, tt.preset, "portvisit"), tt.zs)
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

// TestPortVisitIdle checks the detector is not run without ports.
func TestPortVisitIdle(t *testing.T) {
	cfg, _ := Preset("strait")
	if d := newPortVisitDetector(cfg.PortVisit, nil); d != nil {
		t.Errorf("no zones: detector %v, want nil", d)
	}
	zs, err := zone.Parse([]byte(`{"type": "FeatureCollection", "features": []}`))
	if err != nil {
		t.Fatal(err)
	}
	if d := newPortVisitDetector(cfg.PortVisit, zs); d != nil {
		t.Errorf("no ports: detector %v, want nil", d)
	}
}

func TestPortVisitLateData(t *testing.T) {
	zs := testZones(t)
	const p = "port-p"
	// A strait visit: entry at 1 min, stop at 10 min, resume at 60 min,
	// exit at 70 min; then a late fix 6 km out.
	base := []step{fx(north(0, 5000, 5)), fx(north(mn, 1000, 5)), fx(north(10*mn, 1000, 0.1)), fx(north(30*mn, 1000, 0.1)),
		fx(north(60*mn, 1000, 2)), fx(north(70*mn, 5000, 5))}
	opened := []brief{{TypePortVisit, StateOpen, mn, 0, p, false}, {TypePortVisit, StateUpdate, mn, 0, p, false},
		{TypePortVisit, StateClose, mn, 70 * mn, p, false}}
	tests := []struct {
		name  string
		steps []step
		want  []brief
	}{
		{"late fix away during the stop: retracted", append(base[:len(base):len(base)], fx(north(20*mn, 6000, 5))),
			append(opened, brief{TypePortVisit, StateRetract, mn, 70 * mn, p, false})},
		{"late fix away after the resume: ends earlier", append(base[:len(base):len(base)], fx(north(65*mn, 6000, 5))),
			append(opened, brief{TypePortVisit, StateUpdate, mn, 65 * mn, p, false})},
		{"late fix away before the stop: starts later", append(base[:len(base):len(base)], fx(north(5*mn, 6000, 5))),
			append(opened, brief{TypePortVisit, StateUpdate, 5 * mn, 70 * mn, p, false})},
		{"late fix 3.9 km out: no change", append(base[:len(base):len(base)], fx(north(20*mn, 3900, 5))), opened},
		{"late fix away during a visit going on: starts later", []step{fx(north(mn, 1000, 5)), fx(north(10*mn, 1000, 0.1)),
			fx(north(30*mn, 1000, 0.1)), fx(north(5*mn, 6000, 5))},
			[]brief{{TypePortVisit, StateOpen, mn, 0, p, false}, {TypePortVisit, StateUpdate, 5 * mn, 0, p, false}}},
		{"late fix away between two stops: split", []step{fx(north(mn, 1000, 5)), fx(north(10*mn, 1000, 0.1)),
			fx(north(20*mn, 1000, 2)), fx(north(40*mn, 1000, 0.1)), fx(north(50*mn, 1000, 2)), fx(north(70*mn, 5000, 5)),
			fx(north(30*mn, 6000, 5))},
			[]brief{{TypePortVisit, StateOpen, mn, 0, p, false}, {TypePortVisit, StateUpdate, mn, 0, p, false},
				{TypePortVisit, StateUpdate, mn, 0, p, false}, {TypePortVisit, StateUpdate, mn, 0, p, false},
				{TypePortVisit, StateClose, mn, 70 * mn, p, false},
				{TypePortVisit, StateUpdate, mn, 30 * mn, p, false}, {TypePortVisit, StateClose, 30 * mn, 70 * mn, p, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newShard(t, only(t, "strait", "portvisit"), zs)
			evs := run(s, tt.steps)
			if diff := cmp.Diff(tt.want, briefs(evs)); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			ids := map[string]bool{}
			for _, e := range evs {
				checkEvent(t, e)
				if e.State != StateOpen && e.State != StateClose && !ids[e.ID] {
					t.Errorf("%s of unknown event %s", e.State, e.ID)
				}
				ids[e.ID] = true
			}
		})
	}
}
