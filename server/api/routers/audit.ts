import { z } from 'zod';
import { verifyJournal } from '../../store/journal-reader.js';
import { checkLedger } from '../../store/ledger-health.js';
import { journalPage } from '../../store/queries.js';
import { cursor, id, readProcedure, roleProcedure, router } from '../trpc.js';

const reviewerProcedure = roleProcedure('compliance', 'admin');
/** Journal sequence numbers are 32-bit integers in the database. */
const seq = z.number().int().nonnegative().max(2_147_483_647);

export const auditRouter = router({
  journal: readProcedure
    .input(z.object({
      actorId: id.optional(), actorRole: z.string().max(32).optional(), action: z.string().max(64).optional(),
      entityType: z.string().max(32).optional(), entityId: id.optional(), from: z.date().optional(), to: z.date().optional(),
      cursor, direction: z.enum(['asc', 'desc']).optional(), limit: z.number().int().min(1).max(1000).optional(),
    }))
    .query(({ ctx, input }) => journalPage(ctx.services.db, input)),

  /** Proves the hash chain over the whole journal or a range, naming the first bad entry. */
  verify: reviewerProcedure
    .input(z.object({ afterSeq: seq.optional(), untilSeq: seq.min(1).optional() }))
    .mutation(async ({ ctx, input }) => {
      const total = await ctx.services.db.journalEntry.count();
      return { total, result: await verifyJournal(ctx.services.reader, input) };
    }),

  ledgerHealth: reviewerProcedure.query(async ({ ctx }) => ({ problems: await checkLedger(ctx.services.db), checkedAt: ctx.services.clock() })),
});
