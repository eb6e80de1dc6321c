// The package as it ships: it builds to dist/, its tarball holds only what it should, its type
// fixture proves wrong requests fail to compile, its README example runs. Built in a copy of the
// package, so that runs side by side never share (or delete) one dist/.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { freePort, startLiveServer } from './harness.js';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PKG = path.join(ROOT, 'packages/client');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

/**
 * A copy of the package with its dist/ built by its own `npm run build`, and its one dependency
 * linked as an install would place it. Made once for every test of this file.
 */
let staged: Promise<string> | null = null;
function build(): Promise<string> {
  staged ??= (async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'casa-pkg-')), 'client');
    fs.cpSync(PKG, dir, { recursive: true, filter: (src) => !/[/\\](dist|node_modules)$/.test(src) });
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(path.join(ROOT, 'node_modules/openapi-fetch'), path.join(dir, 'node_modules/openapi-fetch'), 'dir');
    await run('npm', ['run', 'build'], {
      cwd: dir,
      env: { ...process.env, PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}` },
    });
    return dir;
  })();
  return staged;
}

/** tsc's diagnostics, as "file(line,col): error TSxxxx", or [] when it compiles. */
async function tsc(args: string[], cwd: string): Promise<string[]> {
  try {
    await run(process.execPath, [TSC, ...args], { cwd });
    return [];
  } catch (err) {
    const out = (err as { stdout?: string }).stdout ?? '';
    return out.split('\n').filter((l) => /error TS\d+/.test(l));
  }
}

describe('@casa-integrate/client package', () => {
  after(async () => {
    if (staged) fs.rmSync(path.dirname(await staged), { recursive: true, force: true });
  });

  it('builds ESM with declarations for every module, and the built entry point works', async () => {
    const pkg = await build();
    const sources = fs.readdirSync(path.join(PKG, 'src')).filter((f) => f.endsWith('.ts'));
    const expected = sources.flatMap((f) => [f.replace(/\.ts$/, '.js'), f.replace(/\.ts$/, '.d.ts')]).sort();
    assert.deepEqual(fs.readdirSync(path.join(pkg, 'dist')).sort(), expected);

    const manifest = JSON.parse(fs.readFileSync(path.join(PKG, 'package.json'), 'utf8'));
    assert.equal(manifest.type, 'module');
    assert.deepEqual(manifest.exports['.'], { types: './dist/index.d.ts', default: './dist/index.js' });
    assert.deepEqual(Object.keys(manifest.dependencies), ['openapi-fetch'], 'one small runtime dependency');

    const lib = await import(pathToFileURL(path.join(pkg, 'dist/index.js')).href);
    const client = new lib.CasaClient({ apiKey: 'casa_test' });
    assert.equal(client.baseUrl, 'https://app.cubi.casa/api/integrate/v3');
    assert.equal(lib.DEFAULT_BASE_URL, 'https://app.cubi.casa/api/integrate/v3');
    for (const name of [
      'paginate',
      'verifyWebhook',
      'parseOrderStatusEvent',
      'createNodeWebhookHandler',
      'createFetchWebhookHandler',
      'CasaValidationError',
    ]) {
      assert.equal(typeof lib[name], 'function', name);
    }
  });

  it('packs only dist (js and d.ts), openapi.json, README.md and package.json', async () => {
    const pkg = await build();
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: pkg });
    const [report] = JSON.parse(stdout) as { name: string; files: { path: string }[] }[];
    assert.equal(report!.name, '@casa-integrate/client');
    const files = report!.files.map((f) => f.path).sort();
    const dist = fs.readdirSync(path.join(pkg, 'dist')).map((f) => `dist/${f}`);
    assert.deepEqual(files, [...dist, 'README.md', 'openapi.json', 'package.json'].sort());
    assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('typetest/') || f.includes('tsconfig')));
  });

  it('type fixture: every @ts-expect-error line is a compile error of its own, and every other line compiles', async () => {
    assert.deepEqual(await tsc(['--noEmit', '-p', 'tsconfig.typetest.json'], PKG), []);

    // Without the directives, tsc must report an error on exactly the lines they guarded.
    const fixture = fs.readFileSync(path.join(PKG, 'typetest/requests.ts'), 'utf8').split('\n');
    const guarded = fixture.flatMap((line, n) => (line.trim().startsWith('// @ts-expect-error') ? [n + 2] : []));
    assert.ok(guarded.length >= 10, `the fixture checks ${guarded.length} wrong requests`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-typetest-'));
    try {
      const index = path.join(PKG, 'src/index.js');
      fs.writeFileSync(
        path.join(dir, 'requests.ts'),
        fixture
          .map((l) => (l.trim().startsWith('// @ts-expect-error') ? '' : l))
          .join('\n')
          .replaceAll("'../src/index.js'", JSON.stringify(index).replaceAll('"', "'")),
      );
      const errors = await tsc(
        [
          '--noEmit',
          '--strict',
          '--skipLibCheck',
          '--module',
          'nodenext',
          '--moduleResolution',
          'nodenext',
          '--target',
          'es2022',
          '--lib',
          'es2023,dom',
          '--types',
          'node',
          path.join(dir, 'requests.ts'),
        ],
        PKG,
      );
      const lines = [
        ...new Set(errors.filter((e) => e.includes('requests.ts(')).map((e) => Number(/requests\.ts\((\d+),/.exec(e)![1]))),
      ].sort((a, b) => a - b);
      assert.deepEqual(lines, guarded, errors.join('\n'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the README example as written: a draft, watched through signed webhooks, its floor plans downloaded', async (t) => {
    const pkg = await build();
    const readme = fs.readFileSync(path.join(pkg, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Example'));
    const example = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
    assert.match(example, /from '@casa-integrate\/client'/);

    // A project of an integrator: the example file, and the package installed (linked) by its name.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-readme-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'integrator', private: true, type: 'module' }));
    fs.writeFileSync(path.join(dir, 'example.ts'), example);
    fs.mkdirSync(path.join(dir, 'node_modules/@casa-integrate'), { recursive: true });
    fs.symlinkSync(pkg, path.join(dir, 'node_modules/@casa-integrate/client'), 'dir');

    // It type-checks against the built declarations, under strict settings.
    const typeErrors = await tsc(
      [
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--lib',
        'es2023,dom',
        '--types',
        'node',
        '--typeRoots',
        path.join(ROOT, 'node_modules/@types'),
        'example.ts',
      ],
      dir,
    );
    assert.deepEqual(typeErrors, []);

    // And it runs against a live server: production delivers as soon as the scan is in.
    const server = await startLiveServer(t, { productionDelayS: 0 });
    const { company } = await server.newCompany();
    const secret = (await server.admin<{ secret: string }>('GET', `/companies/${company.id}/webhook-secret`)).body.secret;
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), 'example.ts'], {
      cwd: dir,
      env: {
        ...process.env,
        CASA_API_KEY: company.apiKey,
        CASA_BASE_URL: server.baseUrl,
        CASA_WEBHOOK_SECRET: secret,
        WEBHOOK_PORT: String(await freePort()),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => void child.kill());
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let scanned = null as Promise<{ status: number }> | null;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // The property is scanned once the draft exists, as the owner would with the app.
      const draft = /^draft (\S+) created/m.exec(stdout);
      if (draft && !scanned) scanned = server.admin('POST', `/orders/${draft[1]}/scan`, {});
    });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill(), 120_000);
      child.on('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    assert.equal(code, 0, `the example failed:\n${stdout}\n${stderr}`);
    assert.equal((await scanned!).status, 200);

    const orderId = /^draft (\S+) created \(Draft\)/m.exec(stdout)![1]!;
    for (const move of ['New → Draft', 'Draft → Pending', 'Pending → Ready (products_2d)'])
      assert.ok(stdout.includes(`webhook: order ${orderId} ${move}`), `${move} in\n${stdout}`);
    const saved = [...stdout.matchAll(/^saved (\S+)$/gm)].map((m) => m[1]!);
    assert.ok(saved.some((f) => f.endsWith('.png')) && saved.some((f) => f.endsWith('.pdf')), stdout);
    assert.match(stdout, new RegExp(`^done: ${saved.length} files, \\d+ webhooks$`, 'm'));
    for (const file of saved) {
      const bytes = fs.readFileSync(path.join(dir, file));
      if (file.endsWith('.png')) assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], file);
      else assert.equal(bytes.subarray(0, 5).toString(), '%PDF-', file);
    }
  });
});
