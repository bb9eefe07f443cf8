import { findLedgerProblems, type LedgerFacts, type LedgerProblem } from '../engine/ledger.js';
import type { Db } from './database.js';

/** Gathers the ledger's invariants with a few set-based queries (no per-row reads). */
export async function ledgerFacts(db: Db): Promise<LedgerFacts> {
  const totals = await db.$queryRaw<{ currency: string; total: bigint }[]>`
    SELECT "currency", SUM("balanceMinor") AS "total" FROM "Account" GROUP BY "currency"`;
  const drift = await db.$queryRaw<{ id: string; balance: bigint; moved: bigint }[]>`
    SELECT a."id" AS "id", a."balanceMinor" AS "balance", COALESCE(c."sum", 0) - COALESCE(d."sum", 0) AS "moved"
    FROM "Account" a
    LEFT JOIN (SELECT "creditAccountId" AS "acc", SUM("amountMinor") AS "sum" FROM "Transfer" GROUP BY "creditAccountId") c ON c."acc" = a."id"
    LEFT JOIN (SELECT "debitAccountId" AS "acc", SUM("amountMinor") AS "sum" FROM "Transfer" GROUP BY "debitAccountId") d ON d."acc" = a."id"
    WHERE a."balanceMinor" <> COALESCE(c."sum", 0) - COALESCE(d."sum", 0)`;
  const escrow = await db.$queryRaw<{ id: string; escrow: bigint; expected: bigint }[]>`
    SELECT m."id" AS "id", COALESCE(a."balanceMinor", 0) AS "escrow", m."fundedMinor" - m."releasedMinor" - m."refundedMinor" AS "expected"
    FROM "Milestone" m LEFT JOIN "Account" a ON a."id" = 'escrow:' || m."id"
    WHERE COALESCE(a."balanceMinor", 0) <> m."fundedMinor" - m."releasedMinor" - m."refundedMinor"`;
  const negative = await db.$queryRaw<{ id: string; balance: bigint }[]>`
    SELECT "id", "balanceMinor" AS "balance" FROM "Account" WHERE "kind" <> 'external' AND "balanceMinor" < 0`;
  return {
    currencyTotals: totals.map((t) => ({ currency: t.currency, totalMinor: Number(t.total) })),
    balanceVsTransfers: drift.map((r) => ({ accountId: r.id, balanceMinor: Number(r.balance), transfersMinor: Number(r.moved) })),
    escrowVsMilestones: escrow.map((r) => ({ milestoneId: r.id, escrowMinor: Number(r.escrow), expectedMinor: Number(r.expected) })),
    negativeAccounts: negative.map((r) => ({ accountId: r.id, balanceMinor: Number(r.balance) })),
  };
}

export async function checkLedger(db: Db): Promise<LedgerProblem[]> {
  return findLedgerProblems(await ledgerFacts(db));
}
