// The invitation and password-reset emails: plain text and HTML with the same content.
import { escapeHtml } from '../../domain/html-escape.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

function utc(us: number): string {
  return `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function greeting(name: string | null): string {
  return name ? `Hello ${name},` : 'Hello,';
}

function html(title: string, paragraphs: string[], link: string, linkLabel: string, footer: string[]): string {
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5; color: #1d2330;">',
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(link)}" style="display: inline-block; padding: 10px 18px; background: #1d5bd8; color: #fff; text-decoration: none; border-radius: 4px;">${escapeHtml(linkLabel)}</a></p>`,
    `<p>If the button does not work, open this address: <br><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`,
    ...footer.map((p) => `<p style="color: #5b6475; font-size: 0.9em;">${escapeHtml(p)}</p>`),
    '</body></html>',
  ].join('\n');
}

export function invitationEmail(input: {
  companyName: string;
  role: string;
  name: string | null;
  link: string;
  expiresAtUs: number;
}): RenderedEmail {
  const subject = `You are invited to ${input.companyName} on casa-integrate`;
  const intro = `You have been invited to join ${input.companyName} as a ${input.role}. Choose your password to finish your account.`;
  const footer = [
    `This link works once and expires in 7 days (${utc(input.expiresAtUs)}).`,
    'If you did not expect this invitation, you can ignore this email.',
  ];
  return {
    subject,
    text: [greeting(input.name), '', intro, '', input.link, '', ...footer, ''].join('\n'),
    html: html(subject, [greeting(input.name), intro], input.link, 'Accept the invitation', footer),
  };
}

export function passwordResetEmail(input: { name: string | null; link: string; expiresAtUs: number }): RenderedEmail {
  const subject = 'Reset your casa-integrate password';
  const intro = 'Someone asked to reset the password of your casa-integrate account. Choose a new password here:';
  const footer = [
    `This link works once and expires in 1 hour (${utc(input.expiresAtUs)}). Asking for a new link cancels this one.`,
    'If you did not ask for this, ignore this email: your password stays as it is.',
  ];
  return {
    subject,
    text: [greeting(input.name), '', intro, '', input.link, '', ...footer, ''].join('\n'),
    html: html(subject, [greeting(input.name), intro], input.link, 'Choose a new password', footer),
  };
}
