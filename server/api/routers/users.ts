import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { listUsers, userDetail } from '../../store/queries.js';
import { cursor, id, limit, readProcedure, router } from '../trpc.js';

export const usersRouter = router({
  list: readProcedure.input(z.object({ search: z.string().max(100).optional(), cursor, limit, direction: z.enum(['asc', 'desc']).optional() })).query(({ ctx, input }) => listUsers(ctx.services.db, input)),
  /** A user's reputation and completion rate, the events that moved them, their milestones and balances. */
  get: readProcedure.input(z.object({ userId: id })).query(async ({ ctx, input }) => {
    if (!(await ctx.services.db.user.findUnique({ where: { id: input.userId }, select: { id: true } }))) {
      throw new TRPCError({ code: 'NOT_FOUND', message: `no user ${input.userId}` });
    }
    return userDetail(ctx.services.db, input.userId);
  }),
});
