import type { CommandContext } from '../context.js';
import { fail } from '../errors.js';
import { LIMITS, wholeNumber } from '../validate.js';
import { settleByDefault } from './disputes.js';
import { remindDeadlines } from '../notices.js';
import { autoRelease } from './milestones.js';

/**
 * The system's timed transitions: milestones left unanswered past their review window are
 * released, disputes past a deadline are settled by default. Bounded per run; call again
 * while `more` is true.
 */
export async function runTimers(ctx: CommandContext, input: { limit?: number }) {
  if (ctx.actor.kind !== 'system') fail('NOT_PERMITTED', 'only the system runs timed transitions');
  const limit = wholeNumber(input.limit ?? 200, 1, LIMITS.tickBatch, 'limit');
  const due = await ctx.tx.find('milestone', { state: 'completed', autoReleaseAt: { lte: ctx.now } }, { orderBy: { field: 'autoReleaseAt', direction: 'asc' }, take: limit });
  for (const m of due) await autoRelease(ctx, m);
  const disputes = await ctx.tx.find('dispute', { stage: { in: ['filing', 'arbitration'] }, deadlineAt: { lte: ctx.now } }, { orderBy: { field: 'deadlineAt', direction: 'asc' }, take: limit });
  for (const d of disputes) await settleByDefault(ctx, d);
  // After the defaults, so a dispute closed just now is not reminded of its deadline.
  const reminded = await remindDeadlines(ctx, limit);
  return { released: due.length, disputesClosed: disputes.length, reminded, more: due.length === limit || disputes.length === limit };
}
