// A version 2 model drawn in every 2D format: fixtures as plan symbols (SVG, PNG, DXF), doors as
// their swing says, a scale bar that measures what it claims and a north arrow (glTF: gltf.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { renderProducts } from '../../src/render/deliverable-files.js';
import { floorDxf } from '../../src/render/dxf.js';
import { FIXTURE_TYPES, type Fixture } from '../../src/render/model.js';
import { fixtureInput, smallModelV2 } from './fixture.js';
import { imageSize, parseDxf, type DxfEntity } from './format-checks.js';

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

  it('DXF draws each fixture within its footprint, a hinged door as leaf and arc, a sliding one as two leaves', () => {
    model.floors.forEach((floor, i) => {
      const dxf = parseDxf(files.find((f) => f.name === `floor-${i + 1}.dxf`)!.data);
      assert.ok(dxf.layers.includes('FIXTURES'));
      const symbols = dxf.entities.filter((e) => e.layer === 'FIXTURES');
      assert.ok(symbols.length >= floor.fixtures!.length);
      for (const e of symbols)
        assert.ok(
          floor.fixtures!.some((f) => entityWithin(e, f)),
          `${e.type} lies on a fixture`,
        );
      for (const f of floor.fixtures!)
        assert.ok(
          symbols.some((e) => entityWithin(e, f)),
          `${f.id} is drawn`,
        );
      // A sliding door is two leaves and no arc; a hinged door a leaf and an arc.
      const doors = dxf.entities.filter((e) => e.layer === 'DOORS');
      const hinged = floor.doors.filter((d) => (d.swing ?? 'in') === 'in' || d.swing === 'out').length;
      const sliding = floor.doors.filter((d) => d.swing === 'sliding').length;
      assert.equal(doors.filter((e) => e.type === 'ARC').length, hinged);
      assert.equal(doors.length, hinged * 2 + sliding * 2);
    });
  });
});

/** Every fixture type side by side, 2.5 m apart, turned a different way each. */
function everyFixture(): Fixture[] {
  const rotations = [0, 90, 180, 270, 30];
  return FIXTURE_TYPES.map((type, i) => {
    const [width, depth] = type === 'bathtub' ? [1.7, 0.75] : type === 'kitchen_counter' || type === 'wardrobe' ? [1.8, 0.6] : [0.6, 0.65];
    return {
      id: type,
      type,
      room_id: 'r',
      position: [1.5 + 2.5 * (i % 5), 1.5 + 2.5 * Math.floor(i / 5)],
      rotation: rotations[i % 5]!,
      width,
      depth,
    };
  });
}

/** A point of the DXF (y up) in the fixture's own frame: along its width, from its back (-depth/2) to its front. */
function local(f: Fixture, p: { x: number; y: number }): [number, number] {
  const t = (f.rotation * Math.PI) / 180;
  const dx = p.x - f.position[0];
  const dy = -p.y - f.position[1];
  return [dx * Math.cos(t) + dy * Math.sin(t), -dx * Math.sin(t) + dy * Math.cos(t)];
}

/** Whether an entity (its vertices, or its whole circle) lies within the fixture's turned rectangle. */
function entityWithin(e: DxfEntity, f: Fixture, tol = 1e-3): boolean {
  const fits = ([u, v]: [number, number], r = 0) => Math.abs(u) + r <= f.width / 2 + tol && Math.abs(v) + r <= f.depth / 2 + tol;
  if (e.type === 'CIRCLE') return fits(local(f, e.center!), e.radius);
  return (e.vertices ?? []).length > 0 && e.vertices!.every((p) => fits(local(f, p)));
}

describe('DXF: fixtures as their plan symbols', () => {
  const fixtures = everyFixture();
  const floor = { ...smallModelV2().floors[0]!, fixtures };
  const symbols = parseDxf(floorDxf(floor, 'en')).entities.filter((e) => e.layer === 'FIXTURES');
  const of = (type: Fixture['type']) => {
    const f = fixtures.find((x) => x.type === type)!;
    return { f, entities: symbols.filter((e) => entityWithin(e, f)) };
  };
  const closed = (e: DxfEntity) => e.type === 'POLYLINE' && e.shape === true;

  it('keeps every entity of a symbol within its fixture’s turned rectangle', () => {
    for (const e of symbols) assert.equal(fixtures.filter((f) => entityWithin(e, f)).length, 1, JSON.stringify(e));
    for (const f of fixtures) assert.ok(of(f.type).entities.length >= 1, `${f.type} is drawn`);
  });

  it('draws a toilet as its tank at the back and a round bowl in front of it', () => {
    const { f, entities } = of('toilet');
    const polys = entities.filter(closed);
    assert.equal(polys.length, 2);
    assert.ok(
      polys.some((e) => e.vertices!.every((p) => local(f, p)[1] <= -f.depth / 2 + 0.3 * f.depth + 1e-3)),
      'the tank is against the wall, turned with the fixture',
    );
    assert.ok(
      polys.some((e) => e.vertices!.length > 8 && e.vertices!.some((p) => local(f, p)[1] > 0.3 * f.depth)),
      'the bowl reaches to the front',
    );
  });

  it('draws a bathtub as its rim with the tub inside it', () => {
    const { f, entities } = of('bathtub');
    const polys = entities.filter(closed);
    assert.equal(polys.length, 2);
    const inner = polys.filter((e) =>
      e.vertices!.every((p) => {
        const [u, v] = local(f, p);
        return Math.abs(u) < f.width / 2 - 0.05 && Math.abs(v) < f.depth / 2 - 0.05;
      }),
    );
    assert.equal(inner.length, 1, 'the tub lies clear inside the rim');
  });

  it('draws a stove’s four burners as circles, one in each quarter', () => {
    const { f, entities } = of('stove');
    const burners = entities.filter((e) => e.type === 'CIRCLE').map((e) => local(f, e.center!));
    assert.equal(burners.length, 4);
    assert.deepEqual(burners.map(([u, v]) => `${Math.sign(u)},${Math.sign(v)}`).sort(), ['-1,-1', '-1,1', '1,-1', '1,1']);
    assert.equal(entities.filter(closed).length, 1, 'and its outline');
  });

  it('draws a shower tray crossed corner to corner, with its drain', () => {
    const { entities } = of('shower');
    assert.equal(entities.filter((e) => e.type === 'LINE').length, 2);
    assert.equal(entities.filter((e) => e.type === 'CIRCLE').length, 1);
  });
});
