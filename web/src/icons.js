// The traffic-lane arrow, drawn on a canvas at start-up so that the map
// needs no sprite sheet from anywhere.

// addIcons adds "arrow", pointing along a line, for lane directions.
export function addIcons(map) {
  const size = 40;
  const c = document.createElement("canvas");
  c.width = c.height = size;
  const g = c.getContext("2d");
  g.beginPath();
  g.moveTo(8, 12); g.lineTo(30, 20); g.lineTo(8, 28); g.lineTo(13, 20);
  g.closePath();
  g.fillStyle = "#ffca28";
  g.fill();
  map.addImage("arrow", g.getImageData(0, 0, size, size), { pixelRatio: 2 });
}
