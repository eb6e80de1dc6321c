// A version 2 model drawn in every 2D format: fixtures as plan symbols (SVG, PNG, DXF), doors as
// their swing says, a scale bar that measures what it claims and a north arrow (glTF: gltf.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { renderProducts } from '../../src/render/deliverable-files.js';
import { fixtureInput, smallModelV2 } from './fixture.js';
import { imageSize, parseDxf } from './format-checks.js';

type Node = Record<string, unknown>;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: false,
  isArray: (_name, _path, _leaf, attribute) => !attribute,
});

/** Every element named `tag` anywhere below `node`, with its attributes. */
function all(node: unknown, tag: string, out: Node[] = []): Node[] {
  if (Array.isArray(node)) node.forEach((n) => all(n, tag, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Node)) {
      if (k === tag) (v as Node[]).forEach((e) => out.push(e));
      all(v, tag, out);
    }
  }
  return out;
}

describe('render: a version 2 model', async () => {
  const model = smallModelV2();
  const files = await renderProducts(fixtureInput({}, model), ['listing_floorplans', 'cad_files']);
  const svgOf = (name: string) => parser.parse(files.find((f) => f.name === name)!.data.toString('utf8'));

  it('SVG draws each fixture as its symbol, placed and turned as modelled', () => {
    for (const [name, floor] of [
      ['floor-1.svg', model.floors[0]!],
      ['floor-2-dim.svg', model.floors[1]!],
    ] as const) {
      const groups = all(svgOf(name), 'g').filter((g) => g.class === 'fixture');
      assert.deepEqual(
        groups.map((g) => [g.id, g['data-type']]),
        floor
          .fixtures!.map((f) => [`fixture-${f.id}`, f.type])
          .sort((a, b) => Number(a[1] !== 'kitchen_counter') - Number(b[1] !== 'kitchen_counter')),
      );
      for (const g of groups) {
        const f = floor.fixtures!.find((x) => `fixture-${x.id}` === g.id)!;
        assert.match(String(g.transform), new RegExp(`rotate\\(${f.rotation.toFixed(2)}\\)$`));
        assert.ok(all(g, 'rect').length + all(g, 'ellipse').length + all(g, 'line').length > 0, `${f.type} has a symbol`);
      }
    }
  });

  it('SVG draws a hinged door with its arc, a sliding door as two leaves, an opening with nothing', () => {
    const doors = all(svgOf('floor-1.svg'), 'g').filter((g) => String(g.class).startsWith('door'));
    const byId = new Map(doors.map((d) => [d.id, d]));
    assert.equal(all(byId.get('door-d1'), 'path').length, 1);
    assert.equal(byId.get('door-d-bal')!.class, 'door sliding');
    assert.equal(all(byId.get('door-d-bal'), 'line').length, 2);
    assert.equal(all(byId.get('door-d-bal'), 'path').length, 0);
  });

  it('has a scale bar whose drawn length is the length it is labelled with, and a north arrow', () => {
    const svg = svgOf('floor-1.svg');
    // The living room is 5 m wide in the model: its polygon gives the drawing's pixels per metre.
    const living = all(svg, 'g').find((g) => g.id === 'room-living')!;
    const xs = String(all(living, 'polygon')[0]!.points)
      .split(' ')
      .map((p) => Number(p.split(',')[0]));
    const perMetre = (Math.max(...xs) - Math.min(...xs)) / 5;
    const bar = all(svg, 'g').find((g) => g.class === 'scale-bar')!;
    const drawn = all(bar, 'rect').reduce((s, r) => s + Number(r.width), 0);
    const metres = Number(bar['data-length-m']);
    assert.ok(Math.abs(drawn - metres * perMetre) < 0.05, `${drawn} px for ${metres} m at ${perMetre} px/m`);
    assert.match(String((all(bar, 'text')[0] as Node)['#text']), new RegExp(`^${metres} m$`));
    const north = all(svg, 'g').find((g) => g.class === 'north-arrow')!;
    assert.equal((all(north, 'text')[0] as Node)['#text'], 'N');
  });

  it('PNG and JPG still decode to the drawing size', async () => {
    for (const [name, format] of [
      ['floor-1.png', 'png'],
      ['floor-1-dim.jpg', 'jpeg'],
    ])
      assert.deepEqual(await imageSize(files.find((f) => f.name === name)!.data), { format, width: 1600, height: 1200 });
  });

  it('DXF puts one outline per fixture on the FIXTURES layer and parses clean', () => {
    model.floors.forEach((floor, i) => {
      const dxf = parseDxf(files.find((f) => f.name === `floor-${i + 1}.dxf`)!.data);
      assert.ok(dxf.layers.includes('FIXTURES'));
      assert.equal(dxf.entities.filter((e) => e.layer === 'FIXTURES').length, floor.fixtures!.length);
      // A sliding door is two leaves and no arc; a hinged door a leaf and an arc.
      const doors = dxf.entities.filter((e) => e.layer === 'DOORS');
      const hinged = floor.doors.filter((d) => (d.swing ?? 'in') === 'in' || d.swing === 'out').length;
      const sliding = floor.doors.filter((d) => d.swing === 'sliding').length;
      assert.equal(doors.filter((e) => e.type === 'ARC').length, hinged);
      assert.equal(doors.length, hinged * 2 + sliding * 2);
    });
  });
});
