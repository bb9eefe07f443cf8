/**
 * Money as the API sends it: an integer count of minor units and a currency. Display goes through
 * Intl.NumberFormat with a decimal string built from the integer (no float ever touches an amount);
 * input is parsed back to minor units exactly, or refused.
 */
import { currentLocale } from '../i18n/locale.js';

/** 10^15 minor units, the engine's ceiling for any amount. */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000_000;

/**
 * The engine's minor-unit exponents, sent by the server (meta.currencies) and loaded once at
 * startup. ICU disagrees for some (it says 0 for COP, IDR, PKR where the engine counts cents), and
 * reading 1000 IDR-cents as 1000 rupiah would misstate an amount a hundredfold, so the engine's
 * table wins; ICU's figure is only the fallback for a currency the server did not name.
 */
const exponents = new Map<string, number>();
const formatters = new Map<string, Intl.NumberFormat>();

/** Replaces the exponents with the engine's table (meta.currencies); formatters built earlier are dropped. */
export function setCurrencyExponents(table: Readonly<Record<string, number>>): void {
  exponents.clear();
  formatters.clear();
  for (const [code, exp] of Object.entries(table)) exponents.set(code, exp);
}

/** The currency's minor-unit exponent (USD 2, JPY 0): the engine's, else ICU's. */
export function currencyExponent(currency: string): number {
  let exp = exponents.get(currency);
  if (exp === undefined) {
    exp = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    exponents.set(currency, exp);
  }
  return exp;
}

/** 1234 USD → "12.34"; -5 USD → "-0.05". Exact: built from the integer's digits. */
export function minorToDecimal(amountMinor: number, currency: string): string {
  const exp = currencyExponent(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const digits = Math.abs(amountMinor).toString().padStart(exp + 1, '0');
  return exp === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}

/** In the operator's locale (currentLocale, reactive) unless one is named. */
export function formatMinor(amountMinor: number, currency: string, locale: string = currentLocale.value): string {
  const key = `${locale}|${currency}`;
  let nf = formatters.get(key);
  if (!nf) {
    const exp = currencyExponent(currency);
    nf = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: exp, maximumFractionDigits: exp });
    formatters.set(key, nf);
  }
  // Intl formats a decimal string exactly (ES2023), so 9007199254740993 never rounds.
  return nf.format(minorToDecimal(amountMinor, currency) as unknown as number);
}

/** The locale's decimal mark: '.' for en-US and es-419, ',' for pt-BR. */
export function decimalMark(locale: string = currentLocale.value): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
}

/** An amount as an input's text in the locale, without grouping: 56250 USD → '562.50', or '562,50' in pt-BR. */
export function minorToInput(amountMinor: number, currency: string, locale: string = currentLocale.value): string {
  return minorToDecimal(amountMinor, currency).replace('.', decimalMark(locale));
}

/**
 * '12.34' USD → 1234; '1,200' USD → 120000; '12.345' USD → null (more digits than the currency
 * has); '5' JPY → 5; '' or anything else → null. Thousands separators and spaces are ignored.
 * Where the locale's decimal mark is a comma (pt-BR), '1.200,50' → 120050 and '12,34' → 1234; a
 * dot there must group thousands exactly ('1.5' → null), so an amount typed the other way round
 * is refused rather than read a hundred times too large or small.
 */
export function parseMinor(text: string, currency: string, locale: string = currentLocale.value): number | null {
  const exp = currencyExponent(currency);
  let clean: string;
  if (decimalMark(locale) === ',') {
    const compact = text.replace(/[\s_]/g, '');
    if (compact.includes('.') && !/^\d{1,3}(\.\d{3})+(,\d*)?$/.test(compact)) return null;
    clean = compact.replace(/\./g, '').replace(',', '.');
  } else {
    clean = text.replace(/[\s,_]/g, '');
  }
  const match = /^(\d+)(?:\.(\d*))?$/.exec(clean);
  if (!match) return null;
  const whole = match[1]!;
  const fraction = match[2] ?? '';
  if (fraction.length > exp) return null;
  const minor = BigInt(whole) * 10n ** BigInt(exp) + BigInt(fraction.padEnd(exp, '0') || '0');
  if (minor > BigInt(MAX_AMOUNT_MINOR)) return null;
  return Number(minor);
}

/** '50' → 5000 bps, '33.33' (or '33,33') → 3333, '100' → 10000; null if outside 0–100 or more than two decimals. */
export function parsePercentBps(text: string): number | null {
  const match = /^(\d{1,3})(?:[.,](\d{0,2}))?$/.exec(text.trim());
  if (!match) return null;
  const bps = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0') || '0');
  return bps <= 10_000 ? bps : null;
}

/**
 * The share of a total at a percentage, rounded half up to a whole minor unit, in integers
 * (BigInt, so large totals stay exact). This turns a typed percentage into the amount the server
 * will be asked for; the server checks the split adds up.
 */
export function shareOfBps(totalMinor: number, bps: number): number {
  return Number((BigInt(totalMinor) * BigInt(bps) + 5_000n) / 10_000n);
}

/** The percentage (two decimals) a share is of a total, for display only. */
export function bpsOf(partMinor: number, totalMinor: number): number {
  if (totalMinor === 0) return 0;
  return Number((BigInt(partMinor) * 10_000n + BigInt(totalMinor) / 2n) / BigInt(totalMinor));
}

/** Basis points as a percentage in the operator's locale (display only). */
export function formatBps(bps: number, locale: string = currentLocale.value): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(bps / 10_000);
}
