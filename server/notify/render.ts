import { CURRENCIES } from '../engine/money.js';
import type { NotificationParams, NotificationTemplate } from '../engine/types.js';
import { CATALOGS, mailLanguage, type Catalog, type Labels, type Paragraph } from './templates/index.js';

/** One email, ready for a transport: the same words as plain text and as HTML. */
export type RenderedMail = { language: string; subject: string; text: string; html: string };

const PLACEHOLDER = /\{(\w+)\}/g;

/** A value for a placeholder: its words, and whether it is a figure to stand out in HTML. */
type Value = { text: string; strong: boolean } | null;

/**
 * An amount in minor units as the language writes it. The decimal string keeps every digit exact
 * (Intl formats strings as decimals), and the exponent comes from our currency table, not ICU's.
 */
export function formatMoney(amountMinor: number, currency: string, locale: string): string {
  const exp = CURRENCIES[currency] ?? 2;
  const digits = Math.abs(amountMinor).toString().padStart(exp + 1, '0');
  const decimal = `${amountMinor < 0 ? '-' : ''}${exp === 0 ? digits : `${digits.slice(0, -exp)}.${digits.slice(-exp)}`}`;
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: exp, maximumFractionDigits: exp });
  return format.format(decimal as unknown as number);
}

/** Users have no time zone yet: dates are shown in UTC and say so. */
export function formatDate(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' }).format(new Date(iso));
}

function valueOf(name: string, params: NotificationParams, catalog: Catalog): Value | undefined {
  const money = params[`${name}Minor`];
  if (money !== undefined) {
    if (money === null) return null;
    return { text: formatMoney(Number(money), String(params.currency), catalog.locale), strong: true };
  }
  const date = params[`${name}At`];
  if (date !== undefined) return date === null ? null : { text: formatDate(String(date), catalog.locale), strong: true };
  const raw = params[name];
  if (raw === undefined) return undefined;
  if (raw === null) return null;
  if (Object.hasOwn(catalog.labels, name)) {
    const labels = catalog.labels[name as keyof Labels] as Record<string, string>;
    const label = labels[String(raw)];
    if (label === undefined) throw new Error(`no ${name} label for “${String(raw)}” in ${catalog.locale}`);
    return { text: label, strong: false };
  }
  return { text: String(raw), strong: false };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Fills one line. Returns null when a parameter it shows is null (the line does not apply);
 * throws on a placeholder that has no parameter at all, so no email ever goes out with "{x}".
 */
function fill(line: string, params: NotificationParams, catalog: Catalog, html: boolean): string | null {
  let skipped = false;
  const out = line.replace(PLACEHOLDER, (_m, name: string) => {
    const value = valueOf(name, params, catalog);
    if (value === undefined) throw new Error(`template placeholder {${name}} has no parameter`);
    if (value === null) {
      skipped = true;
      return '';
    }
    if (!html) return value.text;
    return value.strong ? `<strong>${escapeHtml(value.text)}</strong>` : escapeHtml(value.text);
  });
  return skipped ? null : out;
}

function applies(p: Paragraph, params: NotificationParams): string | null {
  if (typeof p === 'string') return p;
  return params[p.when] === true ? p.text : null;
}

function lines(paragraphs: readonly Paragraph[], params: NotificationParams, catalog: Catalog, html: boolean): string[] {
  return paragraphs.flatMap((p) => {
    const line = applies(p, params);
    // The template's own words are text too: escaped for HTML (placeholders survive escaping).
    const filled = line === null ? null : fill(html ? escapeHtml(line) : line, params, catalog, html);
    return filled === null ? [] : [filled];
  });
}

export function renderMail(template: NotificationTemplate, params: NotificationParams, recipient: { name: string; language: string }): RenderedMail {
  const language = mailLanguage(recipient.language);
  const catalog = CATALOGS[language];
  const message = catalog.messages[template];
  if (!message) throw new Error(`no template ${template} in ${language}`);
  const all = { ...params, recipientName: recipient.name };
  const subject = fill(message.subject, all, catalog, false);
  if (subject === null) throw new Error(`the subject of ${template} needs a parameter that is null`);
  const body = [catalog.greeting, ...message.body];
  const text = [...lines(body, all, catalog, false), '--', catalog.footer].join('\n\n');
  const paragraphs = lines(body, all, catalog, true).map((l) => `<p>${l}</p>`).join('\n');
  const html = [
    '<!doctype html>',
    `<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; font-size: 15px; line-height: 1.5; color: #1b1b1b; max-width: 40em">',
    paragraphs,
    `<p style="color: #666; font-size: 12px; border-top: 1px solid #ddd; padding-top: 8px">${escapeHtml(catalog.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { language, subject, text, html };
}
