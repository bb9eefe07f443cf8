import { check, fail } from './errors.js';

/**
 * Money is an integer count of a currency's minor units. Amounts are plain numbers kept inside
 * the safe-integer range and under MAX_AMOUNT_MINOR, so sums of a few of them stay exact too.
 */
export type Money = { readonly amountMinor: number; readonly currency: string };

/** 10^15 minor units: ten trillion dollars. Sums of many such amounts stay below 2^53. */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000_000;

/** ISO 4217 currencies the marketplace settles in, with their minor-unit exponents. */
export const CURRENCIES: Readonly<Record<string, number>> = {
  USD: 2, EUR: 2, GBP: 2, AUD: 2, CAD: 2, NZD: 2, BRL: 2, MXN: 2, ARS: 2, CLP: 0, COP: 2,
  PEN: 2, INR: 2, PHP: 2, IDR: 2, MYR: 2, SGD: 2, HKD: 2, JPY: 0, KRW: 0, CHF: 2, SEK: 2,
  NOK: 2, DKK: 2, PLN: 2, ZAR: 2, PKR: 2, BDT: 2, NGN: 2, EGP: 2, AED: 2, TRY: 2,
};

export function isCurrency(code: string): boolean {
  return Object.hasOwn(CURRENCIES, code);
}

export function assertCurrency(code: string): string {
  check(isCurrency(code), 'VALIDATION', `“${code}” is not a supported currency`);
  return code;
}

export function isAmount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_AMOUNT_MINOR;
}

export function assertAmount(value: number, what = 'amount'): number {
  if (!isAmount(value)) {
    fail('VALIDATION', `${what} must be a whole number of minor units from 0 to ${MAX_AMOUNT_MINOR}`);
  }
  return value;
}

export function assertPositive(value: number, what = 'amount'): number {
  assertAmount(value, what);
  check(value > 0, 'VALIDATION', `${what} must be more than zero`);
  return value;
}

/** Adds amounts, refusing any result that would leave the exact range. */
export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) {
    total += v;
    check(Number.isSafeInteger(total), 'VALIDATION', 'the total is too large to represent exactly');
  }
  return total;
}

/**
 * A fraction of an amount in basis points, rounded half to even: fees never gain or lose a
 * minor unit systematically in either party's favour.
 */
export function basisPoints(amountMinor: number, bps: number): number {
  const product = BigInt(amountMinor) * BigInt(bps);
  const quotient = product / 10_000n;
  const remainder = product % 10_000n;
  const twice = remainder * 2n;
  if (twice > 10_000n || (twice === 10_000n && quotient % 2n === 1n)) return Number(quotient + 1n);
  return Number(quotient);
}

/** Minutes at an hourly rate, rounded half to even in minor units. */
export function hourlyAmount(minutes: number, rateMinorPerHour: number): number {
  const product = BigInt(minutes) * BigInt(rateMinorPerHour);
  const quotient = product / 60n;
  const twice = (product % 60n) * 2n;
  if (twice > 60n || (twice === 60n && quotient % 2n === 1n)) return assertAmount(Number(quotient + 1n));
  return assertAmount(Number(quotient));
}

export function format(money: Money): string {
  const exp = CURRENCIES[money.currency] ?? 2;
  const sign = money.amountMinor < 0 ? '-' : '';
  const digits = Math.abs(money.amountMinor).toString().padStart(exp + 1, '0');
  const whole = exp === 0 ? digits : digits.slice(0, -exp);
  const frac = exp === 0 ? '' : `.${digits.slice(-exp)}`;
  return `${sign}${whole}${frac} ${money.currency}`;
}
