#!/usr/bin/python3
"""Build approximate 12 nm territorial seas for the default Hormuz region.

Input: Natural Earth 1:10m admin-0 countries, from npm world-atlas@2.0.2
(countries-10m.json, TopoJSON, public domain), converted to GeoJSON with
topojson-client's topo2geo; optionally (--gshhg) a `gmt coast` dump of GSHHG
full-resolution shorelines (Debian gmt-gshhg-full, LGPL-3+) for the islands
Natural Earth lacks. See README.md beside this file for the commands.

Output: ../territorial-seas.geojson, one feature per coastal state.

Method, in a conformal projection (Lambert conformal conic, standard
parallels 23N and 27N, central meridian 58E; scale error under 0.1 % in
the region, checked below against geodesic distances on WGS 84):
  1. land of each state = its Natural Earth polygons (mainland and the
     islands NE assigns to it), plus GSHHG islands given to it by proximity;
     the disputed islands (Abu Musa, Greater and Lesser Tunb) are removed
     from this coastline input entirely (they stay land to subtract);
  2. belt = the state's land buffered by 12 nm (22 224 m), minus all land;
  3. equidistance: a Voronoi partition of coastline points (land boundary
     minus land borders) densified every DENSIFY metres, cells merged by
     owner; each belt keeps only its owner's part;
  4. clipped to the region box, simplified to SIMPLIFY metres, made
     pairwise disjoint, written as lon/lat rounded to 5 decimals.

Needs python3-shapely (1.8 or later) and python3-pyproj (Debian packages).
"""

import argparse
import datetime
import json
import math
import os
import sys

import warnings

import pyproj
from shapely.geometry import MultiPoint, Point, Polygon, box, mapping, shape
from shapely.ops import nearest_points, transform, unary_union, voronoi_diagram
from shapely.strtree import STRtree

warnings.filterwarnings("ignore", "STRtree will be changed")  # shapely 1.8

NM = 1852.0
RADIUS = 12 * NM  # 22 224 m
DENSIFY = 250.0  # m between coastline sample points for the equidistance split
SIMPLIFY = 150.0  # m, Douglas-Peucker tolerance of the output
QUAD_SEGS = 16  # buffer arcs: 64 segments per circle

# The region box (lon/lat) the output is clipped to, and the wider working
# box whose coasts take part in the buffers and the equidistance split.
REGION = (53.5, 22.0, 62.5, 28.0)
WORK = (52.0, 20.5, 64.0, 29.5)

# Natural Earth numeric ISO ids of the states considered. Every state whose
# land reaches the working box is listed; states whose belt misses the
# region box produce no feature.
STATES = {
    "364": ("IRN", "Iran"),
    "512": ("OMN", "Oman"),
    "784": ("ARE", "United Arab Emirates"),
    "586": ("PAK", "Pakistan"),
    "682": ("SAU", "Saudi Arabia"),
    "634": ("QAT", "Qatar"),
    "004": ("AFG", "Afghanistan"),  # landlocked: land only, no coastline
}
LANDLOCKED = {"AFG"}

# Disputed islands (administered by Iran, claimed by the UAE): label points
# from hormuz.geojson. Any Natural Earth polygon within DISPUTED_RADIUS of
# one of them is removed from the coastline input, whichever state NE
# assigns it to.
DISPUTED = ("isl-abu-musa", "isl-greater-tunb", "isl-lesser-tunb")
DISPUTED_RADIUS = 6000.0  # m; the islands are at most ~4.5 km across

# GSHHG islands (optional input, see add_gshhg_islands).
MIN_ISLAND = 0.05e6  # m2
ISLAND_GAP = 3000.0  # m: closer than this to Natural Earth land = already there
OWNER_RATIO = 2.0

PROJ = ("+proj=lcc +lat_1=23 +lat_2=27 +lat_0=25 +lon_0=58 +x_0=0 +y_0=0 "
        "+ellps=WGS84 +datum=WGS84 +units=m +no_defs")


def polygons(g):
    return list(getattr(g, "geoms", [g])) if not g.is_empty else []


def densify_points(lines, step):
    pts = []
    for ln in getattr(lines, "geoms", [lines]):
        if ln.is_empty:
            continue
        n = max(1, int(math.ceil(ln.length / step)))
        for i in range(n + (0 if ln.is_closed else 1)):
            p = ln.interpolate(i * ln.length / n)
            pts.append((p.x, p.y))
    return pts


def read_gmt_segments(path):
    """Segments of a `gmt coast -M -W` dump: lists of (lon, lat)."""
    segs, cur = [], None
    for line in open(path):
        if line.startswith(">"):
            cur = []
            segs.append(cur)
        elif line.strip() and cur is not None:
            x, y = line.split()[:2]
            cur.append((float(x), float(y)))
    return segs


def add_gshhg_islands(path, fwd, inv, land, disputed):
    """Adds to land the GSHHG islands that Natural Earth lacks.

    An island is a closed GSHHG shoreline segment of at least
    MIN_ISLAND m2 lying more than ISLAND_GAP from any Natural Earth land.
    It is given to the state whose Natural Earth land is nearest, and only
    when every other state's land is at least OWNER_RATIO times as far;
    otherwise, and for the disputed islands, it is left out of the
    coastline input. Returns (added, skipped): added as (a3, polygon,
    distance), skipped as (centroid lon/lat, polygon, reason).
    """
    ne = unary_union(list(land.values()))
    ne_all = unary_union([ne] + [pt.buffer(DISPUTED_RADIUS) for pt in disputed.values()])
    added, skipped = [], []
    for seg in read_gmt_segments(path):
        if len(seg) < 4 or seg[0] != seg[-1]:
            continue
        g = transform(fwd, Polygon(seg)).buffer(0)
        if g.area < MIN_ISLAND:
            continue
        c = transform(inv, g.centroid)
        if any(g.distance(pt) < DISPUTED_RADIUS for pt in disputed.values()):
            skipped.append((c, g, "disputed"))
            continue
        if g.distance(ne_all) <= ISLAND_GAP:
            continue  # Natural Earth has it, or it hugs a coast NE has
        ds = sorted((g.distance(h), a3) for a3, h in land.items())
        if ds[0][0] > 2 * RADIUS:  # far offshore: proximity says nothing
            skipped.append((c, g, "owner unknown: more than 24 nm from any state's Natural Earth land"))
        elif len(ds) > 1 and ds[1][0] < OWNER_RATIO * ds[0][0]:
            skipped.append((c, g, "owner ambiguous by proximity: %s %.0f km, %s %.0f km"
                            % (ds[0][1], ds[0][0] / 1000, ds[1][1], ds[1][0] / 1000)))
        else:
            added.append((ds[0][1], g, ds[0][0]))
    return added, skipped


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("countries", help="countries-10m GeoJSON (topo2geo output)")
    ap.add_argument("--region", default=os.path.join(here, "..", "hormuz.geojson"))
    ap.add_argument("--out", default=os.path.join(here, "..", "territorial-seas.geojson"))
    ap.add_argument("--gshhg", help="optional: `gmt coast -M -W -Df` dump of GSHHG full-resolution shorelines "
                    "(Debian gmt-gshhg-full); islands Natural Earth lacks are added, see add_gshhg_islands")
    ap.add_argument("--date", default=datetime.date.today().isoformat())
    a = ap.parse_args()

    fwd = pyproj.Transformer.from_crs("EPSG:4326", PROJ, always_xy=True).transform
    inv = pyproj.Transformer.from_crs(PROJ, "EPSG:4326", always_xy=True).transform
    geod = pyproj.Geod(ellps="WGS84")

    region = json.load(open(a.region))
    disputed = {}
    for f in region["features"]:
        if f.get("id") in DISPUTED:
            disputed[f["id"]] = transform(fwd, shape(f["geometry"]))
    if len(disputed) != len(DISPUTED):
        sys.exit("disputed island points missing from %s" % a.region)

    work_ll = box(*WORK)
    land = {}  # alpha-3 -> projected land (coastline input)
    all_land = []  # every polygon in the working box, disputed ones included
    removed = []
    for f in json.load(open(a.countries))["features"]:
        fid = str(f.get("id"))
        if fid not in STATES:
            g = shape(f["geometry"])
            if g.intersects(work_ll):
                sys.exit("state %s (%s) has land in the working box but is not in STATES"
                         % (fid, f["properties"].get("name")))
            continue
        a3 = STATES[fid][0]
        keep = []
        for p in polygons(shape(f["geometry"])):
            if not p.intersects(work_ll):
                continue
            p = transform(fwd, p.intersection(work_ll)).buffer(0)
            all_land.append(p)
            hit = [k for k, pt in disputed.items() if p.distance(pt) < DISPUTED_RADIUS]
            if hit:
                c = transform(inv, p.centroid)
                removed.append("%s: NE polygon of %s at %.3fN %.3fE, %.1f km2"
                               % (",".join(hit), a3, c.y, c.x, p.area / 1e6))
                continue
            keep.append(p)
        if keep and a3 not in LANDLOCKED:
            land[a3] = unary_union(keep)
    all_land = unary_union(all_land)
    added, skipped = [], []
    if a.gshhg:
        added, skipped = add_gshhg_islands(a.gshhg, fwd, inv, land, disputed)
        all_land = unary_union([all_land] + [g for _, g, _ in added] + [g for _, g, why in skipped if why == "disputed"])
        for a3, g, d in added:
            land[a3] = unary_union([land[a3], g])
            c = transform(inv, g.centroid)
            print("GSHHG island added to %s: %.4fN %.4fE, %.2f km2, %.1f km from its NE coast"
                  % (a3, c.y, c.x, g.area / 1e6, d / 1000), file=sys.stderr)
        for c, g, why in skipped:
            print("GSHHG island left out (%s): %.4fN %.4fE, %.2f km2" % (why, c.y, c.x, g.area / 1e6),
                  file=sys.stderr)
    for r in removed:
        print("removed disputed island from coastline input:", r, file=sys.stderr)
    found = {r.split(":")[0] for r in removed}
    for k in DISPUTED:
        if k not in found:
            print("note: no Natural Earth polygon near %s (nothing to remove)" % k, file=sys.stderr)

    # 1. coastlines: land boundary minus land borders with other states.
    coast = {}
    for a3, g in land.items():
        others = unary_union([h for b3, h in land.items() if b3 != a3] or [Point(0, 0).buffer(0)])
        b = g.boundary.difference(others.buffer(100.0))
        # drop the artificial edges where the working box cut the land
        b = b.difference(transform(fwd, work_ll).exterior.buffer(100.0))
        coast[a3] = b

    # 2. belts.
    # Buffer the land polygons, not the coastline: GEOS buffers a closed
    # coastline ring as an annulus when the island is small. Buffering the
    # land-border stretches too changes nothing after step 3 (a sea point
    # whose nearest land of state A is a land border is nearer another
    # state's coast).
    belt = {a3: land[a3].buffer(RADIUS, QUAD_SEGS).difference(all_land) for a3 in coast}

    # 3. equidistance by Voronoi partition of densified coastline points.
    pts, owner = [], []
    for a3, c in coast.items():
        for xy in densify_points(c, DENSIFY):
            pts.append(xy)
            owner.append(a3)
    print("equidistance: %d coastline points" % len(pts), file=sys.stderr)
    env = transform(fwd, work_ll).buffer(50000)
    cells = voronoi_diagram(MultiPoint(pts), envelope=env, tolerance=1.0)
    cells = list(cells.geoms)
    pt_geoms = [Point(xy) for xy in pts]
    tree = STRtree(pt_geoms)
    index = {id(g): i for i, g in enumerate(pt_geoms)}
    parts = {a3: [] for a3 in coast}
    for cell in cells:
        hits = [g for g in tree.query(cell) if cell.intersects(g)]
        if not hits:
            continue
        # duplicates at shared points: the cell goes to the first owner
        parts[owner[index[id(hits[0])]]].append(cell)
    zone = {a3: unary_union(ps).buffer(0) for a3, ps in parts.items()}

    # 4. clip, simplify, make disjoint, back to lon/lat.
    # densified so that the parallels stay curved in the projection
    x0, y0, x1, y1 = REGION
    ring = ([(x0 + (x1 - x0) * i / 180, y0) for i in range(181)] +
            [(x1, y0 + (y1 - y0) * i / 120) for i in range(121)] +
            [(x1 - (x1 - x0) * i / 180, y1) for i in range(181)] +
            [(x0, y1 - (y1 - y0) * i / 120) for i in range(121)])
    region_p = transform(fwd, Polygon(ring))
    out, done = [], []
    order = sorted(coast, key=lambda k: ["IRN", "OMN", "ARE", "PAK", "SAU", "QAT"].index(k))
    for a3 in order:
        g = belt[a3].intersection(zone[a3]).intersection(region_p)
        g = g.simplify(SIMPLIFY, preserve_topology=True).buffer(0)
        if done:
            # a 3 m gap, so that rounding to 5 decimals (about 1 m) cannot
            # make neighbours overlap
            g = g.difference(unary_union(done).buffer(3.0, 4)).buffer(0)
        g = unary_union([p for p in polygons(g) if p.area > 0.05e6])  # drop slivers < 0.05 km2
        if g.is_empty:
            print("%s: no territorial sea in the region box" % a3, file=sys.stderr)
            continue
        done.append(g)
        ll = transform(inv, g)
        out.append((a3, ll, g))

    # Geodesic check of the 12 nm limit: outer-edge vertices away from the
    # equidistance lines and the box edge lie 12 nm (on WGS 84) from the
    # nearest coast.
    all_coast = unary_union(list(coast.values()))
    devs = []
    for a3, ll, g in out:
        shrink = region_p.exterior.buffer(1000)
        others = unary_union([h for b3, _, h in out if b3 != a3]).buffer(1000) if len(out) > 1 else None
        for p in polygons(g):
            cs = list(p.exterior.coords)
            for xy in cs[:: max(1, len(cs) // 60)]:
                q = Point(xy)
                if q.distance(all_land) < 1000 or q.distance(shrink) < 1 or (others and q.intersects(others)):
                    continue
                n = nearest_points(q, all_coast)[1]
                lon1, lat1 = inv(q.x, q.y)
                lon2, lat2 = inv(n.x, n.y)
                devs.append(geod.inv(lon1, lat1, lon2, lat2)[2] - RADIUS)
                if abs(devs[-1]) > 200:
                    print("  %s vertex %.4fN %.4fE: %+.0f m" % (a3, lat1, lon1, devs[-1]), file=sys.stderr)
    if devs:
        print("geodesic check: %d outer-edge vertices, distance to coast minus 12 nm: min %+.0f m, max %+.0f m"
              % (len(devs), min(devs), max(devs)), file=sys.stderr)

    names = {v[0]: v[1] for v in STATES.values()}
    removed_note = ("The disputed islands Abu Musa, Greater Tunb and Lesser Tunb (administered by Iran, "
                    "claimed by the UAE) are removed from the coastline input, so waters generated only "
                    "by them belong to no feature; this file takes no position on sovereignty.")
    gshhg_note = ""
    if a.gshhg:
        gshhg_note = ("Islands Natural Earth lacks are added from GSHHG 2.3.7 full resolution (Debian package "
                      "gmt-gshhg-full, LGPL-3+), dumped with GMT's `gmt coast -Df -M -W`: closed shorelines of at "
                      "least 0.05 km2 more than 3 km from Natural Earth land, each given to the state whose Natural "
                      "Earth land is nearest provided that land is within 24 nm and every other state's land is at "
                      "least twice as far (otherwise left out, e.g. Sir Abu Nu'ayr). ")
    feats = []
    for a3, ll, g in out:
        nv = sum(len(p.exterior.coords) + sum(len(r.coords) for r in p.interiors) for p in polygons(ll))
        geom = mapping(ll)

        def rnd(c):
            if isinstance(c[0], (int, float)):
                return [round(c[0], 5), round(c[1], 5)]
            return [rnd(x) for x in c]

        geom = {"type": geom["type"], "coordinates": rnd(geom["coordinates"])}
        print("%s: %d polygons, %d vertices, %.0f km2" % (a3, len(polygons(g)), nv, g.area / 1e6),
              file=sys.stderr)
        n_added = sum(1 for b3, _, _ in added if b3 == a3)
        props = {
            "kind": "territorial_sea",
            "name": "%s territorial sea (12 nm, approximate)" % names[a3],
            "country": a3,
            "source": ("Generated by internal/zone/regions/gen/territorial_seas.py from the Natural Earth "
                       "1:10m admin-0 countries coastline (npm world-atlas@2.0.2 countries-10m.json, "
                       "public domain): sea within 12 nautical miles (22 224 m) of the state's land "
                       "(mainland and the islands Natural Earth assigns to it), minus land; where belts "
                       "of two states overlap, split by equidistance (Voronoi partition of coastline "
                       "points every 250 m). " + gshhg_note + removed_note),
            "accuracy": ("Approximation, not a legal limit; not for navigation. Measured from the Natural "
                         "Earth 1:10m coastline as a stand-in for the low-water line (its coordinates are "
                         "quantised to about 0.0036 deg of longitude and 0.0017 deg of latitude, a few hundred "
                         "metres), not from the straight baselines of Iran's 1973 decree or Oman's 1981 decree, "
                         "so where those baselines run outside the coast the real limit lies farther out. "
                         "The split between states is an equidistance approximation, not the 1974 Iran-Oman "
                         "treaty line (its coordinates could not be sourced) nor any other agreed boundary. "
                         "Distances on WGS 84 via a conformal projection (scale error under 0.1 %); outer limit "
                         "within about 60 m of 12 nm; simplified to 150 m; clipped to the region box "
                         "lon 53.5-62.5E, lat 22-28N, so belts continue beyond its edges."),
            "generated": a.date,
            "disputed_islands_excluded": ["Abu Musa", "Greater Tunb", "Lesser Tunb"],
        }
        if a.gshhg:
            props["gshhg_islands_added"] = n_added
        feats.append({"type": "Feature", "id": "ts-" + a3.lower(), "geometry": geom, "properties": props})
    desc = ("Approximate 12 nm territorial seas of the states around the Strait of Hormuz, built from the "
            "Natural Earth 1:10m coastline%s with an equidistance split. Not for navigation; takes no position "
            "on sovereignty: the waters of Abu Musa and the Tunbs are in no feature. See README.md beside this "
            "file." % (" (plus small islands from GSHHG full resolution)" if a.gshhg else ""))
    fc = {
        "type": "FeatureCollection",
        "name": "territorial-seas",
        "description": desc,
        "features": feats,
    }
    with open(a.out, "w") as w:
        json.dump(fc, w, separators=(",", ":"))
        w.write("\n")
    print("wrote %s (%d bytes)" % (a.out, os.path.getsize(a.out)), file=sys.stderr)


if __name__ == "__main__":
    main()
