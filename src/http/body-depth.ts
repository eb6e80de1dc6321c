// A cap on how deeply a JSON body nests objects and lists. JSON.parse takes any depth, but
// everything after it that walks a value recursively (JSON.stringify when a free-form field such as
// order_preferences is stored, serializers, fingerprints) overflows the stack after a few thousand
// levels: a 1 MiB body can hold half a million. No request of the API needs more than a handful.
import type { FastifyInstance } from 'fastify';
import { RequestValidationError } from '../errors.js';
import { tooDeepField } from '../domain/json-depth.js';

/** Levels of objects and lists a body may hold, the body itself being the first. */
export const MAX_BODY_DEPTH = 32;

/** Refuses a body nested too deeply with a 400 in the validation shape, before any route sees it. */
export function registerBodyDepthLimit(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const field = tooDeepField(request.body, MAX_BODY_DEPTH);
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
