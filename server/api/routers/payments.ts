import { z } from 'zod';
import { transfers } from '../../store/queries.js';
import { currency, cursor, id, readProcedure, router } from '../trpc.js';

export const paymentsRouter = router({
  /** Every transfer for a user, project or milestone, newest first, with the user's running balance. */
  history: readProcedure
    .input(z.object({ userId: id.optional(), projectId: id.optional(), milestoneId: id.optional(), currency: currency.optional(), cursor, limit: z.number().int().min(1).max(500).optional() }))
    .query(({ ctx, input }) => transfers(ctx.services.reader, input)),
});
