// Each request logs through a child logger bound to its request id, made only when a line at an
// enabled level is written: the lines carry `reqId` (the x-request-id answered), and a level that
// is off writes nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lazyChildLogger } from '../../src/http/logging.js';
import { buildTestApp } from '../helpers/app.js';
import { capturingLogger } from '../helpers/logs.js';

function capture(level: string) {
  const { logger, lines } = capturingLogger(level);
  return { logger, lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('request loggers', () => {
  it('at info, every request logs its start and end bound to the request id it answered', async (t) => {
    const { logger, lines } = capture('info');
    const ctx = await buildTestApp(t, {}, { logger });
    const res = await ctx.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-me-1' } });
    assert.equal(res.headers['x-request-id'], 'trace-me-1');
    const mine = lines().filter((l) => l.reqId === 'trace-me-1');
    assert.deepEqual(
      mine.map((l) => l.msg),
      ['incoming request', 'request completed'],
    );
    assert.deepEqual(mine[0]!.req, { method: 'GET', url: '/healthz', id: 'trace-me-1' });
  });

  it('writes nothing for a level that is off, and binds the request id on the first line written', () => {
    const { logger, lines } = capture('warn');
    const child = lazyChildLogger(logger, { reqId: 'r-1' }, {});
    child.info('not written');
    child.debug({ some: 'thing' }, 'not written either');
    assert.deepEqual(lines(), []);
    child.warn({ detail: 1 }, 'written');
    child.error('also written');
    assert.deepEqual(
      lines().map((l) => [l.reqId, l.msg, l.level]),
      [
        ['r-1', 'written', 40],
        ['r-1', 'also written', 50],
      ],
    );
    assert.equal(lines()[0]!.detail, 1);
    assert.equal(child.level, 'warn');
    child.level = 'debug';
    child.debug('now written');
    assert.equal(lines().at(-1)!.msg, 'now written');
    const grandchild = child.child({ step: 'render' });
    grandchild.warn('nested');
    assert.deepEqual([lines().at(-1)!.reqId, lines().at(-1)!.step], ['r-1', 'render']);
  });
});
