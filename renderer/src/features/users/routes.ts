import type { RouteRecordRaw } from 'vue-router';

export const usersRoutes: RouteRecordRaw[] = [
  { path: '/users', name: 'users', component: () => import('./UsersView.vue') },
  { path: '/users/:id', name: 'user', component: () => import('./UserView.vue'), props: true },
];
