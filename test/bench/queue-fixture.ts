import Database from 'better-sqlite3';
import { openSqlite } from '../../server/store/database.js';
import { dateParam } from '../../server/store/sql-reader.js';

/**
 * A SQLite file holding `disputes` open disputes (one milestone each, 2,000 users), written
 * straight through the driver: going through the engine would take far longer than the
 * measurements that read it. Shared by the queue page benchmark and the console benchmark so
 * both measure the same data.
 */
export async function buildQueueDatabase(file: string, disputes: number): Promise<void> {
  // The schema (and its migrations) come from the store itself, so the raw rows fit it exactly.
  const db = await openSqlite({ url: file });
  await db.$disconnect();
  const raw = new Database(file);
  try {
    const stages = ['filing', 'negotiation', 'arbitration', 'decision'];
    const insD = raw.prepare(`INSERT INTO "Dispute" ("id","marketplaceId","milestoneId","filerId","filerRole","respondentId","clientId","freelancerId","searchText","category","languages","reason","claimMinor","disputedMinor","currency","stage","outcome","deadlineAt","arbitrationFeeMinor","clientFeePaid","freelancerFeePaid","assignedMediatorId","decidedById","decisionReason","freelancerShareMinor","clientShareMinor","openedAt","closedAt","version") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULL,?,500,0,0,?,NULL,NULL,NULL,NULL,?,NULL,0)`);
    const insU = raw.prepare(`INSERT INTO "User" ("id","marketplaceId","name","email","language","country","createdAt","version","flCompleted","flCancelled","flLost","flNoFault","clCompleted","clCancelled","clLost","reviewCount","ratingSum") VALUES (?,?,?,?,?,?,?,0,0,0,0,0,0,0,0,0,0)`);
    const insM = raw.prepare(`INSERT INTO "Milestone" ("id","marketplaceId","projectId","contractId","clientId","freelancerId","description","amountMinor","currency","deadlineAt","origin","state","priorState","cancelledBy","cancelNoFault","fundedMinor","releasedMinor","refundedMinor","feeMinor","autoReleaseAt","createdAt","updatedAt","version") VALUES (?,?,NULL,NULL,?,?,?,?,?,NULL,'direct','disputed','funded',NULL,0,?,0,0,0,NULL,?,?,0)`);
    // Times as Prisma writes them (…+00:00, not …Z): keyset cursors compare them as text.
    const at = (ms: number) => dateParam('sqlite', new Date(ms));
    raw.transaction(() => {
      for (let u = 0; u < 2000; u++) insU.run(`usr_${u}`, 'mkt', `User ${u}`, `u${u}@x.test`, 'en', 'US', at(Date.now()));
      for (let i = 0; i < disputes; i++) {
        const id = `dsp_${String(i).padStart(9, '0')}`;
        const amount = 1_000 + ((i * 7919) % 500_000);
        const opened = at(Date.UTC(2026, 0, 1) + i * 60_000);
        insM.run(`mst_${i}`, 'mkt', `usr_${i % 1000}`, `usr_${1000 + (i % 1000)}`, `Milestone ${i}`, amount, 'USD', amount, opened, opened);
        insD.run(id, 'mkt', `mst_${i}`, `usr_${i % 1000}`, 'client', `usr_${1000 + (i % 1000)}`, `usr_${i % 1000}`, `usr_${1000 + (i % 1000)}`, `user ${i % 1000} user ${1000 + (i % 1000)} milestone ${i}`, 'design', 'en', 'late', amount, amount, 'USD', stages[i % 4], at(Date.UTC(2026, 0, 10) + i * 60_000), i % 3 === 0 ? null : `op_${i % 7}`, opened);
      }
    })();
  } finally {
    raw.close();
  }
}
