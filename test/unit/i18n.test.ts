import { baseCompile, type CompileError } from '@intlify/message-compiler';
import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { en } from '../../renderer/src/i18n/en.js';
import { es } from '../../renderer/src/i18n/es.js';
import { pt } from '../../renderer/src/i18n/pt.js';

/**
 * The console's three catalogs: es and pt have exactly en's keys, each message keeps en's
 * placeholders, linked keys and plural branches, nothing is empty, and every message compiles.
 * (TypeScript already refuses a missing key; this also catches extra keys and broken syntax.)
 */

type Tree = { [key: string]: string | Tree };
const catalogs = { en, es, pt } as unknown as Record<'en' | 'es' | 'pt', Tree>;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const flat = { en: flatten(catalogs.en), es: flatten(catalogs.es), pt: flatten(catalogs.pt) };

/** {name} and {'literal'} placeholders (sorted), @:linked keys, and the number of plural branches. */
function shape(message: string): { named: string[]; literals: string[]; linked: string[]; branches: number } {
  const named = [...message.matchAll(/\{\s*([A-Za-z_][\w]*)\s*\}/g)].map((m) => m[1]!).sort();
  const literals = [...message.matchAll(/\{\s*'([^']*)'\s*\}/g)].map((m) => m[1]!).sort();
  const linked = [...message.matchAll(/@(?:\.\w+)?:(?:\(([^)]+)\)|([\w.]+))/g)].map((m) => m[1] ?? m[2]!).sort();
  const outside = message.replace(/\{[^}]*\}/g, '');
  return { named, literals, linked, branches: outside.split('|').length };
}

function compileErrors(message: string): string[] {
  const errors: string[] = [];
  baseCompile(message, { onError: (e: CompileError) => errors.push(e.message), mode: 'normal' });
  return errors;
}

describe('message catalogs', () => {
  it('has at least the keys the console needs', () => {
    expect(flat.en.size).toBeGreaterThan(300);
  });

  for (const lang of ['es', 'pt'] as const) {
    it(`${lang} has exactly en's keys`, () => {
      const missing = [...flat.en.keys()].filter((k) => !flat[lang].has(k));
      const extra = [...flat[lang].keys()].filter((k) => !flat.en.has(k));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    });

    it(`${lang} keeps en's placeholders, linked keys and plural branches`, () => {
      const differ: string[] = [];
      for (const [key, message] of flat.en) {
        const other = flat[lang].get(key);
        if (other === undefined) continue;
        const a = shape(message);
        const b = shape(other);
        if (JSON.stringify(a) !== JSON.stringify(b)) differ.push(`${key}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
      }
      expect(differ).toEqual([]);
    });
  }

  for (const lang of ['en', 'es', 'pt'] as const) {
    it(`${lang} has no empty message`, () => {
      const empty = [...flat[lang]].filter(([, m]) => m.trim() === '').map(([k]) => k);
      expect(empty).toEqual([]);
    });

    it(`${lang} compiles with vue-i18n's message compiler`, () => {
      const broken: string[] = [];
      for (const [key, message] of flat[lang]) {
        const errors = compileErrors(message);
        if (errors.length) broken.push(`${key}: ${errors.join('; ')} in ${JSON.stringify(message)}`);
      }
      expect(broken).toEqual([]);
    });

    it(`${lang} renders every message through vue-i18n with its placeholders filled`, () => {
      const i18n = createI18n({ legacy: false, locale: lang, fallbackLocale: 'en', messages: catalogs, missingWarn: false, fallbackWarn: false });
      const problems: string[] = [];
      for (const [key, message] of flat[lang]) {
        const values = Object.fromEntries(shape(message).named.map((n) => [n, `<${n}>`]));
        const text = i18n.global.t(key, values);
        if (text === key || text.trim() === '') problems.push(`${key}: not rendered`);
        else if (/[{}]/.test(text)) problems.push(`${key}: ${JSON.stringify(text)} still has a brace`);
        for (const n of Object.keys(values)) if (!text.includes(`<${n}>`)) problems.push(`${key}: {${n}} not filled in ${JSON.stringify(text)}`);
      }
      expect(problems).toEqual([]);
    });
  }

  it('fails on what it should: a missing placeholder, a stray brace, an empty message', () => {
    expect(JSON.stringify(shape('{n} left'))).not.toBe(JSON.stringify(shape('quedan')));
    expect(compileErrors('a { b')).not.toEqual([]);
    expect(compileErrors('mail me @ home')).not.toEqual([]);
    expect(compileErrors("mail me {'@'} home")).toEqual([]);
  });
});

describe('amounts typed in the locale', async () => {
  const { decimalMark, minorToInput, parseMinor, parsePercentBps, formatMinor } = await import('../../renderer/src/format/money.js');

  it('reads the decimal comma in pt-BR and refuses a dot that is not a thousands separator', () => {
    expect(decimalMark('pt-BR')).toBe(',');
    expect(decimalMark('es-419')).toBe('.');
    expect(parseMinor('562,50', 'USD', 'pt-BR')).toBe(56_250);
    expect(parseMinor('1.125,00', 'USD', 'pt-BR')).toBe(112_500);
    expect(parseMinor('1.5', 'USD', 'pt-BR')).toBeNull();
    expect(parseMinor('562.50', 'USD', 'es-419')).toBe(56_250);
    expect(minorToInput(56_250, 'USD', 'pt-BR')).toBe('562,50');
    expect(parsePercentBps('33,33')).toBe(3333);
  });

  it('writes amounts with each locale’s separators', () => {
    expect(formatMinor(112_500, 'USD', 'en-US')).toBe('$1,125.00');
    expect(formatMinor(112_500, 'USD', 'pt-BR').replace(/\s/g, ' ')).toBe('US$ 1.125,00');
    expect(formatMinor(112_500, 'USD', 'es-419').replace(/\s/g, ' ')).toBe('USD 1,125.00');
  });
});
