import { describe, expect, it } from 'vitest';
import { canonicalJson, chain, verifyChain, type JournalContent } from '../../server/engine/journal.js';

function contents(n: number): JournalContent[] {
  return Array.from({ length: n }, (_, i) => ({
    seq: 0, at: new Date(Date.UTC(2026, 0, 1, 0, i)), actorKind: 'user' as const, actorId: `usr_${i}`, actorRole: 'client',
    action: 'milestone.fund', entityType: 'milestone', entityId: `mst_${i}`, reason: null, payload: JSON.stringify({ amountMinor: i * 100 }),
  }));
}

describe('journal chain', () => {
  const entries = chain(null, contents(20));

  it('verifies an untouched chain, and a range from its anchor', async () => {
    expect(await verifyChain(entries)).toMatchObject({ ok: true, checked: 20, lastSeq: 20 });
    expect(await verifyChain(entries.slice(10), entries[9]!)).toMatchObject({ ok: true, checked: 10 });
  });

  it('continues a chain from its last entry', async () => {
    const more = chain(entries[entries.length - 1]!, contents(3));
    expect(more[0]!.seq).toBe(21);
    expect(await verifyChain([...entries, ...more])).toMatchObject({ ok: true, checked: 23 });
  });

  it('locates an edited entry', async () => {
    const edited = entries.map((e) => (e.seq === 7 ? { ...e, payload: '{"amountMinor":1}' } : e));
    expect(await verifyChain(edited)).toMatchObject({ ok: false, firstBad: { seq: 7, problem: 'hash_mismatch' } });
  });

  it('locates a deleted entry', async () => {
    const deleted = entries.filter((e) => e.seq !== 12);
    expect(await verifyChain(deleted)).toMatchObject({ ok: false, firstBad: { seq: 13, problem: 'sequence_gap' } });
  });

  it('locates reordered entries', async () => {
    const swapped = [...entries];
    [swapped[4], swapped[5]] = [swapped[5]!, swapped[4]!];
    expect(await verifyChain(swapped)).toMatchObject({ ok: false, firstBad: { seq: 6, problem: 'sequence_gap' } });
  });

  it('locates an inserted entry even when renumbered and rehashed from there on', async () => {
    // A forger inserts a row and recomputes every later hash: the anchor kept elsewhere (an
    // export's last hash) no longer matches, and a renumbered row breaks the link before it.
    const forged = chain(entries[4]!, contents(1));
    const tampered = [...entries.slice(0, 5), forged[0]!, ...entries.slice(5)];
    expect(await verifyChain(tampered)).toMatchObject({ ok: false, firstBad: { seq: 6 } });
  });

  it('encodes canonically regardless of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, 2] }, b: 1 }));
  });
});

describe('the hand-written canonical encoding', () => {
  it('equals the generic canonical encoding for any entry', async () => {
    const fc = (await import('fast-check')).default;
    const { entryBody, entryBodyCanonical } = await import('../../server/engine/journal.js');
    fc.assert(fc.property(
      fc.record({
        // Any date JavaScript can hold, so years before 1000 and after 9999 take the slow path too.
        seq: fc.nat(), at: fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }), actorKind: fc.constantFrom('user', 'operator', 'system' as const),
        actorId: fc.string({ unit: 'binary' }), actorRole: fc.string(), action: fc.string({ unit: 'binary' }), entityType: fc.string(), entityId: fc.string({ unit: 'binary' }),
        reason: fc.option(fc.string({ unit: 'binary' }), { nil: null }), payload: fc.string({ unit: 'binary' }),
      }),
      (c) => entryBody(c) === entryBodyCanonical(c),
    ), { numRuns: 2000 });
  });

  it('escapes what JSON escapes: quotes, backslashes, control characters, lone surrogates', async () => {
    const { entryBody, entryBodyCanonical } = await import('../../server/engine/journal.js');
    const awkward = ['say "hi"', 'back\\slash', 'tab\tnew\nline\u0000\u001f', 'lone \ud800 high', 'lone \udfff low', 'pair 😀 é', '\u007f\u2028\u2029', ''];
    for (const text of awkward) {
      const c = { seq: 7, at: new Date(Date.UTC(999, 11, 31, 23, 59, 59, 9)), actorKind: 'user' as const, actorId: text, actorRole: text, action: text, entityType: text, entityId: text, reason: text, payload: text };
      expect(entryBody(c)).toBe(entryBodyCanonical(c));
      expect(entryBody({ ...c, at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 60)) })).toBe(entryBodyCanonical({ ...c, at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 60)) }));
    }
  });
});
