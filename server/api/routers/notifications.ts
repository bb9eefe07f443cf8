import { z } from 'zod';
import type { NotificationParams } from '../../engine/types.js';
import { notificationPage } from '../../store/outbox.js';
import { cursor, id, limit, readProcedure, router } from '../trpc.js';

const byWhat = z
  .object({ milestoneId: id.optional(), disputeId: id.optional(), userId: id.optional() })
  .refine((o) => [o.milestoneId, o.disputeId, o.userId].filter((v) => v !== undefined).length === 1, {
    message: 'name exactly one of milestoneId, disputeId or userId',
  });

export const notificationsRouter = router({
  /** The emails about one milestone, dispute or user, newest first, with their delivery state. */
  list: readProcedure
    .input(z.intersection(byWhat, z.object({ status: z.enum(['pending', 'sending', 'sent', 'failed']).optional(), cursor, limit })))
    .query(async ({ ctx, input }) => {
      const page = await notificationPage(ctx.services.db, input);
      return {
        nextCursor: page.nextCursor,
        items: page.items.map(({ paramsJson, ...n }) => ({ ...n, params: JSON.parse(paramsJson) as NotificationParams })),
      };
    }),
});
