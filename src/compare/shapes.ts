// Shapes, never values: an answer becomes the set of paths it has and the JSON types seen at each
// path; two sides' shapes of the same call are then compared. The only values kept are those of
// enum-like fields (status, role, package_type, …) that look like an enumeration member, and the
// pagination arithmetic, which is kept as a formula ("offset + limit"), never as numbers.
import type { Observation } from './call-plan.js';
import type { Declared, OurDocument } from './our-document.js';

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array';

/** The fields whose values are an enumeration: only these values ever reach a report. */
export const ENUM_FIELDS = new Set([
  'status',
  'role',
  'package_type',
  'add_ons',
  'purchasable_add_ons',
  'available_package_types',
  'available_add_ons',
  'over_limits',
  'order_type',
  'product_type',
  'customer_type',
  'current_status',
  'previous_status',
  'delivery_type',
  'type',
  'webhook_triggers',
  'units',
]);
const ENUM_VALUE = /^[A-Za-z0-9_ -]{1,40}$/;
/** A key that names a field. Anything else (an id, an email, a number used as a key) is data. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

interface Seen {
  types: Set<JsonType>;
  /** Enum-like values seen, and those the document's enumeration at this path does not list. */
  values: Set<string>;
  unlisted: Set<string>;
  declaredEnum: boolean;
  /** Our document lets this path be null. */
  nullableDeclared: boolean;
}
export type Shape = Map<string, Seen>;

export function keySegment(key: string): string {
  return FIELD_NAME.test(key) && !/\d{5,}/.test(key) && !/^[0-9a-f]{16,}$/i.test(key) ? key : '{key}';
}

export function pathText(segments: string[]): string {
  return segments.reduce((text, s) => (s === '[]' ? `${text}[]` : text ? `${text}.${s}` : s), '') || '(body)';
}

/** The field an enum value belongs to: the last key, past any array brackets. */
function fieldName(segments: string[]): string | undefined {
  return [...segments].reverse().find((s) => s !== '[]' && s !== '{key}');
}

export type DeclaredAt = (segments: string[]) => Declared;
export const NOTHING_DECLARED: DeclaredAt = () => ({ found: false, nullable: false, number: false, values: null });

export function addToShape(shape: Shape, value: unknown, declared: DeclaredAt, segments: string[] = []): void {
  const key = pathText(segments);
  const seen = shape.get(key) ?? { types: new Set(), values: new Set(), unlisted: new Set(), declaredEnum: false, nullableDeclared: false };
  shape.set(key, seen);
  const declaration = declared(segments);
  if (declaration.nullable) seen.nullableDeclared = true;
  const type = jsonType(value, declaration);
  seen.types.add(type);
  if (type === 'array') {
    for (const item of value as unknown[]) addToShape(shape, item, declared, [...segments, '[]']);
  } else if (type === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) addToShape(shape, v, declared, [...segments, keySegment(k)]);
  } else if (type === 'string') {
    const field = fieldName(segments);
    if (field && ENUM_FIELDS.has(field) && ENUM_VALUE.test(value as string)) {
      seen.values.add(value as string);
      const listed = declaration.values;
      if (listed) {
        seen.declaredEnum = true;
        if (!listed.has(value as string)) seen.unlisted.add(value as string);
      }
    }
  }
}

function jsonType(value: unknown, declaration: Declared): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      // JSON has one number type: 1.0 arrives as 1. Where our document says `number`, an integral
      // value is a number that happens to be whole, on either side.
      return Number.isInteger(value) && !declaration.number ? 'integer' : 'number';
    default:
      return 'object';
  }
}

export type Difference =
  | { kind: 'status'; real: string[]; ours: string[] }
  | { kind: 'content-type'; status: string; real: string[]; ours: string[] }
  | { kind: 'only-real' | 'only-ours'; status: string; path: string }
  | { kind: 'type'; status: string; path: string; real: JsonType[]; ours: JsonType[] }
  | { kind: 'null'; status: string; path: string }
  | { kind: 'enum'; status: string; path: string; values: string[] }
  | { kind: 'pagination'; fact: string; real: string; ours: string }
  | { kind: 'method'; real: string[]; ours: string[] }
  | { kind: 'header'; name: string; side: 'real' | 'ours' };

export interface CallComparison {
  call: string;
  operation: string;
  /** How many answers each side gave for this call; 0 when a side had no data to make it. */
  realCount: number;
  oursCount: number;
  differences: Difference[];
}

export interface CompareOptions {
  /** Report that unlisted enum values were seen, without the values. */
  redactEnums: boolean;
}

const statusText = (status: number | null) => (status === null ? 'no answer' : String(status));

/** Compares both sides call by call, in the order the plan made the calls. */
export function compareRuns(real: Observation[], ours: Observation[], document: OurDocument, options: CompareOptions): CallComparison[] {
  const calls = [...new Set([...real, ...ours].map((o) => o.call))];
  return calls.map((call) => {
    const r = real.filter((o) => o.call === call);
    const o = ours.filter((x) => x.call === call);
    const operation = (r[0] ?? o[0])!.operation;
    return {
      call,
      operation,
      realCount: r.length,
      oursCount: o.length,
      differences: r.length && o.length ? compareCall(r, o, document, options) : [],
    };
  });
}

function compareCall(real: Observation[], ours: Observation[], document: OurDocument, options: CompareOptions): Difference[] {
  const differences: Difference[] = [];
  const statuses = (side: Observation[]) => [...new Set(side.map((o) => statusText(o.status)))].sort();
  const rs = statuses(real);
  const os = statuses(ours);
  if (rs.join() !== os.join()) differences.push({ kind: 'status', real: rs, ours: os });

  // Bodies compare within a status: a 200 and a 404 are different answers, already reported above.
  for (const status of rs.filter((s) => os.includes(s))) {
    const rAt = real.filter((o) => statusText(o.status) === status);
    const oAt = ours.filter((o) => statusText(o.status) === status);
    const types = (side: Observation[]) => [...new Set(side.map((o) => o.contentType ?? 'none'))].sort();
    if (types(rAt).join() !== types(oAt).join()) differences.push({ kind: 'content-type', status, real: types(rAt), ours: types(oAt) });
    const rJson = rAt.filter((x) => x.json !== undefined);
    const oJson = oAt.filter((x) => x.json !== undefined);
    if (rJson.length && oJson.length)
      differences.push(...compareShapes(shapeOf(rJson, document), shapeOf(oJson, document), status, document, options));
  }
  differences.push(...comparePagination(real, ours));
  return differences;
}

function shapeOf(observations: Observation[], document: OurDocument): Shape {
  const shape: Shape = new Map();
  for (const o of observations) addToShape(shape, o.json, (segments) => document.declaredAt(o.operation, o.status ?? 0, segments));
  return shape;
}

/** Differences between two shapes of the same call and status. Exported for the webhook bodies. */
export function compareShapes(
  real: Shape,
  ours: Shape,
  status: string,
  document: OurDocument | null,
  options: CompareOptions,
): Difference[] {
  const differences: Difference[] = [];
  const parentIsObject = (shape: Shape, path: string) => {
    const parent = parentPath(path);
    return parent !== null && (shape.get(parent)?.types.has('object') ?? false);
  };
  for (const [path, seen] of real) {
    const theirs = ours.get(path);
    if (!theirs) {
      // Only a key both sides had room for counts; a list that was empty, or an object that was
      // null, on our side says nothing about what its members hold.
      if (!isElementPath(path) && parentIsObject(ours, path)) differences.push({ kind: 'only-real', status, path });
      continue;
    }
    const rNonNull = [...seen.types].filter((t) => t !== 'null').sort();
    const oNonNull = [...theirs.types].filter((t) => t !== 'null').sort();
    if (rNonNull.length && oNonNull.length && rNonNull.join() !== oNonNull.join()) {
      differences.push({ kind: 'type', status, path, real: [...seen.types].sort(), ours: [...theirs.types].sort() });
    } else if (seen.types.has('null') && !theirs.types.has('null') && !theirs.nullableDeclared) {
      differences.push({ kind: 'null', status, path });
    }
    const field = lastField(path);
    if (seen.values.size && field) {
      const allowed = seen.declaredEnum ? null : new Set([...theirs.values, ...(document?.valuesForField(aliasOf(field)) ?? [])]);
      const unlisted = seen.declaredEnum ? [...seen.unlisted] : [...seen.values].filter((v) => !allowed!.has(v));
      if (unlisted.length) differences.push({ kind: 'enum', status, path, values: options.redactEnums ? [] : unlisted.sort() });
    }
  }
  for (const path of ours.keys()) {
    if (!real.has(path) && !isElementPath(path) && parentIsObject(real, path)) differences.push({ kind: 'only-ours', status, path });
  }
  return differences;
}

function aliasOf(field: string): string {
  return field === 'current_status' || field === 'previous_status' ? 'status' : field;
}

function isElementPath(path: string): boolean {
  return path.endsWith('[]') || path.endsWith('{key}');
}

function parentPath(path: string): string | null {
  if (path === '(body)') return null;
  if (path.endsWith('[]')) return path.slice(0, -2) || '(body)';
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '(body)' : path.slice(0, dot);
}

function lastField(path: string): string | undefined {
  const parts = path.replace(/\[\]/g, '').split('.');
  return [...parts].reverse().find((p) => p !== '{key}' && p !== '(body)');
}

// --- pagination ---------------------------------------------------------------------------------

/** The pagination arithmetic of one list answer, as formulas. */
export function paginationFacts(o: Observation): Record<string, string> | null {
  const page = o.page;
  const pagination = record(record(o.json)?.pagination);
  if (!page || o.status !== 200 || !pagination) return null;
  const list = record(o.json)!.items;
  const count = Array.isArray(list) ? list.length : 0;
  const { offset, limit } = page;
  const facts: Record<string, string> = {};
  const num = (name: string, formulas: [string, number][]) => {
    const v = pagination[name];
    if (!(name in pagination)) return 'absent';
    if (v === null) return 'null';
    if (typeof v !== 'number') return `a ${typeof v}`;
    return formulas.find(([, expected]) => v === expected)?.[0] ?? 'another number';
  };
  facts.limit = num('limit', [
    ['the limit asked for', limit],
    ['0', 0],
  ]);
  facts.next_offset = num('next_offset', [
    ['offset + limit', offset + limit],
    ['offset + limit + 1', offset + limit + 1],
    ['offset + items', offset + count],
  ]);
  facts.previous_offset = num('previous_offset', [
    ['max(0, offset - limit)', Math.max(0, offset - limit)],
    ['offset - limit', offset - limit],
    ['offset', offset],
  ]);
  if (page.last || page.pastEnd) {
    const more = pagination.has_more;
    facts[`has_more on the ${page.last ? 'last page' : 'page past the end'}`] =
      typeof more === 'boolean' ? String(more) : more === undefined ? 'absent' : `a ${typeof more}`;
  }
  if (page.pastEnd) facts['items past the end'] = count === 0 ? 'none' : 'some';
  return facts;
}

function comparePagination(real: Observation[], ours: Observation[]): Difference[] {
  const collect = (side: Observation[]) => {
    const facts = new Map<string, Set<string>>();
    for (const o of side) for (const [k, v] of Object.entries(paginationFacts(o) ?? {})) facts.set(k, (facts.get(k) ?? new Set()).add(v));
    return facts;
  };
  const r = collect(real);
  const o = collect(ours);
  const differences: Difference[] = [];
  for (const [fact, values] of r) {
    const theirs = o.get(fact);
    if (!theirs) continue;
    const rv = [...values].sort().join(' or ');
    const ov = [...theirs].sort().join(' or ');
    if (rv !== ov) differences.push({ kind: 'pagination', fact, real: rv, ours: ov });
  }
  return differences;
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
