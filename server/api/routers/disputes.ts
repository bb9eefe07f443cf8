import { on } from 'node:events';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { ChangeEvent } from '../../app/services.js';
import { planDecision } from '../../engine/dispute.js';
import { previewOutcome } from '../../engine/reputation.js';
import { parseSettings } from '../../engine/settings.js';
import { caseFile, disputeQueue, nextCaseFor, precedents, queueCounts, splitApprovals } from '../../store/queries.js';
import { amountMinor, cursor, id, idempotencyKey, limit, readProcedure, reason, roleProcedure, router } from '../trpc.js';

const STAGES = ['filing', 'negotiation', 'arbitration', 'decision', 'closed'] as const;
const mediatorProcedure = roleProcedure('mediator', 'admin');
const MAX_OPEN_CASES = 25;

const queueInput = z.object({
  stages: z.array(z.enum(STAGES)).max(5).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  minAmountMinor: amountMinor.optional(),
  maxAmountMinor: amountMinor.optional(),
  assignee: z.union([id, z.literal('unassigned'), z.literal('me')]).optional(),
  overdue: z.boolean().optional(),
  search: z.string().max(100).optional(),
  sort: z.enum(['openedAt', 'disputedMinor', 'deadlineAt']).optional(),
  direction: z.enum(['asc', 'desc']).optional(),
  cursor,
  limit,
});

const split = z.object({ disputeId: id, freelancerShareMinor: amountMinor, clientShareMinor: amountMinor });

async function loadDispute(db: import('../../store/database.js').Db, disputeId: string) {
  const d = await db.dispute.findUnique({ where: { id: disputeId } });
  if (!d) throw new TRPCError({ code: 'NOT_FOUND', message: `no dispute ${disputeId}` });
  return d;
}

export const disputesRouter = router({
  queue: readProcedure.input(queueInput).query(({ ctx, input }) => {
    const assignee = input.assignee === 'me' ? ctx.session.actor.id : input.assignee;
    return disputeQueue(ctx.services.reader, { ...input, assignee }, ctx.services.clock());
  }),

  counts: readProcedure.query(({ ctx }) => queueCounts(ctx.services.reader, ctx.services.clock(), ctx.session.actor.id)),

  get: readProcedure.input(z.object({ disputeId: id })).query(async ({ ctx, input }) => {
    await loadDispute(ctx.services.db, input.disputeId);
    return caseFile(ctx.services.db, input.disputeId);
  }),

  /** The transfers, fees and reputation changes a split would make, before anyone commits to it. */
  previewSplit: readProcedure.input(split).query(async ({ ctx, input }) => {
    const file = await caseFile(ctx.services.db, (await loadDispute(ctx.services.db, input.disputeId)).id);
    const market = await ctx.services.db.marketplace.findUniqueOrThrow({ where: { id: file.dispute.marketplaceId } });
    const settings = parseSettings(market.settingsJson);
    const plan = planDecision(file.dispute, { freelancerMinor: input.freelancerShareMinor, clientMinor: input.clientShareMinor }, settings);
    const standing = previewOutcome(file.freelancer.stats, file.client.stats, { kind: 'dispute_split', freelancerShareMinor: input.freelancerShareMinor, clientShareMinor: input.clientShareMinor });
    // A split far outside what was decided in alike cases asks the mediator to confirm.
    const past = await precedents(ctx.services.db, file.dispute.id);
    const bps = file.dispute.disputedMinor === 0 ? 0 : Math.round((input.freelancerShareMinor * 10_000) / file.dispute.disputedMinor);
    const outsidePrecedents = past.cases.length >= 5 && past.p10Bps !== null && past.p90Bps !== null && (bps < past.p10Bps || bps > past.p90Bps);
    return { ...plan, standing, needsSecondApproval: file.dispute.disputedMinor > settings.splitApprovalAboveMinor, freelancerShareBps: bps, outsidePrecedents };
  }),

  precedents: readProcedure.input(z.object({ disputeId: id })).query(async ({ ctx, input }) => {
    await loadDispute(ctx.services.db, input.disputeId);
    return precedents(ctx.services.db, input.disputeId);
  }),

  approvals: readProcedure
    .input(z.object({ status: z.enum(['pending', 'approved', 'rejected']).optional(), cursor, limit, direction: z.enum(['asc', 'desc']).optional() }))
    .query(({ ctx, input }) => splitApprovals(ctx.services.db, input)),

  decideApproval: mediatorProcedure
    .input(z.object({ approvalId: id, approve: z.boolean(), reason }))
    .mutation(({ ctx, input }) => ctx.services.engine.run('decideSplitApproval', ctx.actor, input)),

  decide: mediatorProcedure
    .input(split.extend({ reason, expectedVersion: z.number().int().nonnegative().optional(), idempotencyKey }))
    .mutation(({ ctx, input }) => {
      const { idempotencyKey: key, ...rest } = input;
      return ctx.services.engine.run('decideDispute', ctx.actor, rest, { idempotencyKey: key });
    }),

  closeSmallClaim: mediatorProcedure.input(z.object({ disputeId: id, reason })).mutation(({ ctx, input }) => ctx.services.engine.run('closeSmallClaim', ctx.actor, input)),

  /** Take a case, give it back, or (admins) hand it to someone else. */
  assign: mediatorProcedure
    .input(z.object({ disputeId: id, mediatorId: id.nullable(), expectedVersion: z.number().int().nonnegative().optional() }))
    .mutation(({ ctx, input }) => ctx.services.engine.run('assignDispute', ctx.actor, input)),

  /**
   * Claims the next case by the routing rules (no conflicts, own languages first, oldest first),
   * retrying past cases another mediator takes at the same moment. A mediator already carrying
   * MAX_OPEN_CASES is asked to finish some first, which keeps the team's load even.
   */
  takeNext: mediatorProcedure.mutation(async ({ ctx }) => {
    const carrying = await ctx.services.db.dispute.count({ where: { assignedMediatorId: ctx.actor.id, stage: { not: 'closed' } } });
    if (carrying >= MAX_OPEN_CASES) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: `you already have ${carrying} open cases; finish or release some before taking more` });
    for (let attempt = 0; attempt < 5; attempt++) {
      const next = await nextCaseFor(ctx.services.db, ctx.session.operator);
      if (!next) return null;
      try {
        await ctx.services.engine.run('assignDispute', ctx.actor, { disputeId: next.id, mediatorId: ctx.actor.id, expectedVersion: next.version });
        return { disputeId: next.id };
      } catch (error) {
        if ((error as { code?: string }).code !== 'CONFLICT') throw error;
      }
    }
    throw new TRPCError({ code: 'CONFLICT', message: 'other mediators are taking cases at the same moment; try again' });
  }),

  note: mediatorProcedure
    .input(z.object({ disputeId: id, body: z.string().trim().min(1).max(10_000) }))
    .mutation(({ ctx, input }) => ctx.services.engine.run('postMessage', ctx.actor, { ...input, internal: true })),

  /** Live changes to disputes and milestones, for the queue and open case files. */
  onChange: readProcedure.subscription(async function* ({ ctx, signal }) {
    for await (const [event] of on(ctx.services.changes, 'change', { signal })) {
      const e = event as ChangeEvent;
      if (e.entityType === 'dispute' || e.entityType === 'milestone') yield e;
    }
  }),
});
