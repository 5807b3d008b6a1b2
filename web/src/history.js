// History: a time slider that replays a past window from the store. The
// fixes of every vessel in view come from /api/history (page by page)
// and the events of the window from /api/events?from=&to=; while
// replaying the live stream is held back, and it resumes on leaving.
import { t } from "./i18n.js";
import { utc } from "./format.js";
import { fetchJSON } from "./util.js";

// maxPages bounds the pages of /api/history fetched for one window (of
// up to 200,000 fixes each).
const maxPages = 5;

// fetchWindow returns the fixes in box between from and to, in time
// order, grouped by vessel: {mmsi: {times, coords, sog, cog, heading}}.
async function fetchWindow(box, from, to) {
  const byMMSI = new Map();
  let start = Math.floor(from);
  for (let page = 0; page < maxPages; page++) {
    const r = await fetchJSON(`/api/history?bbox=${box.join(",")}&from=${start}&to=${Math.ceil(to)}&limit=200000`);
    for (const f of r.fixes || []) {
      let tr = byMMSI.get(f.mmsi);
      if (!tr) byMMSI.set(f.mmsi, (tr = { times: [], coords: [], sog: [], cog: [], heading: [] }));
      tr.times.push(f.time); tr.coords.push([f.lon, f.lat]);
      tr.sog.push(f.sog); tr.cog.push(f.cog); tr.heading.push(f.heading);
    }
    const last = r.fixes?.[r.fixes.length - 1];
    if (!r.truncated || !last) break;
    start = last.time + 1; // the fixes of that millisecond past the page are lost; rare
  }
  return byMMSI;
}

let app, tracks = [], from = 0, to = 0, playTimer = 0;

export function startHistory(a) {
  app = a;
  const toggle = document.getElementById("history-toggle");
  const slider = document.getElementById("slider");
  const play = document.getElementById("play");
  toggle.addEventListener("click", () => (app.replaying ? leave() : enter()));
  slider.addEventListener("input", () => show(time()));
  play.addEventListener("click", () => {
    if (playTimer) { clearInterval(playTimer); playTimer = 0; play.textContent = "▶"; return; }
    play.textContent = "⏸";
    playTimer = setInterval(() => {
      slider.value = Math.min(1000, Number(slider.value) + 2);
      show(time());
      if (Number(slider.value) >= 1000) play.click();
    }, 100);
  });
  app.replayAt = (ms) => { slider.value = Math.round(((ms - from) / (to - from)) * 1000); show(time()); };
}

function time() {
  return from + (to - from) * (Number(document.getElementById("slider").value) / 1000);
}

async function enter() {
  const hours = Number(document.getElementById("window").value);
  to = app.dataTime || Date.now();
  from = to - hours * 3600 * 1000;
  app.replaying = true;
  document.body.classList.add("replaying");
  const toggle = document.getElementById("history-toggle");
  toggle.dataset.i18n = "live";
  toggle.textContent = t("live");
  const b = app.map.getBounds();
  const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));
  const box = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)];
  tracks = [];
  try {
    for (const [mmsi, tr] of await fetchWindow(box, from, to)) {
      const v = app.vessels.get(mmsi) || { mmsi, kind: "", name: "", cat: "unknown", flag: "" };
      tracks.push({ v, coords: tr.coords, p: tr });
    }
  } catch (err) {
    console.error("history", err);
  }
  try {
    const r = await fetchJSON(`/api/events?from=${Math.floor(from)}&to=${Math.ceil(to)}&limit=500`);
    app.setEvents(r.events || []);
  } catch { /* no events endpoint: vessels only */ }
  document.getElementById("slider").disabled = false;
  document.getElementById("slider").value = 0;
  show(from);
}

function leave() {
  if (playTimer) document.getElementById("play").click();
  app.replaying = false;
  document.body.classList.remove("replaying");
  const toggle = document.getElementById("history-toggle");
  toggle.dataset.i18n = "history";
  toggle.textContent = t("history");
  document.getElementById("slider").disabled = true;
  document.getElementById("replay-time").textContent = "";
  tracks = [];
  app.replayTime = 0;
  app.setVessels(app.vessels.values());
  app.resume?.();
  fetchJSON("/api/events?limit=500").then((r) => app.setEvents(r.events || [])).catch(() => {});
}

// show draws each vessel where it was at time ms: its last fix at or
// before ms, left out before its first.
function show(ms) {
  const list = [];
  for (const { v, coords, p } of tracks) {
    const times = p.times;
    let lo = 0, hi = times.length - 1, i = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= ms) { i = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (i < 0) continue;
    list.push({ ...v, lon: coords[i][0], lat: coords[i][1], time: times[i], sog: p.sog[i] ?? undefined, cog: p.cog[i] ?? undefined, heading: p.heading[i] ?? undefined });
  }
  app.setVessels(list);
  document.getElementById("replay-time").textContent = utc(ms);
  app.replayTime = ms;
  app.renderEvents?.();
}
