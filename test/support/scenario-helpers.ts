import { fromRow } from '../../server/store/prisma-store.js';
import type { Actor, Dispute, Milestone, User } from '../../server/engine/types.js';
import { SYSTEM } from '../../server/engine/types.js';
import type { Harness } from './harness.js';

/**
 * Small read helpers for the scenario tests: rows come back as the engine's records (money as
 * numbers, not bigint), so expected amounts can be written as plain literals.
 */

export type UserActor = Actor & { kind: 'user' };

export async function milestoneRow(h: Harness, id: string): Promise<Milestone> {
  return fromRow<Milestone>(await h.milestone(id));
}

export async function disputeRow(h: Harness, id: string): Promise<Dispute> {
  return fromRow<Dispute>(await h.dispute(id));
}

export async function userRow(h: Harness, id: string): Promise<User> {
  return fromRow<User>(await h.db.user.findUniqueOrThrow({ where: { id } }));
}

export function journalLength(h: Harness): Promise<number> {
  return h.db.journalEntry.count();
}

export function transferCount(h: Harness): Promise<number> {
  return h.db.transfer.count();
}

/** The platform's fee account: commission and forfeited arbitration fees. */
export function feesBalance(h: Harness, currency = 'USD'): Promise<number> {
  return h.account(`fees:${h.marketplaceId}:${currency}`);
}

export function escrowBalance(h: Harness, milestoneId: string): Promise<number> {
  return h.account(`escrow:${milestoneId}`);
}

export async function topUp(h: Harness, user: UserActor, amountMinor: number): Promise<void> {
  await h.run('deposit', SYSTEM, { userId: user.id, amountMinor, currency: 'USD' });
}

/** Like Harness.liveContract but stops before goLive: the contract stays a proposal. */
export async function proposalContract(
  h: Harness,
  opts: { budget?: number; clientFunds?: number; milestones?: { description: string; amountMinor: number }[] } = {},
) {
  const client = await h.user('Clara', opts.clientFunds ?? 100_000);
  const freelancer = await h.user('Felix');
  const budget = opts.budget ?? 50_000;
  const { projectId } = await h.run('postProject', client, { title: 'Logo design', description: 'A logo', budgetMinor: budget, currency: 'USD' });
  const { bidId } = await h.run('placeBid', freelancer, { projectId, amountMinor: budget, proposal: 'I can do it', milestones: opts.milestones ?? [] });
  const { contractId, milestoneIds } = await h.run('awardBid', client, { bidId, acceptProposedMilestones: (opts.milestones ?? []).length > 0 });
  return { client, freelancer, projectId, bidId, contractId, milestoneIds };
}

/** A live contract with one funded milestone of the given amount (freelancer-created milestones). */
export async function fundedMilestone(h: Harness, amountMinor: number, clientFunds = 100_000) {
  const c = await h.liveContract({ budget: amountMinor, clientFunds, milestones: [{ description: 'The work', amountMinor }] });
  const milestoneId = c.milestoneIds[0]!;
  await h.run('fundMilestone', c.client, { milestoneId });
  return { ...c, milestoneId };
}
