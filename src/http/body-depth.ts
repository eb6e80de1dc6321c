// A cap on how deeply a JSON body nests objects and lists. JSON.parse takes any depth, but
// everything after it that walks a value recursively (JSON.stringify when a free-form field such as
// order_preferences is stored, serializers, fingerprints) overflows the stack after a few thousand
// levels: a 1 MiB body can hold half a million. No request of the API needs more than a handful.
import type { FastifyInstance } from 'fastify';
import { RequestValidationError } from '../errors.js';

/** Levels of objects and lists a body may hold, the body itself being the first. */
export const MAX_BODY_DEPTH = 32;

/**
 * The top-level field (or `__root__`) under which `value` nests deeper than `maxDepth` levels, or
 * null. Iterative, and stops at the first value too deep, so any body is checked in bounded stack.
 */
export function tooDeepField(value: unknown, maxDepth = MAX_BODY_DEPTH): string | number | null {
  if (value === null || typeof value !== 'object') return null;
  const stack: { value: object; depth: number; field: string | number }[] = [];
  const push = (child: unknown, depth: number, field: string | number) => {
    if (child !== null && typeof child === 'object') stack.push({ value: child, depth, field });
  };
  if (Array.isArray(value)) push(value, 1, '__root__');
  else for (const [key, child] of Object.entries(value)) push(child, 2, key);
  while (stack.length) {
    const { value: node, depth, field } = stack.pop()!;
    if (depth > maxDepth) return field;
    for (const child of Array.isArray(node) ? node : Object.values(node)) push(child, depth + 1, field);
  }
  return null;
}

/** Refuses a body nested too deeply with a 400 in the validation shape, before any route sees it. */
export function registerBodyDepthLimit(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const field = tooDeepField(request.body);
    if (field === null) return done();
    done(
      new RequestValidationError('body_params', [
        {
          loc: [field],
          msg: `ensure the body nests objects and lists at most ${MAX_BODY_DEPTH} levels deep`,
          type: 'value_error.nesting',
        },
      ]),
    );
  });
}
