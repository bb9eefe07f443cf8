import type { CommandContext } from '../context.js';
import { fail } from '../errors.js';
import { payOut, recordOutcome, reinstateFromClient, restoreTo } from '../escrow.js';
import { guardMilestone, remainingMinor, roleOn } from '../milestone.js';
import { notifyMilestone } from '../notices.js';
import type { Milestone, StaffCancellation } from '../types.js';
import { LIMITS, text } from '../validate.js';

/**
 * Cancellations by platform staff: refunded at once below the four-eyes threshold, otherwise
 * held until an admin approves; an admin can later override (reinstate) an applied one.
 */

function requireAdmin(ctx: CommandContext, what: string): void {
  if (ctx.actor.kind !== 'operator' || ctx.actor.role !== 'admin') fail('ONLY_ADMIN', `only an admin can ${what}`);
}

async function applyCancellation(ctx: CommandContext, m: Milestone, c: Pick<StaffCancellation, 'noFault' | 'operatorId' | 'priorState'>): Promise<number> {
  const refund = remainingMinor(m);
  const { milestone } = await payOut(ctx, m, { freelancerMinor: 0, clientMinor: refund }, {
    state: 'cancelled', priorState: c.priorState, cancelledBy: c.operatorId, cancelNoFault: c.noFault, autoReleaseAt: null,
  });
  await recordOutcome(ctx, milestone, { kind: 'cancelled_by_staff', noFault: c.noFault });
  notifyMilestone(ctx, m, [m.clientId, m.freelancerId], 'milestone_cancelled', { by: 'staff', refundedMinor: refund });
  return refund;
}

export async function staffCancel(ctx: CommandContext, input: { milestoneId: string; reason: string; noFault?: boolean }) {
  const m = await ctx.load('milestone', input.milestoneId, 'milestone');
  const role = guardMilestone('staffCancel', roleOn(ctx.actor, m), m.state);
  const reason = text(input.reason, LIMITS.reason, 'reason');
  const settings = await ctx.settings(m.marketplaceId);
  const amount = remainingMinor(m);
  const needsApproval = amount > settings.staffCancelApprovalAboveMinor;
  const c: StaffCancellation = {
    id: ctx.id('scx'), milestoneId: m.id, operatorId: ctx.actor.id, reason, amountMinor: amount, currency: m.currency,
    status: needsApproval ? 'pending_approval' : 'applied', priorState: m.state, noFault: input.noFault ?? false,
    createdAt: ctx.now, decidedById: null, decidedAt: null, decisionReason: null, version: 0,
  };
  await ctx.tx.insert('staffCancellation', [c]);
  if (needsApproval) {
    await ctx.saveMilestone(m, { state: 'cancel_pending', priorState: m.state, autoReleaseAt: null });
  } else {
    await applyCancellation(ctx, m, c);
  }
  ctx.note({ action: needsApproval ? 'milestone.staff_cancel_requested' : 'milestone.staff_cancel', entityType: 'milestone', entityId: m.id, role, reason, payload: { cancellationId: c.id, amountMinor: amount, noFault: c.noFault } });
  return { cancellationId: c.id, status: c.status };
}

export async function decideStaffCancellation(ctx: CommandContext, input: { cancellationId: string; approve: boolean; reason: string }) {
  requireAdmin(ctx, 'approve or reject a staff cancellation');
  const c = await ctx.load('staffCancellation', input.cancellationId, 'cancellation');
  if (c.status !== 'pending_approval') fail('INVALID_STATE', `this cancellation is ${c.status.replace('_', ' ')}, not waiting for approval`);
  if (c.operatorId === ctx.actor.id) fail('NOT_PERMITTED', 'a second person must approve a cancellation: you requested this one');
  const reason = text(input.reason, LIMITS.reason, 'reason');
  const m = await ctx.load('milestone', c.milestoneId, 'milestone');
  if (m.state !== 'cancel_pending') fail('CONFLICT', 'the milestone is no longer waiting for this cancellation');
  let refundedMinor = 0;
  if (input.approve) {
    refundedMinor = await applyCancellation(ctx, m, c);
  } else {
    await ctx.saveMilestone(m, await restoreTo(ctx, m, c.priorState));
  }
  await ctx.tx.update('staffCancellation', c.id, c.version, { status: input.approve ? 'applied' : 'rejected', decidedById: ctx.actor.id, decidedAt: ctx.now, decisionReason: reason });
  ctx.note({ action: input.approve ? 'cancellation.approve' : 'cancellation.reject', entityType: 'milestone', entityId: m.id, role: 'admin', reason, payload: { cancellationId: c.id, refundedMinor } });
  return { cancellationId: c.id, status: input.approve ? 'applied' : 'rejected', refundedMinor };
}

/** Reinstates a staff-cancelled milestone: back to its earlier state, its refund escrowed again. */
export async function overrideStaffCancellation(ctx: CommandContext, input: { cancellationId: string; reason: string }) {
  requireAdmin(ctx, 'override a staff cancellation');
  const c = await ctx.load('staffCancellation', input.cancellationId, 'cancellation');
  if (c.status !== 'applied') fail('INVALID_STATE', `only an applied cancellation can be overridden; this one is ${c.status.replace('_', ' ')}`);
  const reason = text(input.reason, LIMITS.reason, 'reason');
  const m = await ctx.load('milestone', c.milestoneId, 'milestone');
  if (m.state !== 'cancelled') fail('CONFLICT', 'the milestone has changed since it was cancelled');
  const restored = await reinstateFromClient(ctx, m, c.amountMinor, await restoreTo(ctx, m, c.priorState, { cancelledBy: null, cancelNoFault: false }));
  await recordOutcome(ctx, restored, { kind: 'cancellation_reinstated', noFault: m.cancelNoFault });
  await ctx.tx.update('staffCancellation', c.id, c.version, { status: 'overridden', decidedById: ctx.actor.id, decidedAt: ctx.now, decisionReason: reason });
  ctx.note({ action: 'cancellation.override', entityType: 'milestone', entityId: m.id, role: 'admin', reason, payload: { cancellationId: c.id, reinstatedMinor: c.amountMinor, state: c.priorState } });
  return { milestoneId: m.id, state: restored.state, reinstatedMinor: c.amountMinor };
}

/** Staff mark a cancellation as nobody's fault, so it stops counting against the freelancer. */
export async function markCancellationNoFault(ctx: CommandContext, input: { milestoneId: string; reason: string }) {
  if (ctx.actor.kind !== 'operator' || (ctx.actor.role !== 'staff' && ctx.actor.role !== 'admin')) fail('ONLY_STAFF', 'only platform staff can mark a cancellation no-fault');
  const m = await ctx.load('milestone', input.milestoneId, 'milestone');
  if (m.state !== 'cancelled' || m.freelancerId === null) fail('INVALID_STATE', 'only a cancelled milestone can be marked no-fault');
  if (m.cancelNoFault) fail('INVALID_STATE', 'this cancellation is already marked no-fault');
  const reason = text(input.reason, LIMITS.reason, 'reason');
  const next = await ctx.saveMilestone(m, { cancelNoFault: true });
  await recordOutcome(ctx, next, { kind: 'cancellation_marked_no_fault' });
  ctx.note({ action: 'cancellation.no_fault', entityType: 'milestone', entityId: m.id, role: ctx.actor.role, reason });
  return { milestoneId: m.id };
}
