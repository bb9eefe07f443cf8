import type { CommandContext } from './context.js';
import type { Dispute, Milestone, NotificationParams, NotificationTemplate } from './types.js';

/**
 * Which emails the engine's events produce, and what each carries. Parameters are facts, not
 * words: amounts in minor units, dates as ISO strings, enumerations as codes; the templates turn
 * them into the recipient's language (server/notify/templates). A null parameter means "does not
 * apply" and drops the sentence that would show it.
 */

function milestoneFacts(m: Milestone): NotificationParams {
  return { milestone: m.description, amountMinor: m.amountMinor, currency: m.currency };
}

/** One email per distinct recipient; a milestone with no freelancer yet has nobody to tell on that side. */
export function notifyMilestone(ctx: CommandContext, m: Milestone, to: readonly (string | null)[], template: NotificationTemplate, extra: NotificationParams = {}): void {
  for (const userId of new Set(to)) {
    if (userId !== null) ctx.notify(userId, template, { milestoneId: m.id }, { ...milestoneFacts(m), ...extra });
  }
}

export function notifyDispute(ctx: CommandContext, d: Dispute, description: string, to: readonly string[], template: NotificationTemplate, extra: NotificationParams = {}): void {
  for (const userId of new Set(to)) {
    ctx.notify(userId, template, { milestoneId: d.milestoneId, disputeId: d.id }, {
      milestone: description, disputedMinor: d.disputedMinor, currency: d.currency, ...extra,
    });
  }
}

export const DEADLINE_NEAR_MS = 24 * 3_600_000;

/** Who has to act before a dispute's deadline, and what they must do; null when nobody can. */
export function mustActBefore(d: Dispute): { userId: string; action: 'respond' | 'pay_fee' } | null {
  if (d.deadlineAt === null) return null;
  if (d.stage === 'filing') return { userId: d.respondentId, action: 'respond' };
  if (d.stage === 'arbitration') return { userId: d.clientFeePaid ? d.freelancerId : d.clientId, action: 'pay_fee' };
  return null;
}

/**
 * Reminds the party who must act on disputes whose deadline falls within a day. Once per
 * deadline: a dispute that reaches arbitration gets a new deadline and so a new reminder.
 */
export async function remindDeadlines(ctx: CommandContext, limit: number): Promise<number> {
  const horizon = new Date(ctx.now.getTime() + DEADLINE_NEAR_MS);
  const near = await ctx.tx.find('dispute', { stage: { in: ['filing', 'arbitration'] }, deadlineAt: { lte: horizon } }, { orderBy: { field: 'deadlineAt', direction: 'asc' }, take: limit });
  let sent = 0;
  for (const d of near) {
    const who = mustActBefore(d);
    if (who === null || d.deadlineAt === null) continue;
    const deadlineAt = d.deadlineAt.toISOString();
    const earlier = await ctx.tx.find('notification', { disputeId: d.id, template: 'dispute_deadline_near' }, { take: 10 });
    if (earlier.some((n) => (JSON.parse(n.paramsJson) as NotificationParams).deadlineAt === deadlineAt)) continue;
    const m = await ctx.load('milestone', d.milestoneId, 'milestone');
    notifyDispute(ctx, d, m.description, [who.userId], 'dispute_deadline_near', {
      deadlineAt, action: who.action, arbitrationFeeMinor: who.action === 'pay_fee' ? d.arbitrationFeeMinor : null,
    });
    sent++;
  }
  return sent;
}
