// A test file whose service is missing fails at once and says which service and where, instead of
// hanging: the rate-limit tests run with Redis pointed at a port where nothing listens.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../helpers/child-process.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('a missing service', () => {
  it('fails the file that needs Redis promptly, naming Redis and its address', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const env: Record<string, string | undefined> = { ...process.env, TEST_REDIS_URL: url };
    delete env.NODE_TEST_CONTEXT; // a runner of its own, not a file of this one
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', 'test/http/rate-limit.test.ts'], { cwd: ROOT, env });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    // Not a timing threshold: only a guard so that a hang fails this test instead of stalling the suite.
    let hung = false;
    const guard = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, 240_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(guard);
    assert.equal(hung, false, `the file ended by itself:\n${output}`);
    assert.notEqual(code, 0, output);
    assert.match(output, new RegExp(`Redis is not reachable at ${url.replace(/\./g, '\\.')} \\(TEST_REDIS_URL\\)`), output);
    assert.match(output, /# pass 0\b/, 'no test passed without its service');
  });
});
