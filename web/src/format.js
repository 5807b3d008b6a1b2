// Units of the watch: degrees and decimal minutes, nautical miles, knots,
// true bearings and UTC.

const earthNM = 3440.065; // mean Earth radius in nautical miles
const rad = Math.PI / 180;

// ddm formats a latitude or longitude as degrees and decimal minutes,
// such as 26°33.250′N.
export function ddm(v, isLat) {
  if (v == null || !Number.isFinite(v)) return "—";
  const hemi = isLat ? (v < 0 ? "S" : "N") : (v < 0 ? "W" : "E");
  const a = Math.abs(v);
  let d = Math.floor(a);
  let m = (a - d) * 60;
  if (m >= 59.9995) { d += 1; m = 0; }
  const deg = String(d).padStart(isLat ? 2 : 3, "0");
  return `${deg}°${m.toFixed(3).padStart(6, "0")}′${hemi}`;
}

export function position(lat, lon) { return `${ddm(lat, true)} ${ddm(lon, false)}`; }

// distanceNM is the great-circle distance between two [lon, lat] points.
export function distanceNM(a, b) {
  const dLat = (b[1] - a[1]) * rad, dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * earthNM * Math.asin(Math.min(1, Math.sqrt(h)));
}

// bearing is the initial true bearing from a to b, 0-360 degrees.
export function bearing(a, b) {
  const y = Math.sin((b[0] - a[0]) * rad) * Math.cos(b[1] * rad);
  const x = Math.cos(a[1] * rad) * Math.sin(b[1] * rad) - Math.sin(a[1] * rad) * Math.cos(b[1] * rad) * Math.cos((b[0] - a[0]) * rad);
  return (Math.atan2(y, x) / rad + 360) % 360;
}

export function nm(v) { return v == null || !Number.isFinite(v) ? "—" : `${v < 10 ? v.toFixed(2) : v.toFixed(1)} nm`; }
export function knots(v) { return v == null || !Number.isFinite(v) ? "—" : `${v.toFixed(1)} kn`; }
export function degrees(v) { return v == null || !Number.isFinite(v) ? "—" : `${String(Math.round(v) % 360).padStart(3, "0")}°`; }

// utc formats UNIX milliseconds as YYYY-MM-DD HH:MM:SS UTC.
export function utc(ms) {
  if (!ms) return "—";
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19) + "Z";
}

export function clock(ms) { return new Date(ms).toISOString().slice(11, 19) + " UTC"; }

// category groups an AIS ship and cargo type (ITU-R M.1371 table 53) as
// the map colours it; kind is the vessel kind from the API (e.g. aton).
export function category(type, kind) {
  if (kind === "aton") return "aton";
  if (type == null) return "unknown";
  if (type >= 70 && type <= 79) return "cargo";
  if (type >= 80 && type <= 89) return "tanker";
  if (type >= 60 && type <= 69) return "passenger";
  if (type === 30) return "fishing";
  if (type === 31 || type === 32 || type === 52) return "tug";
  if (type >= 40 && type <= 49) return "hsc";
  if (type === 36 || type === 37) return "pleasure";
  if (type === 35 || type === 55) return "government";
  if (type === 51) return "sar";
  return "other";
}

export const categories = ["cargo", "tanker", "passenger", "fishing", "tug", "hsc", "pleasure", "government", "sar", "other", "aton", "unknown"];

export const colours = {
  cargo: "#4caf50", tanker: "#e53935", passenger: "#1e88e5", fishing: "#ff9800", tug: "#00bcd4",
  hsc: "#ffeb3b", pleasure: "#ab47bc", government: "#90a4ae", sar: "#ff4081", other: "#bdbdbd",
  aton: "#d500f9", unknown: "#9e9e9e",
};
