import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, type RouterOutputs } from '@/api/client';

export type CaseFile = RouterOutputs['disputes']['get'];
export type Offer = CaseFile['offers'][number];

/** The open case file: what the server says, reloaded after every action and every live change. */
export const useCaseStore = defineStore('caseFile', () => {
  const file = ref<CaseFile | null>(null);
  const loading = ref(false);
  let current = '';

  const dispute = computed(() => file.value?.dispute ?? null);
  const publicMessages = computed(() => file.value?.messages.filter((m) => !m.internal) ?? []);
  const notes = computed(() => file.value?.messages.filter((m) => m.internal) ?? []);
  /** Each party's latest offer, as the freelancer's share (the one number offers are made in). */
  const lastOffers = computed(() => {
    const offers = file.value?.offers ?? [];
    const last = (role: string) => [...offers].reverse().find((o) => o.byRole === role) ?? null;
    return { client: last('client'), freelancer: last('freelancer') };
  });

  async function load(disputeId: string) {
    if (disputeId !== current) file.value = null;
    current = disputeId;
    loading.value = true;
    try {
      const result = await api.disputes.get.query({ disputeId });
      if (current === disputeId) file.value = result;
    } finally {
      loading.value = false;
    }
  }

  const reload = () => load(current);

  async function addNote(body: string) {
    const result = await api.disputes.note.mutate({ disputeId: current, body });
    await reload();
    return result;
  }

  async function assign(mediatorId: string | null) {
    const d = dispute.value;
    if (!d) return;
    try {
      await api.disputes.assign.mutate({ disputeId: d.id, mediatorId, expectedVersion: d.version });
    } finally {
      await reload();
    }
  }

  async function closeSmallClaim(reason: string) {
    try {
      await api.disputes.closeSmallClaim.mutate({ disputeId: current, reason });
    } finally {
      await reload();
    }
  }

  return { file, loading, dispute, publicMessages, notes, lastOffers, load, reload, addNote, assign, closeSmallClaim };
});
