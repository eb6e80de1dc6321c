// What the request log keeps of a body: credentials never, everything else as sent. Most bodies
// skip the field-by-field walk (nothing in them can be a credential); these properties hold that
// shortcut to the walk's answer, for parsed request bodies and for answer text alike.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { keptBody, redactValue, REDACTED } from '../../src/domain/body-redaction.js';

const MAX = 16 * 1024;

const keys = fc.oneof(
  fc.constantFrom(
    'street',
    'info',
    'go2scan',
    'url',
    'api_key',
    'apiKey',
    'x%2Dtoken',
    'Password',
    'client-secret',
    'X-AUTH-TOKEN',
    'designer',
    'monkey',
  ),
  fc.string({ maxLength: 8 }),
);
const strings = fc.oneof(
  fc.constantFrom(
    'https://cubi.example/go2scan/abcdef123',
    'https://files.example/a.pdf?expires=1&signature=abc',
    '/invite/tok-123',
    'casa_0123456789abcdef',
    'see whsec_c2VjcmV0c2VjcmV0',
    'plain words',
    'Bearer Abc123',
    'https://cubi.example/GO2SCAN/abcdef123',
    'a\\/b',
  ),
  fc.string({ maxLength: 12 }),
);
const bodies = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, strings, fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(keys, tie('value'), { maxKeys: 5 }),
})).object;

describe('request log body redaction', () => {
  it('keeps a parsed body exactly as the field-by-field walk does', () => {
    fc.assert(
      fc.property(bodies, (body) => {
        if (Object.keys(body).length === 0) return;
        assert.equal(keptBody(body, MAX)!.text, JSON.stringify(redactValue(body)));
      }),
      { numRuns: 2000, seed: 2106 },
    );
  });

  it('keeps an answer text exactly as the walk over its parsed document does', () => {
    fc.assert(
      fc.property(bodies, (body) => {
        const text = JSON.stringify(body);
        assert.equal(keptBody(text, MAX)!.text, JSON.stringify(redactValue(JSON.parse(text))));
      }),
      { numRuns: 2000, seed: 2107 },
    );
  });

  it('keeps at most the bound in UTF-8 bytes, cut only when over it and never inside a character', () => {
    const pieces = fc.constantFrom('a', 'é', '€', '😀', '"', '\\');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 200 }), fc.integer({ min: 8, max: 400 }), (chars, bound) => {
        const text = `[${chars.join('')}]`;
        const kept = keptBody(text, bound)!;
        const bytes = Buffer.byteLength(text, 'utf8');
        assert.equal(kept.truncated, bytes > bound);
        assert.ok(Buffer.byteLength(kept.text, 'utf8') <= bound);
        assert.ok(text.startsWith(kept.text));
        if (!kept.truncated) assert.equal(kept.text, text);
        else assert.ok(bound - Buffer.byteLength(kept.text, 'utf8') < 4);
      }),
      { numRuns: 2000, seed: 2108 },
    );
  });

  it('blanks credentials however they are named or placed, and keeps a clean answer byte for byte', () => {
    const answer = '{"id":"7f3e","go2scan":null,"street":"615 Bourbon St","info":"Extra"}';
    assert.equal(keptBody(answer, MAX)!.text, answer);
    const kept = JSON.parse(
      keptBody(
        JSON.stringify({
          'x%2Dtoken': 'abc',
          apiKey: 'k',
          link: 'https://cubi.example/go2scan/abcdef123',
          note: 'use casa_0123456789abcdef',
          url: 'https://files.example/a.pdf?expires=1&signature=abc',
        }),
        MAX,
      )!.text,
    ) as Record<string, string>;
    assert.deepEqual(kept, {
      'x%2Dtoken': REDACTED,
      apiKey: REDACTED,
      link: 'https://cubi.example/go2scan/[redacted]',
      note: `use ${REDACTED}`,
      url: 'https://files.example/a.pdf?expires=1&signature=[redacted]',
    });
  });
});
