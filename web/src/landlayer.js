// The land layer: a MapLibre custom WebGL2 layer that draws the region's
// land, triangulated when the bundle is built (build.mjs, land.bin), and
// its coastline and borders as lines. MapLibre's GeoJSON source would
// start a worker and tile the land before the first picture: about
// 1.5 s of a 3 s budget on a 2-core machine; this is one buffer upload.

const vertexSource = `#version 300 es
uniform mat4 u_matrix;
in vec2 a_pos;
void main() {
  gl_Position = u_matrix * vec4(a_pos, 0.0, 1.0);
}`;

const fragmentSource = `#version 300 es
precision mediump float;
uniform vec4 u_colour;
out vec4 colour;
void main() {
  colour = u_colour;
}`;

// parseLand reads land.bin: five uint32 counts (triangle vertices,
// triangle indices, coast vertices, border vertices, spare), then the
// triangle vertices (x, y in Web Mercator 0..1, float32), the indices
// (uint32), the coast and border line segments (pairs of vertices).
export function parseLand(buf) {
  const n = new Uint32Array(buf, 0, 5);
  let off = 20;
  const take = (Type, count) => {
    const a = new Type(buf, off, count);
    off += count * Type.BYTES_PER_ELEMENT;
    return a;
  };
  return {
    vertices: take(Float32Array, n[0] * 2),
    indices: take(Uint32Array, n[1]),
    coast: take(Float32Array, n[2] * 2),
    borders: take(Float32Array, n[3] * 2),
  };
}

// rgba turns "#rrggbb" into [r, g, b, 1] in 0..1.
function rgba(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [((v >> 16) & 255) / 255, ((v >> 8) & 255) / 255, (v & 255) / 255, 1];
}

export class LandLayer {
  constructor(colours) {
    this.id = "land";
    this.type = "custom";
    this.renderingMode = "2d";
    this.colours = colours; // {land, coast, border}: "#rrggbb"
    this.data = null;
    this.loaded = false;
  }

  // setData gives the layer the parsed land; it is uploaded at the next
  // frame.
  setData(data) {
    this.data = data;
    this.dirty = true;
    this.map?.triggerRepaint();
  }

  // setColours changes the colours (theme).
  setColours(colours) {
    this.colours = colours;
    this.map?.triggerRepaint();
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
    this.uMatrix = gl.getUniformLocation(p, "u_matrix");
    this.uColour = gl.getUniformLocation(p, "u_colour");
    this.aPos = gl.getAttribLocation(p, "a_pos");
    this.buffers = { vertices: gl.createBuffer(), indices: gl.createBuffer(), coast: gl.createBuffer(), borders: gl.createBuffer() };
    this.vao = { fill: gl.createVertexArray(), coast: gl.createVertexArray(), borders: gl.createVertexArray() };
    for (const [v, b] of [["fill", "vertices"], ["coast", "coast"], ["borders", "borders"]]) {
      gl.bindVertexArray(this.vao[v]);
      gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers[b]);
      gl.enableVertexAttribArray(this.aPos);
      gl.vertexAttribPointer(this.aPos, 2, gl.FLOAT, false, 8, 0);
      if (v === "fill") gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.buffers.indices);
    }
    gl.bindVertexArray(null);
  }

  onRemove(_map, gl) {
    for (const b of Object.values(this.buffers)) gl.deleteBuffer(b);
    for (const v of Object.values(this.vao)) gl.deleteVertexArray(v);
    gl.deleteProgram(this.program);
  }

  render(gl, args) {
    if (!this.data) return;
    if (this.dirty) {
      const d = this.data;
      gl.bindVertexArray(null);
      gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers.vertices);
      gl.bufferData(gl.ARRAY_BUFFER, d.vertices, gl.STATIC_DRAW);
      gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.buffers.indices);
      gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, d.indices, gl.STATIC_DRAW);
      gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers.coast);
      gl.bufferData(gl.ARRAY_BUFFER, d.coast, gl.STATIC_DRAW);
      gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers.borders);
      gl.bufferData(gl.ARRAY_BUFFER, d.borders, gl.STATIC_DRAW);
      this.dirty = false;
    }
    gl.useProgram(this.program);
    gl.uniformMatrix4fv(this.uMatrix, false, args.defaultProjectionData.mainMatrix);
    gl.uniform4fv(this.uColour, rgba(this.colours.land));
    gl.bindVertexArray(this.vao.fill);
    gl.drawElements(gl.TRIANGLES, this.data.indices.length, gl.UNSIGNED_INT, 0);
    gl.uniform4fv(this.uColour, rgba(this.colours.coast));
    gl.bindVertexArray(this.vao.coast);
    gl.drawArrays(gl.LINES, 0, this.data.coast.length / 2);
    gl.uniform4fv(this.uColour, rgba(this.colours.border));
    gl.bindVertexArray(this.vao.borders);
    gl.drawArrays(gl.LINES, 0, this.data.borders.length / 2);
    gl.bindVertexArray(null);
    this.loaded = true;
  }
}
