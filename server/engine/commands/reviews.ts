import type { CommandContext } from '../context.js';
import { fail } from '../errors.js';
import { outcomeDeltas } from '../reputation.js';
import { LIMITS, text, wholeNumber } from '../validate.js';

/** Reviews count only for work paid through milestones, so reputation cannot be bought off-platform. */
export async function leaveReview(ctx: CommandContext, input: { contractId: string; rating: number; comment: string }) {
  const contract = await ctx.load('contract', input.contractId, 'contract');
  const isClient = ctx.actor.kind === 'user' && ctx.actor.id === contract.clientId;
  const isFreelancer = ctx.actor.kind === 'user' && ctx.actor.id === contract.freelancerId;
  if (!isClient && !isFreelancer) fail('ONLY_PARTY', 'only the client or the freelancer of this contract can review it');
  const rating = wholeNumber(input.rating, 1, 5, 'rating');
  const paid = await ctx.tx.find('milestone', { contractId: contract.id, releasedMinor: { not: 0 } }, { take: 1 });
  if (paid.length === 0) fail('REVIEW_NOT_ALLOWED', 'reviews are possible only after money has been released through a milestone on this contract');
  const mine = await ctx.tx.find('review', { contractId: contract.id, reviewerId: ctx.actor.id }, { take: 1 });
  if (mine.length > 0) fail('ALREADY_EXISTS', 'you have already reviewed this contract');
  const revieweeId = isClient ? contract.freelancerId : contract.clientId;
  const id = ctx.id('rev');
  await ctx.tx.insert('review', [{ id, contractId: contract.id, reviewerId: ctx.actor.id, revieweeId, rating, comment: text(input.comment, LIMITS.reason, 'comment', { allowEmpty: true }), at: ctx.now }]);
  const reviewee = isClient ? 'freelancer' : 'client';
  const d = outcomeDeltas({ kind: 'review', rating, reviewee });
  await ctx.adjustStats(revieweeId, reviewee, d[reviewee], 'review', {});
  ctx.note({ action: 'review.leave', entityType: 'contract', entityId: contract.id, role: isClient ? 'client' : 'freelancer', payload: { reviewId: id, rating, revieweeId } });
  return { reviewId: id };
}
