// `casa-integrate compare` as a user runs it: the real command line in a child process.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { runCli } from '../helpers/child-process.js';

const KEY = 'casa_the_integrators_real_key_0123456789';

/** A loopback service answering every request with `status`, recording what arrived. */
async function service(t: TestContext, status: number) {
  const arrived: string[] = [];
  const server = http.createServer((req, res) => {
    arrived.push(`${req.method} ${req.url}`);
    res.writeHead(status, { 'content-type': 'application/json' }).end('{"message":"Invalid or missing api-key header."}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/integrate/v3`, arrived };
}

describe('casa-integrate compare (command line)', () => {
  it('--dry-run lists the calls and sends nothing', async (t) => {
    const svc = await service(t, 200);
    const res = await runCli(['compare', '--dry-run', '--real-url', svc.url, '--max-orders', '3'], {});
    assert.equal(res.code, 0, res.stderr);
    const lines = res.stdout.split('\n');
    assert.equal(
      lines[0],
      'casa-integrate compare would send these GET requests to the real service (at most 2 a second), and the same to ours:',
    );
    assert.ok(lines.some((l) => /^ {2}GET \/orders\/\{id\} +GET orders\/<id>, for up to 3 listed orders/.test(l)));
    assert.ok(lines.some((l) => /^ {2}GET \/orders \(wrong api-key\) +GET orders\?limit=1$/.test(l)));
    assert.ok(
      lines.every((l) => !l.startsWith('  ') || / GET /.test(l) || /^ {2}\(probes/.test(l)),
      'every call is a GET',
    );
    assert.deepEqual(svc.arrived, []);
  });

  it('a 401 from the real service stops at once with one clear line, and never echoes the key', async (t) => {
    const svc = await service(t, 401);
    const res = await runCli(['compare', '--real-url', svc.url], { CASA_COMPARE_REAL_KEY: KEY });
    assert.equal(res.code, 1);
    assert.deepEqual(svc.arrived, ['GET /api/integrate/v3/companies/info']);
    assert.equal(
      res.stderr.trim().split('\n').at(-1),
      'casa-integrate compare: The real service answered 401 to GET /companies/info: its api-key is not accepted; nothing more was sent.',
    );
    assert.equal(res.stdout, '');
    assert.ok(!res.stderr.includes(KEY));
  });

  it('refuses incomplete or malformed flags with the usage, sending nothing', async (t) => {
    const svc = await service(t, 200);
    const cases: [string[], string][] = [
      [['compare'], 'casa-integrate: compare needs --real-url'],
      [['compare', '--real-url', svc.url], 'casa-integrate: compare needs the real key: --real-key or CASA_COMPARE_REAL_KEY'],
      [['compare', '--real-url', 'ftp://example.com', '--real-key', KEY], 'casa-integrate: --real-url must be an http(s) URL'],
      [
        ['compare', '--real-url', svc.url, '--real-key', KEY, '--ours-url', svc.url],
        'casa-integrate: --ours-url needs --ours-key or CASA_COMPARE_OURS_KEY',
      ],
      [['compare', '--real-url', svc.url, '--real-key', KEY, '--rate', '0'], 'casa-integrate: --rate must be a number above 0, got "0"'],
      [
        ['compare', '--real-url', svc.url, '--real-key', KEY, '--max-orders', '2.5'],
        'casa-integrate: --max-orders must be a whole number above 0, got "2.5"',
      ],
      [['compare', 'webhooks', '--listen', 'nowhere'], 'casa-integrate: compare webhooks needs --listen HOST:PORT, e.g. 127.0.0.1:9000'],
    ];
    for (const [args, line] of cases) {
      const res = await runCli(args, {});
      assert.equal(res.code, 2, args.join(' '));
      assert.equal(res.stderr.split('\n')[0], line);
      assert.ok(!res.stderr.includes(KEY));
    }
    assert.deepEqual(svc.arrived, []);
  });
});
