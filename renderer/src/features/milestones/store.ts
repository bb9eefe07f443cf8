import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, type RouterOutputs } from '@/api/client';

export type MilestoneDetail = RouterOutputs['milestones']['get'];
export type MilestoneAsOf = RouterOutputs['milestones']['asOf'];
export type HistoryStop = MilestoneAsOf['history'][number];

/** The fields of a journal snapshot of a milestone that the time-travel card shows. */
export type Snapshot = { state: string; currency: string; amountMinor: number; fundedMinor: number; releasedMinor: number; refundedMinor: number; feeMinor: number };

function snapshotOf(raw: Record<string, unknown> | null): Snapshot | null {
  if (!raw) return null;
  const n = (key: string) => (typeof raw[key] === 'number' ? (raw[key] as number) : 0);
  return { state: String(raw.state ?? ''), currency: String(raw.currency ?? 'USD'), amountMinor: n('amountMinor'), fundedMinor: n('fundedMinor'), releasedMinor: n('releasedMinor'), refundedMinor: n('refundedMinor'), feeMinor: n('feeMinor') };
}

/** One milestone: as it is now (milestones.get) and as it was at a chosen moment (milestones.asOf). */
export const useMilestoneStore = defineStore('milestone', () => {
  const detail = ref<MilestoneDetail | null>(null);
  /** Every journal entry that touched the milestone, oldest first: the stops of the time slider. */
  const stops = ref<HistoryStop[]>([]);
  const past = ref<MilestoneAsOf | null>(null);
  let current = '';

  async function load(milestoneId: string) {
    if (milestoneId !== current) { detail.value = null; stops.value = []; past.value = null; }
    current = milestoneId;
    const [d, all] = await Promise.all([api.milestones.get.query({ milestoneId }), api.milestones.asOf.query({ milestoneId, at: new Date() })]);
    if (current !== milestoneId) return;
    detail.value = d;
    stops.value = all.history;
    past.value = all;
  }

  /** The milestone after journal entry `seq` (several entries can share a millisecond, so the seq decides). */
  async function travel(at: Date, untilSeq?: number) {
    const milestoneId = current;
    const result = await api.milestones.asOf.query({ milestoneId, at, untilSeq });
    if (current === milestoneId) past.value = result;
    return result;
  }

  const snapshot = computed(() => snapshotOf(past.value?.snapshot ?? null));
  return { detail, stops, past, snapshot, load, travel };
});
