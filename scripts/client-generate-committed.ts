// Regenerates the client's openapi.json and schema.generated.ts from the COMMITTED server (git
// HEAD), not from the working tree: while several people edit routes side by side, the files
// committed for the client must describe the routes that are committed. Runs the working tree's
// scripts/openapi-export.ts inside a clean `git archive` of HEAD and copies the result back.
//
//   tsx scripts/client-generate-committed.ts [--check]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUTS = ['packages/client/openapi.json', 'packages/client/src/schema.generated.ts'];

const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-head-'));
try {
  const archive = execFileSync('git', ['archive', '--format=tar', 'HEAD'], { cwd: ROOT, maxBuffer: 512 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', tree], { input: archive });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'));
  for (const file of ['scripts/openapi-export.ts', ...OUTPUTS]) {
    if (!fs.existsSync(path.join(ROOT, file))) continue;
    fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(tree, file));
  }
  const check = process.argv.includes('--check');
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/openapi-export.ts', ...(check ? ['--check'] : [])], {
    cwd: tree,
    stdio: 'inherit',
  });
  if (!check) for (const file of OUTPUTS) fs.copyFileSync(path.join(tree, file), path.join(ROOT, file));
} finally {
  fs.rmSync(tree, { recursive: true, force: true });
}
