import type { CommandContext } from '../context.js';
import { fail } from '../errors.js';
import { fundFromClient } from '../escrow.js';
import { hourlyAmount, sum } from '../money.js';
import type { Contract, TimeEntry } from '../types.js';
import { LIMITS, addDays, isoDay, text, wholeNumber } from '../validate.js';
import { openOn } from './disputes.js';
import { newMilestone } from './projects.js';

/**
 * Work diaries on hourly contracts. Time is kept in whole minutes so that billing is exact:
 * approved entries are billed into escrow as one milestone and released after the review
 * window; disputed entries are billed into escrow and go straight to a dispute.
 */

async function hourlyContract(ctx: CommandContext, contractId: string): Promise<Contract> {
  const contract = await ctx.load('contract', contractId, 'contract');
  if (contract.kind !== 'hourly' || contract.hourlyRateMinor === null) fail('INVALID_STATE', 'work diaries are kept only on hourly contracts');
  if (contract.status !== 'live') fail('CONTRACT_NOT_LIVE', 'the contract must be live to log or review time');
  return contract;
}

export async function logTime(ctx: CommandContext, input: { contractId: string; day: string; minutes: number; memo: string }) {
  const contract = await hourlyContract(ctx, input.contractId);
  if (ctx.actor.kind !== 'user' || ctx.actor.id !== contract.freelancerId) fail('ONLY_FREELANCER', 'only the freelancer can log time');
  const entry: TimeEntry = {
    id: ctx.id('tim'), contractId: contract.id, freelancerId: contract.freelancerId, day: isoDay(input.day, 'day'),
    minutes: wholeNumber(input.minutes, 1, LIMITS.minutesPerEntry, 'minutes'), memo: text(input.memo, LIMITS.reason, 'memo'),
    status: 'logged', milestoneId: null, createdAt: ctx.now, version: 0,
  };
  await ctx.tx.insert('timeEntry', [entry]);
  ctx.note({ action: 'time.log', entityType: 'contract', entityId: contract.id, role: 'freelancer', payload: { entryId: entry.id, day: entry.day, minutes: entry.minutes } });
  return { entryId: entry.id };
}

export async function reviewTime(ctx: CommandContext, input: { contractId: string; entryIds: string[]; decision: 'approve' | 'dispute'; reason?: string }) {
  const contract = await hourlyContract(ctx, input.contractId);
  if (ctx.actor.kind !== 'user' || ctx.actor.id !== contract.clientId) fail('ONLY_CLIENT', 'only the client can review time');
  const ids = [...new Set(input.entryIds)];
  if (ids.length === 0 || ids.length > LIMITS.entriesPerReview) fail('VALIDATION', `review from 1 to ${LIMITS.entriesPerReview} entries at a time`);
  const entries = await ctx.tx.find('timeEntry', { id: { in: ids }, contractId: contract.id }, { take: LIMITS.entriesPerReview });
  if (entries.length !== ids.length) fail('NOT_FOUND', 'some of these entries are not on this contract');
  const reviewed = entries.find((e) => e.status !== 'logged');
  if (reviewed) fail('INVALID_STATE', `entry ${reviewed.id} has already been reviewed`);
  const minutes = sum(entries.map((e) => e.minutes));
  const amount = hourlyAmount(minutes, contract.hourlyRateMinor as number);
  const settings = await ctx.settings(contract.marketplaceId);
  const days = entries.map((e) => e.day).sort();
  const m = newMilestone(ctx, {
    marketplaceId: contract.marketplaceId, projectId: contract.projectId, contractId: contract.id, clientId: contract.clientId, freelancerId: contract.freelancerId,
    description: `${(minutes / 60).toFixed(2)} hours, ${days[0]} to ${days[days.length - 1]}`, amountMinor: amount, currency: contract.currency,
    deadlineAt: null, origin: 'hourly', state: 'approved',
  });
  if (amount === 0) fail('VALIDATION', 'these entries bill to nothing at this rate');
  await ctx.insertMilestones([m]);
  const approve = input.decision === 'approve';
  const funded = await fundFromClient(ctx, m, approve ? { state: 'completed', autoReleaseAt: addDays(ctx.now, settings.hourlyReviewDays) } : {});
  for (const e of entries) {
    await ctx.tx.update('timeEntry', e.id, e.version, { status: approve ? 'approved' : 'disputed', milestoneId: m.id });
  }
  ctx.note({ action: approve ? 'time.approve' : 'time.dispute', entityType: 'contract', entityId: contract.id, role: 'client', payload: { entryIds: ids, minutes, amountMinor: amount, milestoneId: m.id } });
  let disputeId: string | null = null;
  if (!approve) {
    const reason = text(input.reason ?? '', LIMITS.reason, 'reason');
    disputeId = (await openOn(ctx, funded, 'client', reason, amount)).id;
  }
  return { milestoneId: m.id, amountMinor: amount, disputeId };
}
