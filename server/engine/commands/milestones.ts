import type { CommandContext } from '../context.js';
import { fail } from '../errors.js';
import { fundFromClient, payOut, recordOutcome } from '../escrow.js';
import { guardMilestone, remainingMinor, type MilestoneCommand, type Role, roleOn } from '../milestone.js';
import { assertAmount, assertCurrency, assertPositive, format } from '../money.js';
import type { Contract, Milestone } from '../types.js';
import { LIMITS, addDays, optionalDate, text } from '../validate.js';
import { notifyMilestone } from '../notices.js';
import { newMilestone } from './projects.js';

/** The life of one milestone: creation in its several ways, approval, payment, release, cancellation. */

async function loadFor(ctx: CommandContext, milestoneId: string, command: MilestoneCommand): Promise<{ m: Milestone; role: Role }> {
  const m = await ctx.load('milestone', milestoneId, 'milestone');
  const role = guardMilestone(command, roleOn(ctx.actor, m), m.state);
  return { m, role };
}

async function contractOf(ctx: CommandContext, m: Milestone): Promise<Contract | null> {
  return m.contractId === null ? null : ctx.load('contract', m.contractId, 'contract');
}

function requireLive(contract: Contract | null, what: string): void {
  if (contract !== null && contract.status !== 'live') fail('CONTRACT_NOT_LIVE', `the contract must be live before ${what}`);
}

async function contractParty(ctx: CommandContext, contractId: string): Promise<{ contract: Contract; role: 'client' | 'freelancer' }> {
  const contract = await ctx.load('contract', contractId, 'contract');
  if (ctx.actor.kind === 'user' && ctx.actor.id === contract.clientId) return { contract, role: 'client' };
  if (ctx.actor.kind === 'user' && ctx.actor.id === contract.freelancerId) return { contract, role: 'freelancer' };
  return fail('ONLY_PARTY', 'only the client or the freelancer of this contract can add milestones to it');
}

type NewMilestoneInput = { contractId: string; description: string; amountMinor: number; deadlineAt?: Date | null };

function fromContract(ctx: CommandContext, contract: Contract, input: NewMilestoneInput, origin: Milestone['origin'], state: Milestone['state']): Milestone {
  if (contract.status === 'ended') fail('INVALID_STATE', 'this contract has ended');
  return newMilestone(ctx, {
    marketplaceId: contract.marketplaceId, projectId: contract.projectId, contractId: contract.id, clientId: contract.clientId, freelancerId: contract.freelancerId,
    description: text(input.description, LIMITS.description, 'description'), amountMinor: assertPositive(input.amountMinor), currency: contract.currency,
    deadlineAt: optionalDate(input.deadlineAt, 'deadline'), origin, state,
  });
}

/**
 * Creates a milestone on a contract, by whoever the marketplace says creates them. A client's
 * milestone waits for the freelancer's approval unless the skip option is on; with it, the
 * client may pay it in the same step.
 */
export async function createMilestone(ctx: CommandContext, input: NewMilestoneInput & { fundNow?: boolean }) {
  const { contract, role } = await contractParty(ctx, input.contractId);
  const settings = await ctx.settings(contract.marketplaceId);
  if (settings.milestoneCreator !== role) {
    fail('SETTING_DISABLED', role === 'client'
      ? 'on this marketplace freelancers create milestones; the client pays them'
      : 'on this marketplace clients create milestones; send the client a milestone request instead');
  }
  const skip = role === 'client' && settings.clientOptions.skipFreelancerApproval;
  const state = role === 'freelancer' || skip ? 'approved' : 'pending_approval';
  let m = fromContract(ctx, contract, input, role, state);
  await ctx.insertMilestones([m]);
  if (input.fundNow) {
    if (role !== 'client' || state !== 'approved') fail('INVALID_STATE', 'a milestone can be paid as it is created only by a client on a marketplace that skips the freelancer’s approval');
    requireLive(contract, 'a milestone can be paid');
    m = await fundFromClient(ctx, m);
  }
  ctx.note({ action: 'milestone.create', entityType: 'milestone', entityId: m.id, role, payload: { contractId: contract.id, amountMinor: m.amountMinor, state: m.state } });
  if (role === 'freelancer') notifyMilestone(ctx, m, [m.clientId], 'milestone_created');
  else if (m.state === 'pending_approval') notifyMilestone(ctx, m, [m.freelancerId], 'milestone_to_review');
  else if (m.state === 'funded') notifyMilestone(ctx, m, [m.freelancerId], 'milestone_funded');
  return { milestoneId: m.id, state: m.state };
}

/** A freelancer asks the client for a milestone; the client decides whether it becomes one. */
export async function requestMilestone(ctx: CommandContext, input: NewMilestoneInput) {
  const { contract, role } = await contractParty(ctx, input.contractId);
  if (role !== 'freelancer') fail('ONLY_FREELANCER', 'only the freelancer can request a milestone');
  const m = fromContract(ctx, contract, input, 'request', 'requested');
  await ctx.insertMilestones([m]);
  ctx.note({ action: 'milestone.request', entityType: 'milestone', entityId: m.id, role, payload: { contractId: contract.id, amountMinor: m.amountMinor } });
  notifyMilestone(ctx, m, [m.clientId], 'milestone_requested');
  return { milestoneId: m.id };
}

/** A client pays a user directly, without a project: the milestone is born in escrow. */
export async function createDirectMilestone(ctx: CommandContext, input: { freelancerId: string; description: string; amountMinor: number; currency: string }) {
  const client = await ctx.actingUser();
  const freelancer = await ctx.load('user', input.freelancerId, 'user');
  if (freelancer.marketplaceId !== client.marketplaceId) fail('NOT_FOUND', `no user ${input.freelancerId}`);
  if (freelancer.id === client.id) fail('VALIDATION', 'a milestone cannot be paid to yourself');
  const m = newMilestone(ctx, {
    marketplaceId: client.marketplaceId, projectId: null, contractId: null, clientId: client.id, freelancerId: freelancer.id,
    description: text(input.description, LIMITS.description, 'description'), amountMinor: assertPositive(input.amountMinor), currency: assertCurrency(input.currency),
    deadlineAt: null, origin: 'direct', state: 'approved',
  });
  await ctx.insertMilestones([m]);
  await fundFromClient(ctx, m);
  ctx.note({ action: 'milestone.create_direct', entityType: 'milestone', entityId: m.id, role: 'client', payload: { freelancerId: freelancer.id, amountMinor: m.amountMinor, currency: m.currency } });
  notifyMilestone(ctx, m, [freelancer.id], 'milestone_funded');
  return { milestoneId: m.id };
}

export async function approveMilestone(ctx: CommandContext, input: { milestoneId: string }) {
  const { m, role } = await loadFor(ctx, input.milestoneId, 'approve');
  const settings = await ctx.settings(m.marketplaceId);
  let next = await ctx.saveMilestone(m, { state: 'approved' });
  let payment: 'taken' | 'not_taken' | 'not_configured' = 'not_configured';
  // With this option the client pays when the freelancer approves; a client short of funds
  // must not block the approval itself, so the milestone then waits approved and unpaid.
  if (settings.clientOptions.takePaymentOnFreelancerApproval) {
    const contract = await contractOf(ctx, m);
    const balance = await ctx.tx.balance(ctx.walletOf(m.clientId, m.currency));
    if ((contract === null || contract.status === 'live') && balance >= m.amountMinor) {
      next = await fundFromClient(ctx, next);
      payment = 'taken';
    } else {
      payment = 'not_taken';
    }
  }
  ctx.note({ action: 'milestone.approve', entityType: 'milestone', entityId: m.id, role, payload: { payment } });
  notifyMilestone(ctx, m, [m.clientId], 'milestone_approved', { paymentTaken: payment === 'taken' ? true : null });
  if (payment === 'taken') notifyMilestone(ctx, m, [m.freelancerId], 'milestone_funded');
  return { milestoneId: m.id, state: next.state, payment };
}

export async function declineMilestone(ctx: CommandContext, input: { milestoneId: string; message: string }) {
  const { m, role } = await loadFor(ctx, input.milestoneId, 'decline');
  await ctx.saveMilestone(m, { state: 'declined' });
  ctx.note({ action: 'milestone.decline', entityType: 'milestone', entityId: m.id, role, reason: text(input.message, LIMITS.reason, 'message') });
  return { milestoneId: m.id };
}

export async function acceptRequest(ctx: CommandContext, input: { milestoneId: string; fundNow?: boolean }) {
  const { m, role } = await loadFor(ctx, input.milestoneId, 'acceptRequest');
  let next = await ctx.saveMilestone(m, { state: 'approved' });
  if (input.fundNow) {
    requireLive(await contractOf(ctx, m), 'a milestone can be paid');
    next = await fundFromClient(ctx, next);
  }
  ctx.note({ action: 'milestone.accept_request', entityType: 'milestone', entityId: m.id, role, payload: { state: next.state } });
  notifyMilestone(ctx, m, [m.freelancerId], next.state === 'funded' ? 'milestone_funded' : 'milestone_approved', next.state === 'funded' ? {} : { paymentTaken: null });
  return { milestoneId: m.id, state: next.state };
}

export async function declineRequest(ctx: CommandContext, input: { milestoneId: string; reason: string }) {
  const { m, role } = await loadFor(ctx, input.milestoneId, 'declineRequest');
  await ctx.saveMilestone(m, { state: 'declined' });
  ctx.note({ action: 'milestone.decline_request', entityType: 'milestone', entityId: m.id, role, reason: text(input.reason, LIMITS.reason, 'reason') });
  return { milestoneId: m.id };
}

export async function fundMilestone(ctx: CommandContext, input: { milestoneId: string }) {
  const { m, role } = await loadFor(ctx, input.milestoneId, 'fund');
  requireLive(await contractOf(ctx, m), 'a milestone can be paid');
  const next = await fundFromClient(ctx, m);
  ctx.note({ action: 'milestone.fund', entityType: 'milestone', entityId: m.id, role, payload: { amountMinor: m.amountMinor, currency: m.currency } });
  notifyMilestone(ctx, m, [m.freelancerId], 'milestone_funded');
  return { milestoneId: m.id, state: next.state };
}

export async function markComplete(ctx: CommandContext, input: { milestoneId: string }) {
  const { m, role } = await loadFor(ctx, input.milestoneId, 'markComplete');
  const settings = await ctx.settings(m.marketplaceId);
  const autoReleaseAt = settings.autoReleaseDays > 0 ? addDays(ctx.now, settings.autoReleaseDays) : null;
  await ctx.saveMilestone(m, { state: 'completed', autoReleaseAt });
  ctx.note({ action: 'milestone.complete', entityType: 'milestone', entityId: m.id, role, payload: { autoReleaseAt } });
  notifyMilestone(ctx, m, [m.clientId], 'milestone_completed', { autoReleaseAt: autoReleaseAt?.toISOString() ?? null });
  return { milestoneId: m.id, autoReleaseAt };
}

export async function requestRevision(ctx: CommandContext, input: { milestoneId: string; message: string }) {
  const { m, role } = await loadFor(ctx, input.milestoneId, 'requestRevision');
  await ctx.saveMilestone(m, { state: 'funded', autoReleaseAt: null });
  ctx.note({ action: 'milestone.request_revision', entityType: 'milestone', entityId: m.id, role, reason: text(input.message, LIMITS.reason, 'message') });
  return { milestoneId: m.id };
}

/**
 * Releases all or part of what remains. A part may go at any time (staggered payment); the
 * whole is the client's approval of the work, which waits for the freelancer to mark it
 * complete unless the marketplace skips that step. A release is final.
 */
export async function releaseMilestone(ctx: CommandContext, input: { milestoneId: string; amountMinor?: number }) {
  const { m, role } = await loadFor(ctx, input.milestoneId, 'release');
  return release(ctx, m, role, input.amountMinor, 'milestone.release');
}

async function release(ctx: CommandContext, m: Milestone, role: Role, amountInput: number | undefined, action: string) {
  const remaining = remainingMinor(m);
  const amount = amountInput === undefined ? remaining : assertPositive(assertAmount(amountInput));
  if (amount > remaining) fail('AMOUNT_EXCEEDS_ESCROW', `only ${format({ amountMinor: remaining, currency: m.currency })} remains in escrow`, { remainingMinor: remaining });
  const full = amount === remaining;
  if (full && m.state === 'funded' && role === 'client') {
    const settings = await ctx.settings(m.marketplaceId);
    if (!settings.clientOptions.skipFreelancerApproval) {
      fail('INVALID_STATE', 'the freelancer has not marked this milestone complete yet; until then only a part of it can be released');
    }
  }
  const { milestone, commissionMinor } = await payOut(ctx, m, { freelancerMinor: amount, clientMinor: 0 }, full ? { state: 'released', autoReleaseAt: null } : {});
  if (full) await recordOutcome(ctx, milestone, { kind: 'released' });
  ctx.note({ action, entityType: 'milestone', entityId: m.id, role, payload: { amountMinor: amount, commissionMinor, full, remainingMinor: remaining - amount } });
  notifyMilestone(ctx, m, [m.freelancerId], 'milestone_released', {
    releasedMinor: amount, commissionMinor, receivedMinor: amount - commissionMinor, remainingMinor: full ? null : remaining - amount,
  });
  return { milestoneId: m.id, releasedMinor: amount, commissionMinor, state: milestone.state };
}

export async function autoRelease(ctx: CommandContext, m: Milestone) {
  guardMilestone('autoRelease', roleOn(ctx.actor, m), m.state);
  return release(ctx, m, 'system', undefined, 'milestone.auto_release');
}

/** Only the freelancer can return a paid milestone: the client is refunded what remains. */
export async function cancelMilestone(ctx: CommandContext, input: { milestoneId: string; reason?: string }) {
  const { m, role } = await loadFor(ctx, input.milestoneId, 'cancel');
  const remaining = remainingMinor(m);
  const { milestone } = await payOut(ctx, m, { freelancerMinor: 0, clientMinor: remaining }, { state: 'cancelled', priorState: m.state, cancelledBy: m.freelancerId, autoReleaseAt: null });
  await recordOutcome(ctx, milestone, { kind: 'cancelled_by_freelancer' });
  ctx.note({ action: 'milestone.cancel', entityType: 'milestone', entityId: m.id, role, reason: input.reason ? text(input.reason, LIMITS.reason, 'reason') : null, payload: { refundedMinor: remaining } });
  notifyMilestone(ctx, m, [m.clientId, m.freelancerId], 'milestone_cancelled', { by: 'freelancer', refundedMinor: remaining });
  return { milestoneId: m.id, refundedMinor: remaining };
}

/**
 * Deleting is for milestones nobody has paid. Each side may delete what it proposed while the
 * other has not agreed; a client deletes an agreed milestone only where the marketplace allows.
 */
export async function deleteMilestone(ctx: CommandContext, input: { milestoneId: string }) {
  const { m, role } = await loadFor(ctx, input.milestoneId, 'delete');
  if (role === 'client' && m.state === 'approved') {
    const settings = await ctx.settings(m.marketplaceId);
    if (!settings.clientOptions.allowDeleteBeforePaid) fail('SETTING_DISABLED', 'this marketplace does not let clients delete milestones the freelancer has agreed to');
  }
  if (role === 'client' && m.state === 'requested') fail('INVALID_STATE', 'decline the freelancer’s request instead of deleting it');
  if (role === 'freelancer' && (m.state === 'pending_approval' || m.state === 'declined')) fail('ONLY_CLIENT', 'only the client can delete a milestone they created');
  if (role === 'freelancer' && m.state === 'approved' && m.origin !== 'freelancer') fail('ONLY_CLIENT', 'only the client can delete a milestone they agreed to');
  await ctx.saveMilestone(m, { state: 'deleted', priorState: m.state });
  ctx.note({ action: 'milestone.delete', entityType: 'milestone', entityId: m.id, role });
  return { milestoneId: m.id };
}
