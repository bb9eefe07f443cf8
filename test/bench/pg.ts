import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { chain } from '../../server/engine/journal.js';
import { SYSTEM } from '../../server/engine/types.js';
import { rate, ratio, type Rate } from './measure.js';
import { benchWorld } from './world.js';

/**
 * The PostgreSQL half of `npm run bench`: the engine's command path (openDatabase's store for a
 * postgres:// URL) against node-postgres doing the same work with prepared statements, both
 * measured in the same run on a database created for it and dropped after.
 * ESCROW_BENCH_PG_URL names the server (an admin connection; default the local `test` database).
 */

type Sized = (full: number, floor: number) => number;

function log(line: string): void {
  console.log(`bench: ${line}`);
}

function databaseUrl(admin: string, name: string): string {
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Measures a and b in alternating rounds after one warm-up call each (statements prepared, code
 * compiled), so that load from elsewhere on the machine falls on both alike.
 */
async function alternate(ops: number, round: number, a: (i: number) => Promise<void>, b: (i: number) => Promise<void>, warmUp: { a: () => Promise<void>; b: () => Promise<void> }): Promise<[Rate, Rate]> {
  await warmUp.a();
  await warmUp.b();
  let secondsA = 0;
  let secondsB = 0;
  for (let start = 0; start < ops; start += round) {
    const size = Math.min(round, ops - start);
    secondsA += (await rate(size, (i) => a(start + i))).seconds;
    secondsB += (await rate(size, (i) => b(start + i))).seconds;
  }
  const of = (seconds: number): Rate => ({ ops, seconds, perSecond: Math.round(ops / seconds) });
  return [of(secondsA), of(secondsB)];
}

/** Runs fn in one transaction on one connection, as the engine's store does. */
async function inTransaction(c: pg.Client, fn: () => Promise<void>): Promise<void> {
  await c.query('BEGIN');
  try {
    await fn();
    await c.query('COMMIT');
  } catch (error) {
    await c.query('ROLLBACK');
    throw error;
  }
}

/** (a) One money command per transaction: the engine against the statements a release needs, prepared once. */
async function moneyCommand(url: string, results: Record<string, unknown>, sized: Sized): Promise<void> {
  const n = sized(500, 20);
  const { opened, engine, client, freelancer, contractId } = await benchWorld(url);
  // The engine's pool and the raw connection are closed however the run ends, so the database can be dropped.
  const raw = new pg.Client({ connectionString: url });
  try {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await engine.run('createMilestone', freelancer, { contractId, description: `m${i}`, amountMinor: 10_000 })).milestoneId);
    const engineFund = await rate(n, (i) => engine.run('fundMilestone', client, { milestoneId: ids[i]! }).then(() => undefined));
    await raw.connect();
    const q = (name: string, text: string, values: unknown[]) => raw.query({ name, text, values });
    const release = (id: string, i: number) => inTransaction(raw, async () => {
      const m = (await q('getMilestone', 'SELECT * FROM "Milestone" WHERE "id" = $1', [id])).rows[0] as { marketplaceId: string; version: number; projectId: string | null };
      await q('getMarket', 'SELECT "settingsJson" FROM "Marketplace" WHERE "id" = $1', [m.marketplaceId]);
      const at = new Date().toISOString();
      await q('updMilestone', 'UPDATE "Milestone" SET "releasedMinor" = "releasedMinor" + $1, "feeMinor" = "feeMinor" + $2, "version" = "version" + 1, "updatedAt" = $3 WHERE "id" = $4 AND "version" = $5', [2_500, 250, at, id, m.version]);
      const insTransfer = 'INSERT INTO "Transfer" ("marketplaceId","debitAccountId","creditAccountId","amountMinor","currency","kind","milestoneId","projectId","disputeId","commandId","at") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)';
      await q('insTransfer', insTransfer, [m.marketplaceId, `escrow:${id}`, `wallet:${freelancer.id}:USD`, 2_250, 'USD', 'release', id, m.projectId, null, `raw${i}`, at]);
      await q('insTransfer', insTransfer, [m.marketplaceId, `escrow:${id}`, `fees:${m.marketplaceId}:USD`, 250, 'USD', 'commission', id, m.projectId, null, `raw${i}`, at]);
      const upsert = 'INSERT INTO "Account" ("id","kind","ownerId","currency","balanceMinor") VALUES ($1,$2,$3,$4,$5) ON CONFLICT ("id") DO UPDATE SET "balanceMinor" = "Account"."balanceMinor" + excluded."balanceMinor" RETURNING "balanceMinor"';
      await q('upsert', upsert, [`escrow:${id}`, 'escrow', id, 'USD', -2_500]);
      await q('upsert', upsert, [`fees:${m.marketplaceId}:USD`, 'fees', m.marketplaceId, 'USD', 250]);
      await q('upsert', upsert, [`wallet:${freelancer.id}:USD`, 'wallet', freelancer.id, 'USD', 2_250]);
      const last = (await q('lastJournal', 'SELECT "seq","hash" FROM "JournalEntry" ORDER BY "seq" DESC LIMIT 1', [])).rows[0] as { seq: number; hash: string };
      const [e] = chain(last, [{ seq: 0, at: new Date(at), actorKind: 'user', actorId: client.id, actorRole: 'client', action: 'milestone.release', entityType: 'milestone', entityId: id, reason: null, payload: '{}' }]);
      await q('insJournal', 'INSERT INTO "JournalEntry" ("seq","at","actorKind","actorId","actorRole","action","entityType","entityId","reason","payload","prevHash","hash") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)',
        [e!.seq, at, e!.actorKind, e!.actorId, e!.actorRole, e!.action, e!.entityType, e!.entityId, null, e!.payload, e!.prevHash, e!.hash]);
    });
    // Each milestone takes a release from both (2,500 of its 10,000 each); the warm-ups take a third from the first.
    const engineRelease = (i: number) => engine.run('releaseMilestone', client, { milestoneId: ids[i]!, amountMinor: 2_500 }).then(() => undefined);
    const [engineRate, rawRate] = await alternate(n, 20, engineRelease, (i) => release(ids[i]!, i), {
      a: () => engine.run('releaseMilestone', client, { milestoneId: ids[0]!, amountMinor: 1_000 }).then(() => undefined),
      b: () => release(ids[0]!, -1),
    });
    const releaseRatio = ratio(engineRate.perSecond, rawRate.perSecond);
    results.pgMoneyCommand = {
      goal: 'engine ≥ 50% of the raw driver on PostgreSQL',
      commands: n,
      engineFundPerSecond: engineFund.perSecond,
      engineReleasePerSecond: engineRate.perSecond,
      rawReleasePerSecond: rawRate.perSecond,
      releaseRatio,
    };
    log(`pg money command: engine release ${engineRate.perSecond}/s (fund ${engineFund.perSecond}/s), raw ${rawRate.perSecond}/s, ratio ${releaseRatio}`);
  } finally {
    await raw.end().catch(() => undefined);
    await opened.close();
  }
}

/** (b) Bulk posting: importDeposits in batches of 5,000 against raw multi-row inserts and one balance update per account per batch. */
async function bulkPosting(url: string, results: Record<string, unknown>, sized: Sized): Promise<void> {
  const batchSize = 5_000;
  const batches = Math.max(1, Math.round(sized(20_000, batchSize) / batchSize));
  const n = batches * batchSize;
  const { opened, engine, client, marketplaceId } = await benchWorld(url);
  const importBatch = (b: number) => engine.run('importDeposits', SYSTEM, {
    marketplaceId, currency: 'USD', reference: `settlement ${b}`, deposits: Array.from({ length: batchSize }, () => ({ userId: client.id, amountMinor: 100 })),
  }).then(() => undefined);

  // The engine's pool and the raw connection are closed however the run ends, so the database can be dropped.
  const raw = new pg.Client({ connectionString: url });
  try {
    await raw.connect();
    const rows = 1_000;
    const cols = 8;
    const insertMany = `INSERT INTO "Transfer" ("marketplaceId","debitAccountId","creditAccountId","amountMinor","currency","kind","commandId","at") VALUES ${Array.from({ length: rows }, (_, r) => `(${Array.from({ length: cols }, (_, c) => `$${r * cols + c + 1}`).join(',')})`).join(',')}`;
    const update = 'UPDATE "Account" SET "balanceMinor" = "balanceMinor" + $1 WHERE "id" = $2';
    const wallet = `wallet:${client.id}:USD`;
    const external = `external:${marketplaceId}:USD`;
    const balances = async () => {
      await raw.query({ name: 'update', text: update, values: [batchSize * 100, wallet] });
      await raw.query({ name: 'update', text: update, values: [-batchSize * 100, external] });
    };
    const rawBatch = (b: number) => inTransaction(raw, async () => {
      const at = new Date().toISOString();
      for (let i = 0; i < batchSize; i += rows) {
        await raw.query({ name: 'insertMany', text: insertMany, values: Array.from({ length: rows }, (_, j) => [marketplaceId, external, wallet, 100, 'USD', 'deposit', `bulk${b}-${i + j}`, at]).flat() });
      }
      await balances();
    });
    // The same rows as one array per column: on PostgreSQL the faster set-based form, shown for reference.
    const unnest = 'INSERT INTO "Transfer" ("marketplaceId","debitAccountId","creditAccountId","amountMinor","currency","kind","commandId","at") SELECT * FROM unnest($1::text[],$2::text[],$3::text[],$4::int8[],$5::text[],$6::text[],$7::text[],$8::timestamp(3)[])';
    const rawUnnestBatch = (b: number) => inTransaction(raw, async () => {
      const at = new Date().toISOString();
      const column = <T>(value: T) => Array.from({ length: batchSize }, () => value);
      await raw.query({ name: 'unnest', text: unnest, values: [column(marketplaceId), column(external), column(wallet), column(100), column('USD'), column('deposit'), Array.from({ length: batchSize }, (_, j) => `unnest${b}-${j}`), column(at)] });
      await balances();
    });
    // The engine's first batch creates the accounts the raw updates change.
    const [engineRate, rawRate] = await alternate(batches, 1, importBatch, rawBatch, { a: () => importBatch(-1), b: () => rawBatch(-1) });
    const unnestRate = await rate(batches, rawUnnestBatch);
    const engineTransfers = Math.round(n / engineRate.seconds);
    const rawTransfers = Math.round(n / rawRate.seconds);
    const unnestTransfers = Math.round(n / unnestRate.seconds);
    results.pgBulkPosting = {
      goal: 'engine bulk posting (importDeposits) ≥ 60% of the raw set-based rate on PostgreSQL',
      batchSize, transfers: n, engineTransfersPerSecond: engineTransfers, rawTransfersPerSecond: rawTransfers, ratio: ratio(engineTransfers, rawTransfers),
      rawUnnestTransfersPerSecond: unnestTransfers, ratioVsUnnest: ratio(engineTransfers, unnestTransfers),
    };
    log(`pg bulk posting: engine ${engineTransfers}/s, raw set-based ${rawTransfers}/s, ratio ${ratio(engineTransfers, rawTransfers)} (raw unnest ${unnestTransfers}/s, ratio ${ratio(engineTransfers, unnestTransfers)})`);
  } finally {
    await raw.end().catch(() => undefined);
    await opened.close();
  }
}

export async function pgBench(results: Record<string, unknown>, sized: Sized): Promise<void> {
  const adminUrl = process.env.ESCROW_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const where = new URL(adminUrl).host;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    const skipped = `no PostgreSQL at ${where} (${(error as Error).message})`;
    results.pgMoneyCommand = { skipped };
    results.pgBulkPosting = { skipped };
    log(`PostgreSQL benchmarks skipped: ${skipped}`);
    return;
  }
  const created: string[] = [];
  const fresh = async () => {
    const name = `escrow_bench_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    created.push(name);
    return databaseUrl(adminUrl, name);
  };
  try {
    await moneyCommand(await fresh(), results, sized);
    await bulkPosting(await fresh(), results, sized);
  } finally {
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
