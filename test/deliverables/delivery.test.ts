import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { PROPERTY_DATA_SCHEMA } from '../../src/render/property-data.js';
import type { FloorPlanModel } from '../../src/render/model.js';
import { PRODUCTS } from '../../src/domain/catalog.js';
import { decodeOrder } from '../../src/services/orders/orders-repo.js';
import { buildOrdersApp, call, ok } from '../orders/order-helpers.js';
import { areasIn, gltfIssues, imageSize, parseDxf, parseSvg, readPdf, zipEntries } from '../render/format-checks.js';
import { areasInText, shoelace, SQFT_PER_M2 } from '../render/fixture.js';
import type { TestApp } from '../helpers/app.js';
import { deliveredOrder, download, fileUrls } from './delivery-helpers.js';

const CONTENT_TYPES: Record<string, string> = {
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  pdf: 'application/pdf',
  zip: 'application/zip',
  json: 'application/json',
  dxf: 'image/vnd.dxf',
  glb: 'model/gltf-binary',
};

const PACKAGE_PRODUCTS: Record<string, string[]> = {
  base: ['listing_floorplans'],
  plus: ['listing_floorplans', 'home_report', 'snapshot', 'property_data', 'tour'],
  plus_3d: ['listing_floorplans', 'home_report', 'snapshot', 'property_data', 'tour', 'floorplans_3d'],
};

async function storedModel(ctx: TestApp, orderId: string): Promise<FloorPlanModel> {
  const model = await ctx.app.services.deliverables.model({ id: orderId });
  assert.ok(model, 'production stored the model');
  return model;
}

/** Checks one downloaded file with the parser of its format against the model. */
async function checkFile(field: string, name: string, body: Buffer, model: FloorPlanModel): Promise<void> {
  const floors = [...model.floors].sort((a, b) => a.level - b.level);
  const roomAreas = floors.flatMap((f) => f.rooms.map((r) => shoelace(r.polygon)));
  const ext = name.slice(name.lastIndexOf('.') + 1);
  switch (ext) {
    case 'svg': {
      const svg = parseSvg(body.toString('utf8'));
      assert.equal(svg.rooms.length, floors.find((f) => svg.rooms.some((r) => r.id === `room-${f.rooms[0]!.id}`))!.rooms.length, name);
      break;
    }
    case 'png':
    case 'jpg': {
      const size = await imageSize(body);
      assert.deepEqual(
        size,
        field === 'image_urls'
          ? { format: 'jpeg', width: 1240, height: 1754 }
          : { format: ext === 'png' ? 'png' : 'jpeg', width: 1600, height: 1200 },
        name,
      );
      break;
    }
    case 'pdf': {
      const pdf = await readPdf(body);
      const above = floors.filter((f) => !f.below_grade).length;
      if (name === 'home-report.pdf') {
        // The room table takes one page (two for a large house), then one page per floor.
        const tablePages = pdf.pages - floors.length;
        assert.ok(tablePages === 1 || tablePages === 2, `${name}: ${pdf.pages} pages for ${floors.length} floors`);
        const found = areasInText(pdf.text.slice(0, tablePages).join(' '));
        for (const a of roomAreas)
          assert.ok(
            found.some((f) => Math.abs(f - a) <= 0.01),
            `${name}: room of ${a} m²`,
          );
      } else {
        assert.equal(pdf.pages, name.startsWith('floorplans') ? floors.length : name === 'gla.pdf' ? 1 + above : 1, name);
      }
      break;
    }
    case 'zip': {
      const entries = (await zipEntries(body)).map((e) => e.name);
      const tag = field.endsWith('_dim') ? '-dim' : '';
      assert.equal(entries.length, floors.length * 3 + 1, name);
      assert.ok(entries.includes(`floorplans${tag}.pdf`), name);
      break;
    }
    case 'json': {
      const data = JSON.parse(body.toString('utf8'));
      if (name === 'property-data.json') {
        const validate = new Ajv2020().compile(PROPERTY_DATA_SCHEMA);
        assert.ok(validate(data), JSON.stringify(validate.errors));
        const rooms = data.floors.flatMap((f: { rooms: unknown[] }) => f.rooms) as { area_m2: number; area_sqft: number }[];
        rooms.forEach((r, i) => {
          assert.ok(Math.abs(r.area_m2 - roomAreas[i]!) <= 0.01 && Math.abs(r.area_sqft / SQFT_PER_M2 - roomAreas[i]!) <= 0.01, name);
        });
      } else {
        const gla = floors.filter((f) => !f.below_grade).reduce((s, f) => s + shoelace(f.outline), 0);
        assert.ok(Math.abs(data.gla_m2 - gla) <= 0.01 && Math.abs(data.gla_sqft / SQFT_PER_M2 - gla) <= 0.01, name);
      }
      break;
    }
    case 'dxf': {
      const dxf = parseDxf(body);
      const slug = name.replace(/\.dxf$/, '');
      const floor = floors.find((f) => (f.level < 0 ? `basement-${-f.level}` : `floor-${f.level + 1}`) === slug)!;
      assert.equal(dxf.entities.filter((e) => e.layer === 'WALLS').length, floor.walls.length, name);
      break;
    }
    case 'glb': {
      const issues = await gltfIssues(body);
      assert.equal(issues.errors, 0, JSON.stringify(issues.messages));
      break;
    }
    default:
      assert.fail(`unexpected file ${name}`);
  }
}

describe('delivery_assets of a delivered order', () => {
  for (const packageType of ['base', 'plus', 'plus_3d']) {
    it(`${packageType} with every add-on: every URL downloads a valid file of the right type`, async (t) => {
      const ctx = await buildOrdersApp(t);
      const company = await ctx.createCompany();
      const order = await deliveredOrder(ctx, company, packageType);
      assert.equal(order.info.status, 'Ready');
      const assets = order.delivery_assets;
      const model = await storedModel(ctx, order.id);
      const floors = model.floors.length;
      const bought = [...PACKAGE_PRODUCTS[packageType]!, 'gla_package', 'cad_files', 'video_3d'];

      assert.deepEqual(Object.keys(assets), [...PRODUCTS]);
      for (const p of PRODUCTS) assert.equal(assets[p] === null, !bought.includes(p), `${p} bought: ${bought.includes(p)}`);
      const lists = (p: string) =>
        Object.fromEntries(Object.entries(assets[p] as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) ? v.length : v]));
      assert.deepEqual(lists('listing_floorplans'), {
        jpg_urls: floors,
        jpg_urls_dim: floors,
        png_urls: floors,
        png_urls_dim: floors,
        svg_urls: floors,
        svg_urls_dim: floors,
        pdf_urls: 1,
        pdf_urls_dim: 1,
        zip_urls: 1,
        zip_urls_dim: 1,
      });
      assert.deepEqual(lists('gla_package'), { pdf_urls: 1, json_urls: 1 });
      assert.deepEqual(lists('cad_files'), { dxf_urls: floors });
      assert.deepEqual(assets.video_3d, { mp4_urls: [] });
      if (packageType !== 'base') {
        assert.deepEqual(lists('home_report'), { pdf_urls: 1 });
        assert.deepEqual(lists('snapshot'), { image_urls: 1, pdf_urls: 1 });
        assert.deepEqual(lists('property_data'), { json_urls: 1 });
        assert.deepEqual(assets.tour, {
          link: `http://casa.test/tour/${order.id}`,
          mls_compliance_link: `http://casa.test/tour/${order.id}?unbranded=1`,
          type: 'floorplan_tour',
        });
      }
      if (packageType === 'plus_3d')
        assert.deepEqual(lists('floorplans_3d'), { gltf_urls: 1, viewer_url: `http://casa.test/tour/${order.id}/3d` });

      for (const { field, url } of fileUrls(assets)) {
        const res = await download(ctx, url);
        assert.equal(res.statusCode, 200, url);
        const name = decodeURIComponent(new URL(url).pathname.split('/').pop()!);
        assert.equal(res.headers['content-type'], CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)], name);
        assert.equal(Number(res.headers['content-length']), res.rawPayload.length, name);
        assert.match(String(res.headers.etag), /^"[0-9a-f]{64}"$/);
        await checkFile(field, name, res.rawPayload, model);
      }
    });
  }

  it('lists no file before delivery, with the bought products present and empty', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const draft = await ok(
      call(ctx, company, 'POST', '/orders/draft', {
        street: '1 Main St',
        city: 'Espoo',
        country: 'Finland',
        owner_email: company.managerEmail,
        package_type: 'base',
      }),
    );
    assert.deepEqual(fileUrls(draft.delivery_assets), []);
    assert.deepEqual(draft.delivery_assets.listing_floorplans.svg_urls, []);
  });

  it('renders the same order to the same bytes when produced again', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await deliveredOrder(ctx, company, 'plus', ['gla', '3d_cad_files']);
    const rows = async () =>
      await ctx.storage.db
        .selectFrom('delivered_files')
        .select(['name', 'etag', 'storage_key'])
        .where('order_id', '=', order.id)
        .orderBy('name')
        .execute();
    const first = await rows();
    const row = decodeOrder(await ctx.storage.db.selectFrom('orders').selectAll().where('id', '=', order.id).executeTakeFirstOrThrow());
    await ctx.app.services.deliverables.produce(row, [
      'listing_floorplans',
      'home_report',
      'snapshot',
      'property_data',
      'gla_package',
      'cad_files',
    ]);
    assert.deepEqual(await rows(), first);
  });
});

describe('redeliver and post-purchase', () => {
  it('redeliver re-renders the 2D files in the new style; CAD files stay as they were', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await deliveredOrder(ctx, company, 'plus', ['3d_cad_files']);
    const before = order.delivery_assets;
    const ground = (await storedModel(ctx, order.id)).floors.filter((f) => f.level < 0).length; // index of level 0
    const svgBefore = parseSvg((await download(ctx, before.listing_floorplans.svg_urls[ground])).body);
    assert.equal(svgBefore.background, '#ffffff');
    assert.ok(areasIn(svgBefore, / sq ft$/), 'a US order draws in imperial units by default');

    await ok(
      call(ctx, company, 'POST', `/orders/${order.id}/redeliver`, {
        style_template_id: 'blueprint',
        units: 'metric',
        label_language: 'fi',
      }),
    );
    await ctx.app.services.production.runOnce();
    const after = (await ok(call(ctx, company, 'GET', `/orders/${order.id}`))).delivery_assets;
    const svgAfter = parseSvg((await download(ctx, after.listing_floorplans.svg_urls[ground])).body);
    assert.equal(svgAfter.background, '#1f4e8c');
    assert.ok(svgAfter.rooms.some((r) => /^Oloh(uone|\.)$/.test(r.texts[0] ?? '')));
    assert.ok(areasIn(svgAfter, / m²$/), 'metric areas after redeliver');
    const path = (u: string) => new URL(u).pathname;
    assert.notEqual(path(after.home_report.pdf_urls[0]), path(before.home_report.pdf_urls[0]));
    assert.deepEqual(after.cad_files.dxf_urls.map(path), before.cad_files.dxf_urls.map(path));
    // The replaced file is gone; its old link no longer serves it.
    assert.equal((await download(ctx, before.listing_floorplans.svg_urls[ground])).statusCode, 404);
  });

  it('post-purchase on a Ready order renders the newly bought products at their delivery', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await deliveredOrder(ctx, company, 'base', []);
    assert.equal(order.delivery_assets.gla_package, null);
    const upgraded = await ok(call(ctx, company, 'POST', `/orders/${order.id}/post-purchase`, { package_type: null, add_ons: ['gla'] }));
    assert.deepEqual(upgraded.delivery_assets.gla_package, { pdf_urls: [], json_urls: [] });
    ctx.clock.advanceSeconds(ctx.config.productionDelayS + 1);
    assert.equal(await ctx.app.services.production.runOnce(), 1);
    const after = (await ok(call(ctx, company, 'GET', `/orders/${order.id}`))).delivery_assets;
    assert.equal(after.gla_package.pdf_urls.length, 1);
    const res = await download(ctx, after.gla_package.json_urls[0]);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().order_id, order.id);
  });
});

describe('GET /orders/{id}/combined-pdf', () => {
  it('streams the floor plans, then the reports bought, as one PDF', async (t) => {
    const ctx = await buildOrdersApp(t);
    const company = await ctx.createCompany();
    const order = await deliveredOrder(ctx, company, 'plus', ['gla']);
    const model = await storedModel(ctx, order.id);
    const floors = model.floors.length;
    const above = model.floors.filter((f) => !f.below_grade).length;
    const homeReport = await readPdf((await download(ctx, order.delivery_assets.home_report.pdf_urls[0])).rawPayload);
    const res = await call(ctx, company, 'GET', `/orders/${order.id}/combined-pdf`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    const pdf = await readPdf(res.rawPayload);
    assert.equal(pdf.pages, floors + homeReport.pages + 1 + (1 + above));
    assert.match(pdf.text[floors]!, /Home report/);
    const again = await call(ctx, company, 'GET', `/orders/${order.id}/combined-pdf`);
    assert.ok(again.rawPayload.equals(res.rawPayload), 'the cached document is the same');
  });
});
