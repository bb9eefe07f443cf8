import type { RouteRecordRaw } from 'vue-router';

export const milestonesRoutes: RouteRecordRaw[] = [{ path: '/milestones/:id', name: 'milestone', component: () => import('./MilestoneView.vue'), props: true }];
