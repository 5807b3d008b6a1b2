// The event list: GET /api/events to start, /api/events/stream live,
// coloured (and, unless muted, sounded) by severity with distress always
// on top; a click zooms to the event and draws its evidence; events are
// acknowledged with a comment.
import * as maplibregl from "maplibre-gl";
import { t } from "./i18n.js";
import { knots, nm, position, utc } from "./format.js";
import { el, fetchJSON, store } from "./util.js";

const severityRank = { distress: 0, alarm: 1, info: 2 };
const trackColours = ["#ff5252", "#40c4ff", "#69f0ae", "#ffd740"];

// events holds the latest state of each event by id.
const events = new Map();
let app;
let selected = "";
let muted = store.get("muted", "0") === "1";

export function startEvents(a) {
  app = a;
  app.events = events;
  app.showEvent = showEvent;
  app.renderEvents = render;
  app.setEvents = (list) => { events.clear(); for (const e of list) events.set(e.id, e); render(); };
  const mute = document.getElementById("mute");
  const label = () => { mute.dataset.i18n = muted ? "unmute" : "mute"; mute.textContent = t(mute.dataset.i18n); mute.setAttribute("aria-pressed", String(muted)); };
  label();
  mute.addEventListener("click", () => { muted = !muted; store.set("muted", muted ? "1" : "0"); label(); });
  document.addEventListener("languagechange", () => {
    render();
    const box = document.getElementById("event-detail");
    if (!box.hidden && events.has(box.dataset.id)) detail(events.get(box.dataset.id));
  });
  load();
}

async function load() {
  let r;
  try {
    r = await fetchJSON("/api/events?limit=500");
  } catch (err) {
    const list = document.getElementById("events");
    list.replaceChildren(el("li", "muted", t(err.status === 404 ? "eventsUnavailable" : "noEvents")));
    setTimeout(load, 30000); // the server may gain events later
    return;
  }
  for (const e of r.events || []) events.set(e.id, e);
  render();
  follow();
}

function follow() {
  const es = new EventSource("/api/events/stream");
  es.addEventListener("event", (m) => {
    let e;
    try { e = JSON.parse(m.data); } catch { return; }
    if (!e?.id) return;
    const isNew = !events.has(e.id);
    if (e.state === "retract") events.delete(e.id); else events.set(e.id, e);
    if (isNew && e.state !== "retract" && !app.replaying) beep(e.severity);
    render();
  });
}

// sorted returns the events with distress first, then newest start first.
function sorted() {
  return [...events.values()].sort((a, b) =>
    (a.severity === "distress" ? 0 : 1) - (b.severity === "distress" ? 0 : 1) || b.start - a.start);
}

// render lists the events; while history is replayed, those that had
// started by the slider's time.
function render() {
  const list = document.getElementById("events");
  const all = sorted().filter((e) => !app.replaying || !app.replayTime || e.start <= app.replayTime);
  list.replaceChildren();
  if (!all.length) list.append(el("li", "muted", t("noEvents")));
  for (const e of all.slice(0, 300)) {
    const li = el("li", `event sev-${e.severity || "info"}${e.id === selected ? " selected" : ""}${e.acks?.length ? " acked" : ""}`);
    li.dataset.id = e.id;
    li.dataset.type = e.type;
    const title = el("div", "event-title");
    title.append(el("span", "sev", t("s_" + (e.severity || "info"))), el("span", null, " " + t("t_" + e.type)));
    const meta = el("div", "event-meta");
    const who = el("bdi", null, (e.vessels || []).join(", "));
    meta.append(who, document.createTextNode(" · " + utc(e.start) + (e.state === "close" ? "" : " · " + t("open"))));
    li.append(title, meta);
    li.addEventListener("click", () => showEvent(e.id));
    list.append(li);
  }
}

// beep sounds a short tone for alarms and a repeated one for distress.
function beep(severity) {
  if (muted || severity === "info") return;
  try {
    const ctx = (beep.ctx ??= new AudioContext());
    const n = severity === "distress" ? 3 : 1;
    for (let i = 0; i < n; i++) {
      const o = ctx.createOscillator(), g = ctx.createGain();
      o.frequency.value = severity === "distress" ? 1040 : 760;
      g.gain.value = 0.08;
      o.connect(g).connect(ctx.destination);
      o.start(ctx.currentTime + i * 0.3);
      o.stop(ctx.currentTime + i * 0.3 + 0.18);
    }
  } catch { /* no audio */ }
}

// showEvent zooms to an event and draws its evidence: the evidence fixes,
// each vessel's track over the event (both tracks of an encounter), the
// silent stretch of a gap, and the figures in the detail box.
export async function showEvent(id) {
  const e = events.get(id);
  if (!e) return;
  selected = id;
  render();
  const feats = [];
  const coords = [];
  const byVessel = new Map();
  for (const f of e.evidence?.fixes || []) {
    if (!Number.isFinite(f.lat) || !Number.isFinite(f.lon)) continue;
    if (!byVessel.has(f.mmsi)) byVessel.set(f.mmsi, []);
    byVessel.get(f.mmsi).push(f);
    coords.push([f.lon, f.lat]);
  }
  const colourOf = (mmsi) => trackColours[Math.max(0, (e.vessels || []).indexOf(mmsi)) % trackColours.length];
  for (const [mmsi, fixes] of byVessel) {
    fixes.sort((a, b) => a.time - b.time);
    for (const f of fixes) feats.push({ type: "Feature", geometry: { type: "Point", coordinates: [f.lon, f.lat] }, properties: { colour: colourOf(mmsi) } });
    if (e.type === "gap" && fixes.length >= 2) {
      feats.push({ type: "Feature", geometry: { type: "LineString", coordinates: fixes.map((f) => [f.lon, f.lat]) }, properties: { role: "silent", colour: "#ff5252" } });
    }
  }
  if (Number.isFinite(e.lat) && Number.isFinite(e.lon)) coords.push([e.lon, e.lat]);
  const source = app.map.getSource("evidence");
  app.evidence = feats;
  source.setData({ type: "FeatureCollection", features: feats });
  fit(coords);
  detail(e);
  // The tracks around the event, fetched after the zoom so it is instant.
  const pad = 30 * 60 * 1000;
  const from = e.start - pad, to = (e.end || app.dataTime || e.start) + pad;
  const tracks = await Promise.all((e.vessels || []).slice(0, 4).map((m) =>
    fetchJSON(`/api/vessels/${m}/track?from=${from}&to=${Math.max(to, from + 1)}`).catch(() => null)));
  if (selected !== id) return;
  const near = [];
  tracks.forEach((tr, i) => {
    if (!tr?.geometry || tr.geometry.type !== "LineString") return;
    const mmsi = e.vessels[i];
    feats.unshift({ type: "Feature", geometry: tr.geometry, properties: { colour: colourOf(mmsi), role: "track" } });
    // Frame the tracks within ten minutes of the event, not all of them.
    tr.properties.times.forEach((t, k) => {
      if (t >= e.start - 600000 && t <= (e.end || e.start) + 600000) near.push(tr.geometry.coordinates[k]);
    });
  });
  app.evidence = feats;
  source.setData({ type: "FeatureCollection", features: feats });
  if (near.length) fit([...coords, ...near]);
}

function fit(coords) {
  if (!coords.length) return;
  const b = new maplibregl.LngLatBounds(coords[0], coords[0]);
  for (const c of coords) b.extend(c);
  app.map.fitBounds(b, { padding: 80, maxZoom: 12, duration: 500 });
}

function detail(e) {
  const box = document.getElementById("event-detail");
  box.hidden = false;
  box.dataset.id = e.id;
  const head = el("div", "panel-head");
  head.append(el("strong", null, `${t("s_" + (e.severity || "info"))} · ${t("t_" + e.type)}`));
  const x = el("button", "close", "×");
  x.addEventListener("click", () => {
    box.hidden = true;
    selected = "";
    app.map.getSource("evidence").setData({ type: "FeatureCollection", features: [] });
    render();
  });
  head.append(x);
  const dl = el("dl", "facts");
  const add = (k, v, raw) => {
    const dd = el("dd");
    const b = el("bdi", null, v);
    if (raw) b.dir = "ltr";
    dd.append(b);
    dl.append(el("dt", null, t(k)), dd);
  };
  add("mmsi", (e.vessels || []).join(", "), true);
  add("type", t("t_" + e.type));
  add("started", utc(e.start), true);
  add("ended", e.end ? utc(e.end) : t("open"), true);
  if (Number.isFinite(e.lat)) add("position", position(e.lat, e.lon), true);
  if (e.confidence != null) add("confidence", `${Math.round(e.confidence * 100)}%`, true);
  const figs = el("ul", "figures");
  for (const f of e.evidence?.figures || []) figs.append(el("li", null, `${f.name}: ${figure(f.value, f.unit)} ${f.op || ""} ${f.threshold != null ? figure(f.threshold, f.unit) : ""}`));
  const text = e.evidence?.text ? el("p", "evidence-text", e.evidence.text) : "";
  const acks = el("ul", "acks");
  for (const a of e.acks || []) acks.append(el("li", null, `${utc(a.time)} ${a.by || ""}: ${a.comment || ""}`));
  const form = el("form", "ack");
  const input = el("input");
  input.placeholder = t("comment");
  input.name = "comment";
  const btn = el("button", null, t("ack"));
  btn.type = "submit";
  form.append(input, btn);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const upd = await fetchJSON(`/api/events/${encodeURIComponent(e.id)}/ack`, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ comment: input.value }),
      });
      events.set(upd.id, upd);
      render();
      detail(upd);
    } catch (err) {
      btn.textContent = err.message;
    }
  });
  box.replaceChildren(head, dl, el("h4", null, t("evidence")), figs, text, acks, form);
}

function figure(v, unit) {
  if (typeof v !== "number") return String(v ?? "");
  if (unit === "nm") return nm(v);
  if (unit === "kn") return knots(v);
  return `${Math.round(v * 100) / 100}${unit ? " " + unit : ""}`;
}
