// Log options: JSON lines, pretty on a TTY; never a key, password or token.
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';
import { redactSecrets } from '../domain/log-redaction.js';

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: ['req.headers["api-key"]', 'req.headers["admin-key"]', 'req.headers.authorization', 'req.headers.cookie'],
      censor: '[redacted]',
    },
    serializers: {
      req(request: { method: string; url: string; id: string }) {
        return { method: request.method, url: request.url, id: request.id };
      },
    },
    // Every finished line, whoever wrote it, loses credential-like query values and link tokens.
    hooks: { streamWrite: redactSecrets },
    ...(process.stdout.isTTY && level !== 'silent'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  };
}

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Fastify gives every request a child logger bound to its id. Building one (pino copies and
 * serializes the bindings) costs more than many routes' own work, and at the usual levels most
 * requests never log: this child is made on the first line actually written.
 */
class LazyChildLogger {
  private real: FastifyBaseLogger | null = null;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private made(): FastifyBaseLogger {
    return (this.real ??= this.parent.child(this.bindings, this.options));
  }

  private write(level: Level, args: unknown[]): void {
    if (this.real === null) {
      const enabled = (this.parent as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
      if (enabled && !enabled.call(this.parent, level)) return;
    }
    (this.made()[level] as (...a: unknown[]) => void)(...args);
  }

  get level(): string {
    return this.made().level;
  }
  set level(value: string) {
    this.made().level = value;
  }
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.made().child(bindings, options);
  }
  silent(): void {}
  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
}

/** Fastify's `childLoggerFactory`: a request's logger, made when it first writes. */
export function lazyChildLogger(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyChildLogger(parent, bindings, options) as unknown as FastifyBaseLogger;
}
