import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain, type JournalContent } from '../../server/engine/journal.js';
import { openSqlite } from '../../server/store/database.js';
import { verifyHere, verifyJournal } from '../../server/store/journal-reader.js';
import { PARALLEL_FROM, verifyInSegments } from '../../server/store/journal-segments.js';
import { SqliteReader } from '../../server/store/sql-reader.js';
import { TEST_DATABASE } from '../support/databases.js';

/**
 * A long journal in a SQLite file is verified in segments on worker threads. Whatever is wrong
 * with it, and wherever, the answer must be the one a single pass gives: the same first bad
 * entry, the same count checked, the same last hash.
 */
const N = PARALLEL_FROM + 23_457;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escrow-journal-'));
const pristine = path.join(dir, 'pristine.db');

beforeAll(async () => {
  const db = await openSqlite({ url: pristine });
  await db.$disconnect();
  const raw = new Database(pristine);
  const insert = raw.prepare('INSERT INTO "JournalEntry" ("seq","at","actorKind","actorId","actorRole","action","entityType","entityId","reason","payload","prevHash","hash") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)');
  let prev: { seq: number; hash: string } | null = null;
  const write = raw.transaction((contents: JournalContent[]) => {
    for (const e of chain(prev, contents)) {
      insert.run(e.seq, e.at.toISOString().replace('Z', '+00:00'), e.actorKind, e.actorId, e.actorRole, e.action, e.entityType, e.entityId, e.reason, e.payload, e.prevHash, e.hash);
      prev = e;
    }
  });
  for (let i = 0; i < N; i += 10_000) {
    write(Array.from({ length: Math.min(10_000, N - i) }, (_, j) => ({
      seq: 0, at: new Date(Date.UTC(2026, 0, 1) + (i + j) * 1000), actorKind: 'user' as const, actorId: `usr_${j % 97}`, actorRole: 'client',
      action: 'milestone.release', entityType: 'milestone', entityId: `mst_${i + j}`, reason: j % 5 ? null : 'a "quoted" reason\nover lines', payload: JSON.stringify({ amountMinor: j, note: 'ünïcødé' }),
    })));
  }
  raw.close();
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A copy of the pristine journal with one change made by raw SQL, as a forger would. */
function copyWith(name: string, sql?: string): string {
  const file = path.join(dir, `${name}.db`);
  fs.copyFileSync(pristine, file);
  if (sql) {
    const raw = new Database(file);
    raw.exec(sql);
    raw.close();
  }
  return file;
}

async function both(file: string, options: { afterSeq?: number; untilSeq?: number } = {}) {
  const reader = new SqliteReader(file);
  try {
    const progress: number[] = [];
    const parallel = await verifyJournal(reader, { ...options, onProgress: (c) => progress.push(c) });
    const single = await verifyHere(reader, options);
    return { parallel, single, progress };
  } finally {
    reader.close();
  }
}

describe.skipIf(TEST_DATABASE !== 'sqlite')('journal verification in parallel segments', () => {
  it('proves an intact journal exactly as one pass does, reporting progress on the way', async () => {
    const { parallel, single, progress } = await both(copyWith('intact'));
    expect(single).toMatchObject({ ok: true, checked: N, lastSeq: N });
    expect(parallel).toEqual(single);
    expect(progress.length).toBeGreaterThan(3);
    expect(Math.max(...progress)).toBeLessThanOrEqual(N);
    // It really ran on workers: a fallback to one pass would make the comparisons above vacuous.
    const reader = new SqliteReader(copyWith('workers'));
    expect(await verifyInSegments(reader, {})).toEqual(single);
    reader.close();
  });

  for (const [name, seq, sql] of [
    ['an edited payload early on', 17, `UPDATE "JournalEntry" SET "payload" = '{"amountMinor":1}' WHERE "seq" = 17`],
    ['an edited amount in the last segment', N - 3, `UPDATE "JournalEntry" SET "payload" = '{"amountMinor":999999}' WHERE "seq" = ${N - 3}`],
    ['a rewritten link at a segment boundary', Math.round(N / 2) + 1, `UPDATE "JournalEntry" SET "prevHash" = 'f' || substr("prevHash", 2) WHERE "seq" = ${Math.round(N / 2) + 1}`],
    ['an entry whose stored hash was replaced at a cut', Math.round(N / 2), `UPDATE "JournalEntry" SET "hash" = 'e' || substr("hash", 2) WHERE "seq" = ${Math.round(N / 2)}`],
    ['a deleted entry in the middle', 60_001, `DELETE FROM "JournalEntry" WHERE "seq" = 60000`],
    ['a deleted entry where a segment would be cut', Math.round(N / 2) + 1, `DELETE FROM "JournalEntry" WHERE "seq" = ${Math.round(N / 2)}`],
  ] as const) {
    it(`names the same first bad entry as one pass for ${name}`, async () => {
      const { parallel, single } = await both(copyWith(name.replace(/\W+/g, '-'), sql));
      expect(single.ok).toBe(false);
      expect(parallel).toEqual(single);
      expect(!parallel.ok && parallel.firstBad.seq).toBe(seq);
    });
  }

  it('verifies a range against the entry before it', async () => {
    const { parallel, single } = await both(copyWith('range'), { afterSeq: 5_000, untilSeq: N - 1_000 });
    expect(single).toMatchObject({ ok: true, checked: N - 6_000, lastSeq: N - 1_000 });
    expect(parallel).toEqual(single);
  });
});
