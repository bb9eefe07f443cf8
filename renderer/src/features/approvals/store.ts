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
  async function load(more = false) {
    const page = await api.disputes.approvals.query({ status: status.value, cursor: more ? nextCursor.value : null, limit: 50 });
    items.value = more ? [...items.value, ...page.items] : page.items;
    nextCursor.value = page.nextCursor;
  }

  async function decide(approvalId: string, approve: boolean, reason: string) {
    const result = await api.disputes.decideApproval.mutate({ approvalId, approve, reason });
    await load();
    return result;
  }

  return { status, items, nextCursor, load, decide };
});
