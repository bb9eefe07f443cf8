import { fail } from './errors.js';
import type { BalanceDelta } from './ports.js';
import type { AccountKind, Transfer, TransferKind } from './types.js';

/**
 * The double-entry ledger. Money moves only as transfers from one account to another, so every
 * currency's balances sum to zero: deposits come from an external account that goes negative
 * by exactly what users hold. Account ids are derived, never looked up, so posting needs no reads.
 */

export const accounts = {
  wallet: (userId: string, currency: string) => `wallet:${userId}:${currency}`,
  escrow: (milestoneId: string) => `escrow:${milestoneId}`,
  fees: (marketplaceId: string, currency: string) => `fees:${marketplaceId}:${currency}`,
  external: (marketplaceId: string, currency: string) => `external:${marketplaceId}:${currency}`,
  disputeFee: (disputeId: string) => `dispute_fee:${disputeId}`,
};

export function accountKind(accountId: string): AccountKind {
  const kind = accountId.slice(0, accountId.indexOf(':'));
  switch (kind) {
    case 'wallet':
    case 'escrow':
    case 'fees':
    case 'external':
    case 'dispute_fee':
      return kind;
    default:
      return fail('VALIDATION', `unknown account ${accountId}`);
  }
}

function ownerOf(accountId: string): string {
  return accountId.split(':')[1] ?? '';
}

export type Leg = {
  from: string;
  to: string;
  amountMinor: number;
  kind: TransferKind;
  milestoneId?: string | null;
  projectId?: string | null;
  disputeId?: string | null;
};

/**
 * Nets a command's transfers into one balance change per account, so a command costs one
 * update per account it touches however many legs it has.
 */
export function netDeltas(transfers: readonly Pick<Transfer, 'debitAccountId' | 'creditAccountId' | 'amountMinor' | 'currency'>[]): BalanceDelta[] {
  const byAccount = new Map<string, BalanceDelta>();
  const touch = (accountId: string, currency: string, delta: number) => {
    const existing = byAccount.get(accountId);
    if (existing) {
      if (existing.currency !== currency) fail('CURRENCY_MISMATCH', `account ${accountId} holds ${existing.currency}, not ${currency}`);
      existing.deltaMinor += delta;
      return;
    }
    const kind = accountKind(accountId);
    byAccount.set(accountId, { accountId, kind, ownerId: ownerOf(accountId), currency, deltaMinor: delta, mayGoNegative: kind === 'external' });
  };
  for (const t of transfers) {
    touch(t.debitAccountId, t.currency, -t.amountMinor);
    touch(t.creditAccountId, t.currency, t.amountMinor);
  }
  // Accounts are always updated in id order, so two commands touching the same accounts
  // queue behind each other instead of deadlocking.
  return [...byAccount.values()].filter((d) => d.deltaMinor !== 0).sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
}

/** Facts a store gathers with a few aggregate queries; findLedgerProblems judges them. */
export type LedgerFacts = {
  currencyTotals: { currency: string; totalMinor: number }[];
  /** Accounts whose stored balance differs from the sum of their transfers. */
  balanceVsTransfers: { accountId: string; balanceMinor: number; transfersMinor: number }[];
  /** Escrow accounts whose balance differs from funded − released − refunded of their milestone. */
  escrowVsMilestones: { milestoneId: string; escrowMinor: number; expectedMinor: number }[];
  negativeAccounts: { accountId: string; balanceMinor: number }[];
};

export type LedgerProblem = { invariant: string; subject: string; detail: string };

export function findLedgerProblems(facts: LedgerFacts): LedgerProblem[] {
  const problems: LedgerProblem[] = [];
  for (const c of facts.currencyTotals) {
    if (c.totalMinor !== 0) {
      problems.push({ invariant: 'balances_sum_to_zero', subject: c.currency, detail: `balances in ${c.currency} sum to ${c.totalMinor}, not 0` });
    }
  }
  for (const a of facts.balanceVsTransfers) {
    problems.push({ invariant: 'balance_matches_transfers', subject: a.accountId, detail: `balance ${a.balanceMinor} but transfers sum to ${a.transfersMinor}` });
  }
  for (const e of facts.escrowVsMilestones) {
    problems.push({ invariant: 'escrow_matches_milestone', subject: e.milestoneId, detail: `escrow holds ${e.escrowMinor} but the milestone says ${e.expectedMinor}` });
  }
  for (const n of facts.negativeAccounts) {
    problems.push({ invariant: 'no_negative_balance', subject: n.accountId, detail: `balance is ${n.balanceMinor}` });
  }
  return problems;
}
