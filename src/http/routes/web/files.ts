// `GET /files/<key>?expires=…&signature=…`: delivered files behind pre-signed URLs, readable
// without an api-key. Content type, length, ETag (304 on If-None-Match), single byte ranges (206,
// 416), and a 403 that says nothing about why for any missing, altered, foreign or expired link.
// On an object store the answer is a 302 to the store's own short-lived URL (which honours
// ranges itself), unless CASA_S3_REDIRECT=false has the file streamed through.
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';

/** A single `bytes=` range resolved against `size`; null to send the whole file; 'unsatisfiable' for 416. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // multiple or malformed ranges: the whole file
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

export const filesRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'deliverables'> }> = async (app, { services }) => {
  app.get(
    '/files/*',
    {
      schema: {
        tags: ['Files'],
        summary: 'Download a delivered file through its pre-signed URL (from `delivery_assets`)',
        description:
          'No api-key: the `expires` and `signature` query parameters authorise the download. Supports `Range` and `If-None-Match`. ' +
          'With files in an object store the answer may be a 302 to a presigned URL of the store, valid for a few minutes.',
        querystring: Type.Object({ expires: Type.Optional(Type.String()), signature: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      const key = (request.params as { '*': string })['*'];
      const file = await services.deliverables.signedFile(key, request.query.expires, request.query.signature);
      const etag = `"${file.etag}"`;
      const ifNoneMatch = request.headers['if-none-match'];
      if (file.redirect) {
        // The store's URL expires within minutes: the redirect itself is never cached.
        reply.headers({ etag, 'cache-control': 'no-store' });
        if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return reply.code(304).send();
        return reply.code(302).header('location', file.redirect).send();
      }
      reply.headers({
        'content-type': file.content_type,
        etag,
        'accept-ranges': 'bytes',
        'cache-control': 'private, max-age=300',
        'content-disposition': `inline; filename="${file.name}"`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      });
      if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return reply.code(304).send();

      const ifRange = request.headers['if-range'];
      const range = ifRange && ifRange !== etag ? null : parseRange(request.headers.range, file.size);
      if (range === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${file.size}`).send();
      if (range) {
        reply
          .code(206)
          .header('content-range', `bytes ${range.start}-${range.end}/${file.size}`)
          .header('content-length', range.end - range.start + 1);
        return reply.send(services.deliverables.openFile(key, range));
      }
      reply.header('content-length', file.size);
      return reply.send(services.deliverables.openFile(key));
    },
  );
};
