import type { CommandContext } from '../context.js';
import { fail } from '../errors.js';
import { fundFromClient, payOut } from '../escrow.js';
import { assertCurrency, assertPositive, format, sum } from '../money.js';
import type { Bid, ContractKind, Milestone } from '../types.js';
import { LIMITS, optionalDate, text } from '../validate.js';

/** Projects, bids with proposed milestones, awards and contracts; funds reserved before award. */

export async function postProject(
  ctx: CommandContext,
  input: { title: string; description: string; category?: string; kind?: ContractKind; budgetMinor: number; currency: string },
) {
  const client = await ctx.actingUser();
  const kind = input.kind ?? 'fixed';
  if (kind !== 'fixed' && kind !== 'hourly') fail('VALIDATION', 'kind must be fixed or hourly');
  const id = ctx.id('prj');
  await ctx.tx.insert('project', [
    {
      id,
      marketplaceId: client.marketplaceId,
      clientId: client.id,
      title: text(input.title, LIMITS.title, 'title'),
      description: text(input.description, LIMITS.description, 'description', { allowEmpty: true }),
      category: text(input.category ?? 'general', LIMITS.name, 'category'),
      kind,
      budgetMinor: assertPositive(input.budgetMinor, 'budget'),
      currency: assertCurrency(input.currency),
      status: 'open',
      awardedBidId: null,
      createdAt: ctx.now,
      version: 0,
    },
  ]);
  ctx.note({ action: 'project.post', entityType: 'project', entityId: id, role: 'client', payload: { budgetMinor: input.budgetMinor, currency: input.currency, kind } });
  return { projectId: id };
}

type ProposedMilestone = { description: string; amountMinor: number; deadlineAt?: Date | null };

export async function placeBid(ctx: CommandContext, input: { projectId: string; amountMinor: number; proposal: string; milestones?: ProposedMilestone[] }) {
  const freelancer = await ctx.actingUser();
  const project = await ctx.load('project', input.projectId, 'project');
  if (project.marketplaceId !== freelancer.marketplaceId) fail('NOT_FOUND', `no project ${input.projectId}`);
  if (project.clientId === freelancer.id) fail('NOT_PERMITTED', 'a client cannot bid on their own project');
  if (project.status !== 'open') fail('INVALID_STATE', 'this project is no longer open for bids');
  const amount = assertPositive(input.amountMinor, 'bid amount');
  const proposed = input.milestones ?? [];
  if (proposed.length > LIMITS.milestonesPerBid) {
    fail('TOO_MANY_MILESTONES', `a bid can propose at most ${LIMITS.milestonesPerBid} milestones`, { count: proposed.length });
  }
  const amounts = proposed.map((p, i) => assertPositive(p.amountMinor, `milestone ${i + 1} amount`));
  // Hourly bids are a rate, so proposed milestones only have to add up on fixed-price work.
  if (proposed.length > 0 && project.kind === 'fixed' && sum(amounts) !== amount) {
    fail('BID_MILESTONES_MISMATCH', `the proposed milestones add up to ${format({ amountMinor: sum(amounts), currency: project.currency })}, not the bid of ${format({ amountMinor: amount, currency: project.currency })}`);
  }
  const existing = await ctx.tx.find('bid', { projectId: project.id, freelancerId: freelancer.id }, { take: 1 });
  if (existing.length > 0) fail('ALREADY_EXISTS', 'you have already bid on this project');
  const bidId = ctx.id('bid');
  await ctx.tx.insert('bid', [
    { id: bidId, projectId: project.id, freelancerId: freelancer.id, amountMinor: amount, currency: project.currency, proposal: text(input.proposal, LIMITS.description, 'proposal'), status: 'active', createdAt: ctx.now, version: 0 },
  ]);
  await ctx.tx.insert(
    'bidMilestone',
    proposed.map((p, i) => ({
      id: ctx.id('bms'),
      bidId,
      position: i + 1,
      description: text(p.description, LIMITS.description, `milestone ${i + 1} description`),
      amountMinor: amounts[i]!,
      deadlineAt: optionalDate(p.deadlineAt, `milestone ${i + 1} deadline`),
    })),
  );
  ctx.note({ action: 'bid.place', entityType: 'bid', entityId: bidId, role: 'freelancer', payload: { projectId: project.id, amountMinor: amount, proposedMilestones: proposed.length } });
  return { bidId };
}

async function clientBid(ctx: CommandContext, bidId: string) {
  const bid = await ctx.load('bid', bidId, 'bid');
  const project = await ctx.load('project', bid.projectId, 'project');
  if (ctx.actor.kind !== 'user' || ctx.actor.id !== project.clientId) fail('ONLY_CLIENT', 'only the client who posted the project can do this');
  return { bid, project };
}

export async function shortlistBid(ctx: CommandContext, input: { bidId: string }) {
  const { bid } = await clientBid(ctx, input.bidId);
  if (bid.status !== 'active') fail('INVALID_STATE', `a bid that is ${bid.status} cannot be shortlisted`);
  await ctx.tx.update('bid', bid.id, bid.version, { status: 'shortlisted' });
  ctx.note({ action: 'bid.shortlist', entityType: 'bid', entityId: bid.id, role: 'client' });
  return { bidId: bid.id };
}

function isAwardable(bid: Bid): boolean {
  return bid.status === 'active' || bid.status === 'shortlisted';
}

export async function awardBid(ctx: CommandContext, input: { bidId: string; acceptProposedMilestones?: boolean }) {
  const { bid, project } = await clientBid(ctx, input.bidId);
  if (project.status !== 'open') fail('INVALID_STATE', 'this project has already been awarded or closed');
  if (!isAwardable(bid)) fail('INVALID_STATE', `a bid that is ${bid.status} cannot be awarded`);
  await ctx.tx.update('bid', bid.id, bid.version, { status: 'awarded' });
  await ctx.tx.update('project', project.id, project.version, { status: 'awarded', awardedBidId: bid.id });
  const contractId = ctx.id('ctr');
  await ctx.tx.insert('contract', [
    {
      id: contractId,
      marketplaceId: project.marketplaceId,
      projectId: project.id,
      bidId: bid.id,
      clientId: project.clientId,
      freelancerId: bid.freelancerId,
      currency: project.currency,
      kind: project.kind,
      hourlyRateMinor: project.kind === 'hourly' ? bid.amountMinor : null,
      status: 'proposal',
      createdAt: ctx.now,
      liveAt: null,
      version: 0,
    },
  ]);
  const created: string[] = [];
  if (input.acceptProposedMilestones) {
    const proposed = await ctx.tx.find('bidMilestone', { bidId: bid.id }, { orderBy: { field: 'position', direction: 'asc' }, take: LIMITS.milestonesPerBid });
    const rows: Milestone[] = proposed.map((p) => newMilestone(ctx, {
      marketplaceId: project.marketplaceId, projectId: project.id, contractId, clientId: project.clientId, freelancerId: bid.freelancerId,
      description: p.description, amountMinor: p.amountMinor, currency: project.currency, deadlineAt: p.deadlineAt, origin: 'bid', state: 'approved',
    }));
    await ctx.insertMilestones(rows);
    created.push(...rows.map((r) => r.id));
  }
  // Funds the client reserved before the award, and still holds in escrow, now belong to this
  // contract's freelancer; a reservation already withdrawn stays the client's.
  const reserved = await ctx.tx.find('milestone', { projectId: project.id, origin: 'reserve', freelancerId: null, state: 'funded' }, { take: 100 });
  for (const m of reserved) {
    await ctx.saveMilestone(m, { freelancerId: bid.freelancerId, contractId });
  }
  ctx.note({ action: 'bid.award', entityType: 'bid', entityId: bid.id, role: 'client', payload: { contractId, projectId: project.id, milestones: created, reservedMilestones: reserved.map((m) => m.id) } });
  return { contractId, milestoneIds: created };
}

export async function goLive(ctx: CommandContext, input: { contractId: string }) {
  const contract = await ctx.load('contract', input.contractId, 'contract');
  if (ctx.actor.kind !== 'user' || ctx.actor.id !== contract.clientId) fail('ONLY_CLIENT', 'only the client can make the contract live');
  if (contract.status !== 'proposal') fail('INVALID_STATE', `a contract that is ${contract.status} cannot be made live`);
  await ctx.tx.update('contract', contract.id, contract.version, { status: 'live', liveAt: ctx.now });
  ctx.note({ action: 'contract.live', entityType: 'contract', entityId: contract.id, role: 'client' });
  return { contractId: contract.id };
}

/** A client sets money aside on a posted project before awarding it, to show bidders it is serious. */
export async function reserveFunds(ctx: CommandContext, input: { projectId: string; amountMinor: number; description: string }) {
  const project = await ctx.load('project', input.projectId, 'project');
  if (ctx.actor.kind !== 'user' || ctx.actor.id !== project.clientId) fail('ONLY_CLIENT', 'only the client who posted the project can reserve funds for it');
  if (project.status !== 'open') fail('INVALID_STATE', 'funds can only be reserved on a project that is still open');
  const m = newMilestone(ctx, {
    marketplaceId: project.marketplaceId, projectId: project.id, contractId: null, clientId: project.clientId, freelancerId: null,
    description: text(input.description, LIMITS.description, 'description'), amountMinor: assertPositive(input.amountMinor), currency: project.currency,
    deadlineAt: null, origin: 'reserve', state: 'approved',
  });
  await ctx.insertMilestones([m]);
  const funded = await fundFromClient(ctx, m);
  ctx.note({ action: 'project.reserve_funds', entityType: 'milestone', entityId: m.id, role: 'client', payload: { projectId: project.id, amountMinor: m.amountMinor } });
  return { milestoneId: funded.id };
}

/** Nobody is protected by a reservation on an unawarded project, so its client may take it back. */
export async function withdrawReservation(ctx: CommandContext, input: { milestoneId: string; reason?: string }) {
  const m = await ctx.load('milestone', input.milestoneId, 'milestone');
  if (ctx.actor.kind !== 'user' || ctx.actor.id !== m.clientId) fail('ONLY_CLIENT', 'only the client can withdraw a reservation');
  if (m.origin !== 'reserve' || m.freelancerId !== null || m.state !== 'funded') {
    fail('INVALID_STATE', 'only funds reserved on a project not yet awarded can be withdrawn; once awarded, only the freelancer can cancel');
  }
  const { milestone } = await payOut(ctx, m, { freelancerMinor: 0, clientMinor: m.fundedMinor - m.releasedMinor - m.refundedMinor }, { state: 'cancelled', cancelledBy: m.clientId });
  ctx.note({ action: 'project.withdraw_reservation', entityType: 'milestone', entityId: m.id, role: 'client', reason: input.reason ?? null, payload: { refundedMinor: milestone.refundedMinor } });
  return { milestoneId: m.id };
}

export function newMilestone(
  ctx: CommandContext,
  f: Pick<Milestone, 'marketplaceId' | 'projectId' | 'contractId' | 'clientId' | 'freelancerId' | 'description' | 'amountMinor' | 'currency' | 'deadlineAt' | 'origin' | 'state'>,
): Milestone {
  return {
    id: ctx.id('mst'),
    ...f,
    priorState: null,
    cancelledBy: null,
    cancelNoFault: false,
    fundedMinor: 0,
    releasedMinor: 0,
    refundedMinor: 0,
    feeMinor: 0,
    autoReleaseAt: null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 0,
  };
}
