import { createRouter, createWebHashHistory } from 'vue-router';
import { onUnauthenticated } from '@/api/client';
import { adminRoutes } from '@/features/admin/routes';
import { approvalsRoutes } from '@/features/approvals/routes';
import { auditRoutes } from '@/features/audit/routes';
import { authRoutes } from '@/features/auth/routes';
import { useSessionStore } from '@/features/auth/store';
import { disputesRoutes } from '@/features/disputes/routes';
import { milestonesRoutes } from '@/features/milestones/routes';
import { paymentsRoutes } from '@/features/payments/routes';
import { usersRoutes } from '@/features/users/routes';
import { mayOpen, navFor } from './nav';
import { useNotifyStore } from './notify';

// Hash history: the same build loads from file:// in Electron and from the server in a browser.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    ...authRoutes,
    ...disputesRoutes,
    ...approvalsRoutes,
    ...paymentsRoutes,
    ...milestonesRoutes,
    ...usersRoutes,
    ...auditRoutes,
    ...adminRoutes,
    { path: '/:rest(.*)*', redirect: '/disputes' },
  ],
});

router.beforeEach(async (to) => {
  const session = useSessionStore();
  if (!session.loaded) await session.load();
  if (session.needsBootstrap) return to.name === 'first-run' ? true : { name: 'first-run' };
  if (to.meta.public) return session.operator && to.name === 'sign-in' ? '/disputes' : true;
  if (!session.operator) return { name: 'sign-in', query: to.fullPath !== '/disputes' ? { next: to.fullPath } : {} };
  if (!mayOpen(to.path, session.role)) return navFor(session.role)[0]?.to ?? '/sign-in';
  return true;
});

onUnauthenticated(() => {
  const session = useSessionStore();
  session.sessionLost();
  // The sign-in screen says why; an older toast ("Signed in.") would only contradict it.
  useNotifyStore().visible = false;
  const current = router.currentRoute.value;
  if (!current.meta.public) void router.replace({ name: 'sign-in', query: { next: current.fullPath } });
});

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
  }
}
