import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import { api, type RouterInputs, type RouterOutputs } from '@/api/client';

export type JournalRow = RouterOutputs['audit']['journal']['items'][number];
export type VerifyResult = RouterOutputs['audit']['verify']['result'];
export type BrokenEntry = Extract<VerifyResult, { ok: false }>['firstBad'];
export type LedgerHealth = RouterOutputs['audit']['ledgerHealth'];
type JournalInput = RouterInputs['audit']['journal'];

const PAGE = 100;
/** Entries per audit.verify call: small enough that the bar moves, large enough to be few calls. */
export const VERIFY_CHUNK = 20_000;

/**
 * The journal's cursor is the sequence number to continue below (newest first). The API has no
 * "at seq" filter, so opening the trail at an entry starts the page just above it.
 * This mirrors server/store/paging.ts encodeCursor(null, String(seq)).
 */
function cursorBelow(seq: number): string {
  return btoa(JSON.stringify({ v: null, id: String(seq) })).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** YYYY-MM-DD from a date input, as the start or the end of that day in the operator's time zone. */
function dayBound(text: string, end: boolean): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  return new Date(`${text}T${end ? '23:59:59.999' : '00:00:00'}`);
}

/** The compliance reviewer's audit trail: filters as the server applies them, keyset pages, chain verification. */
export const useAuditStore = defineStore('audit', () => {
  const filters = reactive({ actorId: '', actorRole: '', action: '', entityType: '', entityId: '', from: '', to: '' });
  /** When set, the trail starts at this entry (and goes back in time from it). */
  const atSeq = ref<number | null>(null);
  const items = ref<JournalRow[]>([]);
  const nextCursor = ref<string | null>(null);
  let generation = 0;

  function input(cursor: string | null): JournalInput {
    const trim = (v: string) => v.trim() || undefined;
    return {
      actorId: trim(filters.actorId), actorRole: trim(filters.actorRole), action: trim(filters.action), entityType: trim(filters.entityType), entityId: trim(filters.entityId),
      from: dayBound(filters.from, false), to: dayBound(filters.to, true),
      cursor: cursor ?? (atSeq.value !== null ? cursorBelow(atSeq.value + 1) : null),
      limit: PAGE,
    };
  }

  async function load(more = false) {
    const mine = more ? generation : ++generation;
    const page = await api.audit.journal.query(input(more ? nextCursor.value : null));
    if (mine !== generation) return;
    items.value = more ? [...items.value, ...page.items] : page.items;
    nextCursor.value = page.nextCursor;
  }

  function resetFilters() {
    Object.assign(filters, { actorId: '', actorRole: '', action: '', entityType: '', entityId: '', from: '', to: '' });
    atSeq.value = null;
  }

  /** Shows exactly one entry first: no filter that could hide it, the trail starting at it. */
  function showEntry(seq: number) {
    resetFilters();
    atSeq.value = seq;
    return load();
  }

  // Verification: one audit.verify call per chunk of sequence numbers, so progress is real.
  const verifying = ref(false);
  const verifyChecked = ref(0);
  const verifyTotal = ref(0);
  const verification = ref<VerifyResult | null>(null);
  const verifyProgress = computed(() => (verifyTotal.value > 0 ? Math.min(100, (verifyChecked.value / verifyTotal.value) * 100) : 0));

  /** Verifies entries after `fromSeq - 1` up to `toSeq` (the whole journal when both are null). */
  async function verify(fromSeq: number | null, toSeq: number | null): Promise<VerifyResult> {
    verifying.value = true;
    verification.value = null;
    verifyChecked.value = 0;
    verifyTotal.value = 0;
    try {
      const start = Math.max(0, (fromSeq ?? 1) - 1);
      let after = start;
      let end = toSeq ?? Number.MAX_SAFE_INTEGER;
      for (;;) {
        const until = Math.min(after + VERIFY_CHUNK, end);
        const { total, result } = await api.audit.verify.mutate({ afterSeq: after, untilSeq: until });
        // The journal's total is known only after the first call; the range cannot pass its end.
        end = Math.min(end, total);
        verifyTotal.value = Math.max(0, end - start);
        verifyChecked.value += result.checked;
        if (!result.ok) {
          verification.value = { ...result, checked: verifyChecked.value };
          return verification.value;
        }
        after = until;
        if (after >= end) {
          verification.value = { ...result, checked: verifyChecked.value };
          return verification.value;
        }
      }
    } finally {
      verifying.value = false;
    }
  }

  const health = ref<LedgerHealth | null>(null);
  async function checkHealth() {
    health.value = await api.audit.ledgerHealth.query();
    return health.value;
  }

  return { filters, atSeq, items, nextCursor, load, resetFilters, showEntry, verifying, verifyChecked, verifyTotal, verifyProgress, verification, verify, health, checkHealth };
});
