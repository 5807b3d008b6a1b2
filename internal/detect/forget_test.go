package detect

import "testing"

// TestPairwiseForget checks that the pairwise stages drop vessels long
// silent, so that memory follows the recent fleet, and keep the ones
// still heard.
func TestPairwiseForget(t *testing.T) {
	cfg, _ := Preset("strait")
	enc := NewEncounters(cfg.Encounter, nil)
	col := NewCollisions(cfg.Collision)
	for i := range 1000 {
		f := fix(uint32(422000000+i), int64(i)*sec, 24+float64(i%30)*0.05, 56+float64(i/30)*0.05, 10)
		enc.Fix(&f)
		col.Fix(&f)
	}
	heard := fix(422999999, 5*hr, 25, 57, 10)
	enc.Fix(&heard)
	col.Fix(&heard)
	for wm := int64(0); wm <= 5*hr; wm += mn {
		enc.Advance(t0 + wm)
		col.Advance(t0 + wm)
	}
	enc.Drain()
	col.Drain()
	if n := len(enc.vessels); n != 1 {
		t.Errorf("encounters keep %d vessels after 5 h, want the 1 still heard", n)
	}
	if n := len(col.vessels); n != 1 {
		t.Errorf("collision risk keeps %d vessels after 5 h, want the 1 still heard", n)
	}
	if n := len(enc.grid.cells) + len(col.grid.cells); n != 2 {
		t.Errorf("%d grid cells left, want 2", n)
	}
}
