// Builds the straitwatch web map into ../internal/ui/dist, the directory
// the Go binary embeds: the application bundle, MapLibre's worker, the
// stylesheet, the land and borders of the region clipped from Natural
// Earth (world-atlas) and triangulated (land.bin), and SOURCE_HASH, the hash of the sources the test
// in internal/ui recomputes to catch a stale bundle.
//
//	npm ci && npm run build
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import earcut from "earcut";
import { feature, mesh } from "topojson-client";

const here = new URL(".", import.meta.url).pathname;
const out = join(here, "..", "internal", "ui", "dist");

// The region shipped: the Persian Gulf, the Strait of Hormuz, the Gulf
// of Oman and the Arabian Sea approaches, in degrees.
const region = { minLon: 46, minLat: 19, maxLon: 66, maxLat: 31 };

// sourceFiles lists what the bundle is built from, as paths relative to
// web/ with forward slashes, sorted.
function sourceFiles() {
  const files = ["build.mjs", "package.json", "package-lock.json"];
  const walk = (dir) => {
    for (const name of readdirSync(join(here, dir))) {
      const p = dir + "/" + name;
      if (statSync(join(here, p)).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk("src");
  return files.sort();
}

// sourceHash is SHA-256 over each source file as path, NUL, length, NUL,
// content; internal/ui computes the same.
function sourceHash() {
  const h = createHash("sha256");
  for (const f of sourceFiles()) {
    const b = readFileSync(join(here, f));
    h.update(f + "\0" + b.length + "\0");
    h.update(b);
  }
  return h.digest("hex");
}

// clipRing clips a closed ring to the region (Sutherland-Hodgman against
// each edge of the box) and rounds to 1e-4 degree (about 11 m).
function clipRing(ring) {
  const edges = [
    [(p) => p[0] >= region.minLon, (a, b) => cut(a, b, 0, region.minLon)],
    [(p) => p[0] <= region.maxLon, (a, b) => cut(a, b, 0, region.maxLon)],
    [(p) => p[1] >= region.minLat, (a, b) => cut(a, b, 1, region.minLat)],
    [(p) => p[1] <= region.maxLat, (a, b) => cut(a, b, 1, region.maxLat)],
  ];
  let pts = ring;
  for (const [inside, cross] of edges) {
    const next = [];
    for (let i = 0; i < pts.length; i++) {
      const cur = pts[i], prev = pts[(i + pts.length - 1) % pts.length];
      if (inside(cur)) {
        if (!inside(prev)) next.push(cross(prev, cur));
        next.push(cur);
      } else if (inside(prev)) next.push(cross(prev, cur));
    }
    pts = next;
    if (pts.length === 0) return null;
  }
  const r = pts.map(([x, y]) => [Math.round(x * 1e4) / 1e4, Math.round(y * 1e4) / 1e4]);
  if (r.length < 3) return null;
  r.push(r[0]);
  return r;
}

// cut returns the point where segment a-b crosses coordinate axis = v.
function cut(a, b, axis, v) {
  const t = (v - a[axis]) / (b[axis] - a[axis]);
  const p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  p[axis] = v;
  return p;
}

function inRegion([x, y]) {
  return x >= region.minLon - 0.5 && x <= region.maxLon + 0.5 && y >= region.minLat - 0.5 && y <= region.maxLat + 0.5;
}

function land() {
  const topo = JSON.parse(readFileSync(join(here, "node_modules/world-atlas/land-10m.json")));
  const polys = [];
  const add = (rings) => {
    const clipped = rings.map(clipRing);
    if (clipped[0]) polys.push(clipped.filter(Boolean));
  };
  for (const f of feature(topo, topo.objects.land).features) {
    const g = f.geometry;
    if (g.type === "Polygon") add(g.coordinates);
    else for (const p of g.coordinates) add(p);
  }
  return { type: "Feature", properties: { source: "Natural Earth 1:10m land (public domain) via world-atlas 2.0.2" },
    geometry: { type: "MultiPolygon", coordinates: polys } };
}

// borders returns the land boundaries between countries in the region.
function borders() {
  const topo = JSON.parse(readFileSync(join(here, "node_modules/world-atlas/countries-10m.json")));
  const m = mesh(topo, topo.objects.countries, (a, b) => a !== b);
  const lines = [];
  for (const line of m.coordinates) {
    let cur = [];
    for (const p of line) {
      if (inRegion(p)) cur.push([Math.round(p[0] * 1e4) / 1e4, Math.round(p[1] * 1e4) / 1e4]);
      else if (cur.length) { if (cur.length > 1) lines.push(cur); cur = []; }
    }
    if (cur.length > 1) lines.push(cur);
  }
  return { type: "Feature", properties: { source: "Natural Earth 1:10m countries (public domain) via world-atlas 2.0.2" },
    geometry: { type: "MultiLineString", coordinates: lines } };
}

// mercator projects lon, lat in degrees to Web Mercator 0..1, as
// MapLibre's custom layers draw.
function mercator([lon, lat]) {
  const y = Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  return [(lon + 180) / 360, 0.5 - y / (2 * Math.PI)];
}

// landBinary triangulates the land (earcut, in Web Mercator) for
// web/src/landlayer.js and lists the coastline and borders as line
// segments, in the layout parseLand reads: five uint32 counts (triangle
// vertices, indices, coast vertices, border vertices, 0), then float32
// vertices, uint32 indices, float32 coast and border segment ends.
function landBinary(landFeature, bordersFeature) {
  const verts = [], idx = [], coast = [], bord = [];
  for (const poly of landFeature.geometry.coordinates) {
    const flat = [], holes = [];
    for (const ring of poly) {
      if (flat.length) holes.push(flat.length / 2);
      const pts = ring.slice(0, -1).map(mercator);
      for (const p of pts) flat.push(p[0], p[1]);
      for (let i = 0; i < pts.length; i++) {
        const a = pts[i], b = pts[(i + 1) % pts.length];
        coast.push(a[0], a[1], b[0], b[1]);
      }
    }
    const base = verts.length / 2;
    for (const i of earcut(flat, holes)) idx.push(base + i);
    verts.push(...flat);
  }
  for (const line of bordersFeature.geometry.coordinates) {
    const pts = line.map(mercator);
    for (let i = 0; i + 1 < pts.length; i++) bord.push(pts[i][0], pts[i][1], pts[i + 1][0], pts[i + 1][1]);
  }
  const head = new Uint32Array([verts.length / 2, idx.length, coast.length / 2, bord.length / 2, 0]);
  return Buffer.concat([head, new Float32Array(verts), new Uint32Array(idx), new Float32Array(coast), new Float32Array(bord)]
    .map((a) => Buffer.from(a.buffer)));
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: [join(here, "src/main.js")],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2022",
  outfile: join(out, "app.js"),
  legalComments: "eof",
  metafile: true,
  logLevel: "warning",
});
await build({
  entryPoints: [join(here, "src/stream-worker.js")], bundle: true, format: "esm", minify: true, target: "es2022",
  outfile: join(out, "stream-worker.js"), logLevel: "warning",
});
await build({ entryPoints: [join(here, "src/app.css")], bundle: true, minify: true, outfile: join(out, "app.css"), logLevel: "warning" });
copyFileSync(join(here, "node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs"), join(out, "maplibre-gl-worker.mjs"));
copyFileSync(join(here, "src/index.html"), join(out, "index.html"));
writeFileSync(join(out, "land.bin"), landBinary(land(), borders()));
writeFileSync(join(out, "SOURCE_HASH"), sourceHash() + "\n");
for (const f of readdirSync(out)) console.log(f.padEnd(24), statSync(join(out, f)).size);
void result;
