import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef } from 'vue';
import { api, type RouterInputs, type RouterOutputs } from '@/api/client';
import { parseMinor } from '@/format/money';

export type QueueItem = RouterOutputs['disputes']['queue']['items'][number];
export type QueueCounts = RouterOutputs['disputes']['counts'];
type QueuePage = RouterOutputs['disputes']['queue'];
type QueueInput = RouterInputs['disputes']['queue'];
export type Stage = QueueItem['stage'];
export type SortKey = NonNullable<QueueInput['sort']>;

export const OPEN_STAGES: readonly Stage[] = ['filing', 'negotiation', 'arbitration', 'decision'];
const PAGE = 50;
/** The most rows a live refresh re-reads in one call (the router's own page limit). */
const REFRESH_MAX = 200;
/** How long a first page asked for at startup stays good enough to show instead of asking again. */
const PREFETCH_FRESH_MS = 10_000;

/** The dispute queue: filters and sort as the server applies them, keyset pages, live refresh. */
export const useQueueStore = defineStore('disputeQueue', () => {
  const filters = reactive({
    stages: [] as Stage[],
    currency: '',
    minAmount: '',
    maxAmount: '',
    assignee: 'all' as 'all' | 'me' | 'unassigned',
    overdue: false,
    search: '',
  });
  const sort = ref<SortKey>('openedAt');
  const direction = ref<'asc' | 'desc'>('asc');
  // Shallow: pages are replaced or appended whole, never changed in place, and a deep proxy over
  // hundreds of rows made every append and every drawn row pay for reactivity nobody used.
  const items = shallowRef<QueueItem[]>([]);
  const nextCursor = ref<string | null>(null);
  const counts = ref<QueueCounts | null>(null);
  const loading = ref(false);
  const loadingMore = ref(false);
  /** Bumps on every new query so a slow old answer never overwrites a newer one. */
  let generation = 0;

  const currency = computed(() => (/^[A-Z]{3}$/.test(filters.currency) ? filters.currency : null));
  /** Amount bounds need a currency: "10.00" means 1000 minor units in USD but 10 in JPY. */
  const minAmountMinor = computed(() => (currency.value && filters.minAmount ? parseMinor(filters.minAmount, currency.value) : null));
  const maxAmountMinor = computed(() => (currency.value && filters.maxAmount ? parseMinor(filters.maxAmount, currency.value) : null));
  const amountInvalid = computed(() => (filters.minAmount !== '' && minAmountMinor.value === null) || (filters.maxAmount !== '' && maxAmountMinor.value === null));

  function input(cursor: string | null, limit: number): QueueInput {
    return {
      stages: filters.stages.length ? [...filters.stages] : undefined,
      currency: currency.value ?? undefined,
      minAmountMinor: minAmountMinor.value ?? undefined,
      maxAmountMinor: maxAmountMinor.value ?? undefined,
      assignee: filters.assignee === 'all' ? undefined : filters.assignee,
      overdue: filters.overdue || undefined,
      search: filters.search.trim() || undefined,
      sort: sort.value,
      direction: direction.value,
      cursor,
      limit,
    };
  }

  let prefetched: { key: string; at: number; page: Promise<QueuePage> } | null = null;

  /**
   * Asks for the first page before the session is known (main.ts, when the console opens on the
   * queue), so the rows travel alongside the sign-in check instead of after it. Sent on its own,
   * not batched: the session's answer should not wait for the rows.
   */
  function prefetchFirstPage() {
    const query = input(null, PAGE);
    const page = api.disputes.queue.query(query, { context: { speculative: true, skipBatch: true } });
    page.catch(() => undefined);
    prefetched = { key: JSON.stringify(query), at: Date.now(), page };
  }

  /** The prefetched page if it answers this very query and is recent; asked for afresh if it failed. */
  function firstPage(query: QueueInput): Promise<QueuePage> {
    const p = prefetched;
    prefetched = null;
    if (p && p.key === JSON.stringify(query) && Date.now() - p.at < PREFETCH_FRESH_MS) return p.page.catch(() => api.disputes.queue.query(query));
    return api.disputes.queue.query(query);
  }

  async function load() {
    const mine = ++generation;
    loading.value = true;
    try {
      // The rows first, the totals after: asked together, the two would travel in one batched
      // request and the rows would wait for the counts, which scan every open dispute.
      const page = await firstPage(input(null, PAGE));
      if (mine !== generation) return;
      items.value = page.items;
      nextCursor.value = page.nextCursor;
    } finally {
      if (mine === generation) loading.value = false;
    }
    const c = await api.disputes.counts.query();
    if (mine === generation) counts.value = c;
  }

  async function loadMore() {
    if (!nextCursor.value || loadingMore.value) return;
    const mine = generation;
    loadingMore.value = true;
    try {
      const page = await api.disputes.queue.query(input(nextCursor.value, PAGE));
      if (mine !== generation) return;
      // A case whose sort key changed since the last page (a new deadline, say) can come again:
      // it stays where it was, as a row drawn twice under one key would confuse the table.
      const had = new Set(items.value.map((i) => i.id));
      items.value = [...items.value, ...page.items.filter((i) => !had.has(i.id))];
      nextCursor.value = page.nextCursor;
    } finally {
      loadingMore.value = false;
    }
  }

  /** Re-reads the rows on screen (same filters, from the top) after someone changed something. */
  async function refreshVisible() {
    const mine = ++generation;
    const limit = Math.min(Math.max(items.value.length, PAGE), REFRESH_MAX);
    const [page, c] = await Promise.all([api.disputes.queue.query(input(null, limit)), api.disputes.counts.query()]);
    if (mine !== generation) return;
    items.value = page.items;
    nextCursor.value = page.nextCursor;
    counts.value = c;
  }

  function setSort(key: SortKey, dir: 'asc' | 'desc') {
    sort.value = key;
    direction.value = dir;
  }

  function resetFilters() {
    Object.assign(filters, { stages: [], currency: '', minAmount: '', maxAmount: '', assignee: 'all', overdue: false, search: '' });
  }

  async function takeNext() {
    const taken = await api.disputes.takeNext.mutate();
    await refreshVisible();
    return taken;
  }

  async function claim(item: QueueItem, operatorId: string) {
    await api.disputes.assign.mutate({ disputeId: item.id, mediatorId: operatorId, expectedVersion: item.version });
    await refreshVisible();
  }

  async function release(item: QueueItem) {
    await api.disputes.assign.mutate({ disputeId: item.id, mediatorId: null, expectedVersion: item.version });
    await refreshVisible();
  }

  return { filters, sort, direction, items, nextCursor, counts, loading, loadingMore, currency, amountInvalid, prefetchFirstPage, load, loadMore, refreshVisible, setSort, resetFilters, takeNext, claim, release };
});
