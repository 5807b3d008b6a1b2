package detect

import (
	"math"
	"math/bits"
	"time"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

// Coverage remembers, per cell of a coarse latitude/longitude grid, when
// any station there was heard, and by which sources (receivers). The gap
// detector asks it whether a silent vessel's place was still being heard:
// if it was, the silence is the vessel's own (it went dark); if not, the
// place was out of range or its receiver was down, and the silence says
// nothing about the vessel.
//
// A place counts as heard during a silence in two ways:
//   - others there were heard during it (the cell's current run of
//     hearing overlaps the silence), which also covers a satellite pass
//     over a place no coastal receiver reaches;
//   - it is steadily covered: the cell had been heard without a break
//     for at least the steady time up to the start of the silence (only
//     a receiver in range does that; a satellite pass is shorter), and
//     one of the sources that heard it was still heard, anywhere, during
//     the silence (the receiver is up). This covers a vessel going dark
//     where it is alone.
//
// It is written by one goroutine ([Engine.Process], before it hands a
// batch to the shards) and read by the shards while Process waits for
// them, so it needs no lock: the channel hand-over orders the writes
// before the reads.
type Coverage struct {
	cell   float64 // cell size, degrees
	join   int64   // ms: hears less than this apart are one unbroken run
	steady int64   // ms: a run this long is steady coverage; 0: not used
	cells  map[uint64]*coverCell
	// srcLast is when each source (track.SourceID < 64) was last heard.
	srcLast [64]int64
}

// coverCell is one cell's current run of hearing (heard without a
// silence of join or more from start to last) and its last steady run.
type coverCell struct {
	start, last int64  // UNIX ms
	mask        uint64 // sources that heard the current run
	steadyUntil int64  // the last hear of a run at least steady long; 0 if none
	steadyMask  uint64 // the sources of that run
}

// NewCoverage returns an empty grid of cells of cellDeg degrees, in
// which hears less than join apart make one unbroken run and a run of
// steady or longer marks the cell as in a receiver's range (0: not
// used).
func NewCoverage(cellDeg float64, join, steady time.Duration) *Coverage {
	return &Coverage{cell: cellDeg, join: join.Milliseconds(), steady: steady.Milliseconds(), cells: make(map[uint64]*coverCell)}
}

func (c *Coverage) key(lat, lon float64) uint64 {
	i := int32(math.Floor(lat / c.cell))
	j := int32(math.Floor(lon / c.cell))
	return uint64(uint32(i))<<32 | uint64(uint32(j))
}

// Heard records that f's station was heard. A time older than the
// cell's newest only counts for its sources: a run can only grow at its
// end, and late data is rare enough not to matter for coverage.
func (c *Coverage) Heard(f *track.Fix) {
	if math.IsNaN(f.Lat) || math.IsNaN(f.Lon) {
		return
	}
	t, m := f.Time, f.Heard
	if f.Source < 64 {
		m |= 1 << f.Source
		c.srcLast[f.Source] = max(c.srcLast[f.Source], t)
	}
	k := c.key(f.Lat, f.Lon)
	cc := c.cells[k]
	switch {
	case cc == nil:
		c.cells[k] = &coverCell{start: t, last: t, mask: m}
		return
	case t-cc.last >= c.join:
		cc.start, cc.last, cc.mask = t, t, m
	case t > cc.last:
		cc.last = t
		cc.mask |= m
	default:
		return
	}
	if c.steady > 0 && cc.last-cc.start >= c.steady {
		cc.steadyUntil, cc.steadyMask = cc.last, cc.mask
	}
}

// covered returns how much of the silence (from, to] the cell at lat,
// lon was heard, in ms: by others there, or steadily (see Coverage).
// Only the cell's current run is remembered, so the figure errs low
// (towards no alarm).
func (c *Coverage) covered(lat, lon float64, from, to int64) int64 {
	cc := c.cells[c.key(lat, lon)]
	if cc == nil {
		return 0
	}
	cov := max(0, min(cc.last, to)-max(cc.start, from))
	if cc.steadyUntil > 0 && cc.steadyUntil >= from-c.join {
		// Steadily covered until the silence began: covered for as long
		// as a source that heard the place is still heard.
		alive := int64(0)
		for m := cc.steadyMask; m != 0; m &= m - 1 {
			alive = max(alive, c.srcLast[bits.TrailingZeros64(m)])
		}
		cov = max(cov, min(alive, to)-from)
	}
	return cov
}

// coveredAlong returns the least coverage, over (from, to], of the places
// a silent vessel could be: its last position, its dead-reckoned
// position half-way through the silence, and its position at the end
// (the fix that ended the silence, else dead reckoned). A ship sailing
// out of a receiver's range leaves from a cell that others are still
// heard in; the places it sailed to are the ones that tell.
func (c *Coverage) coveredAlong(last *track.Fix, next *track.Fix, to int64) int64 {
	from := last.Time
	cov := c.covered(last.Lat, last.Lon, from, to)
	if cov == 0 {
		return 0
	}
	var midLat, midLon, endLat, endLon float64
	if next != nil {
		endLat, endLon = next.Lat, next.Lon
		midLat, midLon = (last.Lat+endLat)/2, (last.Lon+endLon)/2
	} else {
		midLat, midLon = deadReckon(last, (to-from)/2)
		endLat, endLon = deadReckon(last, to-from)
	}
	cov = min(cov, c.covered(midLat, midLon, from, to))
	if cov == 0 {
		return 0
	}
	return min(cov, c.covered(endLat, endLon, from, to))
}

// deadReckon returns where f's vessel would be after dt ms at its
// reported speed and course; f's own position when either is missing.
func deadReckon(f *track.Fix, dt int64) (float64, float64) {
	sog, cog := float64(f.SOG), float64(f.COG)
	if math.IsNaN(sog) || math.IsNaN(cog) || sog <= 0 || cog >= 360 {
		return f.Lat, f.Lon
	}
	dist := sog * 1852 * float64(dt) / float64(time.Hour.Milliseconds())
	return geo.Destination(f.Lat, f.Lon, cog, dist)
}

// Len returns the number of cells ever heard.
func (c *Coverage) Len() int { return len(c.cells) }

// setCoverage makes the shard's gap detector judge silences against c.
func (s *Shard) setCoverage(c *Coverage) {
	for _, d := range s.detectors {
		if g, ok := d.(*gapDetector); ok {
			g.cov = c
		}
	}
}
