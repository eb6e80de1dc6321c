// `casa-integrate compare`: reads a real CubiCasa account and this server with the same GET calls
// and reports where the answers' shapes differ. See docs/compare.md.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { VERSION } from '../version.js';
import { describePlan, runPlan, type SideRun } from './call-plan.js';
import { inventoryOf, startEmbedded, type EmbeddedServer } from './embedded-side.js';
import { createGetClient } from './get-client.js';
import { readOurDocument } from './our-document.js';
import { buildReport, renderMarkdown, renderText } from './report.js';
import { compareRuns } from './shapes.js';
import { runWebhookCompare } from './webhook-listener.js';
import { CompareUsageError, positiveNumber, type CompareIo } from './command-line.js';

export async function runCompare(argv: string[], io: CompareIo): Promise<number> {
  if (argv[0] === 'webhooks') return runWebhookCompare(argv.slice(1), io);
  const { values: flags, positionals } = parseArgs({
    args: argv,
    options: {
      'real-url': { type: 'string' },
      'real-key': { type: 'string' },
      'ours-url': { type: 'string' },
      'ours-key': { type: 'string' },
      'max-orders': { type: 'string' },
      rate: { type: 'string' },
      json: { type: 'boolean' },
      markdown: { type: 'string' },
      'redact-enums': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length) throw new CompareUsageError(`compare takes no argument "${positionals[0]}"`);
  const maxOrders = positiveNumber(flags['max-orders'] ?? '10', '--max-orders', true);
  const rate = positiveNumber(flags.rate ?? '2', '--rate', false);

  if (flags['dry-run']) {
    io.out(
      [
        `casa-integrate compare would send these GET requests to the real service (at most ${rate} a second), and the same to ours:`,
        ...describePlan(maxOrders).map((l) => `  ${l}`),
        'Nothing else: no other method, no request body.',
        '',
      ].join('\n'),
    );
    return 0;
  }

  const realUrl = baseUrl(flags['real-url'], '--real-url');
  const realKey = flags['real-key'] ?? io.env.CASA_COMPARE_REAL_KEY;
  if (!realKey) throw new CompareUsageError('compare needs the real key: --real-key or CASA_COMPARE_REAL_KEY');
  const oursUrl = flags['ours-url'] === undefined ? null : baseUrl(flags['ours-url'], '--ours-url');
  const oursKey = flags['ours-key'] ?? io.env.CASA_COMPARE_OURS_KEY;
  if (oursUrl && !oursKey) throw new CompareUsageError('--ours-url needs --ours-key or CASA_COMPARE_OURS_KEY');
  if (!oursUrl && oursKey) throw new CompareUsageError('--ours-key needs --ours-url');

  const progress = (side: string) => (call: string, status: number | null) => io.err(`${side}: ${call} → ${status ?? 'no answer'}\n`);
  const real = await runPlan(
    createGetClient({ baseUrl: realUrl, apiKey: realKey, sideName: 'The real service', rate, pacing: io.pacing }),
    {
      maxOrders,
      onCall: progress('real'),
    },
  );
  if (real.stopped) {
    io.err(`casa-integrate compare: ${real.stopped}\n`);
    return 1;
  }

  let embedded: EmbeddedServer | null = null;
  try {
    if (!oursUrl) {
      io.err('ours: starting an embedded server with objects of each kind the real account shows\n');
      embedded = await startEmbedded(inventoryOf(real.observations));
    }
    const oursClient = createGetClient({
      baseUrl: oursUrl ?? embedded!.baseUrl,
      apiKey: oursKey ?? embedded!.apiKey,
      sideName: 'Our server',
      rate: Infinity,
    });
    const documentAnswer = await oursClient.get('openapi.json', { auth: 'none' });
    if (documentAnswer.status !== 200 || documentAnswer.json === undefined) {
      io.err(
        `casa-integrate compare: our server did not serve its OpenAPI document (openapi.json answered ${documentAnswer.status ?? 'nothing'})\n`,
      );
      return 1;
    }
    const document = readOurDocument(documentAnswer.json);
    const ours: SideRun = await runPlan(oursClient, { maxOrders, onCall: progress('ours') });
    if (ours.stopped) {
      io.err(`casa-integrate compare: ${ours.stopped}\n`);
      return 1;
    }
    const redactEnums = flags['redact-enums'] ?? false;
    const calls = compareRuns(real.observations, ours.observations, document, { redactEnums });
    const report = buildReport({
      kind: 'api',
      version: VERSION,
      ours: { kind: oursUrl ? 'url' : 'embedded', document_version: document.version },
      operations_covered: [...new Set(calls.map((c) => c.operation))]
        .filter((op) => document.operations.has(op))
        .map((op) => (document.operationIds.has(op) ? `${op} (${document.operationIds.get(op)})` : op)),
      requests: { real: real.requests, ours: ours.requests },
      enum_values_redacted: redactEnums,
      calls,
    });
    io.out(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderText(report));
    if (flags.markdown) {
      fs.writeFileSync(flags.markdown, renderMarkdown(report));
      io.err(`Markdown report written to ${flags.markdown}\n`);
    }
    return 0;
  } finally {
    await embedded?.close();
  }
}

function baseUrl(raw: string | undefined, flag: string): string {
  if (!raw) throw new CompareUsageError(`compare needs ${flag}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CompareUsageError(`${flag} must be an http(s) URL such as https://app.cubi.casa/api/integrate/v3`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CompareUsageError(`${flag} must be an http(s) URL`);
  return url.toString().replace(/\/+$/, '');
}
