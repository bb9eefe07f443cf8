import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../server/engine/engine.js';
import { isEngineError } from '../../server/engine/errors.js';
import { SYSTEM } from '../../server/engine/types.js';
import { verifyJournal } from '../../server/store/journal-reader.js';
import { checkLedger } from '../../server/store/ledger-health.js';
import { dataModel, openDatabase, type OpenedDatabase } from '../../server/store/open.js';
import { SqliteStore, type SqliteStoreOptions } from '../../server/store/sqlite-store.js';
import { freshDatabase, TEST_DATABASE } from '../support/databases.js';

/**
 * A full disk and a read-only database (embedded SQLite only): a command fails with a typed
 * STORAGE_* error, nothing of it is half-written, and the same database works again once the
 * fault is gone. A full disk is simulated with max_page_count on the command store's own
 * connection; a read-only medium by opening that connection read-only (as root, chmod would
 * not stop writes).
 */
type World = { opened: OpenedDatabase; drop: () => Promise<void>; marketplaceId: string; userIds: string[] };

async function world(): Promise<World> {
  const database = await freshDatabase();
  const opened = await openDatabase(database.url);
  const engine = new Engine(opened.store);
  const { marketplaceId } = await engine.run('createMarketplace', SYSTEM, { name: 'Storage', settings: {} });
  const userIds: string[] = [];
  for (const name of ['Ann', 'Ben']) {
    const { userId } = await engine.run('registerUser', SYSTEM, { marketplaceId, name, email: `${name}@example.com` });
    await engine.run('deposit', SYSTEM, { userId, amountMinor: 10_000, currency: 'USD' });
    userIds.push(userId);
  }
  return { opened, drop: database.drop, marketplaceId, userIds };
}

/** What a half-written command would change: journal, transfers, balances, command log. */
async function snapshot(w: World): Promise<string> {
  const db = w.opened.db;
  const [journal, transfers, accounts, commands] = await Promise.all([
    db.journalEntry.count(), db.transfer.count(),
    db.account.findMany({ orderBy: { id: 'asc' }, select: { id: true, balanceMinor: true } }), db.commandLog.count(),
  ]);
  return JSON.stringify({ journal, transfers, accounts: accounts.map((a) => [a.id, Number(a.balanceMinor)]), commands });
}

function storeWith(w: World, options: SqliteStoreOptions): SqliteStore {
  return new SqliteStore((w.opened.store as SqliteStore).file, dataModel(w.opened.db), options);
}

async function refusedCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    if (!isEngineError(error)) throw error;
    return error.code;
  }
  throw new Error('expected the command to fail');
}

describe.skipIf(TEST_DATABASE !== 'sqlite')('storage faults on the embedded database', () => {
  let w: World | null = null;
  afterEach(async () => {
    await w?.opened.close();
    await w?.drop();
    w = null;
  });

  it('refuses commands on a full disk with STORAGE_FULL, keeps nothing of them, and works again once there is space', async () => {
    w = await world();
    const pageCount = Number((await w.opened.db.$queryRawUnsafe<{ page_count: bigint }[]>('PRAGMA page_count'))[0]!.page_count);
    // The database may not grow by a single page: the first command that needs one fails.
    const full = storeWith(w, { pragmas: [`max_page_count = ${pageCount}`] });
    const engine = new Engine(full);
    const before = await snapshot(w);
    const codes = new Set<string>();
    // Large notes fill the last free pages quickly; the fault must come within a few commands.
    for (let i = 0; i < 200 && codes.size === 0; i++) {
      try {
        await engine.run('deposit', SYSTEM, { userId: w.userIds[i % 2]!, amountMinor: 1, currency: 'USD' }, { idempotencyKey: `full-${i}-${'x'.repeat(2_000)}` });
      } catch (error) {
        if (!isEngineError(error)) throw error;
        codes.add(error.code);
      }
    }
    expect([...codes]).toEqual(['STORAGE_FULL']);
    // Whatever succeeded before the disk filled is whole; the failed command left no trace.
    const afterFail = await snapshot(w);
    const failedKeyCount = await w.opened.db.commandLog.count({ where: { key: { startsWith: 'full-' } } });
    expect(JSON.parse(afterFail).commands - JSON.parse(before).commands).toBe(failedKeyCount);
    expect(JSON.parse(afterFail).transfers - JSON.parse(before).transfers).toBe(failedKeyCount);
    expect(JSON.parse(afterFail).journal - JSON.parse(before).journal).toBe(failedKeyCount);
    expect(await checkLedger(w.opened.db)).toEqual([]);
    expect((await verifyJournal(w.opened.db)).ok).toBe(true);
    // A second try on the still-full disk fails the same way and changes nothing.
    expect(await refusedCode(engine.run('deposit', SYSTEM, { userId: w.userIds[0]!, amountMinor: 5, currency: 'USD' }, { idempotencyKey: `again-${'y'.repeat(3_000)}` }))).toBe('STORAGE_FULL');
    expect(await snapshot(w)).toBe(afterFail);
    // Space comes back: the same connection accepts commands again.
    full.stmt('PRAGMA max_page_count = 1073741823').get();
    await engine.run('deposit', SYSTEM, { userId: w.userIds[0]!, amountMinor: 5, currency: 'USD' }, { idempotencyKey: `again-${'y'.repeat(3_000)}` });
    expect(await w.opened.db.commandLog.count({ where: { key: { startsWith: 'again-' } } })).toBe(1);
    expect(await checkLedger(w.opened.db)).toEqual([]);
    expect((await verifyJournal(w.opened.db)).ok).toBe(true);
    full.close();
  });

  it('refuses commands on a read-only database with STORAGE_READ_ONLY and changes nothing; a writable open works again', async () => {
    w = await world();
    const before = await snapshot(w);
    const readOnly = storeWith(w, { readonly: true });
    const engine = new Engine(readOnly);
    for (const [name, input] of [
      ['deposit', { userId: w.userIds[0]!, amountMinor: 700, currency: 'USD' }],
      ['withdraw', { userId: w.userIds[1]!, amountMinor: 300, currency: 'USD' }],
      ['registerUser', { marketplaceId: w.marketplaceId, name: 'Cy', email: 'cy@example.com' }],
    ] as const) {
      const actor = name === 'withdraw' ? { kind: 'user' as const, id: w.userIds[1]! } : SYSTEM;
      expect(await refusedCode(engine.run(name, actor, input as never, { idempotencyKey: `ro-${name}` }))).toBe('STORAGE_READ_ONLY');
    }
    expect(await snapshot(w)).toBe(before);
    readOnly.close();
    const writable = new Engine(storeWith(w, {}));
    await writable.run('deposit', SYSTEM, { userId: w.userIds[0]!, amountMinor: 700, currency: 'USD' }, { idempotencyKey: 'ro-deposit' });
    expect(Number((await w.opened.db.account.findUniqueOrThrow({ where: { id: `wallet:${w.userIds[0]}:USD` } })).balanceMinor)).toBe(10_700);
    expect(await checkLedger(w.opened.db)).toEqual([]);
    expect((await verifyJournal(w.opened.db)).ok).toBe(true);
  });

  it('maps the storage codes to a typed tRPC error that keeps the engine code, so the console can name the cause', async () => {
    const { appRouter } = await import('../../server/api/root.js');
    const { EngineError } = await import('../../server/engine/errors.js');
    for (const code of ['STORAGE_FULL', 'STORAGE_READ_ONLY', 'STORAGE_FAILED'] as const) {
      const services = { engine: { run: async () => { throw new EngineError(code, 'storage fault'); } } };
      const caller = appRouter.createCaller({
        services: services as never, token: 't', marketplace: null,
        session: { operator: { id: 'op', email: 'a@b', name: 'A', role: 'admin', languages: 'en' }, actor: { kind: 'operator', id: 'op', role: 'admin' }, expiresAt: new Date() },
      });
      const error = await caller.admin.runTimers().then(() => null, (e: unknown) => e as { code: string; cause: { code: string } });
      expect(error?.code).toBe('PRECONDITION_FAILED');
      expect(error?.cause.code).toBe(code);
    }
  });
});
