// The report of `casa-integrate compare`: one object, printed as text, as JSON (`--json`) or as
// Markdown for a bug report (`--markdown FILE`). It holds call names, paths, types, status codes,
// media types, formulas and enum-like values; the comparison never puts anything else in it.
import type { CallComparison, Difference } from './shapes.js';

export interface Report {
  tool: 'casa-integrate compare';
  /** `api`: answers to the same GET calls; `webhooks`: calls received against calls ours sends. */
  kind: 'api' | 'webhooks';
  /** The version of casa-integrate that made the report. */
  version: string;
  ours: { kind: 'embedded' | 'url'; document_version: string };
  /** The operations of our OpenAPI document that the calls exercised. */
  operations_covered: string[];
  requests: { real: number; ours: number };
  enum_values_redacted: boolean;
  calls: CallComparison[];
  summary: { calls: number; calls_with_differences: number; differences: number };
}

export function buildReport(input: Omit<Report, 'tool' | 'summary'>): Report {
  const withDifferences = input.calls.filter((c) => c.differences.length > 0);
  return {
    tool: 'casa-integrate compare',
    ...input,
    summary: {
      calls: input.calls.length,
      calls_with_differences: withDifferences.length,
      differences: withDifferences.reduce((n, c) => n + c.differences.length, 0),
    },
  };
}

/** One difference as three short phrases: what differs, and each side's part. */
export function describe(d: Difference): { what: string; real: string; ours: string } {
  switch (d.kind) {
    case 'status':
      return { what: 'status code', real: d.real.join(', '), ours: d.ours.join(', ') };
    case 'content-type':
      return { what: `content type (${d.status})`, real: d.real.join(', '), ours: d.ours.join(', ') };
    case 'only-real':
      return { what: `key ${d.path} (${d.status})`, real: 'present', ours: 'absent' };
    case 'only-ours':
      return { what: `key ${d.path} (${d.status})`, real: 'absent', ours: 'present' };
    case 'type':
      return { what: `type of ${d.path} (${d.status})`, real: d.real.join(' or '), ours: d.ours.join(' or ') };
    case 'null':
      return { what: `null at ${d.path} (${d.status})`, real: 'null seen', ours: 'never null' };
    case 'enum':
      return {
        what: `value of ${d.path} (${d.status})`,
        real: d.values.length ? d.values.join(', ') : 'unlisted value(s), withheld by --redact-enums',
        ours: 'not in our OpenAPI document',
      };
    case 'pagination':
      return { what: `pagination: ${d.fact}`, real: d.real, ours: d.ours };
    case 'method':
      return { what: 'method', real: d.real.join(', '), ours: d.ours.join(', ') };
    case 'header':
      return { what: `header ${d.name}`, real: d.side === 'real' ? 'sent' : 'not sent', ours: d.side === 'ours' ? 'sent' : 'not sent' };
  }
}

function headline(report: Report): string[] {
  const ours = report.ours.kind === 'embedded' ? 'an embedded server on a temporary database' : 'the server at --ours-url';
  if (report.kind === 'webhooks') {
    return [
      `casa-integrate ${report.version}; ours: ${ours} (OpenAPI document ${report.ours.document_version})`,
      `Webhook calls received from the real service: ${report.requests.real}; calls ours sent for every trigger: ${report.requests.ours}.`,
      `Triggers compared: ${report.summary.calls}, ${report.summary.calls_with_differences} with differences (${report.summary.differences} in all).`,
    ];
  }
  return [
    `casa-integrate ${report.version}; ours: ${ours} (OpenAPI document ${report.ours.document_version})`,
    `OpenAPI operations covered (${report.operations_covered.length}): ${report.operations_covered.join(', ')}`,
    `Requests: ${report.requests.real} to the real service, ${report.requests.ours} to ours. Calls compared: ${report.summary.calls}, ` +
      `${report.summary.calls_with_differences} with differences (${report.summary.differences} in all).`,
  ];
}

const oneSided = (c: CallComparison) => (c.realCount === 0 ? 'not seen on the real side' : c.oursCount === 0 ? 'not seen on ours' : null);

export function renderText(report: Report): string {
  const lines = [report.kind === 'webhooks' ? 'casa-integrate compare webhooks' : 'casa-integrate compare', ...headline(report), ''];
  for (const call of report.calls.filter((c) => c.differences.length)) {
    lines.push(call.call);
    for (const d of call.differences) {
      const { what, real, ours } = describe(d);
      lines.push(`  ${what}: real ${real}; ours ${ours}`);
    }
  }
  const same = report.calls.filter((c) => !c.differences.length && !oneSided(c));
  if (same.length) lines.push('', `Same on both sides: ${same.map((c) => c.call).join(', ')}`);
  const missing = report.calls.filter(oneSided);
  if (missing.length) lines.push('', ...missing.map((c) => `${c.call}: ${oneSided(c)} (no data for it)`));
  return `${lines.join('\n')}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderMarkdown(report: Report): string {
  const [version, operations, totals] = headline(report);
  const lines = ['## casa-integrate compare report', '', `- ${version}`, `- ${operations}`, `- ${totals}`, ''];
  const differing = report.calls.filter((c) => c.differences.length);
  if (differing.length) {
    lines.push('| call | what differs | real service | ours |', '| --- | --- | --- | --- |');
    for (const call of differing) {
      for (const d of call.differences) {
        const { what, real, ours } = describe(d);
        lines.push(`| \`${cell(call.call)}\` | ${cell(what)} | ${cell(real)} | ${cell(ours)} |`);
      }
    }
  } else {
    lines.push('No differences.');
  }
  const same = report.calls.filter((c) => !c.differences.length && !oneSided(c));
  if (same.length) lines.push('', `Same on both sides: ${same.map((c) => `\`${c.call}\``).join(', ')}.`);
  const missing = report.calls.filter(oneSided);
  if (missing.length) lines.push('', ...missing.map((c) => `- \`${c.call}\`: ${oneSided(c)} (no data for it)`));
  return `${lines.join('\n')}\n`;
}
