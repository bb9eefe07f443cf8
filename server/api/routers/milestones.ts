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
    .input(z.object({ state: z.string().max(32).optional(), userId: id.optional(), projectId: id.optional(), cursor, limit }))
    .query(({ ctx, input }) => listMilestones(ctx.services.db, input)),

  get: readProcedure.input(z.object({ milestoneId: id })).query(async ({ ctx, input }) => {
    const m = fromRow<Milestone>(await ctx.services.db.milestone.findUniqueOrThrow({ where: { id: input.milestoneId } }));
    const [entries, history, cancellations] = await Promise.all([
      timeline(ctx.services.db, [m.id]),
      transfers(ctx.services.db, { milestoneId: m.id, limit: 500 }),
      ctx.services.db.staffCancellation.findMany({ where: { milestoneId: m.id }, orderBy: { createdAt: 'asc' } }),
    ]);
    return { milestone: { ...m, remainingMinor: remainingMinor(m) }, timeline: entries, transfers: history.items, cancellations };
  }),

  /** The milestone as it was at a chosen moment, rebuilt from the journal alone. */
  asOf: readProcedure
    .input(z.object({ milestoneId: id, at: z.date(), untilSeq: z.number().int().positive().optional() }))
    .query(({ ctx, input }) => milestoneAt(ctx.services.db, input.milestoneId, input.at, input.untilSeq)),

  staffCancel: staffProcedure
    .input(z.object({ milestoneId: id, reason, noFault: z.boolean().optional() }))
    .mutation(({ ctx, input }) => ctx.services.engine.run('staffCancel', ctx.actor, input)),

  markNoFault: staffProcedure
    .input(z.object({ milestoneId: id, reason }))
    .mutation(({ ctx, input }) => ctx.services.engine.run('markCancellationNoFault', ctx.actor, input)),
});
