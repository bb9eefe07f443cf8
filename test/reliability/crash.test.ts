import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../server/engine/engine.js';
import { SYSTEM, type Actor } from '../../server/engine/types.js';
import { verifyJournal } from '../../server/store/journal-reader.js';
import { checkLedger } from '../../server/store/ledger-health.js';
import { dataModel, openDatabase, type OpenedDatabase } from '../../server/store/open.js';
import { freshDatabase, TEST_DATABASE } from '../support/databases.js';
import type { Sent, World } from './crash-child.js';

/**
 * Crash safety: a child process runs random money commands with idempotency keys and says
 * ACK only after each committed; this test SIGKILLs it at random moments, many times, and
 * restarts it, resending the command that was in flight with the same key. After every kill:
 * every ledger invariant holds, the journal verifies, every acknowledged command is in the
 * command log exactly once with its transfers not duplicated, and no refused command left a trace.
 * CRASH_KILLS sets the number of kills (200 by default; 1000 for a longer soak).
 */
const KILLS = Number(process.env.CRASH_KILLS ?? 200);
/** How long a child may run before it is killed: uniform in [0, RUN_MS_MAX). */
const RUN_MS_MAX = TEST_DATABASE === 'postgresql' ? 500 : 150;
/** Children started ahead, warming up while the current one works (restart cost is CPU, not waiting). */
const WARM = TEST_DATABASE === 'postgresql' ? 3 : 2;
const FULL_VERIFY_EVERY = 50;
const root = path.resolve(import.meta.dirname, '../..');
/** Commands that always move money when they commit. */
const MONEY: string[] = ['deposit', 'fundMilestone', 'releaseMilestone', 'decideDispute', 'payArbitrationFee', 'cancelMilestone'];

function chunks<T>(items: T[], size = 400): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

type Child = { proc: ChildProcess; ready: Promise<void>; closed: Promise<number | null>; stderr: () => string; go: (retry: Sent | null) => void };

type Tally = { acked: Map<string, Sent>; refused: Set<string>; pending: Sent | null; sends: number; retried: number; retriedCommitted: number; ackedByName: Map<string, number> };

function startChild(bundle: string, env: Record<string, string>, tally: Tally): Child {
  const proc = spawn(process.execPath, [bundle], { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => { readyResolve = r; });
  // Lines are only acted on once this child is the running one; a warm child prints READY alone.
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    const [word, rest] = [line.slice(0, line.indexOf(' ') < 0 ? line.length : line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
    if (word === 'READY') return readyResolve();
    if (word === 'SEND') { tally.pending = JSON.parse(rest) as Sent; tally.sends += 1; return; }
    if (word === 'RETRY') { tally.retried += 1; if (rest.endsWith('committed-before-kill')) tally.retriedCommitted += 1; return; }
    const key = rest.split(' ')[0]!;
    if (!tally.pending || tally.pending.key !== key) throw new Error(`child answered ${line} for a command it did not send`);
    if (word === 'ACK') { tally.acked.set(key, tally.pending); tally.ackedByName.set(tally.pending.name, (tally.ackedByName.get(tally.pending.name) ?? 0) + 1); }
    else if (word === 'REFUSED') tally.refused.add(key);
    tally.pending = null;
  });
  const closed = new Promise<number | null>((resolve) => proc.once('close', (code) => resolve(code)));
  return { proc, ready, closed, stderr: () => err, go: (retry) => proc.stdin!.write(`GO${retry ? ` ${JSON.stringify(retry)}` : ''}\n`) };
}

async function makeWorld(opened: OpenedDatabase): Promise<World> {
  const engine = new Engine(opened.store);
  const { marketplaceId } = await engine.run('createMarketplace', SYSTEM, {
    name: 'Crash market',
    // Decisions and staff cancellations settle at once here: four-eyes waits are tested elsewhere.
    settings: { splitApprovalAboveMinor: 1_000_000_000, staffCancelApprovalAboveMinor: 1_000_000_000 },
  });
  const contracts: World['contracts'] = [];
  for (let i = 0; i < 3; i++) {
    const { userId: clientId } = await engine.run('registerUser', SYSTEM, { marketplaceId, name: `Client ${i}`, email: `client${i}@example.com` });
    const { userId: freelancerId } = await engine.run('registerUser', SYSTEM, { marketplaceId, name: `Freelancer ${i}`, email: `freelancer${i}@example.com` });
    await engine.run('deposit', SYSTEM, { userId: clientId, amountMinor: 1_000_000, currency: 'USD' });
    await engine.run('deposit', SYSTEM, { userId: freelancerId, amountMinor: 100_000, currency: 'USD' });
    const client: Actor = { kind: 'user', id: clientId };
    const { projectId } = await engine.run('postProject', client, { title: `Project ${i}`, description: '', budgetMinor: 100_000, currency: 'USD' });
    const { bidId } = await engine.run('placeBid', { kind: 'user', id: freelancerId }, { projectId, amountMinor: 100_000, proposal: 'bid' });
    const { contractId } = await engine.run('awardBid', client, { bidId });
    await engine.run('goLive', client, { contractId });
    contracts.push({ id: contractId, clientId, freelancerId });
  }
  return { marketplaceId, contracts };
}

describe(`crash safety on ${TEST_DATABASE}: ${KILLS} SIGKILLs at random moments`, () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let opened: OpenedDatabase;
  let bundleDir: string;
  const children: Child[] = [];

  beforeAll(async () => {
    // Inside node_modules so the bundle's external packages resolve from the project.
    fs.mkdirSync(path.join(root, 'node_modules', '.cache'), { recursive: true });
    bundleDir = fs.mkdtempSync(path.join(root, 'node_modules', '.cache', 'escrow-crash-'));
    await build({
      entryPoints: [path.join(root, 'test/reliability/crash-child.ts')], outfile: path.join(bundleDir, 'child.mjs'),
      bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning',
      external: ['better-sqlite3', 'pg', '@prisma/*'],
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    });
    database = await freshDatabase();
    opened = await openDatabase(database.url);
  }, 120_000);

  afterAll(async () => {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await Promise.all(children.map((c) => c.closed));
    await opened?.close();
    await database?.drop();
    if (bundleDir) fs.rmSync(bundleDir, { recursive: true, force: true });
  });

  it('loses no acknowledged command, applies none twice, and keeps every invariant after each kill', async () => {
    const started = Date.now();
    const world = await makeWorld(opened);
    const env = {
      CRASH_DB: database.url, CRASH_WORLD: JSON.stringify(world),
      // The bundle lives outside server/, so it is told where the migrations are.
      ESCROW_MIGRATIONS_DIR: path.join(root, 'prisma/migrations/sqlite'), ESCROW_PG_MIGRATIONS_DIR: path.join(root, 'prisma/migrations/postgresql'),
      // On SQLite the child's command store reads column types from this, so the child needs no Prisma.
      CRASH_MODEL: path.join(bundleDir, 'model.json'),
    };
    fs.writeFileSync(env.CRASH_MODEL, JSON.stringify(dataModel(opened.db)));
    const tally: Tally = { acked: new Map(), refused: new Set(), pending: null, sends: 0, retried: 0, retriedCommitted: 0, ackedByName: new Map() };
    const db = opened.db;
    let verifiedSeq = 0;
    let checkedAcks = new Set<string>();
    let checkedRefused = new Set<string>();
    const spawnNext = () => { const c = startChild(path.join(bundleDir, 'child.mjs'), env, tally); children.push(c); return c; };

    const warm = Array.from({ length: WARM }, spawnNext);
    for (let kill = 1; kill <= KILLS; kill++) {
      const child = warm.shift()!;
      await Promise.race([child.ready, child.closed.then((code) => { throw new Error(`child exited (${code}) before it was ready: ${child.stderr()}`); })]);
      if (kill + warm.length < KILLS) warm.push(spawnNext());
      child.go(tally.pending);
      await new Promise((r) => setTimeout(r, Math.random() * RUN_MS_MAX));
      child.proc.kill('SIGKILL');
      await child.closed;
      if (process.env.CRASH_TIMING) console.log(child.stderr().trim());
      if (child.proc.signalCode !== 'SIGKILL') throw new Error(`child stopped by itself (${child.proc.exitCode}): ${child.stderr()}`);

      expect(await checkLedger(db), `after kill ${kill}`).toEqual([]);
      const full = kill % FULL_VERIFY_EVERY === 0 || kill === KILLS;
      const journal = await verifyJournal(db, { afterSeq: full ? 0 : verifiedSeq });
      expect(journal, `journal after kill ${kill}`).toMatchObject({ ok: true });
      if (journal.ok && journal.checked > 0) verifiedSeq = journal.lastSeq;

      // Each acknowledged command is in the command log, exactly once by its key (the primary key).
      const newAcks = [...tally.acked.keys()].filter((k) => !checkedAcks.has(k));
      for (const keys of chunks(newAcks)) {
        expect(await db.commandLog.count({ where: { key: { in: keys } } }), `acked commands after kill ${kill}`).toBe(keys.length);
        // Every acknowledged money command left its transfers, under its own key.
        const money = keys.filter((k) => MONEY.includes(tally.acked.get(k)!.name));
        expect((await db.transfer.groupBy({ by: ['commandId'], where: { commandId: { in: money } } })).length, `transfers of acked commands after kill ${kill}`).toBe(money.length);
      }
      checkedAcks = new Set(tally.acked.keys());
      // A refused command (never retried after its answer) left nothing behind.
      const newRefused = [...tally.refused].filter((k) => !checkedRefused.has(k));
      for (const keys of chunks(newRefused)) {
        expect(await db.commandLog.count({ where: { key: { in: keys } } })).toBe(0);
        expect(await db.transfer.count({ where: { commandId: { in: keys } } })).toBe(0);
      }
      checkedRefused = new Set(tally.refused);
    }
    for (const c of warm) c.proc.kill('SIGKILL');

    // No command's transfers were applied twice: one row per command, kind and pair of accounts.
    const duplicated = await db.transfer.groupBy({ by: ['commandId', 'kind', 'debitAccountId', 'creditAccountId'], _count: { _all: true }, having: { commandId: { _count: { gt: 1 } } } });
    expect(duplicated).toEqual([]);
    const seconds = (Date.now() - started) / 1000;
    const figures = {
      database: TEST_DATABASE, kills: KILLS, commandsSent: tally.sends, commandsAcked: tally.acked.size, commandsRefused: tally.refused.size,
      inFlightAtKillResent: tally.retried, ofWhichHadCommittedBeforeKill: tally.retriedCommitted,
      journalEntries: await db.journalEntry.count(), transfers: await db.transfer.count(), durationSeconds: Math.round(seconds * 10) / 10,
      ackedByCommand: Object.fromEntries(tally.ackedByName),
    };
    console.log(`crash figures ${JSON.stringify(figures)}`);
    // The run must have exercised the paths it claims to: a run that never committed would prove nothing.
    expect(tally.acked.size).toBeGreaterThan(KILLS / 2);
    for (const name of ['deposit', 'fundMilestone', 'releaseMilestone', 'cancelMilestone', 'staffCancel', 'openDispute', 'decideDispute']) {
      expect(tally.ackedByName.get(name) ?? 0, `${name} never committed`).toBeGreaterThan(0);
    }
  }, 600_000);
});
