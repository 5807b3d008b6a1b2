package detect

import (
	"math"
	"testing"

	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

const (
	ms  = int64(1)
	sec = 1000 * ms
	mn  = 60 * sec
	hr  = 60 * mn
)

// t0 is an arbitrary event time origin: 2026-01-01T00:00:00Z.
const t0 = int64(1767225600000)

func fix(mmsi uint32, t int64, lat, lon float64, sog float32) track.Fix {
	return track.Fix{MMSI: mmsi, Time: t0 + t, Lat: lat, Lon: lon, SOG: sog, COG: 90, Heading: -1, Status: 0, Class: track.ClassA}
}

func testZones(t testing.TB) *zone.Set {
	t.Helper()
	s, err := zone.Load("testdata/zones.geojson")
	if err != nil {
		t.Fatalf("zone.Load: %v", err)
	}
	return s
}

// only returns cfg with just the named detector enabled.
func only(t testing.TB, preset, det string) Config {
	t.Helper()
	c, err := Preset(preset)
	if err != nil {
		t.Fatal(err)
	}
	c.Distress.Enabled = det == "distress"
	c.Zones.Enabled = det == "zones"
	c.Gap.Enabled = det == "gap"
	c.Speed.Enabled = det == "speed"
	c.Loiter.Enabled = det == "loiter"
	c.PortVisit.Enabled = det == "portvisit"
	c.TSS.Enabled = det == "tss"
	c.Identity.Enabled = det == "identity"
	return c
}

func newShard(t testing.TB, cfg Config, zs *zone.Set) *Shard {
	t.Helper()
	s, err := NewShard(cfg, zs)
	if err != nil {
		t.Fatalf("NewShard: %v", err)
	}
	return s
}

// step is one input to a shard in a scripted test.
type step struct {
	fix    *track.Fix
	text   *track.Text
	static *track.Static
	wm     int64 // relative to t0 when > 0
}

func run(s *Shard, steps []step) []Event {
	for _, st := range steps {
		switch {
		case st.fix != nil:
			s.Fix(st.fix)
		case st.text != nil:
			s.Safety(st.text)
		case st.static != nil:
			s.Static(st.static)
		case st.wm > 0:
			s.Advance(t0 + st.wm)
		}
	}
	return s.Drain()
}

func fx(f track.Fix) step { return step{fix: &f} }

// brief is the part of an event most tests compare.
type brief struct {
	Type  Type
	State State
	Start int64 // relative to t0
	End   int64 // relative to t0; 0 when open
	Zone  string
	Alarm bool
}

func briefs(evs []Event) []brief {
	var b []brief
	for _, e := range evs {
		end := int64(0)
		if e.End != 0 {
			end = e.End - t0
		}
		b = append(b, brief{e.Type, e.State, e.Start - t0, end, e.Zone, e.Alarm})
	}
	return b
}

func checkEvent(t *testing.T, e Event) {
	t.Helper()
	if e.ID == "" || len(e.Vessels) == 0 || !(e.Confidence >= 0 && e.Confidence <= 1) || math.IsNaN(e.Lat) {
		t.Errorf("malformed event %+v", e)
	}
	if e.State != StateRetract && len(e.Evidence.Fixes) == 0 && e.Evidence.Text == "" {
		t.Errorf("event %s has no evidence", e.ID)
	}
}
