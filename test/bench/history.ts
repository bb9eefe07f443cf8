import path from 'node:path';
import Database from 'better-sqlite3';
import { SYSTEM } from '../../server/engine/types.js';
import { encodeCursor } from '../../server/store/paging.js';
import { listMilestones, transfers } from '../../server/store/queries.js';
import { latencies, ratio } from './measure.js';
import { benchWorld } from './world.js';

/**
 * A busy user's history, as a compliance reviewer pages it: payment history (with its running
 * balance) and milestone list, at the top and deep down. Against the raw driver running the same
 * statements the data layer needs, and against the single "debit OR credit" query these pages
 * once made, which gathered and sorted the user's whole history for every page.
 */
export async function userHistory(results: Record<string, unknown>, dir: string, sized: (full: number, floor: number) => number): Promise<void> {
  const transferCount = Math.round(sized(40_000, 2_000) / 1_000) * 1_000;
  const milestoneCount = sized(20_000, 200);
  const file = path.join(dir, 'history.db');
  const { opened, engine, client, freelancer, contractId, marketplaceId } = await benchWorld(file);
  for (let b = 0; b < transferCount / 1_000; b++) {
    await engine.run('importDeposits', SYSTEM, { marketplaceId, currency: 'USD', reference: `history ${b}`, deposits: Array.from({ length: 1_000 }, () => ({ userId: client.id, amountMinor: 100 })) });
  }
  for (let i = 0; i < milestoneCount; i++) await engine.run('createMilestone', freelancer, { contractId, description: `part ${i}`, amountMinor: 100 });
  const { db, reader } = opened;
  const raw = new Database(file, { readonly: true });
  const wallet = `wallet:${client.id}:USD`;
  const side = (col: string) => raw.prepare(`SELECT * FROM "Transfer" WHERE "${col}" = ? AND "id" < ? ORDER BY "id" DESC LIMIT 51`);
  const [debits, credits] = [side('debitAccountId'), side('creditAccountId')];
  const sum = (col: string) => raw.prepare(`SELECT SUM("amountMinor") AS s FROM "Transfer" WHERE "${col}" = ? AND "id" > ?`);
  const [sumIn, sumOut] = [sum('creditAccountId'), sum('debitAccountId')];
  const account = raw.prepare('SELECT "balanceMinor" FROM "Account" WHERE "id" = ?');
  const orQuery = raw.prepare('SELECT * FROM "Transfer" WHERE ("debitAccountId" = ? OR "creditAccountId" = ?) AND "id" < ? ORDER BY "id" DESC LIMIT 51');
  const maxId = (raw.prepare('SELECT MAX("id") AS m FROM "Transfer"').get() as { m: number }).m;

  const payments: Record<string, { layer_p50_ms: number; raw_p50_ms: number; ratio: number; oneOrQuery_p50_ms: number }> = {};
  for (const depth of [0, Math.round(transferCount / 2), Math.round(transferCount * 0.95)]) {
    const below = maxId - depth + 1;
    const cursor = depth ? encodeCursor(null, String(below)) : null;
    const layer = await latencies(30, () => transfers(reader, { userId: client.id, cursor, limit: 50 }));
    const rawTimes = await latencies(30, () => {
      const rows = [...debits.all(wallet, below), ...credits.all(wallet, below)] as { id: number }[];
      const newest = Math.max(...rows.map((r) => r.id));
      account.get(wallet); sumIn.get(wallet, newest); sumOut.get(wallet, newest);
    });
    const or = await latencies(10, () => orQuery.all(wallet, wallet, below));
    payments[`depth ${depth}`] = { layer_p50_ms: layer.p50_ms, raw_p50_ms: rawTimes.p50_ms, ratio: ratio(layer.p50_ms, rawTimes.p50_ms), oneOrQuery_p50_ms: or.p50_ms };
  }

  const ids = (raw.prepare('SELECT "id" FROM "Milestone" WHERE "clientId" = ? ORDER BY "id" DESC').all(client.id) as { id: string }[]).map((r) => r.id);
  const msSide = (col: string) => raw.prepare(`SELECT "id" FROM "Milestone" WHERE "${col}" = ? AND "id" < ? ORDER BY "id" DESC LIMIT 51`);
  const [asClient, asFreelancer] = [msSide('clientId'), msSide('freelancerId')];
  const msOr = raw.prepare('SELECT * FROM "Milestone" WHERE ("clientId" = ? OR "freelancerId" = ?) AND "id" < ? ORDER BY "id" DESC LIMIT 51');
  const milestones: Record<string, { layer_p50_ms: number; raw_p50_ms: number; ratio: number; oneOrQuery_p50_ms: number }> = {};
  for (const depth of [0, Math.round(milestoneCount / 2), Math.round(milestoneCount * 0.95)]) {
    const below = depth ? ids[depth - 1]! : '~';
    const cursor = depth ? encodeCursor(null, below) : null;
    const layer = await latencies(30, () => listMilestones(db, { userId: client.id, cursor, limit: 50 }));
    const rawTimes = await latencies(30, () => {
      const found = [...asClient.all(client.id, below), ...asFreelancer.all(client.id, below)] as { id: string }[];
      raw.prepare(`SELECT * FROM "Milestone" WHERE "id" IN (${found.map(() => '?').join(',') || "''"}) ORDER BY "id" DESC LIMIT 51`).all(...found.map((r) => r.id));
    });
    const or = await latencies(10, () => msOr.all(client.id, client.id, below));
    milestones[`depth ${depth}`] = { layer_p50_ms: layer.p50_ms, raw_p50_ms: rawTimes.p50_ms, ratio: ratio(layer.p50_ms, rawTimes.p50_ms), oneOrQuery_p50_ms: or.p50_ms };
  }
  raw.close();
  await opened.close();
  results.userHistory = { transfers: transferCount, milestones: milestoneCount, payments, milestoneList: milestones };
  const line = (r: typeof payments) => Object.entries(r).map(([k, v]) => `${k} ${v.layer_p50_ms} ms (raw ${v.raw_p50_ms}, ${v.ratio}×; one OR query ${v.oneOrQuery_p50_ms})`).join(', ');
  console.log(`bench: payment history of a wallet with ${transferCount} transfers: ${line(payments)}`);
  console.log(`bench: milestone list of a client with ${milestoneCount}: ${line(milestones)}`);
}
