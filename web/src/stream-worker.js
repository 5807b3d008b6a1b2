// The live stream worker: follows /api/stream off the main thread,
// parses its "fixes", keeps the newest fix of each vessel, and once a
// second hands the page one batch as typed arrays (transferred, not
// copied). It reports the connection's state and asks the page to
// refetch after drops and reconnects.

let url = "";
let source = null;
let retry = 1000;
let hadHello = false;
const pending = new Map(); // mmsi -> fix

self.onmessage = (e) => {
  if (e.data?.type === "start" && !source) {
    url = e.data.url;
    open();
    setInterval(post, 1000);
  }
};

function status(key) { self.postMessage({ type: "status", key }); }

function open() {
  status(hadHello ? "reconnecting" : "connecting");
  source = new EventSource(url);
  source.addEventListener("hello", () => {
    status("connected");
    retry = 1000;
    if (hadHello) self.postMessage({ type: "resync" });
    hadHello = true;
  });
  source.addEventListener("fixes", (m) => {
    let fixes;
    try { fixes = JSON.parse(m.data); } catch { return; }
    if (!Array.isArray(fixes)) return;
    for (const f of fixes) {
      if (f && typeof f.mmsi === "number" && Number.isFinite(f.time)) pending.set(f.mmsi, f);
    }
  });
  source.addEventListener("dropped", () => self.postMessage({ type: "resync" }));
  source.addEventListener("bye", () => reopenLater());
  source.onerror = () => {
    status("reconnecting");
    if (source.readyState === EventSource.CLOSED) reopenLater();
  };
}

function reopenLater() {
  source.close();
  status("reconnecting");
  setTimeout(open, retry);
  retry = Math.min(retry * 2, 30000);
}

const rad = Math.PI / 180;
const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : NaN);

// post sends the fixes gathered since the last call.
function post() {
  const n = pending.size;
  if (n === 0) return;
  const b = {
    type: "fixes", n,
    mmsi: new Uint32Array(n), time: new Float64Array(n), lat: new Float64Array(n), lon: new Float64Array(n),
    x: new Float64Array(n), y: new Float64Array(n), // Web Mercator 0..1, for the vessel layer
    sog: new Float32Array(n), cog: new Float32Array(n), heading: new Float32Array(n), status: new Int16Array(n),
  };
  let i = 0;
  for (const f of pending.values()) {
    b.mmsi[i] = f.mmsi; b.time[i] = f.time; b.lat[i] = num(f.lat); b.lon[i] = num(f.lon);
    const s = Math.sin(b.lat[i] * rad);
    b.x[i] = (180 + b.lon[i]) / 360;
    b.y[i] = 0.5 - (0.25 * Math.log((1 + s) / (1 - s))) / Math.PI;
    b.sog[i] = num(f.sog); b.cog[i] = num(f.cog); b.heading[i] = num(f.heading);
    b.status[i] = typeof f.status === "number" ? f.status : -1;
    i++;
  }
  pending.clear();
  self.postMessage(b, [b.mmsi.buffer, b.time.buffer, b.lat.buffer, b.lon.buffer, b.x.buffer, b.y.buffer, b.sog.buffer, b.cog.buffer, b.heading.buffer, b.status.buffer]);
}
