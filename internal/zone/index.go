package zone

import (
	"math"
	"slices"

	"straitwatch/internal/geo"
)

// maxCells bounds the grid's size per axis, so that a set spanning the
// globe costs at most maxCells² cell headers.
const maxCells = 512

// minCell is the smallest grid cell, in degrees (about 5.5 km of
// latitude): small enough that most cells hold one or two zones.
const minCell = 0.05

// eps widens the cells by a hair when edges are sorted into them, so that
// rounding in cell() cannot leave out an edge a query needs.
const eps = 1e-9

// edge is one side of a polygon ring.
type edge struct{ aLat, aLon, bLat, bLon float64 }

// entry is one polygon of an area zone as seen from one grid cell. When
// full, the whole cell lies inside the polygon. Otherwise edges holds
// every edge of the polygon's rings that spans the cell's latitude band
// and reaches east of the cell's west side: all that a ray cast east from
// a position in the cell can cross, so the even-odd count over them is
// the polygon's answer.
type entry struct {
	zone  int32
	full  bool
	edges []edge
}

// grid is a uniform latitude/longitude grid over the area zones' bounds.
// Each cell lists, by ascending zone, the polygons that may contain its
// positions, with what a query needs to decide.
type grid struct {
	box        geo.Box
	cellLat    float64
	cellLon    float64
	nLat, nLon int
	cells      [][]entry
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
	g.cells = make([][]entry, g.nLat*g.nLon)
	for i := range zones {
		for _, p := range zones[i].Polygons {
			g.addPolygon(int32(i), p)
		}
	}
	return g
}

// addPolygon sorts the polygon's edges into the grid's rows and enters
// the polygon in every cell of its bounds that it touches.
func (g *grid) addPolygon(zi int32, p geo.Polygon) {
	b := p.Bounds()
	r0, c0 := g.cell(b.MinLat, b.MinLon)
	r1, c1 := g.cell(b.MaxLat, b.MaxLon)
	for r := r0; r <= r1; r++ {
		lat0 := g.box.MinLat + float64(r)*g.cellLat - eps
		lat1 := lat0 + g.cellLat + 2*eps
		// The edges spanning this row's band, east end first.
		var row []edge
		for _, ring := range p {
			for k := range ring {
				a, c := ring[k], ring[(k+1)%len(ring)]
				if math.Max(a.Lat, c.Lat) < lat0 || math.Min(a.Lat, c.Lat) > lat1 {
					continue
				}
				row = append(row, edge{a.Lat, a.Lon, c.Lat, c.Lon})
			}
		}
		slices.SortFunc(row, func(x, y edge) int {
			return -cmpFloat(math.Max(x.aLon, x.bLon), math.Max(y.aLon, y.bLon))
		})
		for c := c0; c <= c1; c++ {
			lon0 := g.box.MinLon + float64(c)*g.cellLon - eps
			lon1 := lon0 + g.cellLon + 2*eps
			// The prefix of row reaching east of the cell's west side.
			n, touches := 0, false
			for n < len(row) && math.Max(row[n].aLon, row[n].bLon) >= lon0 {
				if math.Min(row[n].aLon, row[n].bLon) <= lon1 {
					touches = true
				}
				n++
			}
			k := r*g.nLon + c
			e := entry{zone: zi, edges: row[:n:n]}
			switch {
			case touches:
				g.cells[k] = append(g.cells[k], e)
			case e.contains(lat0+eps+g.cellLat/2, lon0+eps+g.cellLon/2):
				// No edge crosses the cell, so all of it is inside.
				g.cells[k] = append(g.cells[k], entry{zone: zi, full: true})
			}
		}
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (g *grid) cell(lat, lon float64) (int, int) {
	r := int((lat - g.box.MinLat) / g.cellLat)
	c := int((lon - g.box.MinLon) / g.cellLon)
	return min(max(r, 0), g.nLat-1), min(max(c, 0), g.nLon-1)
}

// candidates returns the cell entries for the position: the polygons
// that may contain it, by ascending zone.
func (g *grid) candidates(lat, lon float64) []entry {
	if g.cells == nil || !g.box.Contains(lat, lon) {
		return nil
	}
	r, c := g.cell(lat, lon)
	return g.cells[r*g.nLon+c]
}

// contains reports whether the entry's polygon contains the position,
// which lies in the entry's cell, by the even-odd rule.
func (e *entry) contains(lat, lon float64) bool {
	if e.full {
		return true
	}
	in := false
	for i := range e.edges {
		d := &e.edges[i]
		if (d.aLat > lat) != (d.bLat > lat) {
			x := (d.bLon-d.aLon)*(lat-d.aLat)/(d.bLat-d.aLat) + d.aLon
			if lon < x {
				in = !in
			}
		}
	}
	return in
}
