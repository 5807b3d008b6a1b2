// The vessel panel: everything /api/vessels/{mmsi} knows of one vessel,
// and its trail on demand.
import { t, navStatusName } from "./i18n.js";
import { category, degrees, knots, position, utc } from "./format.js";
import { el, fetchJSON } from "./util.js";

const panel = () => document.getElementById("panel");
let onClose = null;
let current = 0;

export function closePanel() {
  panel().hidden = true;
  current = 0;
  const f = onClose;
  onClose = null;
  f?.();
}

// openPanel shows the vessel's details; close is called when it closes.
export async function openPanel(app, mmsi, close) {
  current = mmsi;
  onClose = close;
  const p = panel();
  p.hidden = false;
  p.dataset.mmsi = mmsi;
  let v;
  try {
    v = await fetchJSON(`/api/vessels/${mmsi}`);
  } catch (err) {
    p.replaceChildren(header(String(mmsi)), el("p", "muted", err.message));
    return;
  }
  if (current !== mmsi) return;
  render(app, v);
  document.addEventListener("languagechange", () => { if (current === mmsi && !p.hidden) render(app, v); }, { once: true });
}

function header(title) {
  const h = el("div", "panel-head");
  const name = el("bdi", "vessel-name", title);
  const x = el("button", "close", "×");
  x.title = t("close");
  x.addEventListener("click", closePanel);
  h.append(name, x);
  return h;
}

function render(app, v) {
  const s = v.static || {};
  const l = v.last || {};
  const p = panel();
  const rows = [];
  const row = (key, value, raw) => rows.push([key, value ?? t("none"), raw]);
  row("mmsi", String(v.mmsi), true);
  row("imo", s.imo ? String(s.imo) : null, true);
  row("callSign", s.call_sign || null, true);
  row("flag", [v.flag, v.country].filter(Boolean).join(" · ") || null, true);
  row("shipType", s.ship_type != null ? `${t(category(s.ship_type, v.kind))} (${s.ship_type})` : (v.kind === "aton" ? t("aton") : t("unknown")));
  const length = (s.to_bow ?? 0) + (s.to_stern ?? 0), beam = (s.to_port ?? 0) + (s.to_starboard ?? 0);
  row("size", length || beam ? `${length} × ${beam} m` : null);
  row("destination", s.destination || null, true);
  row("eta", s.eta || null, true);
  row("draught", s.draught != null ? `${s.draught} m` : null);
  row("navStatus", l.status != null ? navStatusName(l.status) : null);
  row("position", l.lat != null ? position(l.lat, l.lon) : null, true);
  row("sog", l.sog != null ? knots(l.sog) : null, true);
  row("cog", l.cog != null ? degrees(l.cog) : null, true);
  row("heading", l.heading != null ? degrees(l.heading) : null, true);
  row("lastSeen", v.last_seen ? utc(v.last_seen) : null, true);
  const heard = (v.heard_by || []).map((h) => `${h.name}${h.org ? " (" + h.org + ")" : ""}`).join(", ");
  row("heardBy", heard || (v.sources || []).join(", ") || null, true);

  const dl = el("dl", "facts");
  for (const [key, value, raw] of rows) {
    const dt = el("dt", null, t(key));
    dt.dataset.i18n = key;
    const dd = el("dd", null);
    const b = el(raw ? "bdi" : "span", null, value);
    if (raw) b.dir = "ltr";
    dd.append(b);
    dd.dataset.field = key;
    dl.append(dt, dd);
  }
  const trail = el("button", "trail", t("trail"));
  trail.dataset.i18n = "trail";
  trail.addEventListener("click", () => showTrail(app, v.mmsi));
  p.replaceChildren(header(s.name || String(v.mmsi)), dl, trail);
}

// showTrail draws the vessel's track over the six hours before the
// picture's clock (or the replayed window).
export async function showTrail(app, mmsi, from, to) {
  to ??= (app.dataTime || Date.now()) + 60000;
  from ??= to - 6 * 3600 * 1000;
  let tr;
  try {
    tr = await fetchJSON(`/api/vessels/${mmsi}/track?from=${Math.floor(from)}&to=${Math.ceil(to)}`);
  } catch {
    return;
  }
  app.trail = tr;
  app.map.getSource("trail").setData(tr.geometry ? tr : { type: "FeatureCollection", features: [] });
}
