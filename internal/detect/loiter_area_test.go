package detect

import (
	"math"
	"testing"

	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

const loiterLat, loiterLon = 25.52, 57.52

// circling returns fixes every 10 s from 0 to dur of a vessel going
// round a circle of radius m metres at sog knots.
func circling(mmsi uint32, dur int64, radius float64, sog float32, mod func(*track.Fix)) []step {
	var out []step
	w := float64(sog) * 1852 / 3600 / radius // rad/s
	for t := int64(0); t <= dur; t += 10 * sec {
		a := w * float64(t) / 1000
		lat := loiterLat + radius*math.Sin(a)/111_320
		lon := loiterLon + radius*math.Cos(a)/(111_320*math.Cos(loiterLat*math.Pi/180))
		f := fix(mmsi, t, lat, lon, sog)
		f.COG = float32(math.Mod(90-a*180/math.Pi+360*100, 360))
		if mod != nil {
			mod(&f)
		}
		out = append(out, fx(f))
	}
	return out
}

// straight returns fixes every 10 s from 0 to dur of a vessel going due
// north at sog knots.
func straight(mmsi uint32, dur int64, sog float32) []step {
	var out []step
	for t := int64(0); t <= dur; t += 10 * sec {
		d := float64(sog) * 1852 * float64(t) / float64(hr)
		f := fix(mmsi, t, loiterLat+d/111_320, loiterLon, sog)
		f.COG = 0
		out = append(out, fx(f))
	}
	return out
}

func fishingStatic(mmsi uint32) step {
	return step{static: &track.Static{MMSI: mmsi, Time: t0, Has: track.HasShipType, ShipType: 30}}
}

// The strait preset's area rule: radius of gyration <= 2800 m and net
// displacement <= 5600 m over 1 h, every quarter at >= 0.5 kn, fishing
// vessels exempt when a quarter is below 4 kn.
func TestLoiterArea(t *testing.T) {
	const v = 422000200
	status := func(s uint8) func(*track.Fix) { return func(f *track.Fix) { f.Status = s } }
	tests := []struct {
		name      string
		maxRadius float64 // 0: the preset's
		steps     []step
		want      []brief
	}{
		{"6 kn circles of 1 km for 1 h", 0, circling(v, hr, 1000, 6, nil), []brief{{TypeLoiter, StateOpen, 0, 0, "", true}}},
		{"6 kn circles for 59 min 50 s", 0, circling(v, hr-10*sec, 1000, 6, nil), nil},
		{"radius just inside", 1030, circling(v, hr, 1000, 6, nil), []brief{{TypeLoiter, StateOpen, 0, 0, "", true}}},
		{"radius just outside", 950, circling(v, hr, 1000, 6, nil), nil},
		{"0.6 kn: under way", 0, circling(v, hr, 100, 0.6, nil), []brief{{TypeLoiter, StateOpen, 0, 0, "", true}}},
		{"0.4 kn: lying stopped", 0, circling(v, hr, 100, 0.4, nil), nil},
		{"at anchor (status 1)", 0, circling(v, hr, 1000, 6, status(1)), nil},
		{"not under command (status 2)", 0, circling(v, hr, 1000, 6, status(2)), nil},
		{"fishing vessel at 3.9 kn: fishing", 0, append([]step{fishingStatic(v)}, circling(v, hr, 1000, 3.9, nil)...), nil},
		{"fishing vessel at 4.1 kn", 0, append([]step{fishingStatic(v)}, circling(v, hr, 1000, 4.1, nil)...), []brief{{TypeLoiter, StateOpen, 0, 0, "", true}}},
		{"status 7 (fishing) at 3.9 kn", 0, circling(v, hr, 1000, 3.9, status(7)), nil},
		{"other vessel at 3.9 kn", 0, circling(v, hr, 1000, 3.9, nil), []brief{{TypeLoiter, StateOpen, 0, 0, "", true}}},
		// 2.9 kn for 1 h is 5371 m; 3.1 kn 5741 m.
		{"straight, displacement just inside", 0, straight(v, hr, 2.9), []brief{{TypeLoiter, StateOpen, 0, 0, "", true}}},
		{"straight, displacement just outside", 0, straight(v, hr, 3.1), nil},
		{"12 kn transit", 0, straight(v, 2*hr, 12), nil},
		{"a MOB beacon drifting", 0, circling(972000002, hr, 100, 0.6, nil), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := only(t, "strait", "loiter")
			if tt.maxRadius > 0 {
				cfg.Loiter.MaxRadius = tt.maxRadius
			}
			evs := run(newShard(t, cfg, nil), tt.steps)
			for _, e := range evs {
				checkEvent(t, e)
			}
			if got := briefs(evs); !equalBriefs(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// An event ends at the last fix whose window (the last hour) still kept
// to the area, with an open event's 1.25 margin: leaving at 12 kn,
// within the time it takes the net displacement from the window's start
// to pass 1.25 × 2 × 2800 m (at most about 25 min here).
func TestLoiterAreaClose(t *testing.T) {
	const v = 422000201
	steps := circling(v, 90*mn, 1000, 6, nil)
	last := steps[len(steps)-1].fix
	for t := int64(10 * sec); t <= hr; t += 10 * sec { // then away north at 12 kn
		f := fix(v, 90*mn+t, last.Lat+12*1852*float64(t)/float64(hr)/111_320, last.Lon, 12)
		steps = append(steps, fx(f))
	}
	evs := run(newShard(t, only(t, "strait", "loiter"), nil), steps)
	if len(evs) != 2 || evs[0].State != StateOpen || evs[1].State != StateClose {
		t.Fatalf("got %+v, want open and close", briefs(evs))
	}
	c := evs[1]
	if c.End-t0 < 90*mn || c.End-t0 > 115*mn {
		t.Errorf("closed at %d min, want between 90 and 115", (c.End-t0)/mn)
	}
	if d := figure(c, "duration"); d == nil || d.Value < 90*60 {
		t.Errorf("duration figure %+v, want >= 5400 s", d)
	}
}

// A zone's loiter_max_radius_m and loiter_min_duration_s replace the
// preset's for runs that start in it.
func TestLoiterAreaZoneThresholds(t *testing.T) {
	zs, err := zone.Parse([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":"tight",
		"geometry":{"type":"Polygon","coordinates":[[[57.4,25.4],[57.6,25.4],[57.6,25.6],[57.4,25.6],[57.4,25.4]]]},
		"properties":{"kind":"restricted_area","source":"test geometry, invented for unit tests",
		"thresholds":{"loiter_max_radius_m":500,"loiter_min_duration_s":1200}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	const v = 422000202
	for _, tt := range []struct {
		name  string
		steps []step
		want  []brief
	}{
		{"20 min of 480 m circles", circling(v, 20*mn, 480, 3, nil), []brief{{TypeLoiter, StateOpen, 0, 0, "", true}}},
		{"19 min 50 s of them", circling(v, 20*mn-10*sec, 480, 3, nil), nil},
		{"20 min of 520 m circles", circling(v, 20*mn, 520, 3, nil), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			evs := run(newShard(t, only(t, "strait", "loiter"), zs), tt.steps)
			if got := briefs(evs); !equalBriefs(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// Late fixes do not change a loitering window: the event stays open,
// and no event is made or retracted by them.
func TestLoiterAreaLateFix(t *testing.T) {
	const v = 422000203
	s := newShard(t, only(t, "strait", "loiter"), nil)
	evs := run(s, circling(v, 70*mn, 1000, 6, nil))
	if got := briefs(evs); !equalBriefs(got, []brief{{TypeLoiter, StateOpen, 0, 0, "", true}}) {
		t.Fatalf("got %+v, want one open", got)
	}
	far := fix(v, 30*mn+5*sec, loiterLat+1, loiterLon, 30) // late, far away and fast
	if evs := run(s, []step{fx(far)}); len(evs) != 0 {
		t.Errorf("a late fix gave %+v, want nothing", briefs(evs))
	}
	more := circling(v, 80*mn, 1000, 6, nil)
	if evs := run(s, more[len(more)-60:]); len(evs) != 0 {
		t.Errorf("loitering on after the late fix gave %+v, want nothing", briefs(evs))
	}
}

// The gfw preset keeps the speed rule: circles at 6 kn are no loitering
// there, slow drifting is.
func TestLoiterGFWKeepsSpeedRule(t *testing.T) {
	const v = 422000204
	if evs := run(newShard(t, only(t, "gfw", "loiter"), nil), circling(v, 2*hr, 1000, 6, nil)); len(evs) != 0 {
		t.Errorf("gfw: 6 kn circles gave %+v", briefs(evs))
	}
	if evs := run(newShard(t, only(t, "gfw", "loiter"), nil), circling(v, 2*hr, 1000, 1.5, nil)); len(evs) != 1 {
		t.Errorf("gfw: 1.5 kn circles gave %+v, want one open", briefs(evs))
	}
}

// An open event goes on while its window keeps within 1.25 times the
// limits: a 2.9 kn drift north opens at 1 h (5371 m <= 5600 m) and the
// sliding window's up to 6713 m (75 min) stays within 7000 m; at 3.9 kn
// after the first hour it passes 7000 m and the event closes.
func TestLoiterAreaHysteresis(t *testing.T) {
	const v = 422000205
	evs := run(newShard(t, only(t, "strait", "loiter"), nil), straight(v, 3*hr, 2.9))
	if got := briefs(evs); !equalBriefs(got, []brief{{TypeLoiter, StateOpen, 0, 0, "", true}}) {
		t.Errorf("2.9 kn for 3 h: got %+v, want one open", got)
	}
	steps := straight(v, hr, 2.9)
	last := steps[len(steps)-1].fix
	for tt := int64(10 * sec); tt <= hr; tt += 10 * sec {
		f := fix(v, hr+tt, last.Lat+3.9*1852*float64(tt)/float64(hr)/111_320, last.Lon, 3.9)
		f.COG = 0
		steps = append(steps, fx(f))
	}
	evs = run(newShard(t, only(t, "strait", "loiter"), nil), steps)
	if len(evs) != 2 || evs[1].State != StateClose {
		t.Errorf("2.9 then 3.9 kn: got %+v, want open and close", briefs(evs))
	}
}
