package detect

import (
	"math"
	"time"

	"straitwatch/internal/track"
)

// gridVessel is a vessel's latest fix in a pairwise stage.
type gridVessel struct {
	mmsi     uint32
	fix      track.Fix
	cell     int64
	slot     int          // index of its entry in its cell
	partners []uint32     // vessels it has a pair state with (encounters)
	lastScan int64        // event time it was last judged against its neighbours (collision risk)
	risks    []*riskState // open collision risks it is in
	vx, vy   float64      // velocity east and north in knots at fix (collision risk); NaN if unknown
	darkDone int64        // fix time of the silence last judged a dark rendezvous (encounters)
	darkID   string       // the open dark-rendezvous event of this silence; "" when none
}

// gridEntry is what a cell holds of a vessel: the figures a neighbour
// search tests first, stored in the cell itself so that a search reads
// each cell's memory in one run instead of chasing a pointer per
// neighbour (with 100k vessels the vessels no longer fit in cache).
type gridEntry struct {
	lat, lon float64
	time     int64
	sog      float32
	vx, vy   float32 // gridVessel.vx, vy
	v        *gridVessel
}

// posGrid is a uniform latitude/longitude grid of vessels' latest
// positions, shared by the pairwise stages (encounters, collision risk):
// a fix is compared only with the vessels in the 3x3 cells around it, so
// the cost per fix follows the local density, not the vessel count.
// Cells are width metres tall and twice that wide in degrees of
// longitude, so they are at least width wide up to 60 degrees of
// latitude and the 3x3 block holds every vessel within width.
//
// The encounter and collision stages each have their own: their widths
// differ about twentyfold (500 m against 6 nm), and cells sized for the
// larger would make the encounter stage compare each slow vessel with a
// hundred neighbours instead of a handful.
type posGrid struct {
	cellLat, cellLon float64 // degrees
	cells            map[int64][]gridEntry
}

func newPosGrid(width float64) posGrid {
	lat := max(width, 1) / 111_195
	return posGrid{cellLat: lat, cellLon: 2 * lat, cells: map[int64][]gridEntry{}}
}

func (g *posGrid) cellOf(lat, lon float64) int64 {
	r := int64(math.Floor((lat + 90) / g.cellLat))
	c := int64(math.Floor((lon + 180) / g.cellLon))
	return r<<32 | c
}

// place records v's new fix in the grid; isNew says v is not in it yet.
func (g *posGrid) place(v *gridVessel, isNew bool) {
	cell := g.cellOf(v.fix.Lat, v.fix.Lon)
	e := gridEntry{lat: v.fix.Lat, lon: v.fix.Lon, time: v.fix.Time, sog: v.fix.SOG, vx: float32(v.vx), vy: float32(v.vy), v: v}
	if !isNew {
		if v.cell == cell {
			g.cells[cell][v.slot] = e
			return
		}
		g.remove(v)
	}
	s := g.cells[cell]
	v.cell, v.slot = cell, len(s)
	g.cells[cell] = append(s, e)
}

func (g *posGrid) remove(v *gridVessel) {
	s := g.cells[v.cell]
	last := len(s) - 1
	if v.slot != last {
		s[v.slot] = s[last]
		s[v.slot].v.slot = v.slot
	}
	s[last] = gridEntry{}
	if last == 0 {
		delete(g.cells, v.cell)
	} else {
		g.cells[v.cell] = s[:last]
	}
}

// block appends to dst the 3x3 cells around v's cell (v's own entry
// included).
func (g *posGrid) block(dst [][]gridEntry, v *gridVessel) [][]gridEntry {
	r, c := v.cell>>32, v.cell&0xffffffff
	for dr := int64(-1); dr <= 1; dr++ {
		for dc := int64(-1); dc <= 1; dc++ {
			if s := g.cells[(r+dr)<<32|(c+dc)]; len(s) > 0 {
				dst = append(dst, s)
			}
		}
	}
	return dst
}

// near appends to dst the vessels other than v in the 3x3 cells around
// v's cell.
func (g *posGrid) near(dst []*gridVessel, v *gridVessel) []*gridVessel {
	r, c := v.cell>>32, v.cell&0xffffffff
	for dr := int64(-1); dr <= 1; dr++ {
		for dc := int64(-1); dc <= 1; dc++ {
			for _, e := range g.cells[(r+dr)<<32|(c+dc)] {
				if e.v != v {
					dst = append(dst, e.v)
				}
			}
		}
	}
	return dst
}

// within appends to dst the vessels other than v whose latest position
// lies in the cells within metres of v's cell: a wider search than near,
// for rare questions.
func (g *posGrid) within(dst []*gridVessel, v *gridVessel, metres float64) []*gridVessel {
	k := int64(math.Ceil(metres / (g.cellLat * 111_195)))
	r, c := v.cell>>32, v.cell&0xffffffff
	for dr := -k; dr <= k; dr++ {
		for dc := -k; dc <= k; dc++ {
			for _, e := range g.cells[(r+dr)<<32|(c+dc)] {
				if e.v != v {
					dst = append(dst, e.v)
				}
			}
		}
	}
	return dst
}

// forgetEvery is how often, in event time, the pairwise stages forget
// vessels long silent, so that a server running for months keeps only
// the vessels of the recent past.
const forgetEvery = 10 * time.Minute

// forget removes from vessels and the grid every vessel last heard
// before cut that is in no pair, risk or open dark rendezvous; a vessel
// heard again later starts afresh.
func forget(vessels map[uint32]*gridVessel, g *posGrid, cut int64) {
	for m, v := range vessels {
		if v.fix.Time < cut && len(v.partners) == 0 && len(v.risks) == 0 && v.darkID == "" {
			g.remove(v)
			delete(vessels, m)
		}
	}
}
