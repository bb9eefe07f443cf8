import type { CommandContext } from '../context.js';
import {
  arbitrationFee, evenSplit, filerWinsShare, OPEN_STAGES, requireMediator, requireParty, requireStage, splitWinner, type FeeWinner,
} from '../dispute.js';
import { fail } from '../errors.js';
import { payOut, recordOutcome, restoreTo } from '../escrow.js';
import { accounts } from '../ledger.js';
import { guardMilestone, remainingMinor, roleOn } from '../milestone.js';
import { assertAmount, format } from '../money.js';
import { notifyDispute } from '../notices.js';
import type { Dispute, DisputeOutcome, Milestone, PartyRole, SplitApproval } from '../types.js';
import { LIMITS, addDays, text, wholeNumber } from '../validate.js';

/** Opening, negotiating, arbitrating, deciding and withdrawing disputes over a milestone's escrow. */

export async function openDispute(ctx: CommandContext, input: { milestoneId: string; reason: string; claimMinor: number }) {
  const m = await ctx.load('milestone', input.milestoneId, 'milestone');
  const role = guardMilestone('openDispute', roleOn(ctx.actor, m), m.state) as PartyRole;
  const d = await openOn(ctx, m, role, text(input.reason, LIMITS.reason, 'reason'), input.claimMinor);
  return { disputeId: d.id, deadlineAt: d.deadlineAt };
}

/** Freezes the milestone's escrow under a new dispute; shared with disputed hourly entries. */
export async function openOn(ctx: CommandContext, m: Milestone, filerRole: PartyRole, reason: string, claimInput: number): Promise<Dispute> {
  if (m.freelancerId === null) fail('INVALID_STATE', 'this milestone has no freelancer yet, so there is nobody to dispute with');
  const disputed = remainingMinor(m);
  if (disputed <= 0) fail('INVALID_STATE', 'there is nothing left in escrow to dispute');
  const claim = assertAmount(claimInput, 'claimed amount');
  if (claim > disputed) fail('AMOUNT_EXCEEDS_ESCROW', `the claim cannot exceed the ${format({ amountMinor: disputed, currency: m.currency })} in escrow`);
  const settings = await ctx.settings(m.marketplaceId);
  const respondentRole: PartyRole = filerRole === 'client' ? 'freelancer' : 'client';
  const freelancerId = m.freelancerId as string;
  const [client, freelancer, project] = await Promise.all([
    ctx.load('user', m.clientId), ctx.load('user', freelancerId), m.projectId ? ctx.tx.get('project', m.projectId) : null,
  ]);
  const d: Dispute = {
    id: ctx.id('dsp'), marketplaceId: m.marketplaceId, milestoneId: m.id,
    filerId: filerRole === 'client' ? m.clientId : (m.freelancerId as string), filerRole,
    respondentId: respondentRole === 'client' ? m.clientId : (m.freelancerId as string),
    clientId: m.clientId, freelancerId,
    searchText: [client.name, freelancer.name, project?.title ?? '', m.description].join(' ').toLowerCase(),
    category: project?.category ?? 'direct', languages: [...new Set([client.language, freelancer.language])].join(','),
    reason, claimMinor: claim, disputedMinor: disputed, currency: m.currency, stage: 'filing', outcome: null,
    deadlineAt: addDays(ctx.now, settings.respondDays[respondentRole]), arbitrationFeeMinor: arbitrationFee(disputed, settings),
    clientFeePaid: false, freelancerFeePaid: false, assignedMediatorId: null, decidedById: null, decisionReason: null,
    freelancerShareMinor: null, clientShareMinor: null, openedAt: ctx.now, closedAt: null, version: 0,
  };
  await ctx.tx.insert('dispute', [d]);
  await ctx.saveMilestone(m, { state: 'disputed', priorState: m.state, autoReleaseAt: null });
  ctx.note({ action: 'dispute.open', entityType: 'dispute', entityId: d.id, role: filerRole, reason, payload: { milestoneId: m.id, claimMinor: claim, disputedMinor: disputed, deadlineAt: d.deadlineAt } });
  notifyDispute(ctx, d, m.description, [d.respondentId], 'dispute_opened', { by: filerRole, claimMinor: claim, deadlineAt: d.deadlineAt?.toISOString() ?? null });
  return d;
}

async function loadDispute(ctx: CommandContext, disputeId: string): Promise<Dispute> {
  return ctx.load('dispute', disputeId, 'dispute');
}

/** The respondent's first answer moves the dispute from filing to negotiation and stops the default clock. */
async function markAnswered(ctx: CommandContext, d: Dispute, role: PartyRole): Promise<Dispute> {
  const isRespondent = ctx.actor.id === d.respondentId;
  if (d.stage !== 'filing' || !isRespondent) return d;
  await ctx.tx.update('dispute', d.id, d.version, { stage: 'negotiation', deadlineAt: null });
  ctx.note({ action: 'dispute.answer', entityType: 'dispute', entityId: d.id, role });
  return { ...d, stage: 'negotiation', deadlineAt: null, version: d.version + 1 };
}

export async function respondToDispute(ctx: CommandContext, input: { disputeId: string; message: string }) {
  const d = await loadDispute(ctx, input.disputeId);
  const role = requireParty(ctx.actor, d);
  if (ctx.actor.id !== d.respondentId) fail('ONLY_RESPONDENT', 'only the party the dispute was filed against can answer it');
  requireStage(d, ['filing'], 'answering');
  await addMessage(ctx, d, text(input.message, LIMITS.message, 'message'), false);
  await markAnswered(ctx, d, role);
  return { disputeId: d.id, stage: 'negotiation' as const };
}

export async function makeOffer(ctx: CommandContext, input: { disputeId: string; freelancerShareMinor: number }) {
  let d = await loadDispute(ctx, input.disputeId);
  const role = requireParty(ctx.actor, d);
  requireStage(d, ['filing', 'negotiation'], 'making an offer');
  const share = assertAmount(input.freelancerShareMinor, 'offer');
  if (share > d.disputedMinor) fail('AMOUNT_EXCEEDS_ESCROW', `an offer can be at most the ${format({ amountMinor: d.disputedMinor, currency: d.currency })} in dispute`);
  d = await markAnswered(ctx, d, role);
  // Touching the dispute's version makes two simultaneous offers or an offer racing an
  // acceptance conflict instead of interleaving.
  await ctx.tx.update('dispute', d.id, d.version, {});
  const offerId = ctx.id('off');
  await ctx.tx.insert('disputeOffer', [{ id: offerId, disputeId: d.id, byUserId: ctx.actor.id, byRole: role, freelancerShareMinor: share, at: ctx.now }]);
  ctx.note({ action: 'dispute.offer', entityType: 'dispute', entityId: d.id, role, payload: { offerId, freelancerShareMinor: share } });
  const m = await ctx.load('milestone', d.milestoneId, 'milestone');
  notifyDispute(ctx, d, m.description, [role === 'client' ? d.freelancerId : d.clientId], 'dispute_offer', { by: role, freelancerShareMinor: share, clientShareMinor: d.disputedMinor - share });
  return { offerId };
}

export async function acceptOffer(ctx: CommandContext, input: { disputeId: string; offerId?: string }) {
  const d = await loadDispute(ctx, input.disputeId);
  const role = requireParty(ctx.actor, d);
  requireStage(d, ['negotiation'], 'accepting an offer');
  const [last] = await ctx.tx.find('disputeOffer', { disputeId: d.id, byRole: role === 'client' ? 'freelancer' : 'client' }, { orderBy: { field: 'at', direction: 'desc' }, take: 1 });
  if (!last) fail('INVALID_STATE', 'the other party has not made an offer yet');
  if (input.offerId !== undefined && input.offerId !== last.id) fail('CONFLICT', 'the other party has made a newer offer; review it before accepting');
  const split = { freelancerMinor: last.freelancerShareMinor, clientMinor: d.disputedMinor - last.freelancerShareMinor };
  await settle(ctx, d, split, 'settled', 'tie', role, `accepted offer ${last.id}`);
  return { disputeId: d.id, freelancerShareMinor: split.freelancerMinor, clientShareMinor: split.clientMinor };
}

export async function payArbitrationFee(ctx: CommandContext, input: { disputeId: string }) {
  const d = await loadDispute(ctx, input.disputeId);
  const role = requireParty(ctx.actor, d);
  requireStage(d, ['negotiation', 'arbitration'], 'paying the arbitration fee');
  const alreadyPaid = role === 'client' ? d.clientFeePaid : d.freelancerFeePaid;
  if (alreadyPaid) fail('INVALID_STATE', 'you have already paid the arbitration fee');
  const wallet = accounts.wallet(ctx.actor.id, d.currency);
  const balance = await ctx.tx.balance(wallet);
  if (balance < d.arbitrationFeeMinor) {
    fail('INSUFFICIENT_FUNDS', `the arbitration fee is ${format({ amountMinor: d.arbitrationFeeMinor, currency: d.currency })} and your balance is ${format({ amountMinor: balance, currency: d.currency })}`);
  }
  await ctx.post(d.marketplaceId, d.currency, [{ from: wallet, to: accounts.disputeFee(d.id), amountMinor: d.arbitrationFeeMinor, kind: 'arbitration_fee', milestoneId: d.milestoneId, disputeId: d.id }]);
  const bothPaid = d.stage === 'arbitration';
  const settings = await ctx.settings(d.marketplaceId);
  const patch: Partial<Dispute> = {
    ...(role === 'client' ? { clientFeePaid: true } : { freelancerFeePaid: true }),
    stage: bothPaid ? 'decision' : 'arbitration',
    deadlineAt: bothPaid ? null : addDays(ctx.now, settings.arbitrationPayDays),
  };
  await ctx.tx.update('dispute', d.id, d.version, patch);
  ctx.note({ action: 'dispute.pay_fee', entityType: 'dispute', entityId: d.id, role, payload: { feeMinor: d.arbitrationFeeMinor, stage: patch.stage } });
  return { disputeId: d.id, stage: patch.stage, deadlineAt: patch.deadlineAt };
}

export async function submitEvidence(ctx: CommandContext, input: { disputeId: string; fileName: string; mediaType: string; sizeBytes: number; sha256: string; note?: string }) {
  const d = await loadDispute(ctx, input.disputeId);
  const role = requireParty(ctx.actor, d);
  requireStage(d, ['filing', 'negotiation', 'arbitration'], 'submitting evidence');
  if (!/^[0-9a-f]{64}$/.test(input.sha256)) fail('VALIDATION', 'sha256 must be 64 lowercase hexadecimal characters');
  const id = ctx.id('evd');
  await ctx.tx.insert('evidence', [{
    id, disputeId: d.id, submittedById: ctx.actor.id, fileName: text(input.fileName, LIMITS.fileName, 'file name'),
    mediaType: text(input.mediaType, LIMITS.name, 'media type'), sizeBytes: wholeNumber(input.sizeBytes, 0, 1_000_000_000, 'size'),
    sha256: input.sha256, note: text(input.note ?? '', LIMITS.reason, 'note', { allowEmpty: true }), at: ctx.now,
  }]);
  ctx.note({ action: 'dispute.evidence', entityType: 'dispute', entityId: d.id, role, payload: { evidenceId: id, sha256: input.sha256, fileName: input.fileName } });
  return { evidenceId: id };
}

async function addMessage(ctx: CommandContext, d: Dispute, body: string, internal: boolean): Promise<string> {
  const id = ctx.id('msg');
  await ctx.tx.insert('disputeMessage', [{ id, disputeId: d.id, authorKind: ctx.actor.kind === 'operator' ? 'operator' : 'user', authorId: ctx.actor.id, body, internal, at: ctx.now }]);
  return id;
}

/** Parties talk to each other and the mediator; operators may also write internal notes. */
export async function postMessage(ctx: CommandContext, input: { disputeId: string; body: string; internal?: boolean }) {
  const d = await loadDispute(ctx, input.disputeId);
  const internal = input.internal ?? false;
  let role: string;
  if (ctx.actor.kind === 'operator') role = requireMediator(ctx.actor, 'write in a dispute');
  else {
    role = requireParty(ctx.actor, d);
    if (internal) fail('NOT_PERMITTED', 'only mediators can write internal notes');
  }
  requireStage(d, OPEN_STAGES, 'writing a message');
  const id = await addMessage(ctx, d, text(input.body, LIMITS.message, 'message'), internal);
  ctx.note({ action: internal ? 'dispute.note' : 'dispute.message', entityType: 'dispute', entityId: d.id, role, payload: { messageId: id } });
  return { messageId: id };
}

export async function withdrawDispute(ctx: CommandContext, input: { disputeId: string; reason?: string }) {
  const d = await loadDispute(ctx, input.disputeId);
  const role = requireParty(ctx.actor, d);
  if (ctx.actor.id !== d.filerId) fail('ONLY_FILER', 'only the party who opened the dispute can withdraw it');
  requireStage(d, OPEN_STAGES, 'withdrawing');
  const m = await ctx.load('milestone', d.milestoneId, 'milestone');
  await refundFees(ctx, d, 'tie');
  await ctx.saveMilestone(m, await restoreTo(ctx, m, m.priorState ?? 'funded'));
  await ctx.tx.update('dispute', d.id, d.version, { stage: 'closed', outcome: 'withdrawn', deadlineAt: null, closedAt: ctx.now });
  ctx.note({ action: 'dispute.withdraw', entityType: 'dispute', entityId: d.id, role, reason: input.reason ? text(input.reason, LIMITS.reason, 'reason') : null });
  return { disputeId: d.id };
}

export async function decideDispute(ctx: CommandContext, input: { disputeId: string; freelancerShareMinor: number; clientShareMinor: number; reason: string; expectedVersion?: number }) {
  const role = requireMediator(ctx.actor, 'decide a dispute');
  const d = await loadDispute(ctx, input.disputeId);
  if (input.expectedVersion !== undefined && input.expectedVersion !== d.version) fail('CONFLICT', 'the dispute has changed since you opened it; review it again before deciding');
  requireStage(d, ['decision'], 'a decision');
  const fl = assertAmount(input.freelancerShareMinor, 'freelancer share');
  const cl = assertAmount(input.clientShareMinor, 'client share');
  if (fl + cl !== d.disputedMinor) {
    fail('SPLIT_MISMATCH', `the split adds up to ${format({ amountMinor: fl + cl, currency: d.currency })} but ${format({ amountMinor: d.disputedMinor, currency: d.currency })} is in escrow`);
  }
  const reason = text(input.reason, LIMITS.reason, 'reason');
  const [waiting] = await ctx.tx.find('splitApproval', { disputeId: d.id, status: 'pending' }, { take: 1 });
  if (waiting) fail('INVALID_STATE', 'a decision on this dispute is already waiting for a second approval');
  const settings = await ctx.settings(d.marketplaceId);
  if (d.disputedMinor > settings.splitApprovalAboveMinor) {
    // Four eyes: a large split waits for a second mediator or an admin before any money moves.
    const approval: SplitApproval = {
      id: ctx.id('apr'), disputeId: d.id, proposedById: ctx.actor.id, freelancerShareMinor: fl, clientShareMinor: cl, reason,
      status: 'pending', createdAt: ctx.now, decidedById: null, decidedAt: null, decisionReason: null, version: 0,
    };
    await ctx.tx.insert('splitApproval', [approval]);
    await ctx.tx.update('dispute', d.id, d.version, {});
    ctx.note({ action: 'dispute.decision_proposed', entityType: 'dispute', entityId: d.id, role, reason, payload: { approvalId: approval.id, freelancerShareMinor: fl, clientShareMinor: cl } });
    return { status: 'pending_approval' as const, approvalId: approval.id, disputeId: d.id, freelancerShareMinor: fl, clientShareMinor: cl };
  }
  await settle(ctx, d, { freelancerMinor: fl, clientMinor: cl }, 'decided', splitWinner(fl, cl), role, reason);
  return { status: 'decided' as const, approvalId: null, disputeId: d.id, freelancerShareMinor: fl, clientShareMinor: cl };
}

/** The second pair of eyes on a large split: another mediator or an admin approves or rejects it. */
export async function decideSplitApproval(ctx: CommandContext, input: { approvalId: string; approve: boolean; reason: string }) {
  const role = requireMediator(ctx.actor, 'approve a split');
  const a = await ctx.load('splitApproval', input.approvalId, 'approval');
  if (a.status !== 'pending') fail('INVALID_STATE', `this split was already ${a.status}`);
  if (a.proposedById === ctx.actor.id) fail('NOT_PERMITTED', 'a second person must approve this split: you proposed it');
  const reason = text(input.reason, LIMITS.reason, 'reason');
  const d = await loadDispute(ctx, a.disputeId);
  await ctx.tx.update('splitApproval', a.id, a.version, { status: input.approve ? 'approved' : 'rejected', decidedById: ctx.actor.id, decidedAt: ctx.now, decisionReason: reason });
  if (input.approve) {
    requireStage(d, ['decision'], 'a decision');
    await settle(ctx, d, { freelancerMinor: a.freelancerShareMinor, clientMinor: a.clientShareMinor }, 'decided', splitWinner(a.freelancerShareMinor, a.clientShareMinor), role, a.reason);
  }
  ctx.note({ action: input.approve ? 'dispute.decision_approved' : 'dispute.decision_rejected', entityType: 'dispute', entityId: d.id, role, reason, payload: { approvalId: a.id, proposedById: a.proposedById } });
  return { approvalId: a.id, status: input.approve ? ('approved' as const) : ('rejected' as const) };
}

export async function closeSmallClaim(ctx: CommandContext, input: { disputeId: string; reason: string }) {
  const role = requireMediator(ctx.actor, 'close a small claim');
  const d = await loadDispute(ctx, input.disputeId);
  requireStage(d, OPEN_STAGES, 'closing as a small claim');
  const settings = await ctx.settings(d.marketplaceId);
  if (d.disputedMinor >= settings.smallClaimsLimitMinor) {
    fail('NOT_SMALL_CLAIM', `only disputes under ${format({ amountMinor: settings.smallClaimsLimitMinor, currency: d.currency })} can be closed as a small claim`);
  }
  await settle(ctx, d, evenSplit(d.disputedMinor), 'small_claims', 'tie', role, text(input.reason, LIMITS.reason, 'reason'));
  return { disputeId: d.id };
}

/** A mediator takes a case, gives it up, or an admin hands it to someone. */
export async function assignDispute(ctx: CommandContext, input: { disputeId: string; mediatorId: string | null; expectedVersion?: number }) {
  const role = requireMediator(ctx.actor, 'take a case');
  const d = await loadDispute(ctx, input.disputeId);
  requireStage(d, OPEN_STAGES, 'assigning');
  if (input.expectedVersion !== undefined && input.expectedVersion !== d.version) fail('CONFLICT', 'the case has changed since you looked at it');
  if (role === 'mediator') {
    const self = ctx.actor.id;
    const claiming = input.mediatorId === self && d.assignedMediatorId === null;
    const releasing = input.mediatorId === null && d.assignedMediatorId === self;
    if (!claiming && !releasing) {
      fail(d.assignedMediatorId !== null && d.assignedMediatorId !== self ? 'CONFLICT' : 'ONLY_ADMIN',
        d.assignedMediatorId !== null && d.assignedMediatorId !== self ? 'another mediator has already taken this case' : 'only an admin can assign a case to someone else');
    }
  }
  await ctx.tx.update('dispute', d.id, d.version, { assignedMediatorId: input.mediatorId });
  ctx.note({ action: input.mediatorId ? 'dispute.assign' : 'dispute.unassign', entityType: 'dispute', entityId: d.id, role, payload: { mediatorId: input.mediatorId, previous: d.assignedMediatorId } });
  return { disputeId: d.id, assignedMediatorId: input.mediatorId, version: d.version + 1 };
}

async function refundFees(ctx: CommandContext, d: Dispute, winner: FeeWinner): Promise<void> {
  const hold = accounts.disputeFee(d.id);
  const refs = { milestoneId: d.milestoneId, disputeId: d.id };
  const legs = (['client', 'freelancer'] as const).flatMap((party) => {
    const paid = party === 'client' ? d.clientFeePaid : d.freelancerFeePaid;
    if (!paid) return [];
    const userId = party === 'client' ? (d.filerRole === 'client' ? d.filerId : d.respondentId) : (d.filerRole === 'freelancer' ? d.filerId : d.respondentId);
    const refunded = winner === 'tie' || winner === party;
    return [refunded
      ? { from: hold, to: accounts.wallet(userId, d.currency), amountMinor: d.arbitrationFeeMinor, kind: 'arbitration_fee_refund' as const, ...refs }
      : { from: hold, to: accounts.fees(d.marketplaceId, d.currency), amountMinor: d.arbitrationFeeMinor, kind: 'arbitration_fee_forfeit' as const, ...refs }];
  });
  await ctx.post(d.marketplaceId, d.currency, legs);
}

/** Pays out the frozen escrow as a split and closes the dispute; every ending but withdrawal comes here. */
export async function settle(ctx: CommandContext, d: Dispute, split: { freelancerMinor: number; clientMinor: number }, outcome: DisputeOutcome, feeWinner: FeeWinner, role: string, reason: string): Promise<void> {
  // Closing the dispute under its version comes first: of two simultaneous endings, one wins
  // here and the other is refused as a conflict before any money moves.
  await ctx.tx.update('dispute', d.id, d.version, {
    stage: 'closed', outcome, deadlineAt: null, closedAt: ctx.now, freelancerShareMinor: split.freelancerMinor, clientShareMinor: split.clientMinor,
    decidedById: ctx.actor.kind === 'operator' ? ctx.actor.id : null, decisionReason: reason,
  });
  const m = await ctx.load('milestone', d.milestoneId, 'milestone');
  if (remainingMinor(m) !== d.disputedMinor) fail('CONFLICT', 'the escrow changed while the dispute was open');
  const { milestone, commissionMinor } = await payOut(ctx, m, { ...split, disputeId: d.id }, { state: 'resolved', priorState: null });
  await refundFees(ctx, d, feeWinner);
  // An even split with an odd minor unit is still nobody's loss.
  await recordOutcome(ctx, milestone, { kind: 'dispute_split', freelancerShareMinor: split.freelancerMinor, clientShareMinor: split.clientMinor, evenSplit: outcome === 'small_claims' }, { disputeId: d.id });
  ctx.note({ action: `dispute.${outcome}`, entityType: 'dispute', entityId: d.id, role, reason, payload: { milestoneId: m.id, freelancerShareMinor: split.freelancerMinor, clientShareMinor: split.clientMinor, commissionMinor, feeWinner } });
  notifyDispute(ctx, d, m.description, [d.clientId, d.freelancerId], outcome === 'settled' ? 'dispute_settled' : 'dispute_decided', {
    outcome, freelancerShareMinor: split.freelancerMinor, clientShareMinor: split.clientMinor,
  });
}

/** Ends a dispute whose deadline passed: the filer wins if unanswered, the payer if the fee went unpaid. */
export async function settleByDefault(ctx: CommandContext, d: Dispute): Promise<void> {
  if (d.stage === 'filing') {
    const fl = filerWinsShare(d);
    await settle(ctx, d, { freelancerMinor: fl, clientMinor: d.disputedMinor - fl }, 'default_no_response', d.filerRole, 'system', 'the respondent did not answer in time');
    return;
  }
  if (d.stage === 'arbitration') {
    const payer: PartyRole = d.clientFeePaid ? 'client' : 'freelancer';
    const fl = payer === d.filerRole ? filerWinsShare(d) : payer === 'freelancer' ? d.disputedMinor : 0;
    await settle(ctx, d, { freelancerMinor: fl, clientMinor: d.disputedMinor - fl }, 'default_fee_unpaid', payer, 'system', 'the other party did not pay the arbitration fee in time');
  }
}
