// Triangle meshes for the 3D model: solids standing on plan polygons (boxes, slabs, cylinders), each
// face with its own outward normals (flat shading). Y is up; a plan point [x, y] becomes (x, z).
import { signedArea, triangulate } from './geometry.js';
import type { Point } from './model.js';
import { boundaryOutside, piecesOutside } from './polygon-holes.js';

type Vec3 = [number, number, number];

export class MeshBuilder {
  positions: number[] = [];
  normals: number[] = [];
  indices: number[] = [];

  get empty(): boolean {
    return this.indices.length === 0;
  }

  /** A planar quad, wound so that its front faces `outward`. */
  private quad(corners: [Vec3, Vec3, Vec3, Vec3], outward: Vec3): void {
    const [a, b, c] = corners;
    const u = [b[0] - a[0], b[1] - a[1], b[2] - a[2]] as Vec3;
    const v = [c[0] - a[0], c[1] - a[1], c[2] - a[2]] as Vec3;
    let nrm: Vec3 = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
    const len = Math.hypot(...nrm) || 1;
    nrm = [nrm[0] / len, nrm[1] / len, nrm[2] / len];
    const facing = nrm[0] * outward[0] + nrm[1] * outward[1] + nrm[2] * outward[2] >= 0;
    const ordered = facing ? corners : [corners[3], corners[2], corners[1], corners[0]];
    if (!facing) nrm = [-nrm[0], -nrm[1], -nrm[2]];
    const base = this.positions.length / 3;
    for (const p of ordered) {
      this.positions.push(p[0], p[1], p[2]);
      this.normals.push(nrm[0], nrm[1], nrm[2]);
    }
    this.indices.push(base, base + 1, base + 2, base, base + 2, base + 3);
  }

  /** A flat polygon at height y, facing up (or down), with `holes` cut out of it. */
  flat(poly: readonly Point[], y: number, up = true, holes: readonly (readonly Point[])[] = []): void {
    if (holes.length) {
      for (const piece of piecesOutside(poly, holes)) this.flat(piece, y, up);
      return;
    }
    const base = this.positions.length / 3;
    for (const [x, z] of poly) {
      this.positions.push(x, y, z);
      this.normals.push(0, up ? 1 : -1, 0);
    }
    // triangulate answers triangles of positive plan area, whose right-handed normal points down (-Y).
    for (const [i, j, k] of triangulate(poly)) this.indices.push(base + i, ...(up ? [base + k, base + j] : [base + j, base + k]));
  }

  /** A solid standing on a plan polygon from height y0 to y1: top, bottom and one quad per edge; `holes` go through it. */
  prism(poly: readonly Point[], y0: number, y1: number, holes: readonly (readonly Point[])[] = []): void {
    if (y1 - y0 < 1e-6 || poly.length < 3) return;
    if (holes.length) {
      this.flat(poly, y1, true, holes);
      this.flat(poly, y0, false, holes);
      for (const { a, b, outward } of boundaryOutside(poly, holes))
        this.quad(
          [
            [a[0], y0, a[1]],
            [b[0], y0, b[1]],
            [b[0], y1, b[1]],
            [a[0], y1, a[1]],
          ],
          [outward[0], 0, outward[1]],
        );
      return;
    }
    this.flat(poly, y1, true);
    this.flat(poly, y0, false);
    // For a polygon of positive plan area the outward normal of edge (dx, dy) is (dy, -dx).
    const s = signedArea(poly) > 0 ? 1 : -1;
    for (let i = 0; i < poly.length; i++) {
      const [ax, az] = poly[i]!;
      const [bx, bz] = poly[(i + 1) % poly.length]!;
      if (Math.hypot(bx - ax, bz - az) < 1e-9) continue;
      this.quad(
        [
          [ax, y0, az],
          [bx, y0, bz],
          [bx, y1, bz],
          [ax, y1, az],
        ],
        [s * (bz - az), 0, -s * (bx - ax)],
      );
    }
  }
}
