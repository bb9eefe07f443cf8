import type { RouteRecordRaw } from 'vue-router';

export const disputesRoutes: RouteRecordRaw[] = [
  { path: '/disputes', name: 'disputes', component: () => import('./QueueView.vue') },
  { path: '/disputes/:id', name: 'case-file', component: () => import('./CaseFileView.vue'), props: true },
];
