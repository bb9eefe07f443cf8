import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertAmount, basisPoints, format, hourlyAmount, MAX_AMOUNT_MINOR, sum } from '../../server/engine/money.js';

describe('money', () => {
  it('rounds basis points half to even', () => {
    expect(basisPoints(10_000, 1000)).toBe(1000);
    expect(basisPoints(5, 1000)).toBe(0); // 0.5 → 0 (even)
    expect(basisPoints(15, 1000)).toBe(2); // 1.5 → 2 (even)
    expect(basisPoints(25, 1000)).toBe(2); // 2.5 → 2
    expect(basisPoints(26, 1000)).toBe(3); // 2.6 → 3
  });

  it('never takes a fee larger than the amount or below zero', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: MAX_AMOUNT_MINOR }), fc.integer({ min: 0, max: 10_000 }), (amount, bps) => {
      const fee = basisPoints(amount, bps);
      return fee >= 0 && fee <= amount && Number.isSafeInteger(fee);
    }));
  });

  it('bills minutes at an hourly rate exactly', () => {
    expect(hourlyAmount(60, 2_500)).toBe(2_500);
    expect(hourlyAmount(90, 2_500)).toBe(3_750);
    expect(hourlyAmount(1, 100)).toBe(2); // 1.666… → 2
    expect(hourlyAmount(3, 10)).toBe(0); // 0.5 → 0 (even)
  });

  it('refuses fractions, negatives and amounts past the exact range', () => {
    for (const bad of [1.5, -1, Number.NaN, Infinity, 2 ** 53, MAX_AMOUNT_MINOR + 1]) {
      expect(() => assertAmount(bad)).toThrow(/whole number/);
    }
    expect(() => sum([Number.MAX_SAFE_INTEGER, 1])).toThrow(/too large/);
  });

  it('formats by the currency exponent', () => {
    expect(format({ amountMinor: 123_456, currency: 'USD' })).toBe('1234.56 USD');
    expect(format({ amountMinor: 5, currency: 'EUR' })).toBe('0.05 EUR');
    expect(format({ amountMinor: 1500, currency: 'JPY' })).toBe('1500 JPY');
  });
});
