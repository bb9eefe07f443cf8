import { describe, expect, it } from 'vitest';
import { NOTIFICATION_TEMPLATES, type NotificationParams, type NotificationTemplate } from '../../server/engine/types.js';
import { formatMoney, renderMail } from '../../server/notify/render.js';
import { CATALOGS, mailLanguage, type Catalog } from '../../server/notify/templates/index.js';

/** Every parameter each event can carry, none null: the fullest form of every message. */
const FULL: Record<NotificationTemplate, NotificationParams> = {
  milestone_to_review: { milestone: 'Logo', amountMinor: 20_000, currency: 'USD' },
  milestone_created: { milestone: 'Logo', amountMinor: 20_000, currency: 'USD' },
  milestone_requested: { milestone: 'Logo', amountMinor: 20_000, currency: 'USD' },
  milestone_approved: { milestone: 'Logo', amountMinor: 20_000, currency: 'USD', paymentTaken: true },
  milestone_funded: { milestone: 'Logo', amountMinor: 20_000, currency: 'USD' },
  milestone_completed: { milestone: 'Logo', amountMinor: 20_000, currency: 'USD', autoReleaseAt: '2026-01-19T09:00:00.000Z' },
  milestone_released: { milestone: 'Logo', amountMinor: 20_000, currency: 'USD', releasedMinor: 5_000, commissionMinor: 500, receivedMinor: 4_500, remainingMinor: 15_000 },
  milestone_cancelled: { milestone: 'Logo', amountMinor: 20_000, currency: 'USD', by: 'staff', refundedMinor: 20_000 },
  dispute_opened: { milestone: 'Logo', disputedMinor: 20_000, currency: 'USD', by: 'client', claimMinor: 20_000, deadlineAt: '2026-01-12T09:00:00.000Z' },
  dispute_offer: { milestone: 'Logo', disputedMinor: 20_000, currency: 'USD', by: 'freelancer', freelancerShareMinor: 12_000, clientShareMinor: 8_000 },
  dispute_deadline_near: { milestone: 'Logo', disputedMinor: 20_000, currency: 'USD', deadlineAt: '2026-01-12T09:00:00.000Z', action: 'pay_fee', arbitrationFeeMinor: 1_000 },
  dispute_settled: { milestone: 'Logo', disputedMinor: 20_000, currency: 'USD', outcome: 'settled', freelancerShareMinor: 12_000, clientShareMinor: 8_000 },
  dispute_decided: { milestone: 'Logo', disputedMinor: 20_000, currency: 'USD', outcome: 'default_fee_unpaid', freelancerShareMinor: 20_000, clientShareMinor: 0 },
};

const languages = Object.keys(CATALOGS) as (keyof typeof CATALOGS)[];

/** Every key path of a catalog ("messages.dispute_offer.body.1", "labels.outcome.settled"...). */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => (k === 'locale' ? [] : keyPaths(v, prefix ? `${prefix}.${k}` : k))).sort();
}

/** Placeholders of a catalog's message, by template: all languages must use the same ones. */
function placeholders(c: Catalog, t: NotificationTemplate): string[] {
  const words = [c.messages[t].subject, ...c.messages[t].body.map((p) => (typeof p === 'string' ? p : p.text))].join(' ');
  return [...new Set([...words.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
}

describe('notification templates', () => {
  it('exist in en, es and pt with exactly the same keys, labels and placeholders', () => {
    expect(languages.sort()).toEqual(['en', 'es', 'pt']);
    const reference = keyPaths(CATALOGS.en);
    for (const t of NOTIFICATION_TEMPLATES) expect(reference).toContain(`messages.${t}.subject`);
    for (const lang of languages) {
      expect(keyPaths(CATALOGS[lang]), lang).toEqual(reference);
      for (const t of NOTIFICATION_TEMPLATES) expect(placeholders(CATALOGS[lang], t), `${lang} ${t}`).toEqual(placeholders(CATALOGS.en, t));
    }
  });

  it('render every template in every language, as text and HTML, with no placeholder left', () => {
    for (const lang of languages) {
      for (const t of NOTIFICATION_TEMPLATES) {
        const mail = renderMail(t, FULL[t], { name: 'Ana <Admin>', language: lang });
        for (const [part, body] of Object.entries({ subject: mail.subject, text: mail.text, html: mail.html })) {
          expect(body, `${lang} ${t} ${part}`).not.toMatch(/\{\w*\}|\{|\}/);
          expect(body, `${lang} ${t} ${part}`).not.toMatch(/undefined|NaN|null/);
        }
        expect(mail.language).toBe(lang);
        // The user's own text is escaped in HTML, never markup.
        expect(mail.html).toContain('Ana &#60;Admin&#62;');
        expect(mail.html).not.toContain('<Admin>');
        // The fullest form shows every paragraph.
        expect(mail.text.split('\n\n').length).toBe(CATALOGS[lang].messages[t].body.length + 3);
      }
    }
  });

  it('drop a sentence whose fact does not apply, and refuse a placeholder with no parameter', () => {
    const partial = renderMail('milestone_released', { ...FULL.milestone_released, remainingMinor: null }, { name: 'Ana', language: 'en' });
    expect(partial.text).not.toContain('remains in escrow');
    expect(partial.text).toContain('$50.00 has been released to you for “Logo”.');
    const unpaid = renderMail('milestone_approved', { ...FULL.milestone_approved, paymentTaken: null }, { name: 'Ana', language: 'en' });
    expect(unpaid.text).not.toContain('taken from your balance');
    const { amountMinor: _dropped, ...missing } = FULL.milestone_funded;
    expect(() => renderMail('milestone_funded', missing, { name: 'Ana', language: 'en' })).toThrow(/\{amount\} has no parameter/);
  });

  it('format amounts with the currency’s exponent in the recipient’s language, exactly', () => {
    expect(formatMoney(123_456, 'USD', 'en')).toBe('$1,234.56');
    expect(formatMoney(123_456, 'JPY', 'en')).toBe('¥123,456');
    // Spanish groups thousands only from five digits on (CLDR's minimum grouping).
    expect(formatMoney(123_456, 'EUR', 'es')).toMatch(/^1234,56\s€$/);
    expect(formatMoney(12_345_678, 'EUR', 'es')).toMatch(/^123\.456,78\s€$/);
    expect(formatMoney(5, 'BRL', 'pt')).toMatch(/^R\$\s0,05$/);
    // Beyond what a double holds to the cent: the decimal string keeps every digit.
    expect(formatMoney(999_999_999_999_999, 'USD', 'en')).toBe('$9,999,999,999,999.99');
  });

  it('choose the language from the user’s, falling back to English', () => {
    expect(mailLanguage('pt-BR')).toBe('pt');
    expect(mailLanguage('ES')).toBe('es');
    expect(mailLanguage('fr')).toBe('en');
    expect(mailLanguage('')).toBe('en');
  });
});
