// Request validation with Ajv, reporting failures in the pydantic-v1 shape that the real API uses.
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { RequestValidationError, type ValidationEntry, type ValidationPart } from '../errors.js';
import { compiledPerSchema } from './per-schema.js';

// Both packages are CommonJS with a default export.
const Ajv = AjvModule as unknown as typeof AjvModule.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

function makeAjv(coerce: boolean) {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    removeAdditional: false,
    strict: false,
  });
  addFormats(ajv, ['email', 'uuid', 'uri', 'date-time']);
  // A URL as pydantic's AnyHttpUrl takes it: absolute http(s) with a host.
  ajv.addFormat('http-url', {
    type: 'string',
    validate: (value: string) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && !/\s/.test(value);
      } catch {
        return false;
      }
    },
  });
  return ajv;
}

const bodyAjv = makeAjv(false);
const paramAjv = makeAjv(true);

// Made once per schema for the process (per-schema.ts).
const bodyValidator = compiledPerSchema((schema) => bodyAjv.compile(schema));
const paramValidator = compiledPerSchema((schema) => paramAjv.compile(schema));

const PART: Record<string, ValidationPart> = {
  body: 'body_params',
  querystring: 'query_params',
  params: 'path_params',
  headers: 'query_params',
};

function pathToLoc(instancePath: string): (string | number)[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

const TYPE_MESSAGES: Record<string, [string, string]> = {
  string: ['str type expected', 'type_error.str'],
  integer: ['value is not a valid integer', 'type_error.integer'],
  number: ['value is not a valid float', 'type_error.float'],
  boolean: ['value could not be parsed to a boolean', 'type_error.bool'],
  array: ['value is not a valid list', 'type_error.list'],
  object: ['value is not a valid dict', 'type_error.dict'],
};

const FORMAT_MESSAGES: Record<string, [string, string]> = {
  email: ['value is not a valid email address', 'value_error.email'],
  uuid: ['value is not a valid uuid', 'type_error.uuid'],
  uri: ['invalid or missing URL scheme', 'value_error.url.scheme'],
  'http-url': ['invalid or missing URL scheme', 'value_error.url.scheme'],
  'date-time': ['invalid datetime format', 'value_error.datetime'],
};

function toEntry(err: ErrorObject): ValidationEntry | null {
  const loc = pathToLoc(err.instancePath);
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required':
      return { loc: [...loc, String(p.missingProperty)], msg: 'field required', type: 'value_error.missing' };
    case 'type': {
      const types = String(p.type)
        .split(',')
        .filter((t) => t !== 'null');
      const [msg, type] = TYPE_MESSAGES[types[0] ?? 'string'] ?? TYPE_MESSAGES.string!;
      return { loc, msg, type };
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[])
        .filter((v) => v !== null)
        .map((v) => `'${String(v)}'`)
        .join(', ');
      return { loc, msg: `value is not a valid enumeration member; permitted: ${allowed}`, type: 'type_error.enum' };
    }
    case 'const':
      return { loc, msg: `unexpected value; permitted: '${String(p.allowedValue)}'`, type: 'value_error.const' };
    case 'format': {
      const [msg, type] = FORMAT_MESSAGES[String(p.format)] ?? ['value is not valid', 'value_error'];
      return { loc, msg, type };
    }
    case 'minimum':
      return { loc, msg: `ensure this value is greater than or equal to ${p.limit}`, type: 'value_error.number.not_ge' };
    case 'maximum':
      return { loc, msg: `ensure this value is less than or equal to ${p.limit}`, type: 'value_error.number.not_le' };
    case 'exclusiveMinimum':
      return { loc, msg: `ensure this value is greater than ${p.limit}`, type: 'value_error.number.not_gt' };
    case 'exclusiveMaximum':
      return { loc, msg: `ensure this value is less than ${p.limit}`, type: 'value_error.number.not_lt' };
    case 'minLength':
      return { loc, msg: `ensure this value has at least ${p.limit} characters`, type: 'value_error.any_str.min_length' };
    case 'maxLength':
      return { loc, msg: `ensure this value has at most ${p.limit} characters`, type: 'value_error.any_str.max_length' };
    case 'minItems':
      return { loc, msg: `ensure this value has at least ${p.limit} items`, type: 'value_error.list.min_items' };
    case 'maxItems':
      return { loc, msg: `ensure this value has at most ${p.limit} items`, type: 'value_error.list.max_items' };
    case 'pattern':
      return { loc, msg: `string does not match regex "${p.pattern}"`, type: 'value_error.str.regex' };
    case 'uniqueItems':
      return { loc, msg: 'the list has duplicated items', type: 'value_error.list.unique_items' };
    case 'anyOf':
    case 'oneOf':
    case 'if':
      return null; // the branch errors say what is wrong
    default:
      return { loc, msg: err.message ?? 'value is not valid', type: 'value_error' };
  }
}

/** One entry per failing field, in the order the schema declares its properties (as pydantic reports). */
export function toValidationEntries(errors: ErrorObject[], schema: { properties?: Record<string, unknown> }): ValidationEntry[] {
  const seen = new Set<string>();
  const entries: ValidationEntry[] = [];
  // A nullable field fails both its type branch and its null branch: report it once.
  for (const err of errors) {
    if (err.keyword === 'type' && String((err.params as { type?: string }).type) === 'null') continue;
    const entry = toEntry(err);
    if (!entry) continue;
    const key = JSON.stringify(entry.loc);
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push(entry);
  }
  const order = Object.keys(schema.properties ?? {});
  const rank = (e: ValidationEntry) => {
    const i = order.indexOf(String(e.loc[0]));
    return i === -1 ? order.length : i;
  };
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i)
    .map(({ e }) => e);
}

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const validate: ValidateFunction = (httpPart === 'body' ? bodyValidator : paramValidator)(schema as object);
  const part = PART[httpPart ?? 'body'] ?? 'body_params';
  // A body declared with Type.Optional (TypeBox marks it `~optional`) may be left out altogether
  // (Fastify hands a request without one over as null).
  const bodyOptional = httpPart === 'body' && (schema as { '~optional'?: unknown })['~optional'] === true;
  return (data: unknown) => {
    if (bodyOptional && (data === undefined || data === null)) return { value: undefined };
    if (validate(data)) return { value: data };
    if (httpPart === 'body' && (data === undefined || data === null)) {
      return { error: new RequestValidationError(part, [{ loc: ['__root__'], msg: 'field required', type: 'value_error.missing' }]) };
    }
    const entries = toValidationEntries(validate.errors ?? [], schema as { properties?: Record<string, unknown> });
    const rootType = entries.find((e) => e.loc.length === 0);
    if (rootType) rootType.loc = ['__root__'];
    return { error: new RequestValidationError(part, entries) };
  };
};
