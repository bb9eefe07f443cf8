import { z } from 'zod';
import type { CommandInput, CommandName } from '../../engine/engine.js';
import { amountMinor, currency, id, idempotencyKey, marketplaceProcedure, positiveMinor, reason, router } from '../trpc.js';

/**
 * The marketplace's own backend drives the engine through these, acting for its clients and
 * freelancers. Each is one engine command; the engine decides whether that user may take it.
 */

function act<N extends CommandName, S extends z.ZodObject>(name: N, schema: S) {
  return marketplaceProcedure
    .input(schema.extend({ idempotencyKey }))
    .mutation(({ ctx, input }) => {
      const { actAs: _actAs, idempotencyKey: key, ...rest } = input as Record<string, unknown> & { actAs: string; idempotencyKey?: string };
      return ctx.services.engine.run(name, ctx.actor, rest as CommandInput<N>, { idempotencyKey: key });
    });
}

const text = (max: number) => z.string().trim().min(1).max(max);
const proposed = z.object({ description: text(4000), amountMinor: positiveMinor, deadlineAt: z.date().nullish() });

export const marketplaceRouter = router({
  postProject: act('postProject', z.object({ title: text(200), description: z.string().max(4000), category: text(120).optional(), kind: z.enum(['fixed', 'hourly']).optional(), budgetMinor: positiveMinor, currency })),
  placeBid: act('placeBid', z.object({ projectId: id, amountMinor: positiveMinor, proposal: text(4000), milestones: z.array(proposed).max(10).optional() })),
  shortlistBid: act('shortlistBid', z.object({ bidId: id })),
  awardBid: act('awardBid', z.object({ bidId: id, acceptProposedMilestones: z.boolean().optional() })),
  goLive: act('goLive', z.object({ contractId: id })),
  reserveFunds: act('reserveFunds', z.object({ projectId: id, amountMinor: positiveMinor, description: text(4000) })),
  withdrawReservation: act('withdrawReservation', z.object({ milestoneId: id, reason: reason.optional() })),
  createMilestone: act('createMilestone', z.object({ contractId: id, description: text(4000), amountMinor: positiveMinor, deadlineAt: z.date().nullish(), fundNow: z.boolean().optional() })),
  requestMilestone: act('requestMilestone', z.object({ contractId: id, description: text(4000), amountMinor: positiveMinor, deadlineAt: z.date().nullish() })),
  createDirectMilestone: act('createDirectMilestone', z.object({ freelancerId: id, description: text(4000), amountMinor: positiveMinor, currency })),
  approveMilestone: act('approveMilestone', z.object({ milestoneId: id })),
  declineMilestone: act('declineMilestone', z.object({ milestoneId: id, message: reason })),
  acceptRequest: act('acceptRequest', z.object({ milestoneId: id, fundNow: z.boolean().optional() })),
  declineRequest: act('declineRequest', z.object({ milestoneId: id, reason })),
  fundMilestone: act('fundMilestone', z.object({ milestoneId: id })),
  markComplete: act('markComplete', z.object({ milestoneId: id })),
  requestRevision: act('requestRevision', z.object({ milestoneId: id, message: reason })),
  releaseMilestone: act('releaseMilestone', z.object({ milestoneId: id, amountMinor: positiveMinor.optional() })),
  cancelMilestone: act('cancelMilestone', z.object({ milestoneId: id, reason: reason.optional() })),
  deleteMilestone: act('deleteMilestone', z.object({ milestoneId: id })),
  logTime: act('logTime', z.object({ contractId: id, day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), minutes: z.number().int().min(1).max(1440), memo: text(2000) })),
  reviewTime: act('reviewTime', z.object({ contractId: id, entryIds: z.array(id).min(1).max(500), decision: z.enum(['approve', 'dispute']), reason: reason.optional() })),
  openDispute: act('openDispute', z.object({ milestoneId: id, reason, claimMinor: amountMinor })),
  respondToDispute: act('respondToDispute', z.object({ disputeId: id, message: text(10_000) })),
  makeOffer: act('makeOffer', z.object({ disputeId: id, freelancerShareMinor: amountMinor })),
  acceptOffer: act('acceptOffer', z.object({ disputeId: id, offerId: id.optional() })),
  payArbitrationFee: act('payArbitrationFee', z.object({ disputeId: id })),
  submitEvidence: act('submitEvidence', z.object({ disputeId: id, fileName: text(255), mediaType: text(120), sizeBytes: z.number().int().min(0).max(1_000_000_000), sha256: z.string().regex(/^[0-9a-f]{64}$/), note: z.string().max(2000).optional() })),
  postMessage: act('postMessage', z.object({ disputeId: id, body: text(10_000) })),
  withdrawDispute: act('withdrawDispute', z.object({ disputeId: id, reason: reason.optional() })),
  leaveReview: act('leaveReview', z.object({ contractId: id, rating: z.number().int().min(1).max(5), comment: z.string().max(2000) })),
  deposit: act('deposit', z.object({ userId: id, amountMinor: positiveMinor, currency })),
  withdraw: act('withdraw', z.object({ userId: id, amountMinor: positiveMinor, currency })),
});
