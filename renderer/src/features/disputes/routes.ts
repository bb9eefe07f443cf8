import type { RouteRecordRaw } from 'vue-router';
// The queue is where mediators land, so it ships in the main bundle: loading it as a chunk cost a
// second round of requests (the view and eight small shared chunks) after the app had started.
import QueueView from './QueueView.vue';

export const disputesRoutes: RouteRecordRaw[] = [
  { path: '/disputes', name: 'disputes', component: QueueView },
  { path: '/disputes/:id', name: 'case-file', component: () => import('./CaseFileView.vue'), props: true },
];
