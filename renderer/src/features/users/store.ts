import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, type RouterOutputs } from '@/api/client';

export type UserRow = RouterOutputs['users']['list']['items'][number];

export const useUsersStore = defineStore('users', () => {
  const search = ref('');
  const items = ref<UserRow[]>([]);
  const nextCursor = ref<string | null>(null);
  async function load(more = false) {
    const page = await api.users.list.query({ search: search.value.trim() || undefined, cursor: more ? nextCursor.value : null, limit: 100 });
    items.value = more ? [...items.value, ...page.items] : page.items;
    nextCursor.value = page.nextCursor;
  }
  return { search, items, nextCursor, load };
});
