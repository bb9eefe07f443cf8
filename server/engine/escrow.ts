import type { CommandContext } from './context.js';
import { fail } from './errors.js';
import { accounts } from './ledger.js';
import { remainingMinor } from './milestone.js';
import { basisPoints, format } from './money.js';
import { outcomeDeltas, type Outcome } from './reputation.js';
import type { Milestone } from './types.js';

/**
 * Escrow movements on a milestone, modelled on two-phase transfers: funding puts the whole
 * amount on hold in the milestone's own escrow account; releases post parts of the hold to the
 * freelancer (less commission); refunds void what remains back to the client.
 */

async function requireClientFunds(ctx: CommandContext, m: Milestone, amountMinor: number, message: string): Promise<void> {
  const balance = await ctx.tx.balance(accounts.wallet(m.clientId, m.currency));
  if (balance < amountMinor) {
    fail('INSUFFICIENT_FUNDS', `${message}: it needs ${format({ amountMinor, currency: m.currency })} and the client has ${format({ amountMinor: balance, currency: m.currency })}`, {
      neededMinor: amountMinor,
      balanceMinor: balance,
    });
  }
}

export async function fundFromClient(ctx: CommandContext, m: Milestone, patch: Partial<Milestone> = {}): Promise<Milestone> {
  await requireClientFunds(ctx, m, m.amountMinor, 'the client’s balance does not cover this milestone');
  // The milestone's version is claimed before money moves, so a concurrent command on the
  // same milestone fails as a conflict rather than on a balance it changed.
  const saved = await ctx.saveMilestone(m, { state: 'funded', fundedMinor: m.fundedMinor + m.amountMinor, ...patch });
  await ctx.post(m.marketplaceId, m.currency, [
    { from: accounts.wallet(m.clientId, m.currency), to: accounts.escrow(m.id), amountMinor: m.amountMinor, kind: 'fund', milestoneId: m.id, projectId: m.projectId },
  ]);
  return saved;
}

/** Moves a refunded amount back into escrow when a cancellation is overridden. */
export async function reinstateFromClient(ctx: CommandContext, m: Milestone, amountMinor: number, patch: Partial<Milestone>): Promise<Milestone> {
  await requireClientFunds(ctx, m, amountMinor, 'the client’s balance no longer covers the cancelled amount, so it cannot be escrowed again');
  const saved = await ctx.saveMilestone(m, { fundedMinor: m.fundedMinor + amountMinor, ...patch });
  await ctx.post(m.marketplaceId, m.currency, [
    { from: accounts.wallet(m.clientId, m.currency), to: accounts.escrow(m.id), amountMinor, kind: 'reinstate', milestoneId: m.id, projectId: m.projectId },
  ]);
  return saved;
}

/**
 * Returns a milestone to a state it was interrupted in. A completed milestone gets a fresh
 * review window: the client lost the time the cancellation or dispute took.
 */
export async function restoreTo(ctx: CommandContext, m: Milestone, state: Milestone['state'], patch: Partial<Milestone> = {}): Promise<Partial<Milestone>> {
  let autoReleaseAt: Date | null = null;
  if (state === 'completed') {
    const settings = await ctx.settings(m.marketplaceId);
    const days = m.origin === 'hourly' ? settings.hourlyReviewDays : settings.autoReleaseDays;
    autoReleaseAt = days > 0 ? new Date(ctx.now.getTime() + days * 86_400_000) : null;
  }
  return { state, priorState: null, autoReleaseAt, ...patch };
}

export type Split = { freelancerMinor: number; clientMinor: number; disputeId?: string };

/**
 * Pays out escrow: a share to the freelancer (commission to the platform) and a share back to
 * the client. The caller decides the state the milestone ends in.
 */
export async function payOut(ctx: CommandContext, m: Milestone, split: Split, patch: Partial<Milestone>): Promise<{ milestone: Milestone; commissionMinor: number }> {
  const remaining = remainingMinor(m);
  if (split.freelancerMinor + split.clientMinor > remaining) {
    fail('AMOUNT_EXCEEDS_ESCROW', `only ${format({ amountMinor: remaining, currency: m.currency })} remains in escrow`, { remainingMinor: remaining });
  }
  if (split.freelancerMinor > 0 && m.freelancerId === null) {
    fail('INVALID_STATE', 'this milestone has no freelancer yet: award the project first');
  }
  const settings = await ctx.settings(m.marketplaceId);
  const commission = basisPoints(split.freelancerMinor, settings.commissionBps);
  const escrow = accounts.escrow(m.id);
  const refs = { milestoneId: m.id, projectId: m.projectId, disputeId: split.disputeId ?? null };
  const milestone = await ctx.saveMilestone(m, {
    releasedMinor: m.releasedMinor + split.freelancerMinor,
    refundedMinor: m.refundedMinor + split.clientMinor,
    feeMinor: m.feeMinor + commission,
    ...patch,
  });
  await ctx.post(m.marketplaceId, m.currency, [
    { from: escrow, to: accounts.wallet(m.freelancerId ?? '', m.currency), amountMinor: split.freelancerMinor - commission, kind: 'release', ...refs },
    { from: escrow, to: accounts.fees(m.marketplaceId, m.currency), amountMinor: commission, kind: 'commission', ...refs },
    { from: escrow, to: accounts.wallet(m.clientId, m.currency), amountMinor: split.clientMinor, kind: 'refund', ...refs },
  ]);
  return { milestone, commissionMinor: commission };
}

/** Applies an outcome's counters to both parties of a milestone. */
export async function recordOutcome(ctx: CommandContext, m: Milestone, outcome: Outcome, refs: { disputeId?: string } = {}): Promise<void> {
  if (m.freelancerId === null) return;
  const d = outcomeDeltas(outcome);
  const at = { milestoneId: m.id, ...refs };
  await ctx.adjustStats(m.freelancerId, 'freelancer', d.freelancer, outcome.kind, at);
  await ctx.adjustStats(m.clientId, 'client', d.client, outcome.kind, at);
}
