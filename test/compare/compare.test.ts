// `casa-integrate compare` against a stand-in for the real service (./fixture-service.ts): our own
// server holding KNOWN.md's example data, answering with four deliberate differences. The report
// must name exactly those, print none of the stand-in's data, and send it nothing but GETs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCompare } from '../../src/compare/compare-command.js';
import { ENUM_FIELDS } from '../../src/compare/shapes.js';
import type { Report } from '../../src/compare/report.js';
import { startFixtureService, type FixtureService } from './fixture-service.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function compare(args: string[], env: Record<string, string>): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCompare(['--rate', '1000', ...args], { env, out: (s) => (stdout += s), err: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const ORDER_LISTS = [
  'GET /orders?limit=1',
  'GET /orders?limit=20',
  'GET /orders?status=New',
  'GET /orders?status=Draft',
  'GET /orders?status=Pending',
  'GET /orders?status=Ready',
  'GET /orders?status=Fixing',
  'GET /orders?status=Failed',
  'GET /orders?external_id={listed}',
  'GET /orders?limit=20&offset={last page}',
  'GET /orders?limit=20&offset={past the end}',
];

/** The four deliberate differences, as the report must give them, call by call. */
const EXPECTED: Record<string, unknown[]> = {
  'GET /companies/info': [{ kind: 'enum', status: '200', path: 'customer_type', values: ['Broker'] }],
  'GET /orders/{id}': [
    { kind: 'type', status: '200', path: 'info.total_scanned_area', real: ['string'], ours: ['number'] },
    { kind: 'only-real', status: '200', path: 'delivery_assets.listing_floorplans.webp_urls' },
  ],
  ...Object.fromEntries(
    ORDER_LISTS.map((call) => [call, [{ kind: 'pagination', fact: 'next_offset', real: 'offset + limit + 1', ours: 'offset + limit' }]]),
  ),
};

const sortByJson = (list: unknown[]) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** Every value in the stand-in's answers that a report must never show: ids, emails, names, addresses, URLs, numbers. */
function dataValues(answers: unknown[]): string[] {
  const values = new Set<string>();
  const enumLike = new Set<string>();
  const walk = (value: unknown, key: string | null) => {
    if (Array.isArray(value)) value.forEach((v) => walk(v, key));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
    // A validation error's `loc` names fields, which a report may name too.
    else if (typeof value === 'string') (key && (ENUM_FIELDS.has(key) || key === 'loc') ? enumLike : values).add(value);
    else if (typeof value === 'number' && (!Number.isInteger(value) || Math.abs(value) >= 1000)) values.add(String(value));
  };
  answers.forEach((a) => walk(a, null));
  // Short words (a status name, `ok`) can appear in any text; every id, email, name, address and URL is longer.
  return [...values].filter((v) => v.length >= 5 && !enumLike.has(v));
}

describe('casa-integrate compare against a stand-in for the real service', () => {
  let fixture: FixtureService;
  let markdownFile: string;
  let run: Run;
  let report: Report;

  const cleanups: (() => unknown)[] = [];
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });

  before(async () => {
    fixture = await startFixtureService({ after: (fn) => cleanups.push(fn) });
    markdownFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'casa-compare-md-')), 'report.md');
    run = await compare(['--real-url', fixture.baseUrl, '--json', '--markdown', markdownFile], { CASA_COMPARE_REAL_KEY: fixture.apiKey });
    report = JSON.parse(run.stdout) as Report;
  });

  it('names exactly the deliberate differences, call by call, and nothing else', () => {
    assert.equal(run.code, 0, run.stderr);
    const found = Object.fromEntries(report.calls.filter((c) => c.differences.length).map((c) => [c.call, sortByJson(c.differences)]));
    assert.deepEqual(found, Object.fromEntries(Object.entries(EXPECTED).map(([call, d]) => [call, sortByJson(d)])));
    assert.deepEqual(report.summary, { calls: 26, calls_with_differences: 13, differences: 14 });
  });

  it('made every call on both sides: the embedded server held an object of each kind the account shows', () => {
    assert.deepEqual(
      report.calls.filter((c) => c.realCount === 0 || c.oursCount === 0).map((c) => c.call),
      [],
    );
    const details = report.calls.find((c) => c.call === 'GET /orders/{id}')!;
    assert.equal(details.realCount, 6, 'one order of each status');
    assert.equal(details.oursCount, 6);
  });

  it('sent the stand-in only GET requests, as many as the report counts', () => {
    assert.ok(fixture.arrived.length > 30);
    assert.deepEqual([...new Set(fixture.arrived.map((a) => a.method))], ['GET']);
    assert.equal(report.requests.real, fixture.arrived.length);
  });

  it('heads the report with our version and the OpenAPI operations covered', () => {
    assert.equal(report.version, '0.1.0');
    assert.deepEqual(report.ours, { kind: 'embedded', document_version: '0.1.0' });
    assert.deepEqual(report.operations_covered, [
      'GET /companies/info (getCompanyInfo)',
      'GET /companies/package (getCompanyPackage)',
      'GET /offices (listOffices)',
      'GET /users (listUsers)',
      'GET /users/{email} (getUserByEmail)',
      'GET /orders (listOrders)',
      'GET /orders/{id} (getOrder)',
      'GET /orders/{order_id}/change-requests (listChangeRequests)',
      'GET /orders/{order_id}/change-requests/{change_request_id} (getChangeRequest)',
      'GET /orders/{order_id}/combined-pdf (getCombinedPdf)',
    ]);
    const markdown = fs.readFileSync(markdownFile, 'utf8');
    const [title, , version, operations] = markdown.split('\n');
    assert.equal(title, '## casa-integrate compare report');
    assert.match(version!, /^- casa-integrate 0\.1\.0; ours: an embedded server on a temporary database \(OpenAPI document 0\.1\.0\)$/);
    assert.match(
      operations!,
      /^- OpenAPI operations covered \(10\): GET \/companies\/info \(getCompanyInfo\), .*GET \/orders\/\{order_id\}\/combined-pdf \(getCombinedPdf\)$/,
    );
    assert.ok(markdown.includes('| `GET /orders/{id}` | type of info.total_scanned_area (200) | string | number |'), markdown);
    assert.ok(
      markdown.includes('| `GET /companies/info` | value of customer_type (200) | Broker | not in our OpenAPI document |'),
      markdown,
    );
    assert.equal(markdown.split('\n').filter((l) => l.startsWith('| `')).length, 14);
  });

  it('prints no value of the stand-in’s data, in any output', () => {
    const values = dataValues(fixture.answered);
    assert.ok(
      values.includes('tim@internet.com') && values.includes('EXT10005') && values.includes('29.958365'),
      'the check sees the data',
    );
    const outputs = run.stdout + run.stderr + fs.readFileSync(markdownFile, 'utf8');
    assert.deepEqual(
      values.filter((v) => outputs.includes(v)),
      [],
    );
    assert.ok(!outputs.includes(fixture.apiKey), 'the key is never echoed');
  });

  it('against a second server (--ours-url) holding the same data, text output, --redact-enums withholds the enum value', async (t) => {
    const ours = await startFixtureService(t, { differences: false });
    const second = await compare(['--real-url', fixture.baseUrl, '--ours-url', ours.baseUrl, '--redact-enums'], {
      CASA_COMPARE_REAL_KEY: fixture.apiKey,
      CASA_COMPARE_OURS_KEY: ours.apiKey,
    });
    assert.equal(second.code, 0, second.stderr);
    const lines = second.stdout.split('\n');
    assert.equal(lines[1], 'casa-integrate 0.1.0; ours: the server at --ours-url (OpenAPI document 0.1.0)');
    assert.ok(
      lines.includes(
        '  value of customer_type (200): real unlisted value(s), withheld by --redact-enums; ours not in our OpenAPI document',
      ),
    );
    assert.ok(lines.includes('  type of info.total_scanned_area (200): real string; ours number'));
    assert.ok(lines.includes('  key delivery_assets.listing_floorplans.webp_urls (200): real present; ours absent'));
    assert.equal(
      lines.filter((l) => l === '  pagination: next_offset: real offset + limit + 1; ours offset + limit').length,
      ORDER_LISTS.length,
    );
    assert.equal(lines.filter((l) => l.startsWith('  ')).length, 14);
    assert.ok(!second.stdout.includes('Broker'));
    assert.deepEqual([...new Set(ours.arrived.map((a) => a.method))], ['GET']);
    const values = dataValues([...fixture.answered, ...ours.answered]);
    assert.deepEqual(
      values.filter((v) => (second.stdout + second.stderr).includes(v)),
      [],
    );
  });
});
