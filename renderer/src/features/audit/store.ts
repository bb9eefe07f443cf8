import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, type RouterOutputs } from '@/api/client';

export type JournalRow = RouterOutputs['audit']['journal']['items'][number];
export type Verification = RouterOutputs['audit']['verify'];

export const useAuditStore = defineStore('audit', () => {
  const items = ref<JournalRow[]>([]);
  const nextCursor = ref<string | null>(null);
  const verification = ref<Verification | null>(null);
  async function load(more = false) {
    const page = await api.audit.journal.query({ cursor: more ? nextCursor.value : null, limit: 100 });
    items.value = more ? [...items.value, ...page.items] : page.items;
    nextCursor.value = page.nextCursor;
  }
  async function verify() {
    verification.value = await api.audit.verify.mutate({});
    return verification.value;
  }
  return { items, nextCursor, verification, load, verify };
});
