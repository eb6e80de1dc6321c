// `npm run build` compiles every module, worker threads' included: the compiled server starts its
// render and checkpointing threads from their compiled files, without tsx.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the build', () => {
  it('runs the worker threads from the compiled modules, with plain node', (t) => {
    // Beside src/, as dist/ is, so the paths the modules resolve relative to themselves hold.
    const name = `dist.test-${process.pid}`;
    const out = path.join(ROOT, name);
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-build-'));
    t.after(() => {
      fs.rmSync(out, { recursive: true, force: true });
      fs.rmSync(data, { recursive: true, force: true });
    });
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--out', name], { cwd: ROOT, stdio: 'pipe' });
    assert.ok(fs.existsSync(path.join(out, 'render/render-thread.js')));
    assert.ok(fs.existsSync(path.join(out, 'db/wal-checkpoint-thread.js')));
    assert.equal(fs.existsSync(path.join(out, 'thread-from-source.mjs')), false, 'the entry for threads run from the sources stays out');

    const module = (p: string) => JSON.stringify(pathToFileURL(path.join(out, p)).href);
    // A file inside the build (not `node -e`, whose flags the threads would inherit), so it finds node_modules.
    const script = path.join(out, 'build-test.mjs');
    fs.writeFileSync(
      script,
      `
      import SQLite from 'better-sqlite3';
      import { renderProductsOffThread } from ${module('render/renderer.js')};
      import { generateModel } from ${module('render/generate-model.js')};
      import { DEFAULT_DRAW_OPTIONS } from ${module('render/style.js')};
      import { startWalCheckpointer } from ${module('db/wal-checkpointer.js')};
      const property = { orderId: 'o', modelId: 'm', address: 'a' };
      const files = await renderProductsOffThread({ model: generateModel('build', 900, 1), opts: DEFAULT_DRAW_OPTIONS, property }, ['listing_floorplans']);
      const png = files.find((f) => f.name.endsWith('.png')).data;
      const jpg = files.find((f) => f.name.endsWith('.jpg')).data;
      const file = ${JSON.stringify(path.join(data, 'casa.sqlite'))};
      const db = new SQLite(file);
      db.pragma('journal_mode = WAL');
      db.pragma('wal_autocheckpoint = 0');
      db.exec('create table t (body text)');
      for (let i = 0; i < 100; i++) db.prepare('insert into t values (?)').run('x'.repeat(500));
      const checkpointer = startWalCheckpointer(file, 20);
      await checkpointer.next();
      const report = await checkpointer.next();
      await checkpointer.stop();
      db.close();
      console.log(JSON.stringify({ png: png.subarray(1, 4).toString(), jpg: jpg.readUInt16BE(0), report }));
    `,
    );
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const answer = JSON.parse(execFileSync(process.execPath, [script], { cwd: ROOT, env, encoding: 'utf8' })) as {
      png: string;
      jpg: number;
      report: { log: number; checkpointed: number };
    };
    assert.equal(answer.png, 'PNG');
    assert.equal(answer.jpg, 0xffd8, 'a JPG of the same pixels');
    assert.ok(answer.report.log > 0, 'the writes went to the log');
    assert.equal(answer.report.checkpointed, answer.report.log, 'the checkpointing thread copied every frame');
  });
});
