package detect

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

// TestRealCrossingEncounters feeds the ten real two-ship crossings of
// testdata/tracks/crossing_encounters.csv to the collision-risk stage
// with OpenCPN's defaults, and compares what it raised with the closest
// approach the positions show. Every encounter that came within the
// alarm distance must have raised a risk before the closest approach.
func TestRealCrossingEncounters(t *testing.T) {
	f, err := os.Open("testdata/tracks/crossing_encounters.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	const base = 1_700_000_000_000 // encounter times are relative: put each an hour apart
	byEnc := map[int][]track.Fix{}
	for i, r := range rows[1:] {
		num := func(k int) float64 {
			v, err := strconv.ParseFloat(r[k], 64)
			if err != nil {
				t.Fatalf("line %d column %d: %v", i+2, k+1, err)
			}
			return v
		}
		enc := int(num(0))
		byEnc[enc] = append(byEnc[enc], track.Fix{MMSI: uint32(num(1)), Time: base + int64(enc)*3_600_000 + int64(num(2)*1000),
			Lon: num(3), Lat: num(4), SOG: float32(num(5)), COG: float32(num(6)), Heading: -1, Class: track.ClassA})
	}
	cfg := OpenCPNCollision()
	raisedClose, close := 0, 0
	for enc := range 10 {
		fixes := byEnc[enc]
		slices.SortStableFunc(fixes, func(a, b track.Fix) int { return int(a.Time - b.Time) })
		// The observed closest approach: each fix against the other ship's
		// latest fix.
		last := map[uint32]track.Fix{}
		minD, minT := math.Inf(1), int64(0)
		for _, x := range fixes {
			last[x.MMSI] = x
			if len(last) == 2 {
				var ps []track.Fix
				for _, y := range last {
					ps = append(ps, y)
				}
				if d := geo.Distance(ps[0].Lat, ps[0].Lon, ps[1].Lat, ps[1].Lon) / 1852; d < minD {
					minD, minT = d, x.Time
				}
			}
		}
		c := NewCollisions(cfg)
		var evs []Event
		for i := range fixes {
			c.Fix(&fixes[i])
			c.Advance(fixes[i].Time)
			evs = append(evs, c.Drain()...)
		}
		first := int64(0)
		for _, e := range evs {
			if e.State == StateOpen && first == 0 {
				first = e.Start
			}
		}
		warn := "no risk raised"
		if first != 0 {
			warn = fmt.Sprintf("risk raised %.1f min before the closest approach", float64(minT-first)/60000)
		}
		t.Logf("encounter %d: closest %.2f nm; %d event changes; %s", enc, minD, len(evs), warn)
		if minD < cfg.MaxCPA {
			close++
			if first != 0 && first <= minT {
				raisedClose++
			}
		}
	}
	t.Logf("%d of %d encounters that came within %.1f nm raised a risk before the closest approach", raisedClose, close, cfg.MaxCPA)
	if raisedClose != close {
		t.Errorf("%d of %d close encounters raised no risk in time", close-raisedClose, close)
	}
}
