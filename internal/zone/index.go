package zone

import (
	"math"

	"straitwatch/internal/geo"
)

// maxCells bounds the grid's size per axis, so that a set spanning the
// globe costs at most maxCells² cell headers.
const maxCells = 512

// minCell is the smallest grid cell, in degrees (about 5.5 km of
// latitude): small enough that most cells hold one or two zones.
const minCell = 0.05

// grid is a uniform latitude/longitude grid over the area zones' bounds.
// Each cell lists, ascending, the zones whose bounding box overlaps it;
// a query tests only those.
type grid struct {
	box        geo.Box
	cellLat    float64
	cellLon    float64
	nLat, nLon int
	cells      [][]int32
}

func buildGrid(zones []Zone) grid {
	var g grid
	first := true
	for i := range zones {
		if !zones[i].IsArea() {
			continue
		}
		b := zones[i].Bounds
		if first {
			g.box, first = b, false
			continue
		}
		g.box.MinLat = math.Min(g.box.MinLat, b.MinLat)
		g.box.MinLon = math.Min(g.box.MinLon, b.MinLon)
		g.box.MaxLat = math.Max(g.box.MaxLat, b.MaxLat)
		g.box.MaxLon = math.Max(g.box.MaxLon, b.MaxLon)
	}
	if first {
		return g
	}
	dl, dn := g.box.MaxLat-g.box.MinLat, g.box.MaxLon-g.box.MinLon
	g.cellLat = math.Max(minCell, dl/maxCells)
	g.cellLon = math.Max(minCell, dn/maxCells)
	g.nLat = int(dl/g.cellLat) + 1
	g.nLon = int(dn/g.cellLon) + 1
	g.cells = make([][]int32, g.nLat*g.nLon)
	for i := range zones {
		if !zones[i].IsArea() {
			continue
		}
		b := zones[i].Bounds
		r0, c0 := g.cell(b.MinLat, b.MinLon)
		r1, c1 := g.cell(b.MaxLat, b.MaxLon)
		for r := r0; r <= r1; r++ {
			for c := c0; c <= c1; c++ {
				k := r*g.nLon + c
				g.cells[k] = append(g.cells[k], int32(i))
			}
		}
	}
	return g
}

func (g *grid) cell(lat, lon float64) (int, int) {
	r := int((lat - g.box.MinLat) / g.cellLat)
	c := int((lon - g.box.MinLon) / g.cellLon)
	return min(max(r, 0), g.nLat-1), min(max(c, 0), g.nLon-1)
}

// candidates returns the zones whose bounds may contain the position.
func (g *grid) candidates(lat, lon float64) []int32 {
	if g.cells == nil || !g.box.Contains(lat, lon) {
		return nil
	}
	r, c := g.cell(lat, lon)
	return g.cells[r*g.nLon+c]
}
