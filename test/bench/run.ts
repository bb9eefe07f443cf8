import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Engine } from '../../server/engine/engine.js';
import { chain, type JournalContent } from '../../server/engine/journal.js';
import { SYSTEM, type Actor } from '../../server/engine/types.js';
import { openSqlite, type Db } from '../../server/store/database.js';
import { verifyJournal, readJournal } from '../../server/store/journal-reader.js';
import { openDatabase } from '../../server/store/open.js';
import { disputeQueue } from '../../server/store/queries.js';
import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../../server/api/root.js';
import { startServer } from '../../server/http/server.js';
import { latencies, rate, ratio } from './measure.js';

/**
 * `npm run bench`: each figure is a ratio against a baseline measured in the same run on the
 * same machine (the raw driver doing the same work), written to test-results/bench.json.
 * BENCH_SCALE multiplies the sizes (1 = a quick run).
 */
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
/** Sizes scale with BENCH_SCALE but never below a floor, so the CI smoke run (a tiny scale) still exercises every path. */
const sized = (full: number, floor: number) => Math.max(floor, Math.round(full * SCALE));
const results: Record<string, unknown> = { machine: `${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}`, node: process.version, scale: SCALE, at: new Date().toISOString() };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escrow-bench-'));

function log(line: string): void {
  console.log(`bench: ${line}`);
}

async function engineOn(file: string): Promise<{ db: Db; close: () => Promise<void>; engine: Engine; client: Actor; freelancer: Actor; contractId: string }> {
  const opened = await openDatabase(file);
  const db = opened.db;
  const engine = new Engine(opened.store);
  const { marketplaceId } = await engine.run('createMarketplace', SYSTEM, { name: 'bench' });
  const user = async (name: string) => ({ kind: 'user' as const, id: (await engine.run('registerUser', SYSTEM, { marketplaceId, name, email: `${name}@bench.test` })).userId });
  const client = await user('client');
  const freelancer = await user('freelancer');
  await engine.run('deposit', SYSTEM, { userId: client.id, amountMinor: 1e12, currency: 'USD' });
  const { projectId } = await engine.run('postProject', client, { title: 'bench', description: '', budgetMinor: 1_000_000, currency: 'USD' });
  const { bidId } = await engine.run('placeBid', freelancer, { projectId, amountMinor: 1_000_000, proposal: 'bench' });
  const { contractId } = await engine.run('awardBid', client, { bidId });
  await engine.run('goLive', client, { contractId });
  return { db, close: opened.close, engine, client, freelancer, contractId };
}

/** 1. One money command in its own transaction: the engine against the raw driver doing the same statements. */
async function moneyCommand(): Promise<void> {
  const n = sized(500, 20);
  const { close, engine, client, freelancer, contractId } = await engineOn(path.join(dir, 'engine.db'));
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await engine.run('createMilestone', freelancer, { contractId, description: `m${i}`, amountMinor: 10_000 })).milestoneId);
  const engineFund = await rate(n, (i) => engine.run('fundMilestone', client, { milestoneId: ids[i]! }).then(() => undefined));
  const engineRelease = await rate(n, (i) => engine.run('releaseMilestone', client, { milestoneId: ids[i]!, amountMinor: 2_500 }).then(() => undefined));
  await close();

  // The baseline: the statements a release needs, prepared once, in one transaction each.
  const raw = new Database(path.join(dir, 'engine.db'));
  raw.pragma('journal_mode = WAL');
  const getMilestone = raw.prepare('SELECT * FROM "Milestone" WHERE "id" = ?');
  const getMarket = raw.prepare('SELECT "settingsJson" FROM "Marketplace" WHERE "id" = ?');
  const updMilestone = raw.prepare('UPDATE "Milestone" SET "releasedMinor" = "releasedMinor" + ?, "feeMinor" = "feeMinor" + ?, "version" = "version" + 1, "updatedAt" = ? WHERE "id" = ? AND "version" = ?');
  const insTransfer = raw.prepare('INSERT INTO "Transfer" ("marketplaceId","debitAccountId","creditAccountId","amountMinor","currency","kind","milestoneId","projectId","disputeId","commandId","at") VALUES (?,?,?,?,?,?,?,?,?,?,?)');
  const upsert = raw.prepare('INSERT INTO "Account" ("id","kind","ownerId","currency","balanceMinor") VALUES (?,?,?,?,?) ON CONFLICT("id") DO UPDATE SET "balanceMinor" = "balanceMinor" + excluded."balanceMinor" RETURNING "balanceMinor"');
  const lastJournal = raw.prepare('SELECT "seq","hash" FROM "JournalEntry" ORDER BY "seq" DESC LIMIT 1');
  const insJournal = raw.prepare('INSERT INTO "JournalEntry" ("seq","at","actorKind","actorId","actorRole","action","entityType","entityId","reason","payload","prevHash","hash") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)');
  const release = raw.transaction((id: string, i: number) => {
    const m = getMilestone.get(id) as { marketplaceId: string; version: number; projectId: string | null };
    getMarket.get(m.marketplaceId);
    const at = new Date().toISOString();
    updMilestone.run(2_500, 250, at, id, m.version);
    insTransfer.run(m.marketplaceId, `escrow:${id}`, `wallet:${freelancer.id}:USD`, 2_250, 'USD', 'release', id, m.projectId, null, `raw${i}`, at);
    insTransfer.run(m.marketplaceId, `escrow:${id}`, `fees:${m.marketplaceId}:USD`, 250, 'USD', 'commission', id, m.projectId, null, `raw${i}`, at);
    upsert.get(`escrow:${id}`, 'escrow', id, 'USD', -2_500);
    upsert.get(`fees:${m.marketplaceId}:USD`, 'fees', m.marketplaceId, 'USD', 250);
    upsert.get(`wallet:${freelancer.id}:USD`, 'wallet', freelancer.id, 'USD', 2_250);
    const last = lastJournal.get() as { seq: number; hash: string };
    const [entry] = chain(last, [{ seq: 0, at: new Date(at), actorKind: 'user', actorId: client.id, actorRole: 'client', action: 'milestone.release', entityType: 'milestone', entityId: id, reason: null, payload: '{}' }]);
    insJournal.run(entry!.seq, at, entry!.actorKind, entry!.actorId, entry!.actorRole, entry!.action, entry!.entityType, entry!.entityId, null, entry!.payload, entry!.prevHash, entry!.hash);
  });
  const rawRelease = await rate(n, (i) => { release(ids[i]!, i); });
  raw.close();
  results.moneyCommand = {
    goal: 'engine ≥ 20% of the raw driver on SQLite',
    engineFundPerSecond: engineFund.perSecond,
    engineReleasePerSecond: engineRelease.perSecond,
    rawReleasePerSecond: rawRelease.perSecond,
    releaseRatio: ratio(engineRelease.perSecond, rawRelease.perSecond),
  };
  log(`money command: engine release ${engineRelease.perSecond}/s, raw ${rawRelease.perSecond}/s, ratio ${ratio(engineRelease.perSecond, rawRelease.perSecond)}`);
}

/** 4. Journal verification streamed from the database, against merely reading the same rows. */
async function journalVerification(): Promise<void> {
  const n = sized(100_000, 2_000);
  const file = path.join(dir, 'journal.db');
  const db = await openSqlite({ url: file });
  await db.$disconnect();
  const raw = new Database(file);
  const insert = raw.prepare('INSERT INTO "JournalEntry" ("seq","at","actorKind","actorId","actorRole","action","entityType","entityId","reason","payload","prevHash","hash") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)');
  let prev: { seq: number; hash: string } | null = null;
  const batch = raw.transaction((contents: JournalContent[]) => {
    for (const e of chain(prev, contents)) {
      insert.run(e.seq, e.at.toISOString(), e.actorKind, e.actorId, e.actorRole, e.action, e.entityType, e.entityId, e.reason, e.payload, e.prevHash, e.hash);
      prev = { seq: e.seq, hash: e.hash };
    }
  });
  for (let i = 0; i < n; i += 10_000) {
    batch(Array.from({ length: Math.min(10_000, n - i) }, (_, j) => ({
      seq: 0, at: new Date(Date.UTC(2026, 0, 1) + (i + j) * 1000), actorKind: 'user' as const, actorId: `usr_${j % 97}`, actorRole: 'client',
      action: 'milestone.release', entityType: 'milestone', entityId: `mst_${i + j}`, reason: null, payload: JSON.stringify({ commandId: `c${i + j}`, amountMinor: j }),
    })));
  }
  raw.close();
  const reopened = await openSqlite({ url: file });
  const readStart = process.hrtime.bigint();
  let read = 0;
  for await (const _ of readJournal(reopened)) read += 1;
  const readSeconds = Number(process.hrtime.bigint() - readStart) / 1e9;
  const verifyStart = process.hrtime.bigint();
  const v = await verifyJournal(reopened);
  const verifySeconds = Number(process.hrtime.bigint() - verifyStart) / 1e9;
  const one = await latencies(200, (i) => verifyJournal(reopened, { afterSeq: 1 + ((i * 7919) % (n - 2)), untilSeq: 2 + ((i * 7919) % (n - 2)) }));
  await reopened.$disconnect();
  results.journalVerification = {
    goal: '≥ 100,000 entries/s and ≥ 85% of reading the same rows; one entry ≤ 1 ms',
    entries: n, ok: v.ok,
    readPerSecond: Math.round(read / readSeconds),
    verifyPerSecond: Math.round(n / verifySeconds),
    verifyVsRead: ratio(readSeconds, verifySeconds),
    checkOneEntry: one,
  };
  log(`journal: read ${Math.round(read / readSeconds)}/s, verify ${Math.round(n / verifySeconds)}/s, ratio ${ratio(readSeconds, verifySeconds)}, one entry p50 ${one.p50_ms} ms`);
}

/** 3. A dispute queue page at scale: the data layer against the raw SQL for the same page. */
async function queuePage(): Promise<void> {
  const n = sized(100_000, 2_000);
  const file = path.join(dir, 'queue.db');
  const db = await openSqlite({ url: file });
  await db.$disconnect();
  const raw = new Database(file);
  const stages = ['filing', 'negotiation', 'arbitration', 'decision'];
  const insD = raw.prepare(`INSERT INTO "Dispute" ("id","marketplaceId","milestoneId","filerId","filerRole","respondentId","clientId","freelancerId","searchText","category","languages","reason","claimMinor","disputedMinor","currency","stage","outcome","deadlineAt","arbitrationFeeMinor","clientFeePaid","freelancerFeePaid","assignedMediatorId","decidedById","decisionReason","freelancerShareMinor","clientShareMinor","openedAt","closedAt","version") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULL,?,500,0,0,?,NULL,NULL,NULL,NULL,?,NULL,0)`);
  const insU = raw.prepare(`INSERT INTO "User" ("id","marketplaceId","name","email","language","country","createdAt","version","flCompleted","flCancelled","flLost","flNoFault","clCompleted","clCancelled","clLost","reviewCount","ratingSum") VALUES (?,?,?,?,?,?,?,0,0,0,0,0,0,0,0,0,0)`);
  const insM = raw.prepare(`INSERT INTO "Milestone" ("id","marketplaceId","projectId","contractId","clientId","freelancerId","description","amountMinor","currency","deadlineAt","origin","state","priorState","cancelledBy","cancelNoFault","fundedMinor","releasedMinor","refundedMinor","feeMinor","autoReleaseAt","createdAt","updatedAt","version") VALUES (?,?,NULL,NULL,?,?,?,?,?,NULL,'direct','disputed','funded',NULL,0,?,0,0,0,NULL,?,?,0)`);
  raw.transaction(() => {
    for (let u = 0; u < 2000; u++) insU.run(`usr_${u}`, 'mkt', `User ${u}`, `u${u}@x.test`, 'en', 'US', new Date().toISOString());
    for (let i = 0; i < n; i++) {
      const id = `dsp_${String(i).padStart(9, '0')}`;
      const amount = 1_000 + ((i * 7919) % 500_000);
      const opened = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      insM.run(`mst_${i}`, 'mkt', `usr_${i % 1000}`, `usr_${1000 + (i % 1000)}`, `Milestone ${i}`, amount, 'USD', amount, opened, opened);
      insD.run(id, 'mkt', `mst_${i}`, `usr_${i % 1000}`, 'client', `usr_${1000 + (i % 1000)}`, `usr_${i % 1000}`, `usr_${1000 + (i % 1000)}`, `user ${i % 1000} user ${1000 + (i % 1000)} milestone ${i}`, 'design', 'en', 'late', amount, amount, 'USD', stages[i % 4], new Date(Date.UTC(2026, 0, 10) + i * 60_000).toISOString(), i % 3 === 0 ? null : `op_${i % 7}`, opened);
    }
  })();
  const rawPage = raw.prepare(`SELECT d.* FROM "Dispute" d WHERE d."stage" IN ('filing','negotiation','arbitration','decision') AND d."disputedMinor" >= ? AND (d."disputedMinor" > ? OR (d."disputedMinor" = ? AND d."id" > ?)) ORDER BY d."disputedMinor", d."id" LIMIT 51`);
  const rawUsers = raw.prepare(`SELECT * FROM "User" WHERE "id" IN (SELECT value FROM json_each(?))`);
  const rawMilestones = raw.prepare(`SELECT "id","description","projectId" FROM "Milestone" WHERE "id" IN (SELECT value FROM json_each(?))`);
  const depths = [0, 1_000, 200_000, 450_000];
  const rawTimes = await latencies(200, async (i) => {
    const after = depths[i % depths.length]!;
    const rows = rawPage.all(10_000, after, after, '') as { clientId: string; freelancerId: string; milestoneId: string }[];
    rawUsers.all(JSON.stringify(rows.flatMap((r) => [r.clientId, r.freelancerId])));
    rawMilestones.all(JSON.stringify(rows.map((r) => r.milestoneId)));
  });
  raw.close();
  const reopened = await openSqlite({ url: file });
  const { encodeCursor } = await import('../../server/store/paging.js');
  const layerTimes = await latencies(200, (i) => {
    const after = depths[i % depths.length]!;
    return disputeQueue(reopened, { minAmountMinor: 10_000, sort: 'disputedMinor', direction: 'asc', cursor: after ? encodeCursor(after, '') : null, limit: 50 }, new Date());
  });
  await reopened.$disconnect();

  // The same page through the router over HTTP, as a console asks for it.
  const server = await startServer({ databaseUrl: file, timerIntervalMs: 0 });
  await server.services.auth.bootstrapAdmin('bench@localhost', 'bench-password-123');
  const { token } = await server.services.auth.signIn('bench@localhost', 'bench-password-123');
  const api = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })] });
  const httpTimes = await latencies(300, (i) => {
    const after = depths[i % depths.length]!;
    return api.disputes.queue.query({ minAmountMinor: 10_000, sort: 'disputedMinor', direction: 'asc', cursor: after ? encodeCursor(after, '') : null, limit: 50 });
  });
  await server.close();
  results.queuePage = {
    goal: 'data layer within 3× of the raw SQL for the same page, at any depth; over HTTP p50 ≤ 5 ms, p99 ≤ 20 ms',
    disputes: n, raw: rawTimes, dataLayer: layerTimes, p50Ratio: ratio(layerTimes.p50_ms, rawTimes.p50_ms), http: httpTimes,
  };
  log(`queue page (${n} disputes): raw p50 ${rawTimes.p50_ms} ms, data layer p50 ${layerTimes.p50_ms} ms (${ratio(layerTimes.p50_ms, rawTimes.p50_ms)}×), over HTTP p50 ${httpTimes.p50_ms} ms p99 ${httpTimes.p99_ms} ms`);
}

/** 2. Bulk posting: engine batches of deposits against the raw set-based rate. */
async function bulkPosting(): Promise<void> {
  const batchSize = 5_000;
  const n = Math.max(batchSize, Math.round((20_000 * SCALE) / batchSize) * batchSize);
  const { close, engine, client, db } = await engineOn(path.join(dir, 'bulk.db'));
  const marketplaceId = (await db.marketplace.findFirstOrThrow()).id;
  const engineRate = await rate(n / batchSize, async (b) => {
    await engine.run('importDeposits', SYSTEM, { marketplaceId, currency: 'USD', reference: `settlement ${b}`, deposits: Array.from({ length: batchSize }, () => ({ userId: client.id, amountMinor: 100 })) });
  });
  await close();
  const raw = new Database(path.join(dir, 'bulk.db'));
  raw.pragma('journal_mode = WAL');
  const rows = 1_000; // SQLite binds at most 32,766 values per statement
  const insertMany = raw.prepare(`INSERT INTO "Transfer" ("marketplaceId","debitAccountId","creditAccountId","amountMinor","currency","kind","commandId","at") VALUES ${Array.from({ length: rows }, () => '(?,?,?,?,?,?,?,?)').join(',')}`);
  const update = raw.prepare('UPDATE "Account" SET "balanceMinor" = "balanceMinor" + ? WHERE "id" = ?');
  const wallet = `wallet:${client.id}:USD`;
  const post = raw.transaction((b: number) => {
    const at = new Date().toISOString();
    for (let i = 0; i < batchSize; i += rows) {
      insertMany.run(...Array.from({ length: rows }, (_, j) => ['mkt', 'external:mkt:USD', wallet, 100, 'USD', 'deposit', `bulk${b}-${i + j}`, at]).flat());
    }
    update.run(batchSize * 100, wallet);
    update.run(-batchSize * 100, 'external:mkt:USD');
  });
  const rawRate = await rate(n / batchSize, (b) => { post(b); });
  raw.close();
  const engineTransfers = Math.round((n / engineRate.seconds));
  const rawTransfers = Math.round((n / rawRate.seconds));
  results.bulkPosting = { goal: 'engine bulk posting (importDeposits) ≥ 25% of the raw set-based rate on SQLite', batchSize, engineTransfersPerSecond: engineTransfers, rawTransfersPerSecond: rawTransfers, ratio: ratio(engineTransfers, rawTransfers) };
  log(`bulk posting: engine ${engineTransfers}/s, raw set-based ${rawTransfers}/s, ratio ${ratio(engineTransfers, rawTransfers)}`);
}

try {
  await moneyCommand();
  await bulkPosting();
  await journalVerification();
  await queuePage();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
fs.mkdirSync('test-results', { recursive: true });
const out = process.env.BENCH_OUT ?? 'test-results/bench.json';
fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
log(`written to ${out}`);
