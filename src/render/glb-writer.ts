// A binary glTF 2.0 container (.glb): meshes' vertex data gathered into one buffer, then the JSON
// chunk and the binary chunk, each padded to four bytes as the format requires.
import type { MeshBuilder } from './mesh-builder.js';

interface Accessor {
  bufferView: number;
  componentType: number;
  count: number;
  type: string;
  min?: number[];
  max?: number[];
}

export interface Primitive {
  attributes: { POSITION: number; NORMAL: number };
  indices: number;
  material: number;
  mode: 4;
}

const ARRAY_BUFFER = 34962;
const ELEMENT_ARRAY_BUFFER = 34963;
const FLOAT = 5126;
const UNSIGNED_SHORT = 5123;
const UNSIGNED_INT = 5125;

export class GlbWriter {
  private chunks: Buffer[] = [];
  private byteLength = 0;
  private bufferViews: { buffer: 0; byteOffset: number; byteLength: number; target: number }[] = [];
  private accessors: Accessor[] = [];

  private view(data: ArrayBufferView, target: number): number {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.bufferViews.push({ buffer: 0, byteOffset: this.byteLength, byteLength: bytes.length, target });
    const pad = (4 - (bytes.length % 4)) % 4;
    this.chunks.push(bytes);
    if (pad) this.chunks.push(Buffer.alloc(pad));
    this.byteLength += bytes.length + pad;
    return this.bufferViews.length - 1;
  }

  private accessor(a: Accessor): number {
    this.accessors.push(a);
    return this.accessors.length - 1;
  }

  /** One triangle list of a mesh in a material. */
  primitive(mesh: MeshBuilder, material: number): Primitive {
    const pos = new Float32Array(mesh.positions);
    const count = pos.length / 3;
    const min = [Infinity, Infinity, Infinity];
    const max = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < pos.length; i++) {
      const k = i % 3;
      if (pos[i]! < min[k]!) min[k] = pos[i]!;
      if (pos[i]! > max[k]!) max[k] = pos[i]!;
    }
    const POSITION = this.accessor({ bufferView: this.view(pos, ARRAY_BUFFER), componentType: FLOAT, count, type: 'VEC3', min, max });
    const NORMAL = this.accessor({
      bufferView: this.view(new Float32Array(mesh.normals), ARRAY_BUFFER),
      componentType: FLOAT,
      count,
      type: 'VEC3',
    });
    // 65535 is the primitive-restart value, so 16-bit indices reach 65534 at most.
    const wide = count > 65535;
    const idx = wide ? new Uint32Array(mesh.indices) : new Uint16Array(mesh.indices);
    const indices = this.accessor({
      bufferView: this.view(idx, ELEMENT_ARRAY_BUFFER),
      componentType: wide ? UNSIGNED_INT : UNSIGNED_SHORT,
      count: idx.length,
      type: 'SCALAR',
    });
    return { attributes: { POSITION, NORMAL }, indices, material, mode: 4 };
  }

  /** The .glb of `json` (everything but its buffers, which this writer adds). */
  encode(json: Record<string, unknown>): Buffer {
    const binary = this.byteLength > 0;
    const doc = binary
      ? { ...json, buffers: [{ byteLength: this.byteLength }], bufferViews: this.bufferViews, accessors: this.accessors }
      : json;
    const text = Buffer.from(JSON.stringify(doc));
    const jsonPad = (4 - (text.length % 4)) % 4;
    const jsonLength = text.length + jsonPad;
    const header = Buffer.alloc(12 + 8);
    header.write('glTF', 0, 'ascii');
    header.writeUInt32LE(2, 4);
    header.writeUInt32LE(12 + 8 + jsonLength + (binary ? 8 + this.byteLength : 0), 8);
    header.writeUInt32LE(jsonLength, 12);
    header.writeUInt32LE(0x4e4f534a, 16); // JSON
    if (!binary) return Buffer.concat([header, text, Buffer.alloc(jsonPad, 0x20)]);
    const binHeader = Buffer.alloc(8);
    binHeader.writeUInt32LE(this.byteLength, 0);
    binHeader.writeUInt32LE(0x004e4942, 4); // BIN
    return Buffer.concat([header, text, Buffer.alloc(jsonPad, 0x20), binHeader, ...this.chunks]);
  }
}
