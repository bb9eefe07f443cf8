import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../../server/engine/errors.js';
import { chain, type JournalContent } from '../../server/engine/journal.js';
import type { BalanceDelta, EngineTx } from '../../server/engine/ports.js';
import type { Milestone, Transfer } from '../../server/engine/types.js';
import { verifyJournal } from '../../server/store/journal-reader.js';
import { dataModel, openDatabase, type OpenedDatabase } from '../../server/store/open.js';
import { PgStore } from '../../server/store/pg-store.js';
import { freshDatabase, TEST_DATABASE } from '../support/databases.js';

/**
 * The PostgreSQL command store on its own: values come back exactly as they went in (and as
 * Prisma reads them), a refused command leaves nothing, a stale version is a CONFLICT, and two
 * processes appending to the journal at once both land on one dense chain.
 */
const onPostgres = TEST_DATABASE === 'postgresql';
if (!onPostgres) console.log('pg-store tests skipped: they need PostgreSQL (ESCROW_TEST_DATABASE=postgresql, as `npm run test:pg` sets)');

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    if (!isEngineError(error)) throw error;
    return error.code;
  }
  throw new Error('expected the command to be refused');
}

function milestone(id: string, over: Partial<Milestone> = {}): Milestone {
  return {
    id, marketplaceId: 'mkt_1', projectId: null, contractId: 'ctr_1', clientId: 'usr_c', freelancerId: 'usr_f', description: `“${id}” 'quoted' \\ ✓`,
    amountMinor: 12_345, currency: 'USD', deadlineAt: null, origin: 'direct', state: 'funded', priorState: null, cancelledBy: null,
    cancelNoFault: false, fundedMinor: 0, releasedMinor: 0, refundedMinor: 0, feeMinor: 0, autoReleaseAt: null,
    createdAt: new Date('2026-01-05T09:00:00.000Z'), updatedAt: new Date('2026-01-05T09:00:00.000Z'), version: 0, ...over,
  };
}

describe.skipIf(!onPostgres)('PgStore on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let opened: OpenedDatabase;
  let store: PgStore;
  const extra: PgStore[] = [];
  const run = <T>(fn: (tx: EngineTx) => Promise<T>) => store.transaction(fn);
  const other = (url = database.url) => {
    const s = new PgStore(url, dataModel(opened.db));
    extra.push(s);
    return s;
  };

  beforeAll(async () => {
    database = await freshDatabase();
    opened = await openDatabase(database.url);
    expect(opened.store).toBeInstanceOf(PgStore);
    store = opened.store as PgStore;
  }, 60_000);

  afterAll(async () => {
    for (const s of extra) await s.close();
    await opened?.close();
    await database?.drop();
  });

  it('round-trips every column type, in one row and in many, the same way Prisma writes and reads them, in any process time zone', async () => {
    const zone = process.env.TZ;
    // Far from UTC: a driver that sent or read local time would shift every timestamp by hours.
    process.env.TZ = 'Pacific/Kiritimati';
    try {
      expect(new Date(0).getTimezoneOffset()).not.toBe(0);
      const rows = [
        milestone('mst_one', {
          amountMinor: Number.MAX_SAFE_INTEGER, fundedMinor: Number.MIN_SAFE_INTEGER, cancelNoFault: true, projectId: null,
          deadlineAt: new Date('2024-02-29T23:59:59.999Z'), autoReleaseAt: new Date('1970-01-01T00:00:00.001Z'),
          createdAt: new Date('2026-03-29T01:30:00.123Z'), updatedAt: new Date('2026-10-25T00:59:59.456Z'), version: 7,
        }),
      ];
      const many = Array.from({ length: 5 }, (_, i) => milestone(`mst_many_${i}`, {
        cancelNoFault: i % 2 === 0, deadlineAt: i % 2 ? new Date(Date.UTC(2027, i, i + 1, i, i, i, 100 + i)) : null,
        amountMinor: 10 ** (i + 9), priorState: i === 0 ? 'approved' : null, createdAt: new Date(Date.UTC(2025, 11, 31, 23, 59, 59, 999)),
      }));
      await run((tx) => tx.insert('milestone', rows));
      await run((tx) => tx.insert('milestone', many));

      for (const row of [...rows, ...many]) {
        expect(await run((tx) => tx.get('milestone', row.id))).toEqual(row);
        // Prisma, which the console reads through, sees the same instants and numbers.
        const seen = await opened.db.milestone.findUniqueOrThrow({ where: { id: row.id } });
        expect({ ...seen, amountMinor: Number(seen.amountMinor), fundedMinor: Number(seen.fundedMinor), releasedMinor: Number(seen.releasedMinor), refundedMinor: Number(seen.refundedMinor), feeMinor: Number(seen.feeMinor) }).toEqual(row);
      }
      // The stored wall-clock time is UTC.
      const text = await opened.db.$queryRawUnsafe<{ t: string }[]>(`SELECT to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS t FROM "Milestone" WHERE "id" = 'mst_one'`);
      expect(text[0]!.t).toBe('2026-03-29T01:30:00.123Z');

      // A row Prisma wrote reads back identically.
      const byPrisma = milestone('mst_prisma', { deadlineAt: new Date('2031-07-04T12:34:56.789Z'), cancelNoFault: true });
      await opened.db.milestone.create({ data: byPrisma });
      expect(await run((tx) => tx.get('milestone', 'mst_prisma'))).toEqual(byPrisma);

      // Filters bind the same values: a list of any length, a date bound, a negated null.
      const found = await run((tx) => tx.find('milestone', { id: { in: many.map((m) => m.id) }, deadlineAt: { lte: new Date(Date.UTC(2027, 3, 4, 3, 3, 3, 103)) } }, { take: 10, orderBy: { field: 'id', direction: 'asc' } }));
      expect(found.map((m) => m.id)).toEqual(['mst_many_1', 'mst_many_3']);
      expect(await run((tx) => tx.find('milestone', { id: { in: [] } }, { take: 10 }))).toEqual([]);
      expect((await run((tx) => tx.find('milestone', { priorState: { not: 'approved' }, id: { in: many.map((m) => m.id) } }, { take: 10, orderBy: { field: 'id', direction: 'desc' } }))).map((m) => m.id))
        .toEqual(['mst_many_4', 'mst_many_3', 'mst_many_2', 'mst_many_1']);
      expect((await run((tx) => tx.find('milestone', { priorState: { not: null } }, { take: 10 }))).map((m) => m.id)).toEqual(['mst_many_0']);
      expect((await run((tx) => tx.find('milestone', { deadlineAt: new Date('2031-07-04T12:34:56.789Z') }, { take: 10 }))).map((m) => m.id)).toEqual(['mst_prisma']);

      // A patch writes each type too.
      const patch = { deadlineAt: new Date('2030-01-01T00:00:00.005Z'), cancelNoFault: false, releasedMinor: 2 ** 40, priorState: 'funded' as const };
      await run((tx) => tx.update('milestone', 'mst_one', 7, patch));
      expect(await run((tx) => tx.get('milestone', 'mst_one'))).toEqual({ ...rows[0], ...patch, version: 8 });
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('reads timestamps right whatever date style the server defaults to', async () => {
    const dayFirst = other(`${database.url}?options=${encodeURIComponent('-c DateStyle=SQL,DMY')}`);
    const row = milestone('mst_style', { deadlineAt: new Date('2026-12-03T04:05:06.789Z') });
    await dayFirst.transaction((tx) => tx.insert('milestone', [row]));
    expect(await dayFirst.transaction((tx) => tx.get('milestone', 'mst_style'))).toEqual(row);
  });

  it('refuses a BigInt outside the exact range instead of rounding it', async () => {
    await run((tx) => tx.insert('milestone', [milestone('mst_huge')]));
    await opened.db.$executeRawUnsafe(`UPDATE "Milestone" SET "amountMinor" = 9007199254740993 WHERE "id" = 'mst_huge'`);
    await expect(run((tx) => tx.get('milestone', 'mst_huge'))).rejects.toThrow(/amountMinor is outside the exact range/);
  });

  it('refuses an overdraft and keeps nothing of the command: no transfer, no balance change, no new account', async () => {
    const transfer = (from: string, to: string, amountMinor: number, commandId: string): Transfer => ({
      id: 0, marketplaceId: 'mkt_1', debitAccountId: from, creditAccountId: to, amountMinor, currency: 'USD', kind: 'deposit',
      milestoneId: null, projectId: null, disputeId: null, commandId, at: new Date('2026-01-05T09:00:00.000Z'),
    });
    const delta = (accountId: string, deltaMinor: number, mayGoNegative = false): BalanceDelta => ({ accountId, kind: accountId.split(':')[0]!, ownerId: accountId.split(':')[1]!, currency: 'USD', deltaMinor, mayGoNegative });
    await run((tx) => tx.post([transfer('external:mkt_1:USD', 'wallet:ann:USD', 100, 'fund')], [delta('external:mkt_1:USD', -100, true), delta('wallet:ann:USD', 100)]));
    expect(await run((tx) => tx.balance('wallet:ann:USD'))).toBe(100);

    const counts = () => opened.db.$queryRawUnsafe<{ transfers: number; accounts: number }[]>('SELECT (SELECT count(*)::int FROM "Transfer") AS transfers, (SELECT count(*)::int FROM "Account") AS accounts');
    const before = await counts();
    expect(await refusal(run(async (tx) => {
      await tx.insert('milestone', [milestone('mst_overdraft')]);
      // Ann can cover one of these, not both: the later leg overdraws after the earlier one was written.
      await tx.post([transfer('wallet:ann:USD', 'wallet:ben:USD', 60, 'pay'), transfer('wallet:ann:USD', 'wallet:cy:USD', 60, 'pay')],
        [delta('wallet:ann:USD', -120), delta('wallet:ben:USD', 60), delta('wallet:cy:USD', 60)]);
    }))).toBe('INSUFFICIENT_FUNDS');
    expect(await counts()).toEqual(before);
    expect(await run((tx) => tx.balance('wallet:ann:USD'))).toBe(100);
    expect(await run((tx) => tx.balance('wallet:ben:USD'))).toBe(0);
    expect(await opened.db.milestone.findUnique({ where: { id: 'mst_overdraft' } })).toBeNull();
  });

  it('answers CONFLICT to an update under a stale version and NOT_FOUND to a missing row, changing nothing', async () => {
    await run((tx) => tx.insert('milestone', [milestone('mst_version')]));
    await run((tx) => tx.update('milestone', 'mst_version', 0, { state: 'released' }));
    expect(await refusal(run((tx) => tx.update('milestone', 'mst_version', 0, { state: 'cancelled' })))).toBe('CONFLICT');
    expect(await refusal(run((tx) => tx.update('milestone', 'mst_nobody', 0, { state: 'cancelled' })))).toBe('NOT_FOUND');
    expect(await run((tx) => tx.get('milestone', 'mst_version'))).toMatchObject({ state: 'released', version: 1 });
    // A duplicate key that is the command's own business is a CONFLICT too, not a retry.
    expect(await refusal(run((tx) => tx.insert('milestone', [milestone('mst_version')])))).toBe('CONFLICT');
  });

  it('retries a journal collision between two processes: both commands land, on one dense chain', async () => {
    const second = other();
    const content = (who: string): JournalContent => ({
      seq: 0, at: new Date('2026-01-05T09:00:00.000Z'), actorKind: 'system', actorId: 'system', actorRole: 'system',
      action: 'test.append', entityType: 'test', entityId: who, reason: null, payload: '{}',
    });
    const attempts = { a: 0, b: 0 };
    let read = 0;
    let bothRead!: () => void;
    const barrier = new Promise<void>((resolve) => { bothRead = resolve; });
    const append = (s: PgStore, who: 'a' | 'b') => s.transaction(async (tx) => {
      attempts[who] += 1;
      const last = await tx.lastJournal();
      // First attempts wait until both have read the same end of the chain, so both claim the same seq.
      if (attempts[who] === 1) {
        if (++read === 2) bothRead();
        await barrier;
      }
      await tx.appendJournal(chain(last, [content(who)]));
    });
    const start = (await run((tx) => tx.lastJournal()))?.seq ?? 0;
    await Promise.all([append(store, 'a'), append(second, 'b')]);
    expect(attempts.a + attempts.b).toBe(3);

    // Several at once from both processes, no barrier: every one lands.
    await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? second : store).transaction(async (tx) => tx.appendJournal(chain(await tx.lastJournal(), [content(`burst${i}`)])))));
    const seqs = (await opened.db.journalEntry.findMany({ select: { seq: true }, orderBy: { seq: 'asc' } })).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: start + 8 }, (_, i) => i + 1));
    expect(await verifyJournal(opened.db)).toMatchObject({ ok: true });
  });

  it('maps a read-only server to STORAGE_READ_ONLY and an unreachable one to STORAGE_FAILED', async () => {
    const readOnly = other(`${database.url}?options=${encodeURIComponent('-c default_transaction_read_only=on')}`);
    expect(await refusal(readOnly.transaction((tx) => tx.insert('milestone', [milestone('mst_ro')])))).toBe('STORAGE_READ_ONLY');
    const nowhere = other('postgres://postgres@127.0.0.1:1/none');
    expect(await refusal(nowhere.transaction((tx) => tx.balance('wallet:ann:USD')))).toBe('STORAGE_FAILED');
    expect(await opened.db.milestone.findUnique({ where: { id: 'mst_ro' } })).toBeNull();
  });

  it('survives its connections being killed, mid-command or idle, and carries on with fresh ones', async () => {
    const victim = other(`${database.url}?application_name=pg-store-victim`);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const kill = () => admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pg-store-victim' AND datname = current_database()`);
    try {
      // Mid-command: the transaction is lost, the caller gets a typed error, the process goes on.
      expect(await refusal(victim.transaction(async (tx) => {
        await tx.insert('milestone', [milestone('mst_killed')]);
        await kill();
        await tx.balance('wallet:ann:USD');
      }))).toBe('STORAGE_FAILED');
      expect(await opened.db.milestone.findUnique({ where: { id: 'mst_killed' } })).toBeNull();

      // Idle: the pool drops the dead connection without an unhandled error.
      await victim.transaction((tx) => tx.balance('wallet:ann:USD'));
      expect((await kill()).rowCount).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 200));
      await victim.transaction((tx) => tx.insert('milestone', [milestone('mst_after')]));
      expect(await opened.db.milestone.findUnique({ where: { id: 'mst_after' } })).not.toBeNull();
    } finally {
      await admin.end();
    }
  });
});
