// Our OpenAPI document, as the comparison reads it: which operations exist, which type and which
// enumeration it declares at a path of an answer, and whether it lets that path be null.
type Schema = Record<string, unknown>;

export interface Declared {
  /** The document describes this path. */
  found: boolean;
  nullable: boolean;
  /** Declared `number` (not `integer`): an integral value there is still a number. */
  number: boolean;
  /** The enumeration declared here, if any. */
  values: Set<string> | null;
}

export interface OurDocument {
  version: string;
  /** `GET /orders/{id}`: the operations the document has, without the API prefix. */
  operations: Set<string>;
  /** The operationId of each operation that has one. */
  operationIds: Map<string, string>;
  /** What the document declares at `segments` of the answer of `operation` with `status`. */
  declaredAt(operation: string, status: number, segments: string[]): Declared;
  /** Every value the document lists anywhere (requests and answers) for a field of this name. */
  valuesForField(name: string): Set<string>;
}

const PREFIX = '/api/integrate/v3';
const NOTHING: Declared = { found: false, nullable: false, number: false, values: null };

export function readOurDocument(document: unknown): OurDocument {
  const doc = isObject(document) ? document : {};
  const paths = isObject(doc.paths) ? doc.paths : {};
  const operations = new Map<string, Schema>();
  for (const [rawPath, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const path = rawPath.startsWith(PREFIX) ? rawPath.slice(PREFIX.length) : rawPath;
    if (rawPath.startsWith('/admin') || rawPath.startsWith('/console')) continue;
    for (const [method, op] of Object.entries(item)) if (isObject(op)) operations.set(`${method.toUpperCase()} ${path}`, op);
  }
  const fieldValues = new Map<string, Set<string>>();
  collectEnums(doc, null, fieldValues, 0);
  const info = isObject(doc.info) ? doc.info : {};
  return {
    version: typeof info.version === 'string' ? info.version : 'unknown',
    operations: new Set(operations.keys()),
    operationIds: new Map(
      [...operations].flatMap(([name, op]) => (typeof op.operationId === 'string' ? [[name, op.operationId] as [string, string]] : [])),
    ),
    declaredAt(operation, status, segments) {
      const op = operations.get(operation);
      const responses = op && isObject(op.responses) ? op.responses : {};
      const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
      const content = isObject(response) && isObject(response.content) ? response.content : {};
      const media = content['application/json'];
      const root = isObject(media) && isObject(media.schema) ? media.schema : null;
      if (!root) return NOTHING;
      let candidates = expand(root);
      for (const segment of segments) {
        candidates = candidates.flatMap((s) => {
          if (segment === '[]') return isObject(s.items) ? expand(s.items) : [];
          const props = isObject(s.properties) ? s.properties : {};
          if (segment !== '{key}' && isObject(props[segment])) return expand(props[segment]);
          return isObject(s.additionalProperties) ? expand(s.additionalProperties) : [];
        });
      }
      if (candidates.length === 0) return NOTHING;
      const types = candidates.flatMap((s) => (Array.isArray(s.type) ? s.type : [s.type]));
      const enums = candidates.filter((s) => Array.isArray(s.enum));
      return {
        found: true,
        nullable: types.includes('null') || candidates.some((s) => s.const === null || (Array.isArray(s.enum) && s.enum.includes(null))),
        number: types.includes('number'),
        values: enums.length
          ? new Set(enums.flatMap((s) => (s.enum as unknown[]).filter((v): v is string => typeof v === 'string')))
          : null,
      };
    },
    valuesForField: (name) => fieldValues.get(name) ?? new Set(),
  };
}

/** The alternatives a schema allows, unions flattened. */
function expand(schema: Schema): Schema[] {
  const parts = [schema.anyOf, schema.oneOf, schema.allOf].filter(Array.isArray).flat().filter(isObject);
  return parts.length ? [schema, ...parts.flatMap(expand)] : [schema];
}

function collectEnums(node: unknown, field: string | null, into: Map<string, Set<string>>, depth: number): void {
  if (depth > 64) return;
  if (Array.isArray(node)) {
    for (const child of node) collectEnums(child, field, into, depth + 1);
    return;
  }
  if (!isObject(node)) return;
  // A parameter carries its name beside its schema; a property is named by its key.
  const named = typeof node.name === 'string' && isObject(node.schema) ? node.name : field;
  if (Array.isArray(node.enum) && named) {
    const set = into.get(named) ?? new Set<string>();
    for (const v of node.enum) if (typeof v === 'string') set.add(v);
    into.set(named, set);
  }
  for (const [key, child] of Object.entries(node)) {
    if (key === 'properties' && isObject(child)) {
      for (const [prop, schema] of Object.entries(child)) collectEnums(schema, prop, into, depth + 1);
    } else if (key === 'items' || key === 'anyOf' || key === 'oneOf' || key === 'allOf' || key === 'schema') {
      collectEnums(child, named, into, depth + 1);
    } else if (key !== 'enum') {
      collectEnums(child, null, into, depth + 1);
    }
  }
}

function isObject(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
