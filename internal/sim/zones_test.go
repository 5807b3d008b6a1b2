package sim

import (
	"strings"
	"testing"

	"straitwatch/internal/zone"
)

func TestExerciseZones(t *testing.T) {
	sc := mustLoad(t, allIncidents)
	b, err := ExerciseZones(sc)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := zone.Parse(b)
	if err != nil {
		t.Fatalf("the exercise zones do not load: %v", err)
	}
	def, err := zone.Default()
	if err != nil {
		t.Fatal(err)
	}
	all, err := zone.Union(def, ex)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[zone.Kind]int{}
	for _, z := range ex.Zones {
		kinds[z.Kind]++
		if !strings.Contains(z.Source, "exercise") && !strings.Contains(z.Accuracy, "exercise") {
			t.Errorf("zone %s does not say it is the exercise's: %q", z.ID, z.Source)
		}
	}
	if kinds[zone.KindRestricted] != 1 || kinds[zone.KindTSSLane] != len(tssInbound)+len(tssOutbound)-2 {
		t.Errorf("kinds %v", kinds)
	}
	// The restricted_area incident's place is in its area, and the lanes
	// carry their direction of travel: a point on the inbound centre line
	// is in an inbound lane part whose direction is the line's bearing.
	in := func(lat, lon float64, kind zone.Kind) []*zone.Zone {
		var out []*zone.Zone
		for _, i := range all.Containing(nil, lat, lon) {
			if all.Zones[i].Kind == kind {
				out = append(out, &all.Zones[i])
			}
		}
		return out
	}
	if zs := in(26.10, 56.60, zone.KindRestricted); len(zs) != 1 {
		t.Errorf("restricted place in %d restricted areas", len(zs))
	}
	a, b2 := tssInbound[0], tssInbound[1]
	mid := Point{Lat: (a.Lat + b2.Lat) / 2, Lon: (a.Lon + b2.Lon) / 2}
	zs := in(mid.Lat, mid.Lon, zone.KindTSSLane)
	if len(zs) != 1 || angleDiff(zs[0].Direction, bearing(a, b2)) > 0.1 || angleDiff(zs[0].Direction, bearing(a, b2)) < -0.1 {
		t.Errorf("inbound lane at %v: %d lanes, direction %v, want %v", mid, len(zs), zs, bearing(a, b2))
	}
}
