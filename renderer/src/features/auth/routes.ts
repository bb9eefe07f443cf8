import type { RouteRecordRaw } from 'vue-router';

export const authRoutes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: () => import('./SignInView.vue'), meta: { public: true } },
  { path: '/first-run', name: 'first-run', component: () => import('./BootstrapView.vue'), meta: { public: true } },
];
