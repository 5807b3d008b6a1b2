package zone

import (
	"slices"
	"testing"
)

// The grid's answer equals the zones' own Contains everywhere.
func TestContainingMatchesContains(t *testing.T) {
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Set{def, loadTest(t)} {
		b := s.idx.box
		n := 0
		for lat := b.MinLat - 0.05; lat <= b.MaxLat+0.05; lat += 0.00731 {
			for lon := b.MinLon - 0.05; lon <= b.MaxLon+0.05; lon += 0.00917 {
				var want []int
				for i := range s.Zones {
					if s.Zones[i].Contains(lat, lon) {
						want = append(want, i)
					}
				}
				if got := s.Containing(nil, lat, lon); !slices.Equal(got, want) {
					t.Fatalf("%s: Containing(%v, %v) = %v, want %v", s.Name, lat, lon, got, want)
				}
				n++
			}
		}
		t.Logf("%s: %d positions agree", s.Name, n)
	}
}
