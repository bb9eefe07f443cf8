import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, type RouterOutputs } from '@/api/client';

export type CancellationRow = RouterOutputs['admin']['cancellations']['items'][number];
export type CancellationStatus = 'pending_approval' | 'applied' | 'rejected' | 'overridden';
export type Decision = 'approve' | 'reject' | 'override';

/**
 * What a decision on a staff cancellation will do, from the server's records: the amount, the
 * state the milestone goes back to, and (for an override) the client's wallet it is taken from.
 */
export type Effect = {
  decision: Decision;
  amountMinor: number;
  currency: string;
  priorState: string;
  clientId: string;
  clientBalanceMinor: number | null;
};

const PAGE = 50;

export const useCancellationsStore = defineStore('cancellations', () => {
  const status = ref<CancellationStatus | null>('pending_approval');
  const items = ref<CancellationRow[]>([]);
  const nextCursor = ref<string | null>(null);
  let generation = 0;

  async function load(more = false) {
    const mine = more ? generation : ++generation;
    const page = await api.admin.cancellations.query({ status: status.value ?? undefined, cursor: more ? nextCursor.value : null, limit: PAGE });
    if (mine !== generation) return;
    items.value = more ? [...items.value, ...page.items] : page.items;
    nextCursor.value = page.nextCursor;
  }

  /** Reads the milestone (for the prior state and the client) and the client's wallet before deciding. */
  async function effectOf(row: CancellationRow, decision: Decision): Promise<Effect> {
    const detail = await api.milestones.get.query({ milestoneId: row.milestoneId });
    const record = detail.cancellations.find((c) => c.id === row.id);
    const clientId = detail.milestone.clientId;
    const user = decision === 'override' ? await api.users.get.query({ userId: clientId }) : null;
    const wallet = user?.balances.find((b) => b.currency === row.currency);
    return {
      decision,
      amountMinor: row.amountMinor,
      currency: row.currency,
      priorState: record?.priorState ?? detail.milestone.priorState ?? '',
      clientId,
      clientBalanceMinor: user ? wallet?.balanceMinor ?? 0 : null,
    };
  }

  async function decide(row: CancellationRow, decision: Decision, reason: string) {
    try {
      if (decision === 'override') return await api.admin.overrideCancellation.mutate({ cancellationId: row.id, reason });
      return await api.admin.decideCancellation.mutate({ cancellationId: row.id, approve: decision === 'approve', reason });
    } finally {
      await load();
    }
  }

  return { status, items, nextCursor, load, effectOf, decide };
});
