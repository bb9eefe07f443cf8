import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, type RouterOutputs } from '@/api/client';

export type UserDetail = RouterOutputs['users']['get'];
export type StandingEvent = UserDetail['events'][number];

/** One user: standing as each role, the events that moved it, milestones and wallet balances. */
export const useUserStore = defineStore('user', () => {
  const detail = ref<UserDetail | null>(null);
  let current = '';
  async function load(userId: string) {
    if (userId !== current) detail.value = null;
    current = userId;
    const result = await api.users.get.query({ userId });
    if (current === userId) detail.value = result;
  }
  return { detail, load };
});
