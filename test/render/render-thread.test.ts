// Production draws an order's files on a thread of its own: the same bytes as drawing them on the
// calling thread, at a lower priority on Linux, and a failed drawing fails only its own job.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { renderCombinedPdf, renderProducts } from '../../src/render/deliverable-files.js';
import { RENDER_NICE, renderCombinedPdfOffThread, renderProductsOffThread } from '../../src/render/renderer.js';
import type { Product } from '../../src/domain/catalog.js';
import { fixtureInput } from './fixture.js';

/** A thread's nice value: field 19 of /proc/self/task/<tid>/stat (after the command name's closing parenthesis). */
function niceOf(tid: string): number {
  const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

const PRODUCTS: Product[] = ['listing_floorplans', 'gla_package', 'cad_files'];

describe('the render thread', () => {
  it(
    'draws at nice 10 while every thread that was there before keeps the process priority',
    { skip: process.platform !== 'linux' },
    async () => {
      const before = new Set(fs.readdirSync('/proc/self/task'));
      const base = niceOf(String(process.pid));
      assert.ok(base < RENDER_NICE, `run the tests at a nice value below ${RENDER_NICE} (this one is ${base})`);

      const [json] = await renderProductsOffThread(fixtureInput(), ['property_data']);
      assert.equal(json!.name, 'property-data.json');

      const threads = fs.readdirSync('/proc/self/task');
      const lowered = threads.filter((tid) => niceOf(tid) === RENDER_NICE);
      assert.ok(lowered.length >= 1, 'a thread at the render priority');
      assert.ok(
        lowered.every((tid) => !before.has(tid)),
        'only threads started for rendering are lowered',
      );
      for (const tid of before) if (threads.includes(tid)) assert.equal(niceOf(tid), base, `thread ${tid} keeps the process priority`);
    },
  );

  it('answers the same files, byte for byte, as drawing them on this thread', async () => {
    const input = fixtureInput({ units: 'imperial', template: 'classic' });
    const here = await renderProducts(input, PRODUCTS);
    // Twice: a second job on the same thread draws the same bytes.
    for (const off of [await renderProductsOffThread(input, PRODUCTS), await renderProductsOffThread(input, PRODUCTS)]) {
      assert.deepEqual(
        off.map(({ product, field, name, contentType }) => ({ product, field, name, contentType })),
        here.map(({ product, field, name, contentType }) => ({ product, field, name, contentType })),
      );
      off.forEach((file, i) => {
        assert.ok(Buffer.isBuffer(file.data), `${file.name} arrives as a Buffer`);
        assert.ok(file.data.equals(here[i]!.data), `${file.name} differs`);
      });
    }
    const delivered: Product[] = ['listing_floorplans', 'home_report'];
    assert.ok((await renderCombinedPdfOffThread(input, delivered)).equals(await renderCombinedPdf(input, delivered)));
  });

  it('fails a job whose input cannot be drawn, and draws the next', async () => {
    const broken = { ...fixtureInput(), model: { ...fixtureInput().model, floors: null } } as never;
    await assert.rejects(renderProductsOffThread(broken, ['listing_floorplans']), /^Error: rendering failed: /);
    const [json] = await renderProductsOffThread(fixtureInput(), ['property_data']);
    assert.equal(json!.name, 'property-data.json');
  });
});
