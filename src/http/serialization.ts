// Response serializers, one per schema for the whole process. Fastify builds a serializer for every
// status of every route when an app starts (fast-json-stringify generates and compiles code for
// each: most of an app's start); every later app in the same process (the tests build hundreds)
// takes the first one's. Kept by the schema's text, since some routes write theirs inline.
import fastJsonStringify from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';

const serializers = new Map<string, (data: unknown) => string>();

export const serializerCompiler: FastifySerializerCompiler<unknown> = ({ schema }) => {
  const key = JSON.stringify(schema);
  let serialize = serializers.get(key);
  if (serialize === undefined) {
    serialize = fastJsonStringify(schema as object);
    serializers.set(key, serialize);
  }
  return serialize;
};
