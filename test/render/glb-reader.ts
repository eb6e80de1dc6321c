// Reads a .glb back into its JSON and triangles, written here apart from the writer so the tests
// do not check the renderer against itself: chunks, accessors, indices, and a ray test for openings.
import assert from 'node:assert/strict';

export type V3 = [number, number, number];

export interface GltfJson {
  scene: number;
  scenes: { name?: string; nodes: number[] }[];
  nodes: { name: string; mesh?: number; children?: number[]; translation?: V3; extras?: { level?: number } }[];
  meshes: { name: string; primitives: { attributes: { POSITION: number; NORMAL: number }; indices: number; material: number }[] }[];
  materials: {
    name: string;
    pbrMetallicRoughness: { baseColorFactor: number[]; metallicFactor?: number; roughnessFactor?: number };
    alphaMode?: string;
  }[];
  accessors: { bufferView: number; componentType: number; count: number; type: string }[];
  bufferViews: { byteOffset?: number; byteLength: number }[];
}

export interface Triangle {
  a: V3;
  b: V3;
  c: V3;
  /** The normal stored with the first corner. */
  normal: V3;
}

export interface Glb {
  json: GltfJson;
  bin: Buffer;
}

export function readGlb(data: Buffer): Glb {
  assert.equal(data.toString('ascii', 0, 4), 'glTF');
  assert.equal(data.readUInt32LE(8), data.length, 'the header gives the file length');
  const jsonLength = data.readUInt32LE(12);
  const json = JSON.parse(data.subarray(20, 20 + jsonLength).toString('utf8')) as GltfJson;
  const binStart = 20 + jsonLength;
  const bin = binStart < data.length ? data.subarray(binStart + 8, binStart + 8 + data.readUInt32LE(binStart)) : Buffer.alloc(0);
  return { json, bin };
}

function accessorValues(glb: Glb, index: number): number[] {
  const acc = glb.json.accessors[index]!;
  const view = glb.json.bufferViews[acc.bufferView]!;
  const width = { SCALAR: 1, VEC3: 3 }[acc.type as 'SCALAR' | 'VEC3'];
  const start = view.byteOffset ?? 0;
  const out: number[] = [];
  for (let i = 0; i < acc.count * width; i++) {
    if (acc.componentType === 5126) out.push(glb.bin.readFloatLE(start + i * 4));
    else if (acc.componentType === 5123) out.push(glb.bin.readUInt16LE(start + i * 2));
    else out.push(glb.bin.readUInt32LE(start + i * 4));
  }
  return out;
}

/** A mesh's triangles, grouped by the name of their material. */
export function meshTriangles(glb: Glb, mesh: number): Map<string, Triangle[]> {
  const out = new Map<string, Triangle[]>();
  for (const p of glb.json.meshes[mesh]!.primitives) {
    const pos = accessorValues(glb, p.attributes.POSITION);
    const nrm = accessorValues(glb, p.attributes.NORMAL);
    const idx = accessorValues(glb, p.indices);
    const at = (values: number[], i: number): V3 => [values[i * 3]!, values[i * 3 + 1]!, values[i * 3 + 2]!];
    const tris: Triangle[] = [];
    for (let i = 0; i < idx.length; i += 3) {
      tris.push({ a: at(pos, idx[i]!), b: at(pos, idx[i + 1]!), c: at(pos, idx[i + 2]!), normal: at(nrm, idx[i]!) });
    }
    out.set(glb.json.materials[p.material]!.name, [...(out.get(glb.json.materials[p.material]!.name) ?? []), ...tris]);
  }
  return out;
}

/** The level nodes of the scene, and each one's parts by the part's name (`Floor 1 walls` → `walls`). */
export function levels(glb: Glb): { name: string; level: number; y: number; parts: Map<string, Map<string, Triangle[]>> }[] {
  const { json } = glb;
  return json.scenes[json.scene]!.nodes.map((i) => {
    const node = json.nodes[i]!;
    const parts = new Map<string, Map<string, Triangle[]>>();
    for (const c of node.children ?? []) {
      const child = json.nodes[c]!;
      assert.ok(child.name.startsWith(`${node.name} `), child.name);
      parts.set(child.name.slice(node.name.length + 1), meshTriangles(glb, child.mesh!));
    }
    return { name: node.name, level: node.extras!.level!, y: node.translation?.[1] ?? 0, parts };
  });
}

const sub = (p: V3, q: V3): V3 => [p[0] - q[0], p[1] - q[1], p[2] - q[2]];
const crossV = (p: V3, q: V3): V3 => [p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0]];
const dot = (p: V3, q: V3) => p[0] * q[0] + p[1] * q[1] + p[2] * q[2];

/** The triangle's normal from its winding (counter-clockwise seen from the front). */
export function windingNormal(t: Triangle): V3 {
  const n = crossV(sub(t.b, t.a), sub(t.c, t.a));
  const len = Math.hypot(...n);
  return [n[0] / len, n[1] / len, n[2] / len];
}

export function triangleArea(t: Triangle): number {
  return Math.hypot(...crossV(sub(t.b, t.a), sub(t.c, t.a))) / 2;
}

/** Whether the segment from `origin` along `dir` (not normalised; t in [0, 1]) passes through the triangle (Möller–Trumbore). */
export function segmentHits(t: Triangle, origin: V3, dir: V3): boolean {
  const e1 = sub(t.b, t.a);
  const e2 = sub(t.c, t.a);
  const p = crossV(dir, e2);
  const det = dot(e1, p);
  if (Math.abs(det) < 1e-12) return false;
  const s = sub(origin, t.a);
  const u = dot(s, p) / det;
  if (u < 0 || u > 1) return false;
  const q = crossV(s, e1);
  const v = dot(dir, q) / det;
  if (v < 0 || u + v > 1) return false;
  const hit = dot(e2, q) / det;
  return hit >= 0 && hit <= 1;
}
