import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, type RouterOutputs } from '@/api/client';

export type Approval = RouterOutputs['disputes']['approvals']['items'][number];
export type ApprovalStatus = 'pending' | 'approved' | 'rejected';

/** Split decisions waiting for a second pair of eyes. */
export const useApprovalsStore = defineStore('approvals', () => {
  const status = ref<ApprovalStatus>('pending');
  const items = ref<Approval[]>([]);
  const nextCursor = ref<string | null>(null);
  /** Approvals carry no currency: the disputes they belong to do. */
  const currencies = ref<Record<string, string>>({});

  async function load(more = false) {
    const page = await api.disputes.approvals.query({ status: status.value, cursor: more ? nextCursor.value : null, limit: 50 });
    items.value = more ? [...items.value, ...page.items] : page.items;
    nextCursor.value = page.nextCursor;
    const missing = [...new Set(page.items.map((a) => a.disputeId))].filter((id) => !currencies.value[id]);
    const files = await Promise.all(missing.map((disputeId) => api.disputes.get.query({ disputeId })));
    currencies.value = { ...currencies.value, ...Object.fromEntries(files.map((f) => [f.dispute.id, f.dispute.currency])) };
  }

  async function decide(approvalId: string, approve: boolean, reason: string) {
    const result = await api.disputes.decideApproval.mutate({ approvalId, approve, reason });
    await load();
    return result;
  }

  return { status, items, nextCursor, currencies, load, decide };
});
