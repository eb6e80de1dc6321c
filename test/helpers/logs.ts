// A logger made with the app's own options (no pretty transport) whose every line is kept, so a
// test can read what the app logged.
import { Writable } from 'node:stream';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { loggerOptions } from '../../src/http/logging.js';

export function capturingLogger(level: string): { logger: FastifyBaseLogger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const { transport: _pretty, ...options } = loggerOptions(level) as Record<string, unknown>;
  return { logger: pino(options as pino.LoggerOptions, sink) as unknown as FastifyBaseLogger, lines };
}
