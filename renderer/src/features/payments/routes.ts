import type { RouteRecordRaw } from 'vue-router';

export const paymentsRoutes: RouteRecordRaw[] = [{ path: '/payments', name: 'payments', component: () => import('./PaymentsView.vue') }];
