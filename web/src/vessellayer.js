// The vessel layer: a MapLibre custom WebGL2 layer that draws every vessel
// from one typed array, so that tens of thousands of vessels moving once
// a second cost a buffer upload, not a re-tiling of GeoJSON. Each vessel
// is a point sprite: a hull pointing along its heading (else course) from
// the ship zoom on, a dot below it or when it has neither; coloured by
// category, faded when dark, hidden when filtered out.

const stride = 6; // x, y (Web Mercator 0..1), rotation (radians, -1 none), colour, alpha, selected
const shipZoom = 6.5;

const vertexSource = `#version 300 es
uniform mat4 u_matrix;
uniform float u_size;
uniform float u_ship;
in vec2 a_pos;
in float a_rot;
in float a_colour;
in float a_alpha;
in float a_sel;
out float v_rot;
out float v_alpha;
out float v_sel;
flat out int v_colour;
void main() {
  gl_Position = u_matrix * vec4(a_pos, 0.0, 1.0);
  v_rot = (u_ship > 0.5) ? a_rot : -1.0;
  v_alpha = a_alpha;
  v_sel = a_sel;
  v_colour = int(a_colour);
  gl_PointSize = a_alpha > 0.0 ? (a_sel > 0.5 ? u_size * 1.6 : u_size) : 0.0;
}`;

const fragmentSource = `#version 300 es
precision mediump float;
uniform vec3 u_colours[16];
uniform float u_bearing;
in float v_rot;
in float v_alpha;
in float v_sel;
flat in int v_colour;
out vec4 colour;
void main() {
  vec2 p = gl_PointCoord * 2.0 - 1.0; // -1..1, y down
  float inside, edge;
  if (v_rot >= 0.0) {
    float a = v_rot - u_bearing;
    float c = cos(a), s = sin(a);
    // Into the hull's frame: bow towards -y.
    vec2 q = vec2(c * p.x + s * p.y, -s * p.x + c * p.y);
    float half_width = q.y < -0.2 ? 0.42 * (q.y + 1.0) / 0.8 : 0.42;
    float d = max(abs(q.x) - half_width, abs(q.y) - 0.95);
    inside = step(d, 0.0);
    edge = step(-0.12, d);
  } else {
    float r = length(p);
    float radius = v_sel > 0.5 ? 0.5 : 0.6;
    inside = step(r, radius);
    edge = step(radius - 0.22, r);
  }
  if (inside < 0.5) discard;
  vec3 fill = u_colours[v_colour];
  vec3 rgb = mix(fill, v_sel > 0.5 ? vec3(1.0, 0.84, 0.31) : vec3(0.0), edge * (v_sel > 0.5 ? 1.0 : 0.55));
  colour = vec4(rgb, 1.0) * v_alpha;
}`;

const rad = Math.PI / 180;

export function mercatorX(lon) { return (180 + lon) / 360; }
export function mercatorY(lat) {
  const s = Math.sin(lat * rad);
  return 0.5 - (0.25 * Math.log((1 + s) / (1 - s))) / Math.PI;
}

function hexRGB(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
}

export class VesselLayer {
  // categories maps each category to its colour index; colours are #rrggbb.
  constructor(categories, colours) {
    this.id = "vessels";
    this.type = "custom";
    this.renderingMode = "2d";
    this.categoryIndex = new Map(categories.map((c, i) => [c, i]));
    this.palette = new Float32Array(16 * 3);
    categories.forEach((c, i) => this.palette.set(hexRGB(colours[c]), i * 3));
    this.data = new Float32Array(1024 * stride);
    this.mmsi = new Uint32Array(1024);
    this.slot = new Map(); // mmsi -> slot
    this.count = 0;
    this.dirty = true;
  }

  onAdd(map, gl) {
    this.map = map;
    const compile = (type, src) => {
      const s = gl.createShader(type);
      gl.shaderSource(s, src);
      gl.compileShader(s);
      if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(s));
      return s;
    };
    const p = gl.createProgram();
    gl.attachShader(p, compile(gl.VERTEX_SHADER, vertexSource));
    gl.attachShader(p, compile(gl.FRAGMENT_SHADER, fragmentSource));
    gl.linkProgram(p);
    if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(p));
    this.program = p;
    this.u = {};
    for (const n of ["u_matrix", "u_size", "u_ship", "u_colours", "u_bearing"]) this.u[n] = gl.getUniformLocation(p, n);
    this.a = {};
    for (const n of ["a_pos", "a_rot", "a_colour", "a_alpha", "a_sel"]) this.a[n] = gl.getAttribLocation(p, n);
    this.buffer = gl.createBuffer();
    this.vao = gl.createVertexArray();
    gl.bindVertexArray(this.vao);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.buffer);
    const f = 4;
    gl.enableVertexAttribArray(this.a.a_pos);
    gl.vertexAttribPointer(this.a.a_pos, 2, gl.FLOAT, false, stride * f, 0);
    for (const [name, off] of [["a_rot", 2], ["a_colour", 3], ["a_alpha", 4], ["a_sel", 5]]) {
      gl.enableVertexAttribArray(this.a[name]);
      gl.vertexAttribPointer(this.a[name], 1, gl.FLOAT, false, stride * f, off * f);
    }
    gl.bindVertexArray(null);
  }

  onRemove(_map, gl) {
    gl.deleteBuffer(this.buffer);
    gl.deleteVertexArray(this.vao);
    gl.deleteProgram(this.program);
  }

  // clear forgets every vessel.
  clear() {
    this.slot.clear();
    this.count = 0;
    this.dirty = true;
  }

  // set writes a vessel: lon, lat in degrees, rotation in degrees or
  // null, its category, alpha (0 hides it) and whether it is selected.
  set(mmsi, lon, lat, rotation, cat, alpha, selected) {
    this.setMercator(mmsi, mercatorX(lon), mercatorY(lat), rotation, cat, alpha, selected);
  }

  // setMercator is set with the position already in Web Mercator 0..1.
  // It returns the vessel's slot.
  setMercator(mmsi, x, y, rotation, cat, alpha, selected) {
    let i = this.slot.get(mmsi);
    if (i === undefined) {
      i = this.count++;
      if (i * stride >= this.data.length) {
        const d = new Float32Array(this.data.length * 2);
        d.set(this.data);
        this.data = d;
        const m = new Uint32Array(this.mmsi.length * 2);
        m.set(this.mmsi);
        this.mmsi = m;
      }
      this.slot.set(mmsi, i);
      this.mmsi[i] = mmsi;
    }
    const o = i * stride, d = this.data;
    d[o] = x;
    d[o + 1] = y;
    d[o + 2] = rotation == null ? -1 : rotation * rad;
    d[o + 3] = this.categoryIndex.get(cat) ?? this.categoryIndex.get("unknown");
    d[o + 4] = alpha;
    d[o + 5] = selected ? 1 : 0;
    this.dirty = true;
  }

  // pointSize is the sprite size in CSS pixels at zoom z.
  pointSize(z) {
    if (z < shipZoom) return 2.5 + Math.max(0, z - 3) * 1.3;
    return Math.min(34, 14 + (z - shipZoom) * 3);
  }

  render(gl, args) {
    if (this.count === 0) return;
    const map = this.map;
    gl.useProgram(this.program);
    gl.bindVertexArray(this.vao);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.buffer);
    if (this.dirty) {
      gl.bufferData(gl.ARRAY_BUFFER, this.data.subarray(0, this.count * stride), gl.DYNAMIC_DRAW);
      this.dirty = false;
    }
    const z = map.getZoom();
    gl.uniformMatrix4fv(this.u.u_matrix, false, args.defaultProjectionData.mainMatrix);
    gl.uniform1f(this.u.u_size, this.pointSize(z) * devicePixelRatio);
    gl.uniform1f(this.u.u_ship, z >= shipZoom ? 1 : 0);
    gl.uniform1f(this.u.u_bearing, map.getBearing() * rad);
    gl.uniform3fv(this.u.u_colours, this.palette);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.drawArrays(gl.POINTS, 0, this.count);
    gl.bindVertexArray(null);
  }

  // pick returns the MMSI of the visible vessel nearest the screen point
  // within the sprite's radius, or 0.
  pick(point) {
    const map = this.map;
    const ll = map.unproject(point);
    const x = mercatorX(ll.lng), y = mercatorY(ll.lat);
    const world = 512 * 2 ** map.getZoom();
    const r = Math.max(6, this.pointSize(map.getZoom()) / 2) / world;
    let best = 0, bestD = r * r;
    const d = this.data;
    for (let i = 0; i < this.count; i++) {
      const o = i * stride;
      if (d[o + 4] <= 0) continue;
      const dx = d[o] - x, dy = d[o + 1] - y, dd = dx * dx + dy * dy;
      if (dd < bestD) { bestD = dd; best = this.mmsi[i]; }
    }
    return best;
  }

  // visibleIn counts the visible vessels inside the map's view.
  visibleIn() {
    const b = this.map.getBounds();
    const x0 = mercatorX(b.getWest()), x1 = mercatorX(b.getEast()), y0 = mercatorY(b.getNorth()), y1 = mercatorY(b.getSouth());
    let n = 0;
    const d = this.data;
    for (let i = 0; i < this.count; i++) {
      const o = i * stride;
      if (d[o + 4] > 0 && d[o] >= x0 && d[o] <= x1 && d[o + 1] >= y0 && d[o + 1] <= y1) n++;
    }
    return n;
  }
}
