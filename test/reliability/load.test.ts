import { randomUUID } from 'node:crypto';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJournal } from '../../server/store/journal-reader.js';
import { checkLedger } from '../../server/store/ledger-health.js';
import { TEST_DATABASE } from '../support/databases.js';
import { client, demoServer, signedIn, type Client } from '../support/server.js';

/**
 * Load: CLIENTS callers at once against the server shell on loopback for LOAD_SECONDS (15 by
 * default), mixing console reads (queue, case files, payments) with marketplace money commands
 * by API key (partial releases, deposits, cancellations). Only the refusals a caller should
 * expect are allowed (a state that moved on, a conflict, not enough money); every invariant and
 * the journal hold afterwards. Prints latency percentiles and throughput.
 */
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 40);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 15);
/** Refusals that are the system working: someone else got there first, or there is nothing left to do. */
const EXPECTED = new Set(['CONFLICT', 'INVALID_STATE', 'INSUFFICIENT_FUNDS', 'AMOUNT_EXCEEDS_ESCROW', 'CONTRACT_NOT_LIVE']);

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe(`load on ${TEST_DATABASE}: ${CLIENTS} clients for ${SECONDS} s`, () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  beforeAll(async () => {
    server = await demoServer({ scale: 2 });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
  });

  it('answers every call with a result or an expected refusal, and keeps every invariant', async () => {
    const { api: admin } = await signedIn(server.url, 'admin');
    const market = (await admin.admin.marketplaces.query())[0]!;
    const { key } = await admin.admin.createApiKey.mutate({ marketplaceId: market.id, name: 'load test' });
    const readers = [admin, (await signedIn(server.url, 'mediator')).api, (await signedIn(server.url, 'compliance')).api, (await signedIn(server.url, 'staff')).api];
    const backend = client(server.url, { apiKey: key });
    const db = server.services.db;
    const contracts = await db.contract.findMany({ where: { marketplaceId: market.id, status: 'live' }, select: { id: true, clientId: true, freelancerId: true }, take: 50 });
    const fundable = () => db.milestone.findMany({ where: { marketplaceId: market.id, state: { in: ['funded', 'completed'] }, freelancerId: { not: null } }, select: { id: true, clientId: true, freelancerId: true } });
    let milestones = await fundable();
    const disputes = (await db.dispute.findMany({ take: 50, select: { id: true } })).map((d) => d.id);
    const users = (await db.user.findMany({ where: { marketplaceId: market.id }, take: 50, select: { id: true } })).map((u) => u.id);
    expect(milestones.length).toBeGreaterThan(5);
    expect(contracts.length).toBeGreaterThan(0);
    const journalBefore = await db.journalEntry.count();

    const latencies: Record<'read' | 'write', number[]> = { read: [], write: [] };
    const outcomes = new Map<string, number>();
    const unexpected: string[] = [];
    const count = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
    const deadline = Date.now() + SECONDS * 1000;
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;

    const call = (n: number): { kind: 'read' | 'write'; name: string; run: () => Promise<unknown> } => {
      const reader: Client = readers[n % readers.length]!;
      const m = pick(milestones);
      const ct = pick(contracts);
      switch (Math.floor(Math.random() * 9)) {
        case 0: return { kind: 'read', name: 'queue', run: () => reader.disputes.queue.query({ limit: 50 }) };
        case 1: return { kind: 'read', name: 'caseFile', run: () => reader.disputes.get.query({ disputeId: pick(disputes) }) };
        case 2: return { kind: 'read', name: 'payments', run: () => reader.payments.history.query({ userId: pick(users), limit: 50 }) };
        case 3: return { kind: 'read', name: 'milestone', run: () => reader.milestones.get.query({ milestoneId: m.id }) };
        case 4:
        case 5: return { kind: 'write', name: 'release', run: () => backend.marketplace.releaseMilestone.mutate({ actAs: m.clientId, milestoneId: m.id, amountMinor: 1 + Math.floor(Math.random() * 500), idempotencyKey: randomUUID() }) };
        case 6: return { kind: 'write', name: 'deposit', run: () => backend.marketplace.deposit.mutate({ actAs: m.clientId, userId: m.clientId, amountMinor: 1 + Math.floor(Math.random() * 10_000), currency: 'USD', idempotencyKey: randomUUID() }) };
        // New escrow keeps the releases and cancellations meaningful for the whole run.
        case 7: return { kind: 'write', name: 'createAndFund', run: async () => {
          const { milestoneId } = await backend.marketplace.createMilestone.mutate({ actAs: ct.freelancerId, contractId: ct.id, description: 'load', amountMinor: 5_000, idempotencyKey: randomUUID() });
          await backend.marketplace.fundMilestone.mutate({ actAs: ct.clientId, milestoneId, idempotencyKey: randomUUID() });
        } };
        default: return { kind: 'write', name: 'cancel', run: () => backend.marketplace.cancelMilestone.mutate({ actAs: m.freelancerId!, milestoneId: m.id, idempotencyKey: randomUUID() }) };
      }
    };

    const worker = async (n: number) => {
      while (Date.now() < deadline) {
        const c = call(n);
        const t = performance.now();
        try {
          await c.run();
          count(`${c.name}:ok`);
        } catch (error) {
          const data = error instanceof TRPCClientError ? (error.data as { code?: string; engineCode?: string } | undefined) : undefined;
          const code = data?.engineCode ?? data?.code ?? String(error);
          count(`${c.name}:${code}`);
          if (!EXPECTED.has(code)) unexpected.push(`${c.name}: ${code}: ${(error as Error).message}`);
        }
        latencies[c.kind].push(performance.now() - t);
      }
    };
    const started = performance.now();
    const refresh = setInterval(() => void fundable().then((m) => { if (m.length > 0) milestones = m; }), 1000);
    await Promise.all(Array.from({ length: CLIENTS }, (_, n) => worker(n)));
    const elapsed = (performance.now() - started) / 1000;
    clearInterval(refresh);

    const all = [...latencies.read, ...latencies.write].sort((a, b) => a - b);
    const fig = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return { n: s.length, p50_ms: Math.round(percentile(s, 50)), p95_ms: Math.round(percentile(s, 95)), p99_ms: Math.round(percentile(s, 99)) }; };
    const figures = {
      database: TEST_DATABASE, clients: CLIENTS, seconds: Math.round(elapsed * 10) / 10, calls: all.length, callsPerSecond: Math.round(all.length / elapsed),
      all: fig(all), reads: fig(latencies.read), writes: fig(latencies.write),
      journalEntriesWritten: (await db.journalEntry.count()) - journalBefore, outcomes: Object.fromEntries([...outcomes].sort()),
    };
    console.log(`load figures ${JSON.stringify(figures)}`);
    expect(unexpected.slice(0, 10)).toEqual([]);
    expect(outcomes.get('release:ok') ?? 0).toBeGreaterThan(0);
    expect(outcomes.get('deposit:ok') ?? 0).toBeGreaterThan(0);
    expect(await checkLedger(db)).toEqual([]);
    expect((await verifyJournal(db)).ok).toBe(true);
    // The server still answers after the storm.
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  }, 180_000);
});
