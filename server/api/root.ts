import { adminRouter } from './routers/admin.js';
import { auditRouter } from './routers/audit.js';
import { authRouter } from './routers/auth.js';
import { disputesRouter } from './routers/disputes.js';
import { marketplaceRouter } from './routers/marketplace.js';
import { metaRouter } from './routers/meta.js';
import { milestonesRouter } from './routers/milestones.js';
import { notificationsRouter } from './routers/notifications.js';
import { paymentsRouter } from './routers/payments.js';
import { usersRouter } from './routers/users.js';
import { router } from './trpc.js';

export const appRouter = router({
  auth: authRouter,
  disputes: disputesRouter,
  milestones: milestonesRouter,
  payments: paymentsRouter,
  users: usersRouter,
  audit: auditRouter,
  admin: adminRouter,
  marketplace: marketplaceRouter,
  meta: metaRouter,
  notifications: notificationsRouter,
});

export type AppRouter = typeof appRouter;
