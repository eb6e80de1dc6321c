// Shared bits of the HTML routes: sending a page, and the notice pages for links that cannot be used.
import type { FastifyReply } from 'fastify';
import { noticePage } from '../../../web/layout.js';

export function sendPage(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body);
}

/** Pages reached through a secret link are never cached or stored. */
export function noStore(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store');
}

export function sendNotice(reply: FastifyReply, status: number, title: string, message: string): FastifyReply {
  return sendPage(reply, noticePage(title, message), status);
}
