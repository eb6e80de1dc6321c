// `npm run build` (and before `npm start`): the server as plain JavaScript in dist/, one file per
// source file (worker threads' modules included: they are started by their compiled file), with
// the browser assets beside them. Running compiled code instead of loading TypeScript through tsx
// saves resident memory in every process (tsx keeps every module's source and source map;
// docs/performance.md). esbuild only strips types; `npm run typecheck` is what checks them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
// `--out <dir>` (beside src/, so that paths relative to the modules still resolve): a build elsewhere, for tests.
const outArg = process.argv.indexOf('--out');
const out = path.resolve(root, outArg > 0 ? process.argv[outArg + 1] : 'dist');
// Built beside dist/ and swapped in at the end, so a server started meanwhile never sees half a build.
const staging = path.join(root, `dist.building-${process.pid}`);

const files = fs.readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(src, f)).isFile());
const sources = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
// The entry of threads run from the sources (it loads tsx, a development dependency): never used from dist/.
const sourceOnly = new Set(['thread-from-source.mjs']);
const assets = files.filter((f) => !f.endsWith('.ts') && !sourceOnly.has(f));

try {
  await build({
    entryPoints: sources.map((f) => path.join(src, f)),
    outdir: staging,
    outbase: src,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  for (const f of assets) {
    fs.mkdirSync(path.dirname(path.join(staging, f)), { recursive: true });
    fs.copyFileSync(path.join(src, f), path.join(staging, f));
  }
  fs.rmSync(out, { recursive: true, force: true });
  fs.renameSync(staging, out);
} finally {
  fs.rmSync(staging, { recursive: true, force: true });
}
console.log(`built ${sources.length} modules and ${assets.length} assets into ${path.relative(root, out)}/`);
