import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { remainingMinor } from '../../engine/milestone.js';
import type { Milestone } from '../../engine/types.js';
import { fromRow } from '../../store/prisma-store.js';
import { listMilestones, timeline, transfers } from '../../store/queries.js';
import { milestoneAt } from '../../store/time-travel.js';
import { cursor, id, limit, readProcedure, reason, roleProcedure, router } from '../trpc.js';

const staffProcedure = roleProcedure('staff', 'admin');

export const milestonesRouter = router({
  list: readProcedure
    .input(z.object({ state: z.string().max(32).optional(), userId: id.optional(), projectId: id.optional(), cursor, limit, direction: z.enum(['asc', 'desc']).optional() }))
    .query(({ ctx, input }) => listMilestones(ctx.services.db, input)),

  get: readProcedure.input(z.object({ milestoneId: id })).query(async ({ ctx, input }) => {
    const row = await ctx.services.db.milestone.findUnique({ where: { id: input.milestoneId } });
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `no milestone ${input.milestoneId}` });
    const m = fromRow<Milestone>(row);
    const [entries, history, cancellations] = await Promise.all([
      timeline(ctx.services.db, [m.id]),
      transfers(ctx.services.reader, { milestoneId: m.id, limit: 500 }),
      ctx.services.db.staffCancellation.findMany({ where: { milestoneId: m.id }, orderBy: { createdAt: 'asc' } }),
    ]);
    return { milestone: { ...m, remainingMinor: remainingMinor(m) }, timeline: entries, transfers: history.items, cancellations };
  }),

  /** The milestone as it was at a chosen moment, rebuilt from the journal alone. */
  asOf: readProcedure
    .input(z.object({ milestoneId: id, at: z.date(), untilSeq: z.number().int().positive().max(2_147_483_647).optional() }))
    .query(async ({ ctx, input }) => {
      if (!(await ctx.services.db.milestone.findUnique({ where: { id: input.milestoneId }, select: { id: true } }))) {
        throw new TRPCError({ code: 'NOT_FOUND', message: `no milestone ${input.milestoneId}` });
      }
      return milestoneAt(ctx.services.db, input.milestoneId, input.at, input.untilSeq);
    }),

  staffCancel: staffProcedure
    .input(z.object({ milestoneId: id, reason, noFault: z.boolean().optional() }))
    .mutation(({ ctx, input }) => ctx.services.engine.run('staffCancel', ctx.actor, input)),

  markNoFault: staffProcedure
    .input(z.object({ milestoneId: id, reason }))
    .mutation(({ ctx, input }) => ctx.services.engine.run('markCancellationNoFault', ctx.actor, input)),
});
