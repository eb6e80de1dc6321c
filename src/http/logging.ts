// Log options: JSON lines, pretty on a TTY; never a key, password or token.
import type { FastifyServerOptions } from 'fastify';

const SECRET_PATH = /^\/(go2scan|invite|reset-password)\/[^/?]+/;

/** The URL with path tokens and signatures blanked out. */
export function redactUrl(url: string): string {
  return url
    .replace(SECRET_PATH, (_m, page: string) => `/${page}/[redacted]`)
    .replace(/([?&](signature|token)=)[^&]*/g, '$1[redacted]');
}

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: ['req.headers["api-key"]', 'req.headers["admin-key"]', 'req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    serializers: {
      req(request: { method: string; url: string; id: string }) {
        return { method: request.method, url: redactUrl(request.url), id: request.id };
      },
    },
    ...(process.stdout.isTTY && level !== 'silent' ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  };
}
