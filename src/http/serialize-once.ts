// A list page served from the read cache is the same object for every request until the data
// changes, so its JSON is made once (by the route's own response serializer) and reused.
import type { FastifyReply } from 'fastify';

const bodies = new WeakMap<object, ReturnType<FastifyReply['serialize']>>();

/** Sends `value` as the route's JSON answer; the same object is serialized only the first time. */
export function sendSerializedOnce(reply: FastifyReply, value: object): FastifyReply {
  let body = bodies.get(value);
  if (body === undefined) {
    body = reply.serialize(value);
    bodies.set(value, body);
  }
  return reply.type('application/json; charset=utf-8').send(body);
}
