import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, type RouterOutputs } from '@/api/client';

export type Transfer = RouterOutputs['payments']['history']['items'][number];

export const usePaymentsStore = defineStore('payments', () => {
  const items = ref<Transfer[]>([]);
  const nextCursor = ref<string | null>(null);
  async function load(more = false) {
    const page = await api.payments.history.query({ cursor: more ? nextCursor.value : null, limit: 100 });
    items.value = more ? [...items.value, ...page.items] : page.items;
    nextCursor.value = page.nextCursor;
  }
  return { items, nextCursor, load };
});
