import { beforeAll, describe, expect, it } from 'vitest';
import { CURRENCIES } from '../../server/engine/money.js';
import { bpsOf, currencyExponent, formatMinor, minorToDecimal, parseMinor, parsePercentBps, setCurrencyExponents, shareOfBps } from '../../renderer/src/format/money.js';

/** The console's money input and display: exact integers in, exact strings out. */
describe('renderer money', () => {
  // What main.ts does at startup with meta.currencies, which returns the engine's table.
  beforeAll(() => setCurrencyExponents(CURRENCIES));

  it('counts minor units exactly as the engine does, for every currency it settles in', () => {
    for (const [code, exp] of Object.entries(CURRENCIES)) expect([code, currencyExponent(code)]).toEqual([code, exp]);
    expect(formatMinor(150_000, 'IDR')).toBe('IDR 1,500.00');
  });

  it('parses typed amounts to exact minor units', () => {
    expect(parseMinor('12.34', 'USD')).toBe(1234);
    expect(parseMinor('0.1', 'USD')).toBe(10);
    expect(parseMinor('1,200', 'USD')).toBe(120_000);
    expect(parseMinor('5', 'JPY')).toBe(5);
    expect(parseMinor('10000000000000.00', 'USD')).toBe(1_000_000_000_000_000);
  });

  it('refuses what is not an exact amount in the currency', () => {
    for (const bad of ['', '12.345', '-1', '1e3', 'abc', '1.2.3', '10000000000000.01']) expect(parseMinor(bad, 'USD')).toBeNull();
    expect(parseMinor('1.5', 'JPY')).toBeNull();
  });

  it('formats from integers without float rounding', () => {
    expect(minorToDecimal(5, 'USD')).toBe('0.05');
    expect(minorToDecimal(900_719_925_474_099, 'USD')).toBe('9007199254740.99');
    expect(formatMinor(123_456, 'USD')).toBe('$1,234.56');
    expect(formatMinor(1500, 'JPY')).toBe('¥1,500');
    expect(formatMinor(900_719_925_474_099, 'USD')).toBe('$9,007,199,254,740.99');
  });

  it('turns percentages into shares in integers', () => {
    expect(parsePercentBps('50')).toBe(5000);
    expect(parsePercentBps('33.33')).toBe(3333);
    expect(parsePercentBps('100.01')).toBeNull();
    expect(shareOfBps(112_501, 5000)).toBe(56_251);
    expect(shareOfBps(1_000_000_000_000_000, 3333)).toBe(333_300_000_000_000);
    expect(bpsOf(1, 3)).toBe(3333);
  });
});
