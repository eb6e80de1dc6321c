// The tour and the 3D viewer in headless Chromium: a buyer opens a delivered order's tour, reads
// rooms and areas, switches floors, zooms; `?unbranded=1` shows no company or contact; the viewer
// renders the glTF on a WebGL canvas. Orders not delivered (or not bought) answer 404.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp, type TestCompany } from '../helpers/app.js';
import { assertAccessible, launchBrowser, openPage, screenshot, serve, type WatchedPage } from '../helpers/browser.js';
import { call, createDraft, getOrder, ok, scan } from '../orders/order-helpers.js';
import { generateModel } from '../../src/render/generate-model.js';
import { modelGlb } from '../../src/render/gltf.js';
import { floorName } from '../../src/render/labels.js';
import { floorsInOrder } from '../../src/render/model.js';
import { summarize } from '../../src/render/summary.js';
import { squareFeet } from '../../src/render/units.js';

/** A level's name in the tour's and the viewer's addresses. */
const slugOf = (level: number) => (level < 0 ? `basement-${-level}` : `floor-${level + 1}`);

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

interface Setup {
  ctx: TestApp;
  origin: string;
  company: TestCompany;
}

async function setup(t: Parameters<typeof buildTestApp>[0]): Promise<Setup> {
  const ctx = await buildTestApp(t);
  const origin = await serve(ctx);
  return { ctx, origin, company: await ctx.createCompany('Crescent City Realty') };
}

/** A plus_3d order, scanned (2,500 sq ft: always two or three floors) and delivered by the operator. */
async function deliveredOrder(s: Setup, packageType = 'plus_3d'): Promise<{ id: string; address: string }> {
  const draft = await createDraft(s.ctx, s.company, { package_type: packageType, add_ons: [] });
  await scan(s.ctx, draft.id, { total_scanned_area: 2500 });
  await ok(call(s.ctx, null, 'POST', `/admin/v1/orders/${draft.id}/deliver`));
  const order = await getOrder(s.ctx, s.company, draft.id);
  assert.equal(order.info.status, 'Ready');
  return { id: draft.id, address: order.address.full_address };
}

async function withPage<T>(s: Setup, fn: (w: WatchedPage) => Promise<T>): Promise<T> {
  const w = await openPage(browser, s.origin);
  try {
    const result = await fn(w);
    assert.deepEqual(w.problems, [], 'no off-origin request, CSP violation or script error');
    return result;
  } finally {
    await w.close();
  }
}

describe('GET /tour/{order_id}', () => {
  test('a buyer reads rooms and areas floor by floor, switches floors and zooms the plan', async (t) => {
    const s = await setup(t);
    const order = await deliveredOrder(s);
    const facts = summarize(generateModel(order.id, 2500));
    assert.ok(facts.floors.length >= 2);
    const [first, second] = facts.floors.map((f) => ({ ...f, slug: slugOf(f.level) }));
    await withPage(s, async (w) => {
      const res = await w.page.goto(`/tour/${order.id}`);
      assert.equal(res?.status(), 200);
      assert.equal(await w.page.getByRole('heading', { level: 1 }).textContent(), order.address);
      assert.equal(await w.page.locator('#tour-brand').textContent(), 'Presented by Crescent City Realty');
      assert.match(
        (await w.page.locator('#tour-contact').textContent()) ?? '',
        new RegExp(`Contact: ${s.company.managerEmail.replace(/[.]/g, '\\.')}`),
      );
      const floors = w.page.getByRole('navigation', { name: 'Floors' }).getByRole('link');
      assert.deepEqual(
        await floors.allTextContents(),
        facts.floors.map((f) => floorName(f.level, 'en')),
      );

      // The first floor shows, with its rooms and areas (imperial: the order is in the United States).
      const visible = w.page.locator('section.floor:visible');
      assert.equal(await visible.count(), 1);
      assert.equal(await visible.getAttribute('id'), first!.slug);
      const basementRows = await visible
        .locator('table.rooms tbody tr')
        .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent)));
      assert.equal(basementRows.length, first!.rooms.length);
      assert.deepEqual(
        basementRows.map((r) => r[1]),
        first!.rooms.map((r) => `${squareFeet(r.areaM2).toFixed(1)} sq ft`),
      );
      assert.equal(await visible.locator('svg.plan-svg g.room').count(), first!.rooms.length);
      await assertAccessible(w.page);
      await screenshot(w.page, 'tour-first-floor');

      // Switch to the second floor by keyboard.
      await floors.nth(1).focus();
      await w.page.keyboard.press('Enter');
      assert.equal(await w.page.locator('section.floor:visible').getAttribute('id'), second!.slug);
      assert.equal(await floors.nth(1).getAttribute('aria-current'), 'page');
      assert.equal(await floors.nth(0).getAttribute('aria-current'), null);
      assert.equal(new URL(w.page.url()).searchParams.get('floor'), second!.slug);
      const floor1 = w.page.locator(`#${second!.slug}`);
      assert.equal(await floor1.locator('table.rooms tbody tr').count(), second!.rooms.length);

      // Zoom with the button, then with the keyboard on the plan, then reset.
      await floor1.getByRole('button', { name: 'Zoom in' }).click();
      assert.equal(await floor1.getAttribute('data-zoom'), '1.25');
      await floor1.locator('.plan-viewport').focus();
      await w.page.keyboard.press('+');
      assert.equal(await floor1.getAttribute('data-zoom'), '1.56');
      await w.page.keyboard.press('ArrowRight');
      assert.match((await floor1.locator('.plan-canvas').evaluate((el) => (el as HTMLElement).style.transform)) ?? '', /scale\(1\.5625\)/);
      await assertAccessible(w.page);
      await screenshot(w.page, 'tour-second-floor-zoomed');
      await w.page.keyboard.press('0');
      assert.equal(await floor1.getAttribute('data-zoom'), '1.00');

      // Back to the first floor with the mouse.
      await floors.nth(0).click();
      assert.equal(await w.page.locator('section.floor:visible').getAttribute('id'), first!.slug);

      // The floor in the address works without script too (a shared link).
      const direct = await w.page.goto(`/tour/${order.id}?floor=${second!.slug}`);
      assert.equal(direct?.status(), 200);
      assert.equal(await w.page.locator('section.floor:visible').getAttribute('id'), second!.slug);
    });
  });

  test('?unbranded=1 (MLS compliance) shows no company name and no contact details', async (t) => {
    const s = await setup(t);
    const order = await deliveredOrder(s);
    await withPage(s, async (w) => {
      const res = await w.page.goto(`/tour/${order.id}?unbranded=1`);
      assert.equal(res?.status(), 200);
      const text = (await w.page.locator('body').textContent()) ?? '';
      assert.ok(!text.includes('Crescent City Realty'));
      assert.ok(!text.includes(s.company.managerEmail));
      assert.equal(await w.page.locator('a[href^="mailto:"]').count(), 0);
      assert.equal(await w.page.getByRole('heading', { level: 1 }).textContent(), order.address);
      // Links within the tour keep it unbranded.
      assert.equal(await w.page.getByRole('link', { name: 'View the 3D model' }).getAttribute('href'), `/tour/${order.id}/3d?unbranded=1`);
      assert.equal(await w.page.getByRole('link', { name: 'Floor 1' }).getAttribute('href'), '?unbranded=1&floor=floor-1');
      await assertAccessible(w.page);
      await screenshot(w.page, 'tour-unbranded');
    });
  });

  test('orders not delivered, unknown, malformed or without a tour answer 404', async (t) => {
    const s = await setup(t);
    const pending = await createDraft(s.ctx, s.company, { package_type: 'plus_3d', add_ons: [] });
    await scan(s.ctx, pending.id, { total_scanned_area: 2500 });
    const base = await deliveredOrder(s, 'base');
    await withPage(s, async (w) => {
      for (const path of [
        `/tour/${pending.id}`,
        `/tour/${base.id}`,
        '/tour/00000000-0000-4000-8000-000000000000',
        '/tour/not-a-uuid',
        `/tour/${pending.id}/3d`,
        `/tour/${base.id}/3d`,
      ]) {
        const res = await w.page.goto(path);
        assert.equal(res?.status(), 404, path);
        assert.equal(await w.page.getByRole('heading', { level: 1 }).textContent(), 'Page not found', path);
      }
      await assertAccessible(w.page);
      await screenshot(w.page, 'tour-not-found');
    });
    for (const id of [pending.id, base.id]) {
      assert.equal((await s.ctx.inject({ method: 'GET', url: `/tour/${id}/model.glb` })).statusCode, 404);
    }
  });
});

describe('GET /tour/{order_id}/3d', () => {
  test('the 3D viewer renders the delivered glTF on a WebGL canvas, served from this origin', async (t) => {
    const s = await setup(t);
    const order = await deliveredOrder(s);
    const floors = floorsInOrder(generateModel(order.id, 2500));
    const glb = await s.ctx.inject({ method: 'GET', url: `/tour/${order.id}/model.glb` });
    assert.equal(glb.statusCode, 200);
    assert.equal(glb.headers['content-type'], 'model/gltf-binary');
    assert.deepEqual(glb.rawPayload, modelGlb(generateModel(order.id, 2500)));

    await withPage(s, async (w) => {
      // SwiftShader (software WebGL) spends tens of seconds compiling the viewer's lighting shaders,
      // blocking the page meanwhile: this test allows for it.
      w.context.setDefaultTimeout(120_000);
      // When the viewer never draws, the browser's own messages (WebGL context lost, GPU process
      // gone) say why: they are reported with the failure.
      const browserLog: string[] = [];
      w.page.on('console', (msg) => browserLog.push(`${msg.type()}: ${msg.text()}`));
      w.page.on('crash', () => browserLog.push('page crashed'));
      t.after(() => {
        if (browserLog.some((line) => /^error|lost|crash/i.test(line))) t.diagnostic(`browser console:\n${browserLog.join('\n')}`);
      });
      await w.page.goto(`/tour/${order.id}`);
      await w.page.getByRole('link', { name: 'View the 3D model' }).click();
      await w.page.waitForURL(`**/tour/${order.id}/3d`);
      assert.equal(await w.page.getByRole('heading', { level: 1 }).textContent(), `3D model of ${order.address}`);
      const viewer = w.page.locator('model-viewer');
      await w.page.waitForFunction(
        () => (document.querySelector('model-viewer') as unknown as { loaded?: boolean } | null)?.loaded === true,
        undefined,
        { timeout: 120_000 },
      );
      assert.equal(await viewer.getAttribute('src'), `/tour/${order.id}/model.glb`);
      // The canvas inside the viewer holds a drawing: before the model shows, every pixel is clear;
      // drawn, the model covers a good share of the frame in several lit shades. (How many shades
      // depends on the order's generated model, so the test counts covered pixels, not colours.)
      // page.evaluate awaits the promise (waitForFunction would take the promise itself as truthy).
      const sampleDrawing = () =>
        w.page.evaluate(() => {
          const host = document.querySelector('model-viewer') as unknown as { toDataURL(type?: string): string } | null;
          const url = host?.toDataURL('image/png');
          const none = { covered: 0, shades: 0, box: [1, 1, 0, 0] as [number, number, number, number] };
          if (!url) return none;
          return new Promise<typeof none>((resolve) => {
            const img = new Image();
            img.onload = () => {
              const c = document.createElement('canvas');
              c.width = img.width;
              c.height = img.height;
              const g = c.getContext('2d')!;
              g.drawImage(img, 0, 0);
              const data = g.getImageData(0, 0, c.width, c.height).data;
              const shades = new Set<number>();
              let sampled = 0;
              let drawn = 0;
              // The drawn pixels' extent, as shares of the frame: [left, top, right, bottom].
              const box: [number, number, number, number] = [1, 1, 0, 0];
              for (let i = 0; i < data.length; i += 4 * 97) {
                sampled += 1;
                if (data[i + 3] === 0) continue;
                drawn += 1;
                shades.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
                const x = ((i / 4) % c.width) / c.width;
                const y = Math.floor(i / 4 / c.width) / c.height;
                box[0] = Math.min(box[0], x);
                box[1] = Math.min(box[1], y);
                box[2] = Math.max(box[2], x);
                box[3] = Math.max(box[3], y);
              }
              resolve({ covered: drawn / sampled, shades: shades.size, box });
            };
            img.src = url;
          });
        });
      const drawn = (d: { covered: number; shades: number }) => d.covered > 0.05 && d.shades >= 3;
      /** Waits for the viewer to draw, then checks the model is framed: well inside the frame, and filling a good part of it. */
      const assertFramed = async (what: string) => {
        let drawing = await sampleDrawing();
        for (const deadline = Date.now() + 120_000; !drawn(drawing) && Date.now() < deadline; drawing = await sampleDrawing()) {
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        const [left, top, right, bottom] = drawing.box;
        const facts = `${Math.round(drawing.covered * 100)} % of the frame covered, ${drawing.shades} shades, extent ${drawing.box.map((v) => v.toFixed(2))}`;
        assert.ok(drawn(drawing), `the viewer drew ${what} (${facts})`);
        assert.ok(left > 0.01 && top > 0.01 && right < 0.99 && bottom < 0.99, `${what} is not cut off by the frame (${facts})`);
        assert.ok(right - left > 0.4 || bottom - top > 0.4, `${what} fills the frame (${facts})`);
      };
      await assertFramed('the whole house');
      const canvas = await viewer.evaluate((el) => {
        const c = el.shadowRoot?.querySelector('canvas');
        return c ? { width: c.width, height: c.height } : null;
      });
      assert.ok(canvas && canvas.width > 0 && canvas.height > 0, 'a canvas in the viewer');
      // Keyboard: the viewer takes focus (next after the level picker above it) and turns with the arrow keys.
      const levels = w.page.getByRole('navigation', { name: 'Levels' }).getByRole('link');
      await levels.last().focus();
      await w.page.keyboard.press('Tab');
      assert.equal(await w.page.evaluate(() => document.activeElement?.tagName), 'MODEL-VIEWER');
      const before = await viewer.evaluate((el) => (el as unknown as { getCameraOrbit(): { theta: number } }).getCameraOrbit().theta);
      await w.page.keyboard.press('ArrowLeft');
      await w.page.waitForFunction(
        (t0) =>
          (document.querySelector('model-viewer') as unknown as { getCameraOrbit(): { theta: number } }).getCameraOrbit().theta !== t0,
        before,
      );
      await assertAccessible(w.page);
      await screenshot(w.page, 'viewer-3d');

      // The level picker: the whole house first, then one level at a time (that level's own glTF,
      // framed afresh), then the whole house again.
      assert.deepEqual(await levels.allTextContents(), ['All floors', ...floors.map((f) => floorName(f.level, 'en'))]);
      assert.equal(await levels.nth(0).getAttribute('aria-current'), 'page');
      const height = () => viewer.evaluate((el) => (el as unknown as { getDimensions(): { y: number } }).getDimensions().y);
      const wholeHeight = await height();
      const pick = async (i: number) => {
        const loaded = viewer.evaluate(
          (el) => new Promise<void>((resolve) => el.addEventListener('load', () => resolve(), { once: true })),
        );
        await levels.nth(i).click();
        await loaded;
      };
      const [lowest, next] = floors.map((f) => ({ slug: slugOf(f.level), name: floorName(f.level, 'en') }));
      await pick(2);
      assert.equal(await viewer.getAttribute('src'), `/tour/${order.id}/model.glb?floor=${next!.slug}`);
      assert.equal(await levels.nth(2).getAttribute('aria-current'), 'page');
      assert.equal(await levels.nth(0).getAttribute('aria-current'), null);
      assert.equal(new URL(w.page.url()).searchParams.get('floor'), next!.slug);
      assert.equal(await w.page.locator('#viewer-level').textContent(), `Showing ${next!.name}.`);
      const levelHeight = await height();
      assert.ok(levelHeight < wholeHeight - 2, `one level (${levelHeight} m tall) is shown, not the house (${wholeHeight} m)`);
      await assertFramed(`${next!.name} alone`);
      await screenshot(w.page, 'viewer-3d-one-level');
      await pick(0);
      assert.equal(await viewer.getAttribute('src'), `/tour/${order.id}/model.glb`);
      assert.equal(new URL(w.page.url()).searchParams.get('floor'), null);
      assert.equal(await height(), wholeHeight);
      await assertFramed('the whole house again');

      // A shared link to one level opens on it without script.
      await w.page.goto(`/tour/${order.id}/3d?floor=${lowest!.slug}`);
      assert.equal(await viewer.getAttribute('src'), `/tour/${order.id}/model.glb?floor=${lowest!.slug}`);
      assert.equal(await levels.nth(1).getAttribute('aria-current'), 'page');
    });
  });

  test('GET /tour/{order_id}/model.glb?floor= answers that level alone; an unknown floor is a 404', async (t) => {
    const s = await setup(t);
    const order = await deliveredOrder(s);
    const model = generateModel(order.id, 2500);
    for (const floor of model.floors) {
      const slug = slugOf(floor.level);
      const res = await s.ctx.inject({ method: 'GET', url: `/tour/${order.id}/model.glb?floor=${slug}` });
      assert.equal(res.statusCode, 200, slug);
      assert.equal(res.headers['content-type'], 'model/gltf-binary');
      assert.deepEqual(res.rawPayload, modelGlb(model, { level: floor.level }));
    }
    for (const floor of ['floor-9', 'basement-3', 'nonsense', '']) {
      const res = await s.ctx.inject({ method: 'GET', url: `/tour/${order.id}/model.glb?floor=${floor}` });
      assert.equal(res.statusCode, 404, floor);
    }
  });
});
