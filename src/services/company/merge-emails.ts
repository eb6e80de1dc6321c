// The emails a merge sends to the target company's Managers: when it is asked for, and when the
// operator approved it (saying what happened to the webhook settings). Plain text and HTML carry
// the same content.
import type { MergedWebhooks } from '../../domain/merge-webhooks.js';
import { escapeHtml } from '../../domain/html-escape.js';

export interface MergeEmail {
  subject: string;
  text: string;
  html: string;
}

/** Paragraphs as text (blank-line separated) and HTML; each paragraph is a list of text and code parts. */
type Part = string | { code: string };
function render(paragraphs: Part[][]): { text: string; html: string } {
  const text = paragraphs.map((p) => p.map((part) => (typeof part === 'string' ? part : part.code)).join('')).join('\n\n') + '\n';
  const html = paragraphs
    .map(
      (p) => `<p>${p.map((part) => (typeof part === 'string' ? escapeHtml(part) : `<code>${escapeHtml(part.code)}</code>`)).join('')}</p>`,
    )
    .join('\n');
  return { text, html };
}

function urlList(urls: string[]): Part[] {
  return urls.flatMap((url, i): Part[] => (i === 0 ? [{ code: url }] : [', ', { code: url }]));
}

export function mergeRequestEmail(input: { requesterName: string; requestId: string; targetEmail: string }): MergeEmail {
  return {
    subject: `${input.requesterName} asks to merge into your company`,
    ...render([
      [
        `${input.requesterName} has asked to merge its CubiCasa account into your company (request `,
        { code: input.requestId },
        `, sent to ${input.targetEmail}).`,
      ],
      ['Once approved, its offices, users and orders join your company and its api keys stop working.'],
      [
        'Your webhook settings stay as they are unless the operator approving the merge chooses to add its webhook URLs; ' +
          'you will be told which when it is approved.',
      ],
    ]),
  };
}

/** What the approval did, the webhook settings first among the changes a Manager must know of. */
export function mergeApprovedEmail(input: {
  requesterName: string;
  requestId: string;
  moved: { offices: number; users: number; orders: number };
  webhooks: MergedWebhooks;
}): MergeEmail {
  const { webhooks: w, moved, requesterName: name } = input;
  const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  const webhookParagraphs: Part[][] = [];
  if (w.added_urls.length > 0 || w.added_triggers.length > 0) {
    if (w.added_urls.length > 0)
      webhookParagraphs.push([
        `Webhooks: the operator added ${name}'s webhook URLs to yours, so your company's events are now also sent to: `,
        ...urlList(w.added_urls),
        '.',
      ]);
    if (w.added_triggers.length > 0)
      webhookParagraphs.push([
        `${w.added_urls.length ? '' : 'Webhooks: '}Triggers added to your subscription: ${w.added_triggers.join(', ')}.`,
      ]);
    webhookParagraphs.push([
      `${name}'s events still waiting to be sent go to the URLs now in your list, signed with your company's secret. ` +
        'Remove any URL or trigger you do not want with PATCH /companies/webhook.',
    ]);
  } else {
    webhookParagraphs.push(['Webhooks: your webhook settings (URLs, triggers and signing secret) are unchanged.']);
  }
  if (w.dropped_urls.length > 0) {
    webhookParagraphs.push(
      w.choice === 'add_source'
        ? [`Not added, as a company lists at most 10 URLs: `, ...urlList(w.dropped_urls), '. The events waiting for them were cancelled.']
        : [
            `${name}'s webhook URL${w.dropped_urls.length === 1 ? ' was not added and receives' : 's were not added and receive'} nothing from your company: `,
            ...urlList(w.dropped_urls),
            `. ${name}'s webhook events still waiting to be sent were cancelled.`,
          ],
    );
  }
  return {
    subject: `${input.requesterName} has merged into your company`,
    ...render([
      [`The merge of ${name} into your company was approved (request `, { code: input.requestId }, ').'],
      [
        `${plural(moved.offices, 'office')}, ${plural(moved.users, 'user')} and ${plural(moved.orders, 'order')} ` +
          `joined your company; ${name}'s api keys no longer work.`,
      ],
      ...webhookParagraphs,
    ]),
  };
}
