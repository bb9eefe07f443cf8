import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import { api, type RouterInputs, type RouterOutputs } from '@/api/client';

export type Transfer = RouterOutputs['payments']['history']['items'][number];
export type Scope = 'all' | 'user' | 'project' | 'milestone';
type HistoryInput = RouterInputs['payments']['history'];

const PAGE = 100;

/** Payment history for everyone, a user (with the wallet's running balance), a project or a milestone. */
export const usePaymentsStore = defineStore('payments', () => {
  const filter = reactive({ scope: 'all' as Scope, id: '', currency: 'USD' });
  const items = ref<Transfer[]>([]);
  const nextCursor = ref<string | null>(null);
  /** The filter the rows on screen were loaded with (the form may have changed since). */
  const shown = ref<{ scope: Scope; id: string; currency: string }>({ scope: 'all', id: '', currency: 'USD' });
  let generation = 0;

  function input(cursor: string | null): HistoryInput {
    const id = filter.id.trim();
    const currency = /^[A-Z]{3}$/.test(filter.currency) ? filter.currency : undefined;
    return {
      userId: filter.scope === 'user' ? id : undefined,
      projectId: filter.scope === 'project' ? id : undefined,
      milestoneId: filter.scope === 'milestone' ? id : undefined,
      // The currency names the user's wallet; for a project or milestone it does not filter.
      currency: filter.scope === 'user' ? currency : undefined,
      cursor,
      limit: PAGE,
    };
  }

  async function load(more = false) {
    const mine = more ? generation : ++generation;
    const page = await api.payments.history.query(input(more ? nextCursor.value : null));
    if (mine !== generation) return;
    items.value = more ? [...items.value, ...page.items] : page.items;
    nextCursor.value = page.nextCursor;
    shown.value = { scope: filter.scope, id: filter.id.trim(), currency: filter.currency };
  }

  return { filter, items, nextCursor, shown, load };
});
