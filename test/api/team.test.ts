import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoDatabase } from '../../server/cli/demo.js';
import { remainingMinor } from '../../server/engine/milestone.js';
import type { Milestone } from '../../server/engine/types.js';
import { Services } from '../../server/app/services.js';
import { DEMO_OPERATORS } from '../../server/demo/operators.js';
import { verifyJournal } from '../../server/store/journal-reader.js';
import { checkLedger } from '../../server/store/ledger-health.js';
import { openDatabase } from '../../server/store/open.js';
import { fromRow } from '../../server/store/prisma-store.js';
import { freshDatabase, TEST_DATABASE } from '../support/databases.js';
import { client, refusal, type Client } from '../support/server.js';

/**
 * Team mode for real: several server processes on one PostgreSQL database, driven at once
 * through their HTTP APIs. Afterwards every ledger invariant and the journal hold, and no
 * acknowledged command was applied twice.
 */
const PROCESSES = 3;
const COMMANDS = 240;
const WORKERS = 12;
const root = path.resolve(import.meta.dirname, '../..');

function startProcess(url: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/serve.ts'], {
    cwd: root, env: { ...process.env, ESCROW_DB: url, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/at (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) resolve({ child, url: match[1]! });
    });
    child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

describe.skipIf(TEST_DATABASE !== 'postgresql')('several server processes on one PostgreSQL database (runs only in the PostgreSQL suite)', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let servers: { child: ChildProcess; url: string }[] = [];
  let services: Services;

  beforeAll(async () => {
    database = await freshDatabase();
    await seedDemoDatabase(database.url, 2);
    services = new Services((await openDatabase(database.url)).db);
    // Commands here go through Prisma on PostgreSQL, like a server process's.
    servers = await Promise.all(Array.from({ length: PROCESSES }, () => startProcess(database.url)));
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once('exit', r)))));
    await services?.db.$disconnect();
    await database?.drop();
  });

  async function mediatorOn(serverUrl: string, which: number) {
    const op = DEMO_OPERATORS.filter((o) => o.role === 'mediator')[which]!;
    const { token } = await client(serverUrl).auth.signIn.mutate({ email: op.email, password: op.password });
    return client(serverUrl, { token });
  }

  it('lands exactly one of two simultaneous decisions; the other is told of the conflict and sees the decision', async () => {
    const [a, b] = [await mediatorOn(servers[0]!.url, 0), await mediatorOn(servers[1]!.url, 1)];
    const target = (await a.disputes.queue.query({ stages: ['decision'] })).items[0]!;
    const version = (await a.disputes.get.query({ disputeId: target.id })).dispute.version;
    const half = Math.floor(target.disputedMinor / 2);
    const attempts = await Promise.allSettled([
      a.disputes.decide.mutate({ disputeId: target.id, freelancerShareMinor: half, clientShareMinor: target.disputedMinor - half, reason: 'Split', expectedVersion: version }),
      b.disputes.decide.mutate({ disputeId: target.id, freelancerShareMinor: target.disputedMinor, clientShareMinor: 0, reason: 'All', expectedVersion: version }),
    ]);
    expect(attempts.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = attempts.find((r) => r.status === 'rejected')!;
    const r = await refusal(Promise.reject((loser as PromiseRejectedResult).reason));
    expect(r.code, r.message).toBe('CONFLICT');
    const file = await b.disputes.get.query({ disputeId: target.id });
    expect(file.dispute.stage).toBe('closed');
    expect(await services.db.transfer.count({ where: { disputeId: target.id, kind: { in: ['release', 'refund'] } } })).toBeLessThanOrEqual(2);
  });

  it('ends a disabled operator\'s session on every process, not only the one that disabled it', async () => {
    const adminOp = DEMO_OPERATORS.find((o) => o.role === 'admin')!;
    const admin = client(servers[2]!.url, { token: (await client(servers[2]!.url).auth.signIn.mutate({ email: adminOp.email, password: adminOp.password })).token });
    const who = { email: `leaver-${randomUUID().slice(0, 8)}@team.test`, password: 'a long enough password' };
    const { operatorId } = await admin.admin.createOperator.mutate({ ...who, name: 'Leaver', role: 'mediator' });
    const { token } = await client(servers[0]!.url).auth.signIn.mutate(who);
    // In use on another process, which now keeps the session in memory for a few seconds.
    const elsewhere = client(servers[1]!.url, { token });
    expect((await elsewhere.auth.me.query())?.operator.id).toBe(operatorId);
    await admin.admin.updateOperator.mutate({ operatorId, disabled: true });
    // Well inside the 5 s a kept session is trusted: only the change feed's news can end it this soon.
    let me: unknown = 'signed in';
    for (let i = 0; i < 50 && me !== null; i++) {
      me = await elsewhere.auth.me.query();
      if (me !== null) await new Promise((r) => setTimeout(r, 50));
    }
    expect(me).toBeNull();
  });

  it('shows a case taken on one process to a console connected to another, at once', async () => {
    const watcher = await mediatorOn(servers[2]!.url, 1);
    const taker = await mediatorOn(servers[0]!.url, 0);
    const seen: string[] = [];
    const sub = watcher.disputes.onChange.subscribe(undefined, { onData: (e) => seen.push(`${e.action}:${e.entityId}`) });
    await new Promise((r) => setTimeout(r, 300));
    const target = (await taker.disputes.queue.query({ assignee: 'unassigned' })).items[0]!;
    const me = await taker.auth.me.query();
    await taker.disputes.assign.mutate({ disputeId: target.id, mediatorId: me!.operator.id });
    for (let i = 0; i < 60 && !seen.includes(`dispute.assign:${target.id}`); i++) await new Promise((r) => setTimeout(r, 50));
    sub.unsubscribe();
    expect(seen).toContain(`dispute.assign:${target.id}`);
  });

  it('keeps every invariant under random concurrent commands through all processes, and applies nothing twice', async () => {
    const admin = DEMO_OPERATORS.find((o) => o.role === 'admin')!;
    const adminSession = await services.auth.signIn(admin.email, admin.password);
    const market = await services.db.marketplace.findFirstOrThrow();
    const { key } = await services.auth.createApiKey(adminSession.session.actor, market.id, 'load test');
    const backends: Client[] = servers.map((s) => client(s.url, { apiKey: key }));
    const milestones = (await services.db.milestone.findMany({ where: { state: { in: ['funded', 'completed'] } } })).map((m) => fromRow<Milestone>(m));
    expect(milestones.length).toBeGreaterThan(3);
    const acknowledged: string[] = [];
    let refused = 0;
    let next = 0;
    const worker = async () => {
      while (next < COMMANDS) {
        const n = next++;
        const m = milestones[n % milestones.length]!;
        const api = backends[n % backends.length]!;
        const idempotencyKey = randomUUID();
        const op = n % 5;
        const call = () => op === 0 ? api.marketplace.cancelMilestone.mutate({ actAs: m.freelancerId!, milestoneId: m.id, idempotencyKey })
          : op === 1 ? api.marketplace.deposit.mutate({ actAs: m.clientId, userId: m.clientId, amountMinor: 1_000, currency: 'USD', idempotencyKey })
          : api.marketplace.releaseMilestone.mutate({ actAs: m.clientId, milestoneId: m.id, amountMinor: 1 + (n % 7) * 1_000, idempotencyKey });
        try {
          const first = await call();
          // The same request again, through another process: the first result, nothing moved again.
          const again = await backends[(n + 1) % backends.length]!.marketplace.releaseMilestone.mutate({ actAs: m.clientId, milestoneId: m.id, amountMinor: 1 + (n % 7) * 1_000, idempotencyKey }).catch(() => null);
          if (op >= 2) expect(again).toEqual(first);
          acknowledged.push(idempotencyKey);
        } catch (error) {
          const r = await refusal(Promise.reject(error));
          expect(['CONFLICT', 'UNPROCESSABLE_CONTENT', 'FORBIDDEN']).toContain(r.code);
          refused += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    // Deposits always land; releases and cancellations land until their milestones run dry.
    expect(acknowledged.length).toBeGreaterThan(COMMANDS / 6);
    expect(await services.db.transfer.count({ where: { commandId: { in: acknowledged }, kind: { in: ["release", "refund"] } } })).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);

    expect(await checkLedger(services.db)).toEqual([]);
    expect((await verifyJournal(services.db)).ok).toBe(true);
    for (const m of await services.db.milestone.findMany({ where: { id: { in: milestones.map((x) => x.id) } } })) {
      expect(remainingMinor(fromRow<Milestone>(m))).toBeGreaterThanOrEqual(0);
    }
    // Each acknowledged command is in the log once, and its money moved once.
    const logged = await services.db.commandLog.findMany({ where: { key: { in: acknowledged } }, select: { key: true } });
    expect(new Set(logged.map((l) => l.key)).size).toBe(acknowledged.length);
    const byCommand = await services.db.transfer.groupBy({ by: ['commandId', 'kind'], where: { commandId: { in: acknowledged } }, _count: { _all: true } });
    for (const g of byCommand) expect(g._count._all).toBe(1);
  }, 180_000);
});
