import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../server/engine/types.js';
import { verifyJournal } from '../../server/store/journal-reader.js';
import { Harness } from '../support/harness.js';

/**
 * Journal tampering on a real database (SQLite, or PostgreSQL in the PostgreSQL suite): editing,
 * deleting, inserting or reordering any row is detected, and verifyJournal names the entry
 * where the chain breaks. Rows are changed with raw SQL, as someone with the database file would.
 */
const TARGET = 6;

async function journalOf20(): Promise<Harness> {
  const h = await Harness.create();
  const ann = await h.user('Ann', 10_000);
  for (let i = 0; (await h.db.journalEntry.count()) < 20; i++) await h.run('deposit', SYSTEM, { userId: ann.id, amountMinor: 100 + i, currency: 'USD' });
  expect((await verifyJournal(h.db)).ok).toBe(true);
  return h;
}

describe('journal tampering on a real database', () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it.each([
    ['editing a row\'s content', async (x: Harness) => { await x.db.$executeRawUnsafe(`UPDATE "JournalEntry" SET "payload" = '{"amountMinor":1}' WHERE "seq" = ${TARGET}`); }, TARGET, 'hash_mismatch'],
    ['editing a row and its hash', async (x: Harness) => { await x.db.$executeRawUnsafe(`UPDATE "JournalEntry" SET "reason" = 'x', "hash" = '${'a'.repeat(64)}' WHERE "seq" = ${TARGET}`); }, TARGET, 'hash_mismatch'],
    ['deleting a row', async (x: Harness) => { await x.db.$executeRawUnsafe(`DELETE FROM "JournalEntry" WHERE "seq" = ${TARGET}`); }, TARGET + 1, 'sequence_gap'],
    ['deleting the last row is not visible from the chain, but the length is', null, 0, ''],
    ['inserting a row (renumbering those after it)', async (x: Harness) => {
      // Make room at TARGET by moving later rows up one, in two steps so no key collides midway.
      await x.db.$executeRawUnsafe(`UPDATE "JournalEntry" SET "seq" = -"seq" WHERE "seq" >= ${TARGET}`);
      await x.db.$executeRawUnsafe(`UPDATE "JournalEntry" SET "seq" = -"seq" + 1 WHERE "seq" < 0`);
      const prev = await x.db.journalEntry.findUniqueOrThrow({ where: { seq: TARGET - 1 } });
      const { hashEntry } = await import('../../server/engine/journal.js');
      // A forger who knows the hashing still cannot make the next row link to the forged one.
      const forged = { ...prev, seq: TARGET, action: 'wallet.deposit', reason: 'forged', prevHash: prev.hash };
      await x.db.journalEntry.create({ data: { ...forged, hash: hashEntry(forged as Parameters<typeof hashEntry>[0], prev.hash) } });
    }, TARGET + 1, 'broken_link'],
    ['reordering two rows (swapping their seq)', async (x: Harness) => {
      await x.db.$executeRawUnsafe(`UPDATE "JournalEntry" SET "seq" = -1 WHERE "seq" = ${TARGET}`);
      await x.db.$executeRawUnsafe(`UPDATE "JournalEntry" SET "seq" = ${TARGET} WHERE "seq" = ${TARGET + 3}`);
      await x.db.$executeRawUnsafe(`UPDATE "JournalEntry" SET "seq" = ${TARGET + 3} WHERE "seq" = -1`);
    }, TARGET, 'broken_link'],
  ] as const)('detects %s and names the entry', async (_name, tamper, seq, problem) => {
    h = await journalOf20();
    if (tamper === null) {
      // Truncating the tail leaves a valid shorter chain: what catches it is an anchor kept
      // elsewhere (an export's last hash, a backup's figures), compared as here.
      const before = await verifyJournal(h.db);
      await h.db.$executeRawUnsafe('DELETE FROM "JournalEntry" WHERE "seq" = (SELECT MAX("seq") FROM "JournalEntry")');
      const after = await verifyJournal(h.db);
      expect(after.ok && before.ok && after.lastHash !== before.lastHash && after.lastSeq === before.lastSeq - 1).toBe(true);
      return;
    }
    await tamper(h);
    const result = await verifyJournal(h.db);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.firstBad).toMatchObject({ seq, problem });
  });
});
