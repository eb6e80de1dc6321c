import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { PDFDocument } from 'pdf-lib';
import { renderProducts, renderCombinedPdf, type RenderedFile } from '../../src/render/deliverable-files.js';
import { PRODUCTS } from '../../src/domain/catalog.js';
import { PROPERTY_DATA_SCHEMA } from '../../src/render/property-data.js';
import { FIXTURE_MODEL, areasInText, fixtureInput, shoelace, SQFT_PER_M2 } from './fixture.js';
import { areasIn, gltfIssues, imageSize, parseDxf, parseSvg, readPdf, zipEntries } from './format-checks.js';

const floors = [...FIXTURE_MODEL.floors].sort((a, b) => a.level - b.level);
const aboveGrade = floors.filter((f) => !f.below_grade);
const roomAreas = floors.flatMap((f) => f.rooms.map((r) => shoelace(r.polygon)));
const ALL = PRODUCTS.filter((p) => p !== 'tour' && p !== 'video_3d');

function pick(files: RenderedFile[], field: string, product?: string): RenderedFile[] {
  return files.filter((f) => f.field === field && (!product || f.product === product));
}

/** Each room area appears among the figures of the text, to 0.01 m². */
function assertRoomAreas(text: string, what: string): void {
  const found = areasInText(text);
  for (const a of roomAreas)
    assert.ok(
      found.some((f) => Math.abs(f - a) <= 0.01),
      `${what}: no figure for a room of ${a.toFixed(4)} m² in ${found.join(', ')}`,
    );
}

describe('render: every format, parsed by a real parser', async () => {
  const metric = await renderProducts(fixtureInput({ units: 'metric', language: 'en' }), ALL);
  const imperial = await renderProducts(fixtureInput({ units: 'imperial', language: 'fi', template: 'classic' }), ALL);

  it('SVG: well-formed XML, one group per room, labels in the requested language, measurements only in _dim', () => {
    for (const [field, dims] of [
      ['svg_urls', false],
      ['svg_urls_dim', true],
    ] as const) {
      const svgs = pick(metric, field);
      assert.equal(svgs.length, floors.length);
      svgs.forEach((file, i) => {
        assert.equal(file.contentType, 'image/svg+xml');
        const svg = parseSvg(file.data.toString('utf8'));
        assert.equal(svg.width, 1600);
        assert.equal(svg.height, 1200);
        assert.deepEqual(svg.rooms.map((r) => r.id).sort(), floors[i]!.rooms.map((r) => `room-${r.id}`).sort());
        // A small room's label may drop its size line, then its area (drawing-rules.test.ts holds where labels go).
        for (const room of svg.rooms) assert.ok(room.texts.length <= (dims ? 3 : 2), `${room.id} label lines`);
        for (const room of floors[i]!.rooms.filter((r) => shoelace(r.polygon) >= 6)) {
          const drawn = svg.rooms.find((r) => r.id === `room-${room.id}`)!;
          assert.equal(drawn.texts.length, dims ? 3 : 2, `${room.id} (${shoelace(room.polygon).toFixed(1)} m²) label lines`);
        }
      });
    }
    const fi = parseSvg(pick(imperial, 'svg_urls')[1]!.data.toString('utf8'));
    assert.ok(
      fi.rooms.some((r) => r.texts[0] === 'Olohuone'),
      'living room labelled in Finnish',
    );
    assert.ok(areasIn(fi, / sq ft$/), 'imperial areas');
  });

  it('PNG and JPG decode to the drawing size', async () => {
    for (const field of ['png_urls', 'png_urls_dim', 'jpg_urls', 'jpg_urls_dim']) {
      const files = pick(metric, field);
      assert.equal(files.length, floors.length);
      for (const f of files) {
        const size = await imageSize(f.data);
        assert.deepEqual(size, { format: field.startsWith('png') ? 'png' : 'jpeg', width: 1600, height: 1200 });
      }
    }
    assert.deepEqual(await imageSize(pick(metric, 'image_urls', 'snapshot')[0]!.data), { format: 'jpeg', width: 1240, height: 1754 });
  });

  it('merged floor-plan PDFs: one vector page per floor with the room labels', async () => {
    for (const field of ['pdf_urls', 'pdf_urls_dim']) {
      const [file] = pick(metric, field, 'listing_floorplans');
      const pdf = await readPdf(file!.data);
      assert.equal(pdf.pages, floors.length);
      assert.match(pdf.text[1]!, /Living room/);
      assert.ok(!file!.data.includes('/Subtype /Image'), 'no raster images inside');
      assert.equal((await PDFDocument.load(file!.data)).getPageCount(), floors.length);
    }
  });

  it('home report: figures, a room table whose areas equal the polygons in both units, then each floor', async () => {
    for (const files of [metric, imperial]) {
      const pdf = await readPdf(pick(files, 'pdf_urls', 'home_report')[0]!.data);
      assert.equal(pdf.pages, 1 + floors.length);
      assertRoomAreas(pdf.text[0]!, 'home report');
    }
  });

  it('snapshot: one page PDF and the image', async () => {
    const pdf = await readPdf(pick(metric, 'pdf_urls', 'snapshot')[0]!.data);
    assert.equal(pdf.pages, 1);
    assert.match(pdf.text[0]!, /Property snapshot/);
  });

  it('GLA package: above-grade floors only, in JSON and PDF, both units', async () => {
    const gla = JSON.parse(pick(metric, 'json_urls', 'gla_package')[0]!.data.toString('utf8'));
    const expected = aboveGrade.reduce((s, f) => s + shoelace(f.outline), 0);
    const below = floors.filter((f) => f.below_grade).reduce((s, f) => s + shoelace(f.outline), 0);
    assert.ok(below > 0, 'the fixture has a basement');
    assert.ok(Math.abs(gla.gla_m2 - expected) <= 0.01);
    assert.ok(Math.abs(gla.gla_sqft / SQFT_PER_M2 - expected) <= 0.01);
    assert.ok(Math.abs(gla.excluded_below_grade_m2 - below) <= 0.01);
    assert.deepEqual(
      gla.floors.map((f: { level: number; included_in_gla: boolean }) => [f.level, f.included_in_gla]),
      floors.map((f) => [f.level, !f.below_grade]),
    );
    const pdf = await readPdf(pick(imperial, 'pdf_urls', 'gla_package')[0]!.data);
    assert.equal(pdf.pages, 1 + aboveGrade.length);
    assert.ok(
      areasInText(pdf.text[0]!).some((a) => Math.abs(a - expected) <= 0.01),
      'GLA total in sq ft',
    );
  });

  it('property data: matches its JSON Schema and its areas equal the polygons in m² and ft²', () => {
    const data = JSON.parse(pick(metric, 'json_urls', 'property_data')[0]!.data.toString('utf8'));
    const validate = new Ajv2020({ strict: true }).compile(PROPERTY_DATA_SCHEMA);
    assert.ok(validate(data), JSON.stringify(validate.errors));
    const rooms = data.floors.flatMap((f: { rooms: { area_m2: number; area_sqft: number; polygon: [number, number][] }[] }) => f.rooms);
    assert.equal(rooms.length, roomAreas.length);
    for (const r of rooms) {
      const a = shoelace(r.polygon);
      assert.ok(Math.abs(r.area_m2 - a) <= 0.01 && Math.abs(r.area_sqft / SQFT_PER_M2 - a) <= 0.01, JSON.stringify(r));
    }
    assert.ok(Math.abs(data.totals.area_m2 - roomAreas.reduce((s, a) => s + a, 0)) <= 0.01);
  });

  it('DXF: one per floor, parses, walls/doors/windows on their own layers with the model’s counts', () => {
    const files = pick(metric, 'dxf_urls', 'cad_files');
    assert.equal(files.length, floors.length);
    files.forEach((file, i) => {
      const dxf = parseDxf(file.data);
      const on = (layer: string) => dxf.entities.filter((e) => e.layer === layer);
      assert.equal(on('WALLS').length, floors[i]!.walls.length);
      // A hinged door is a leaf and its arc, a sliding one two leaves, an opening without a door nothing.
      assert.equal(on('DOORS').length, floors[i]!.doors.filter((d) => d.swing !== 'none').length * 2);
      assert.equal(on('WINDOWS').length, floors[i]!.windows.length * 3);
      assert.ok(['WALLS', 'DOORS', 'WINDOWS', 'STAIRS', 'ROOMS', 'DIMENSIONS', 'ANNOTATION'].every((l) => dxf.layers.includes(l)));
      // Room labels carry the area (placed like the SVG's), the outer walls their dimension chains,
      // and the drawing a north arrow and a scale bar.
      const labels = on('ROOM_LABELS').map((e) => e.text ?? '');
      for (const room of floors[i]!.rooms.filter((r) => shoelace(r.polygon) >= 6))
        assert.ok(labels.includes(`${shoelace(room.polygon).toFixed(1)} m\\U+00B2`), `${room.id}: ${labels.join(' | ')}`);
      assert.ok(on('DIMENSIONS').filter((e) => e.type === 'LINE').length >= 4 * 2 * 3);
      assert.ok(on('ANNOTATION').some((e) => e.type === 'TEXT' && e.text === 'N'));
      assert.ok(on('ANNOTATION').some((e) => e.type === 'TEXT' && e.text === '5 m'));
    });
  });

  it('glTF: valid for the Khronos validator, one node per floor (gltf.test.ts reads the rest)', async () => {
    const [file] = pick(metric, 'gltf_urls', 'floorplans_3d');
    assert.equal(file!.contentType, 'model/gltf-binary');
    const issues = await gltfIssues(file!.data);
    assert.equal(issues.errors, 0, JSON.stringify(issues.messages));
    assert.equal(issues.warnings, 0, JSON.stringify(issues.messages));
    const json = JSON.parse(file!.data.subarray(20, 20 + file!.data.readUInt32LE(12)).toString('utf8'));
    assert.equal(json.scenes[0].nodes.length, floors.length);
  });

  it('ZIPs list every floor-plan file of their variant', async () => {
    for (const [field, tag] of [
      ['zip_urls', ''],
      ['zip_urls_dim', '-dim'],
    ] as const) {
      const entries = await zipEntries(pick(metric, field)[0]!.data);
      const expected = pick(metric, `svg_urls${tag ? '_dim' : ''}`)
        .flatMap((svg) => ['svg', 'png', 'jpg'].map((ext) => svg.name.replace(/\.svg$/, `.${ext}`)))
        .concat(`floorplans${tag}.pdf`);
      assert.deepEqual(entries.map((e) => e.name).sort(), expected.sort());
    }
  });

  it('combined PDF: floor plans, then the reports bought', async () => {
    const input = fixtureInput();
    const all = await readPdf(await renderCombinedPdf(input, ['listing_floorplans', 'home_report', 'snapshot', 'gla_package']));
    assert.equal(all.pages, floors.length + (1 + floors.length) + 1 + (1 + aboveGrade.length));
    const plansOnly = await readPdf(await renderCombinedPdf(input, ['listing_floorplans']));
    assert.equal(plansOnly.pages, floors.length);
  });

  it('renders the same input to the same bytes', async () => {
    const again = await renderProducts(fixtureInput({ units: 'metric', language: 'en' }), ALL);
    assert.equal(again.length, metric.length);
    again.forEach((f, i) => assert.ok(f.data.equals(metric[i]!.data), `${f.name} differs between two renderings`));
    const combined = () => renderCombinedPdf(fixtureInput(), ['listing_floorplans', 'home_report']);
    assert.ok((await combined()).equals(await combined()));
  });
});
