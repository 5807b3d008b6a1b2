// Range and bearing: click the tool, then two points on the map; the
// line, its length in nautical miles and its initial true bearing stay
// until the tool is used again.
import { t } from "./i18n.js";
import { bearing, degrees, distanceNM, nm, position } from "./format.js";

export function startMeasure(app) {
  const map = app.map;
  const btn = document.getElementById("measure");
  const out = document.getElementById("measure-out");
  let pts = [];
  map.addSource("measure", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  map.addLayer({ id: "measure", type: "line", source: "measure", paint: { "line-color": "#ffffff", "line-width": 1.5, "line-dasharray": [3, 2] } });
  const draw = () => {
    map.getSource("measure").setData(pts.length === 2
      ? { type: "Feature", geometry: { type: "LineString", coordinates: pts }, properties: {} }
      : { type: "FeatureCollection", features: [] });
  };
  btn.addEventListener("click", () => {
    app.measuring = !app.measuring;
    btn.classList.toggle("active", app.measuring);
    pts = [];
    draw();
    out.hidden = !app.measuring;
    out.textContent = t("clickTwo");
    map.getCanvas().style.cursor = app.measuring ? "crosshair" : "";
  });
  map.on("click", (e) => {
    if (!app.measuring) return;
    if (pts.length === 2) pts = [];
    pts.push([e.lngLat.lng, e.lngLat.lat]);
    draw();
    if (pts.length === 2) {
      const d = distanceNM(pts[0], pts[1]), b = bearing(pts[0], pts[1]);
      out.textContent = `${t("range")} ${nm(d)} · ${t("bearing")} ${degrees(b)} T · ${position(pts[0][1], pts[0][0])} → ${position(pts[1][1], pts[1][0])}`;
      out.dataset.nm = d.toFixed(3);
      out.dataset.bearing = b.toFixed(1);
    } else out.textContent = position(pts[0][1], pts[0][0]);
  });
}
