import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { chain, type JournalContent } from '../../server/engine/journal.js';
import { SYSTEM } from '../../server/engine/types.js';
import { openSqlite, type Db } from '../../server/store/database.js';
import { journalEntries, verifyHere, verifyJournal } from '../../server/store/journal-reader.js';
import { disputeQueue, journalPage, timeline, type QueueFilter } from '../../server/store/queries.js';
import { encodeCursor } from '../../server/store/paging.js';
import { SqliteReader, type SqlReader } from '../../server/store/sql-reader.js';
import { latencies, rate, ratio } from './measure.js';
import { benchWorld } from './world.js';
import { serverMemory } from './memory.js';
import { pgQueuePage } from './pg-queue.js';
import { pgBench } from './pg.js';
import { queueOverHttp, startBenchServer } from './server-process.js';
import { consoleBench } from './console.js';
import { userHistory } from './history.js';
import { buildQueueDatabase } from './queue-fixture.js';

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

async function engineOn(file: string) {
  const w = await benchWorld(file);
  return { ...w, db: w.opened.db, close: w.opened.close };
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
  const n = sized(400_000, 2_000);
  const file = path.join(dir, 'journal.db');
  const db = await openSqlite({ url: file });
  await db.$disconnect();
  const raw = new Database(file);
  const insert = raw.prepare('INSERT INTO "JournalEntry" ("seq","at","actorKind","actorId","actorRole","action","entityType","entityId","reason","payload","prevHash","hash") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)');
  let prev: { seq: number; hash: string } | null = null;
  const batch = raw.transaction((contents: JournalContent[]) => {
    for (const e of chain(prev, contents)) {
      insert.run(e.seq, e.at.toISOString().replace('Z', '+00:00'), e.actorKind, e.actorId, e.actorRole, e.action, e.entityType, e.entityId, e.reason, e.payload, e.prevHash, e.hash);
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
  const reader = new SqliteReader(file);
  // The baseline streams the same rows by the same statement, doing nothing with them; a first
  // pass warms the page cache and the JIT so that no measurement below pays for them.
  for await (const _ of journalEntries(reader)) void _;
  const readStart = process.hrtime.bigint();
  let read = 0;
  for await (const _ of journalEntries(reader)) read += 1;
  const readSeconds = Number(process.hrtime.bigint() - readStart) / 1e9;
  const onePassStart = process.hrtime.bigint();
  const single = await verifyHere(reader, {});
  const onePassSeconds = Number(process.hrtime.bigint() - onePassStart) / 1e9;
  // The first parallel verification also starts the worker threads, which the process then keeps.
  const coldStart = process.hrtime.bigint();
  const cold = await verifyJournal(reader);
  const coldSeconds = Number(process.hrtime.bigint() - coldStart) / 1e9;
  const verifyStart = process.hrtime.bigint();
  const v = await verifyJournal(reader);
  const verifySeconds = Number(process.hrtime.bigint() - verifyStart) / 1e9;
  const one = await latencies(200, (i) => verifyJournal(reader, { afterSeq: 1 + ((i * 7919) % (n - 2)), untilSeq: 2 + ((i * 7919) % (n - 2)) }));
  reader.close();
  // The audit trail filtered to one entity (a reviewer's usual question), newest first: an old
  // milestone's single entry, against the raw driver sending the query the filter needs.
  const trail = await openSqlite({ url: file });
  const rawTrail = new Database(file, { readonly: true });
  const byEntity = rawTrail.prepare('SELECT * FROM "JournalEntry" WHERE "entityId" = ? ORDER BY "seq" DESC LIMIT 101');
  const entity = (i: number) => `mst_${(i * 37) % 100}`;
  const trailLayer = await latencies(20, (i) => journalPage(trail, { entityId: entity(i), limit: 100 }));
  const trailRaw = await latencies(20, (i) => byEntity.all(entity(i)));
  // A case file's timeline: the entries of the dispute and its milestone, oldest first.
  const caseTimeline = await latencies(20, (i) => timeline(trail, [entity(i), entity(i + 1)]));
  rawTrail.close();
  await trail.$disconnect();
  results.journalVerification = {
    goal: '≥ 100,000 entries/s and ≥ 85% of reading the same rows; one entry ≤ 1 ms',
    entries: n, ok: v.ok && single.ok && cold.ok, cores: os.availableParallelism(),
    firstVerifyPerSecond: Math.round(n / coldSeconds),
    readPerSecond: Math.round(read / readSeconds),
    verifyPerSecond: Math.round(n / verifySeconds),
    verifyVsRead: ratio(readSeconds, verifySeconds),
    onePassPerSecond: Math.round(n / onePassSeconds),
    onePassVsRead: ratio(readSeconds, onePassSeconds),
    checkOneEntry: one,
    auditTrailOneEntity: { layer: trailLayer, raw: trailRaw, ratio: ratio(trailLayer.p50_ms, trailRaw.p50_ms) },
    caseTimeline,
  };
  log(`journal (${n}): read ${Math.round(read / readSeconds)}/s, verify ${Math.round(n / verifySeconds)}/s (ratio ${ratio(readSeconds, verifySeconds)}; one pass ${Math.round(n / onePassSeconds)}/s, ratio ${ratio(readSeconds, onePassSeconds)}), one entry p50 ${one.p50_ms} ms; audit trail of one entity p50 ${trailLayer.p50_ms} ms (raw ${trailRaw.p50_ms} ms), a case's timeline p50 ${caseTimeline.p50_ms} ms`);
}

/** 3. A dispute queue page at scale: the data layer against the raw SQL for the same page. */
async function queuePage(): Promise<void> {
  const n = sized(100_000, 2_000);
  const file = path.join(dir, 'queue.db');
  await buildQueueDatabase(file, n);
  // Pages a mediator asks for: each sort, with filters, from the first page to deep ones (keyset cursors).
  const minute = (base: number, i: number) => new Date(base + i * 60_000);
  const opened = Date.UTC(2026, 0, 1);
  const due = Date.UTC(2026, 0, 10);
  const deep = [0, Math.round(n * 0.01), Math.round(n * 0.5), Math.round(n * 0.95)];
  const cases: { name: string; filter: QueueFilter }[] = [
    ...deep.map((d) => ({ name: `amount ≥ 100.00 by amount, depth ${d}`, filter: { minAmountMinor: 10_000, sort: 'disputedMinor' as const, direction: 'asc' as const, cursor: d ? encodeCursor(1_000 + Math.round((d / n) * 500_000), '') : null } })),
    ...deep.map((d) => ({ name: `newest first, depth ${d}`, filter: { sort: 'openedAt' as const, direction: 'desc' as const, cursor: d ? encodeCursor(minute(opened, n - d), '') : null } })),
    ...deep.map((d) => ({ name: `unassigned by deadline, depth ${d}`, filter: { assignee: 'unassigned', sort: 'deadlineAt' as const, direction: 'asc' as const, cursor: d ? encodeCursor(minute(due, d), '') : null } })),
    { name: 'arbitration only, USD, by amount descending', filter: { stages: ['arbitration'], currency: 'USD', sort: 'disputedMinor', direction: 'desc' } },
    { name: 'search for a party', filter: { search: 'user 17 ', sort: 'openedAt', direction: 'asc' } },
    // One dispute in all: walking the sort order would read every open dispute to find it.
    { name: 'search for a rare term', filter: { search: `milestone ${n - 7}`, sort: 'deadlineAt', direction: 'asc' } },
  ];
  const now = new Date(Date.UTC(2026, 6, 1));
  // The raw baseline runs the very statements the data layer sends (a rare search sends two: its
  // matches from the trigram index, then the page), straight on the driver: the ratio is the layer's own cost.
  const reader = new SqliteReader(file);
  const statements: { sql: string; params: readonly unknown[] }[][] = [];
  const recorder: SqlReader = { dialect: 'sqlite', all: async (sql, params) => { statements.at(-1)!.push({ sql, params }); return reader.all(sql, params); }, close: () => undefined };
  for (const c of cases) {
    statements.push([]);
    await disputeQueue(recorder, { ...c.filter, limit: 50 }, now);
  }
  const raw = new Database(file, { readonly: true });
  const prepared = statements.map((list) => list.map((st) => ({ st: raw.prepare(st.sql), params: st.params })));
  const runRaw = (k: number) => { for (const p of prepared[k]!) p.st.all(...p.params); };
  const perCase: Record<string, { raw_p50_ms: number; layer_p50_ms: number; ratio: number }> = {};
  const rawTimes = await latencies(20 * cases.length, (i) => runRaw(i % cases.length));
  const layerTimes = await latencies(20 * cases.length, (i) => disputeQueue(reader, { ...cases[i % cases.length]!.filter, limit: 50 }, now));
  for (const [k, c] of cases.entries()) {
    const r = await latencies(30, () => runRaw(k));
    const l = await latencies(30, () => disputeQueue(reader, { ...c.filter, limit: 50 }, now));
    perCase[c.name] = { raw_p50_ms: r.p50_ms, layer_p50_ms: l.p50_ms, ratio: ratio(l.p50_ms, r.p50_ms) };
  }
  reader.close();
  raw.close();

  // The same page through the router over HTTP, as a console asks for it, from another process.
  const server = await startBenchServer(file);
  const { http: httpTimes, httpPlain, httpPerCase } = await queueOverHttp(server, cases);
  await server.stop();
  results.queuePage = {
    goal: 'data layer within 3× of the raw SQL for the same page, at any depth; over HTTP p50 ≤ 5 ms, p99 ≤ 20 ms',
    disputes: n, raw: rawTimes, dataLayer: layerTimes, p50Ratio: ratio(layerTimes.p50_ms, rawTimes.p50_ms),
    worstCaseRatio: Math.max(...Object.values(perCase).map((c) => c.ratio)), perCase, http: httpTimes, httpPlain, httpPerCase,
  };
  log(`queue page (${n} disputes): raw p50 ${rawTimes.p50_ms} ms, data layer p50 ${layerTimes.p50_ms} ms (${ratio(layerTimes.p50_ms, rawTimes.p50_ms)}×, worst case ${Math.max(...Object.values(perCase).map((c) => c.ratio))}×), over HTTP p50 ${httpTimes.p50_ms} ms p99 ${httpTimes.p99_ms} ms (plain GET p50 ${httpPlain.p50_ms} ms p99 ${httpPlain.p99_ms} ms)`);
  await pgQueuePage(results, file, n, cases, now);
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

/** BENCH_ONLY=queue,console runs only those parts (while working on one); the written file then holds only them. */
const only = process.env.BENCH_ONLY?.split(',').map((x) => x.trim()).filter(Boolean);
const wanted = (part: string) => !only || only.includes(part);

try {
  if (wanted('money')) await moneyCommand();
  if (wanted('bulk')) await bulkPosting();
  if (wanted('pg')) await pgBench(results, sized);
  if (wanted('journal')) await journalVerification();
  if (wanted('queue')) await queuePage();
  if (wanted('history')) await userHistory(results, dir, sized);
  if (wanted('console')) await consoleBench(results, sized);
  // At 1M milestones: point BENCH_MEMORY_DB at a database made by `npm run seed -- --milestones 1000000`.
  const memoryDb = process.env.BENCH_MEMORY_DB;
  if (wanted('memory')) {
    if (!memoryDb && !fs.existsSync(path.join(dir, 'queue.db'))) await buildQueueDatabase(path.join(dir, 'queue.db'), sized(100_000, 2_000));
    await serverMemory(results, memoryDb ?? path.join(dir, 'queue.db'), sized(10_000, 200), memoryDb ? path.basename(memoryDb) : `the queue benchmark's ${sized(100_000, 2_000)} disputes`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
fs.mkdirSync('test-results', { recursive: true });
const out = process.env.BENCH_OUT ?? 'test-results/bench.json';
fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
log(`written to ${out}`);
