// The straitwatch common operational picture: a MapLibre map of the
// region's land (shipped with the app), the server's zones, every live
// vessel from /api/vessels kept moving by /api/stream, events, history
// replay and the watch officer's tools. It requests nothing from any host
// but the server that serves it.
import * as maplibregl from "maplibre-gl";
import { setLanguage, t, language, languages } from "./i18n.js";
import { clock, category, categories, colours, position } from "./format.js";
import { addIcons } from "./icons.js";
import { VesselLayer } from "./vessellayer.js";
import { LandLayer, parseLand } from "./landlayer.js";
import { openPanel, closePanel, showTrail } from "./panel.js";
import { startEvents } from "./events.js";
import { startHistory } from "./history.js";
import { startMeasure } from "./measure.js";
import { fetchJSON, store } from "./util.js";

// region is the box the app ships land for and streams, [minLon, minLat, maxLon, maxLat].
export const region = [46, 19, 66, 31];
// darkAfter is how long a vessel may go unheard before it counts as dark.
const darkAfter = 10 * 60 * 1000;

maplibregl.setWorkerUrl(new URL("maplibre-gl-worker.mjs", import.meta.url).href);

// app is the shared state of the page, also reachable as window.straitwatch
// for the browser tests and the performance measurement.
export const app = {
  map: null,
  vessels: new Map(), // mmsi -> vessel
  dataTime: 0, // newest event time seen, UNIX ms: the picture's clock
  filters: { cat: "", flag: "", minSpeed: "", maxSpeed: "", zone: "", dark: "" },
  zones: null,
  replaying: false,
  selected: 0, // the MMSI of the vessel whose panel is open
  drawn: [], // the features last set on the vessel layer
  trail: null, // the track drawn as a trail
  evidence: [], // the features drawn as an event's evidence
  stats: { updates: 0, fixes: 0, lastMs: 0, totalMs: 0, maxMs: 0, firstPicture: 0, loaded: 0, fetched: 0, mapLoad: 0, styleLoad: 0, landLoad: 0, frames: 0 },
  selectVessel: null,
  setVessels: null,
};
window.straitwatch = app;

const theme = store.get("theme", "dark");
document.documentElement.dataset.theme = theme;
const lang = setLanguage(store.get("lang", navigatorLanguage()));
const langSelect = document.getElementById("lang");
langSelect.value = lang;
langSelect.addEventListener("change", () => {
  store.set("lang", setLanguage(langSelect.value));
  document.dispatchEvent(new Event("languagechange"));
});

function navigatorLanguage() {
  const l = (navigator.language || "en").slice(0, 2);
  return languages.includes(l) ? l : "en";
}

const palette = {
  dark: { water: "#0a1929", land: "#1f2b38", coast: "#3f5670", border: "#6b7f95", zone: "#4fc3f7" },
  light: { water: "#b9d3e8", land: "#f2efe6", coast: "#8a9aa8", border: "#a0887a", zone: "#0277bd" },
};

const map = new maplibregl.Map({
  container: "map",
  hash: "map",
  center: [56.4, 26.3],
  zoom: 7,
  attributionControl: false,
  style: {
    version: 8,
    sources: {},
    layers: [
      { id: "water", type: "background", paint: { "background-color": palette[theme].water } },

    ],
  },
});
app.map = map;
map.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), "bottom-right");
map.addControl(new maplibregl.ScaleControl({ unit: "nautical" }), "bottom-left");
map.addControl(new maplibregl.AttributionControl({ compact: true, customAttribution: "Natural Earth (public domain)" }));

const layer = new VesselLayer(categories, colours);
app.layer = layer;

// The land is fetched at once and drawn by its own layer (see
// landlayer.js): no worker has to tile it before the first picture.
const landColours = (p) => ({ land: p.land, coast: p.coast, border: p.border });
const land = new LandLayer(landColours(palette[theme]));
fetch(new URL("land.bin", import.meta.url))
  .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`land.bin: ${r.status}`))))
  .then((b) => { land.setData(parseLand(b)); app.stats.landLoad = performance.now(); })
  .catch((err) => console.error("land", err));

// rotation is the heading, else the course when the vessel moves, else null.
function rotation(v) {
  if (v.heading != null && v.heading < 360) return v.heading;
  if (v.cog != null && v.cog < 360 && (v.sog ?? 0) >= 0.5) return v.cog;
  return null;
}

// rowReader returns a function that turns a vessel of
// /api/vessels?format=compact, an array of the members named in fields,
// into the page's form. The indexes are looked up once per response: the
// first picture turns tens of thousands of rows.
export function rowReader(fields) {
  const at = (name) => fields.indexOf(name);
  const [m, k, n, ty, fl, tm, la, lo, sg, cg, hd, st] =
    ["mmsi", "kind", "name", "ship_type", "flag", "time", "lat", "lon", "sog", "cog", "heading", "status"].map(at);
  const val = (row, i) => (i < 0 || row[i] === null ? undefined : row[i]);
  return (row) => {
    const type = val(row, ty), kind = val(row, k);
    return {
      mmsi: row[m], kind, name: val(row, n) || "", type, cat: category(type, kind), flag: val(row, fl) || "",
      lat: val(row, la), lon: val(row, lo), sog: val(row, sg), cog: val(row, cg), heading: val(row, hd),
      status: val(row, st), time: val(row, tm) || 0,
    };
  };
}

// vesselOf turns a vessel from /api/vessels into the page's form.
export function vesselOf(j) {
  const s = j.static || {};
  const l = j.last || {};
  return {
    mmsi: j.mmsi, kind: j.kind, name: s.name || "", type: s.ship_type, cat: category(s.ship_type, j.kind),
    flag: j.flag || "", lat: l.lat, lon: l.lon, sog: l.sog, cog: l.cog, heading: l.heading, status: l.status,
    time: l.time || j.last_seen || 0,
  };
}

function hasPosition(v) {
  return Number.isFinite(v.lat) && Number.isFinite(v.lon) && Math.abs(v.lat) <= 85 && Math.abs(v.lon) <= 180;
}

// alpha is how a vessel is drawn under the filters: 0 hidden, faded when
// dark, else 1.
let pass = null;
function alpha(v) {
  if (pass !== null && !pass(v)) return 0;
  return v.time < app.dataTime - darkAfter ? 0.35 : 1;
}

function draw(v) {
  layer.set(v.mmsi, v.lon, v.lat, rotation(v), v.cat, alpha(v), v.mmsi === app.selected);
}

// setVessels replaces the drawn vessels with list (live or replayed).
function setVessels(list) {
  layer.clear();
  const drawn = [];
  for (const v of list) {
    if (!hasPosition(v)) continue;
    drawn.push(v);
    draw(v);
  }
  app.drawn = drawn;
  map.triggerRepaint();
  showCount();
}
app.setVessels = setVessels;

function showCount() {
  document.getElementById("count").textContent = `${app.drawn.length} ${t("vessels")}`;
}
document.addEventListener("languagechange", showCount);

// redraw draws every vessel again: after a filter changes, and now and
// then so that vessels that fell silent fade.
function redraw() {
  for (const v of app.drawn) draw(v);
  map.triggerRepaint();
}

// Names next to the vessels from labelZoom on, as HTML (the map has no
// glyphs to draw text with), at most maxLabels of them.
const labelZoom = 10;
const maxLabels = 150;
const labels = document.createElement("div");
labels.className = "labels";
map.getCanvasContainer().append(labels);
function placeLabels() {
  let n = 0;
  if (map.getZoom() >= labelZoom) {
    const b = map.getBounds();
    const taken = new Set(); // coarse cells already labelled: no pile-ups
    for (const v of app.drawn) {
      if (n >= maxLabels) break;
      if (!v.name || !b.contains([v.lon, v.lat]) || alpha(v) === 0) continue;
      const p = map.project([v.lon, v.lat]);
      const cell = `${Math.floor(p.x / 110)},${Math.floor(p.y / 16)}`;
      if (taken.has(cell)) continue;
      taken.add(cell);
      const el = labels.children[n] ?? labels.appendChild(document.createElement("div"));
      if (el.textContent !== v.name) el.textContent = v.name;
      el.style.transform = `translate(${Math.round(p.x + 12)}px, ${Math.round(p.y - 8)}px)`;
      n++;
    }
  }
  while (labels.children.length > n) labels.lastChild.remove();
}
map.on("render", placeLabels);

// fetchBox returns the vessels in box, splitting it in four while the
// API says its limit truncated the answer.
let pageLimit = 10000; // lowered if the server allows fewer
async function fetchBox(box, depth = 0) {
  let r;
  try {
    r = await fetchJSON(`/api/vessels?bbox=${box.join(",")}&limit=${pageLimit}&format=compact`);
  } catch (err) {
    if (err.status !== 400 || pageLimit <= 1000) throw err;
    pageLimit = 1000; // a server configured with a lower max_limit
    return fetchBox(box, depth);
  }
  // A server that does not know format=compact answers in full.
  const list = (r.vessels || []).map(r.fields ? rowReader(r.fields) : vesselOf);
  if (!r.truncated || depth >= 4) return list;
  const [x0, y0, x1, y1] = box, xm = (x0 + x1) / 2, ym = (y0 + y1) / 2;
  const parts = await Promise.all([[x0, y0, xm, ym], [xm, y0, x1, ym], [x0, ym, xm, y1], [xm, ym, x1, y1]].map((b) => fetchBox(b, depth + 1)));
  return parts.flat();
}

// fetchRegion fetches the region as 4 x 4 boxes at once: with many
// vessels, a first request for the whole region would only be truncated.
async function fetchRegion() {
  const [x0, y0, x1, y1] = region, boxes = [];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      boxes.push([x0 + ((x1 - x0) * i) / 4, y0 + ((y1 - y0) * j) / 4, x0 + ((x1 - x0) * (i + 1)) / 4, y0 + ((y1 - y0) * (j + 1)) / 4]);
    }
  }
  return (await Promise.all(boxes.map((b) => fetchBox(b, 1)))).flat();
}

// firstLoad is the first fetch of the picture, started before the map is
// ready so that both load at once; firstReady puts it in the vessel layer
// as soon as it arrives (the layer's arrays need no GL context), so that
// this main-thread work overlaps the map's worker tiling the land.
const firstLoad = fetchRegion();
firstLoad.then(() => { app.stats.fetched = performance.now(); }, () => {});
const firstReady = firstLoad.then((list) => loadVessels(Promise.resolve(list)));

// loadVessels fetches the live picture of the region.
async function loadVessels(pending) {
  const list = await (pending ?? fetchRegion());
  app.vessels.clear();
  for (const v of list) {
    app.vessels.set(v.mmsi, v);
    if (v.time > app.dataTime) app.dataTime = v.time;
  }
  if (!app.replaying) setVessels(app.vessels.values());
  app.stats.loaded = performance.now();
}

// apply draws a batch of fixes from the stream worker: typed arrays of
// MMSI, time, position, speed, course, heading (NaN when not available)
// and navigational status (-1 when absent).
function apply(b) {
  const start = performance.now();
  let added = false;
  const opt = (x) => (Number.isNaN(x) ? undefined : x);
  for (let i = 0; i < b.n; i++) {
    const mmsi = b.mmsi[i];
    let v = app.vessels.get(mmsi);
    if (!v) {
      v = { mmsi, kind: "", name: "", cat: "unknown", flag: "" };
      app.vessels.set(mmsi, v);
    }
    const wasDrawn = hasPosition(v);
    v.lat = b.lat[i]; v.lon = b.lon[i]; v.time = b.time[i];
    v.sog = opt(b.sog[i]); v.cog = opt(b.cog[i]); v.heading = opt(b.heading[i]);
    v.status = b.status[i] < 0 ? undefined : b.status[i];
    if (v.time > app.dataTime) app.dataTime = v.time;
    if (!hasPosition(v)) continue;
    if (!wasDrawn) { app.drawn.push(v); added = true; }
    layer.setMercator(mmsi, b.x[i], b.y[i], rotation(v), v.cat, alpha(v), mmsi === app.selected);
  }
  map.triggerRepaint();
  if (added) showCount();
  const ms = performance.now() - start;
  const s = app.stats;
  s.updates++; s.fixes += b.n; s.lastMs = ms; s.totalMs += ms; s.maxMs = Math.max(s.maxMs, ms);
}

// held keeps the batches that arrive while history is replayed.
const held = [];

// applyFilters builds the filter from the form and draws again.
export function applyFilters() {
  const f = app.filters;
  const tests = [];
  if (f.cat) tests.push((v) => v.cat === f.cat);
  if (f.flag) { const flag = f.flag.toUpperCase(); tests.push((v) => v.flag === flag); }
  if (f.minSpeed !== "") { const n = Number(f.minSpeed); tests.push((v) => v.sog != null && v.sog >= n); }
  if (f.maxSpeed !== "") { const n = Number(f.maxSpeed); tests.push((v) => v.sog != null && v.sog <= n); }
  if (f.dark === "dark") tests.push((v) => v.time < app.dataTime - darkAfter);
  if (f.dark === "heard") tests.push((v) => v.time >= app.dataTime - darkAfter);
  if (f.zone && app.zones) {
    const z = app.zones.features.find((z) => String(z.properties.id) === f.zone);
    if (z) tests.push((v) => inside(z.geometry, v.lon, v.lat));
  }
  pass = tests.length ? (v) => tests.every((fn) => fn(v)) : null;
  redraw();
}

// inside reports whether a point is in a Polygon or MultiPolygon.
function inside(g, x, y) {
  const inRing = (ring) => {
    let c = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i], [xj, yj] = ring[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
    }
    return c;
  };
  const inPoly = (rings) => inRing(rings[0]) && !rings.slice(1).some(inRing);
  if (g?.type === "Polygon") return inPoly(g.coordinates);
  if (g?.type === "MultiPolygon") return g.coordinates.some(inPoly);
  return false;
}

// connect follows /api/stream in a worker, which parses it off the main
// thread and reconnects with backoff when it drops; the header says so.
function connect() {
  const status = document.getElementById("conn");
  app.connLog = [];
  const worker = new Worker(new URL("stream-worker.js", import.meta.url), { type: "module" });
  worker.onmessage = (e) => {
    const m = e.data;
    if (m.type === "fixes") {
      if (app.replaying) held.push(m); else apply(m);
    } else if (m.type === "status") {
      app.connLog.push(m.key);
      status.dataset.i18n = m.key;
      status.textContent = t(m.key);
      status.className = "conn " + ({ connected: "ok", reconnecting: "bad" }[m.key] || "wait");
    } else if (m.type === "resync") {
      loadVessels().catch(() => {});
    }
  };
  worker.postMessage({ type: "start", url: new URL(`/api/stream?bbox=${region.join(",")}`, location.href).href });
  app.resume = () => { while (held.length && !app.replaying) apply(held.shift()); };
}

map.on("render", () => { app.stats.frames++; });
map.once("style.load", () => { app.stats.styleLoad = performance.now(); });
map.on("load", async () => {
  app.stats.mapLoad = performance.now();
  map.addLayer(land);
  addIcons(map);
  map.addSource("zones", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  map.addLayer({ id: "zone-fill", type: "fill", source: "zones", filter: ["in", "Polygon", ["geometry-type"]],
    paint: { "fill-color": zoneColour(), "fill-opacity": 0.12 } });
  map.addLayer({ id: "zone-line", type: "line", source: "zones", filter: ["!=", ["geometry-type"], "Point"],
    paint: { "line-color": zoneColour(), "line-width": 1.2, "line-dasharray": ["match", ["get", "kind"], "territorial_sea", ["literal", [4, 3]], ["literal", [1, 0]]] } });
  map.addLayer({ id: "zone-arrows", type: "symbol", source: "zones", filter: ["has", "direction"],
    layout: { "symbol-placement": "line", "symbol-spacing": 120, "icon-image": "arrow", "icon-size": 0.8, "icon-allow-overlap": true } });
  map.addLayer({ id: "zone-points", type: "circle", source: "zones", filter: ["==", ["geometry-type"], "Point"],
    paint: { "circle-radius": 3, "circle-color": "transparent", "circle-stroke-color": zoneColour(), "circle-stroke-width": 1.2 } });
  map.addSource("trail", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  map.addLayer({ id: "trail", type: "line", source: "trail", paint: { "line-color": "#ffd54f", "line-width": 2, "line-opacity": 0.9 } });
  map.addSource("evidence", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  map.addLayer({ id: "evidence-line", type: "line", source: "evidence", filter: ["in", "LineString", ["geometry-type"]],
    paint: { "line-color": ["coalesce", ["get", "colour"], "#ff5252"], "line-width": 2.5,
      "line-dasharray": ["case", ["==", ["get", "role"], "silent"], ["literal", [2, 2]], ["literal", [1, 0]]] } });
  map.addLayer({ id: "evidence-points", type: "circle", source: "evidence", filter: ["==", ["geometry-type"], "Point"],
    paint: { "circle-radius": 4, "circle-color": ["coalesce", ["get", "colour"], "#ff5252"], "circle-stroke-color": "#fff", "circle-stroke-width": 1 } });
  map.addLayer(layer);
  map.on("click", (e) => {
    if (app.measuring) return;
    const m = layer.pick(e.point);
    if (m) selectVessel(m);
  });
  // Hover: the pointer over a vessel, a zone's name and kind in the corner.
  const zoneTip = document.getElementById("zone-tip");
  map.on("mousemove", (e) => {
    map.getCanvas().style.cursor = app.measuring ? "crosshair" : layer.pick(e.point) ? "pointer" : "";
    const z = map.queryRenderedFeatures(e.point, { layers: ["zone-fill", "zone-points"] })[0];
    zoneTip.hidden = !z;
    if (z) zoneTip.textContent = `${z.properties.name || z.properties.id || ""} · ${z.properties.kind || ""}`;
  });
  map.on("mousemove", (e) => { document.getElementById("cursor").textContent = position(e.lngLat.lat, e.lngLat.lng); });

  loadZones();
  try {
    await firstReady;
  } catch (err) {
    console.error("vessels", err);
  }
  // The first picture is the first frame drawn with the vessels and the
  // land; the live stream starts after it.
  await new Promise((resolve) => {
    const first = () => {
      if (!land.loaded) return;
      map.off("render", first);
      resolve();
    };
    map.on("render", first);
    map.triggerRepaint();
    setTimeout(resolve, 10000);
  });
  app.stats.firstPicture = performance.now();
  document.body.dataset.ready = "1";
  connect();
  setInterval(() => { if (!app.replaying) redraw(); }, 15000);
  setInterval(() => { if (!app.replaying) loadVessels().catch(() => {}); }, 60000);
  startEvents(app);
  startHistory(app);
  startMeasure(app);
  const sel = new URLSearchParams(location.hash.slice(1)).get("v");
  if (sel) selectVessel(Number(sel), false);
});

function zoneColour() {
  return ["match", ["get", "kind"], "restricted_area", "#ff7043", "anchorage", "#9ccc65", "traffic_lane", "#ffca28",
    "territorial_sea", palette[document.documentElement.dataset.theme].zone, palette[document.documentElement.dataset.theme].zone];
}

// loadZones draws GET /api/zones and lists its polygons in the zone filter.
async function loadZones() {
  try {
    app.zones = await fetchJSON("/api/zones");
  } catch {
    return; // a server without zones: the map works without them
  }
  map.getSource("zones").setData(app.zones);
  const sel = document.getElementById("f-zone");
  for (const z of app.zones.features || []) {
    if (!/Polygon/.test(z.geometry?.type) || z.properties?.id == null) continue;
    const o = document.createElement("option");
    o.value = String(z.properties.id);
    o.textContent = z.properties.name || z.properties.id;
    sel.append(o);
  }
}

// selectVessel highlights a vessel, opens its panel and, with fly,
// centres the map on it.
export async function selectVessel(mmsi, fly = true) {
  const prev = app.vessels.get(app.selected);
  app.selected = mmsi;
  if (prev && hasPosition(prev)) draw(prev);
  const v = app.vessels.get(mmsi);
  if (v && hasPosition(v)) {
    draw(v);
    map.triggerRepaint();
    if (fly) map.flyTo({ center: [v.lon, v.lat], zoom: Math.max(map.getZoom(), 10), duration: 600 });
  }
  setHashParam("v", String(mmsi));
  await openPanel(app, mmsi, () => {
    const cur = app.vessels.get(app.selected);
    app.selected = 0;
    if (cur && hasPosition(cur)) { draw(cur); map.triggerRepaint(); }
    map.getSource("trail").setData({ type: "FeatureCollection", features: [] });
    setHashParam("v", null);
  });
}
app.selectVessel = selectVessel;
app.showTrail = showTrail;
app.closePanel = closePanel;

function setHashParam(k, v) {
  const p = new URLSearchParams(location.hash.slice(1));
  if (v == null) p.delete(k); else p.set(k, v);
  history.replaceState(null, "", "#" + p.toString().replaceAll("%2F", "/"));
}

// The header: search, theme, share, clock.
const search = document.getElementById("search");
const results = document.getElementById("results");
let searchTimer = 0;
search.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(runSearch, 200);
});
search.addEventListener("keydown", (e) => {
  if (e.key === "Enter") { clearTimeout(searchTimer); runSearch(); }
  if (e.key === "Escape") { results.hidden = true; }
});
async function runSearch() {
  const q = search.value.trim();
  if (!q) { results.hidden = true; return; }
  let r;
  try {
    r = await fetchJSON(`/api/vessels?q=${encodeURIComponent(q)}&limit=20`);
  } catch {
    return;
  }
  results.replaceChildren();
  for (const j of r.vessels || []) {
    const v = vesselOf(j);
    if (!app.vessels.has(v.mmsi)) app.vessels.set(v.mmsi, v);
    const li = document.createElement("li");
    li.className = "result";
    li.dataset.mmsi = v.mmsi;
    const name = document.createElement("bdi");
    name.textContent = v.name || String(v.mmsi);
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = ` ${v.mmsi} · ${t(v.cat)}`;
    li.append(name, meta);
    li.addEventListener("click", () => { results.hidden = true; selectVessel(v.mmsi); });
    results.append(li);
  }
  if (!results.children.length) {
    const li = document.createElement("li");
    li.textContent = t("noResults");
    results.append(li);
  }
  results.hidden = false;
}

document.getElementById("theme").addEventListener("click", () => {
  const next = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
  document.documentElement.dataset.theme = next;
  store.set("theme", next);
  const p = palette[next];
  map.setPaintProperty("water", "background-color", p.water);
  land.setColours(landColours(p));
  if (map.getLayer("zone-line")) for (const [l, prop] of [["zone-fill", "fill-color"], ["zone-line", "line-color"], ["zone-points", "circle-stroke-color"]]) map.setPaintProperty(l, prop, zoneColour());
});

document.getElementById("share").addEventListener("click", async () => {
  const btn = document.getElementById("share");
  try { await navigator.clipboard.writeText(location.href); } catch { /* no clipboard: the address bar has it */ }
  btn.textContent = t("copied");
  setTimeout(() => { btn.textContent = t("share"); }, 1500);
});

// The filter form.
const catSelect = document.getElementById("f-cat");
function fillCategories() {
  const cur = catSelect.value;
  catSelect.replaceChildren(new Option(t("all"), ""));
  for (const c of categories) catSelect.append(new Option(t(c), c));
  catSelect.value = cur;
}
fillCategories();
document.addEventListener("languagechange", fillCategories);
for (const [id, key] of [["f-cat", "cat"], ["f-flag", "flag"], ["f-min", "minSpeed"], ["f-max", "maxSpeed"], ["f-zone", "zone"], ["f-dark", "dark"]]) {
  document.getElementById(id).addEventListener("input", (e) => {
    app.filters[key] = e.target.value.trim();
    applyFilters();
  });
}

const clockEl = document.getElementById("clock");
setInterval(() => { clockEl.textContent = clock(Date.now()); }, 1000);
clockEl.textContent = clock(Date.now());
void language;
