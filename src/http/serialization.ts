// Response serializers: fast-json-stringify generates and compiles code for every status of every
// route, most of an app's start; made once per schema for the process (per-schema.ts).
import fastJsonStringify from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { compiledPerSchema } from './per-schema.js';

const serializerFor = compiledPerSchema((schema) => fastJsonStringify(schema));

export const serializerCompiler: FastifySerializerCompiler<unknown> = ({ schema }) => serializerFor(schema as object);
