import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { api, refusalOf, type RouterOutputs } from '@/api/client';
import { useCaseStore } from './caseStore';

export type SplitPreview = RouterOutputs['disputes']['previewSplit'];
export type DecideResult = RouterOutputs['disputes']['decide'];
export type Template = 'fullRelease' | 'fullRefund' | 'even' | 'clientOffer' | 'freelancerOffer';

const PREVIEW_DEBOUNCE_MS = 300;

/**
 * The split being prepared for the open case. One number is the state (the freelancer's share);
 * the client's share is the rest of the disputed amount, so the two always add up to it.
 */
export const useSplitStore = defineStore('split', () => {
  const caseFile = useCaseStore();
  const freelancerMinor = ref(0);
  const reason = ref('');
  const preview = ref<SplitPreview | null>(null);
  const previewError = ref<string | null>(null);
  const previewing = ref(false);
  const committing = ref(false);
  /** Same split, same key: a retried commit can never post twice. */
  let idempotency: { payload: string; key: string } | null = null;

  const totalMinor = computed(() => caseFile.dispute?.disputedMinor ?? 0);
  const currency = computed(() => caseFile.dispute?.currency ?? 'USD');
  const clientMinor = computed(() => totalMinor.value - freelancerMinor.value);
  const canCommit = computed(() => caseFile.dispute?.stage === 'decision' && reason.value.trim().length > 0 && !committing.value);

  function setFreelancer(minor: number) {
    freelancerMinor.value = Math.min(Math.max(0, Math.trunc(minor)), totalMinor.value);
  }

  function setClient(minor: number) {
    setFreelancer(totalMinor.value - Math.min(Math.max(0, Math.trunc(minor)), totalMinor.value));
  }

  /** Starting points; the even split gives an odd minor unit to the freelancer, as small claims do. */
  function applyTemplate(template: Template) {
    const total = totalMinor.value;
    const offers = caseFile.lastOffers;
    const share: Record<Template, number | null> = {
      fullRelease: total,
      fullRefund: 0,
      even: total - Math.floor(total / 2),
      clientOffer: offers.client?.freelancerShareMinor ?? null,
      freelancerOffer: offers.freelancer?.freelancerShareMinor ?? null,
    };
    const value = share[template];
    if (value !== null) setFreelancer(value);
  }

  function reset() {
    freelancerMinor.value = totalMinor.value - Math.floor(totalMinor.value / 2);
    reason.value = '';
    preview.value = null;
    previewError.value = null;
    idempotency = null;
  }

  let timer: ReturnType<typeof setTimeout> | null = null;
  let asked = 0;
  async function runPreview() {
    const d = caseFile.dispute;
    if (!d || d.stage !== 'decision') return;
    const mine = ++asked;
    previewing.value = true;
    try {
      const result = await api.disputes.previewSplit.query({ disputeId: d.id, freelancerShareMinor: freelancerMinor.value, clientShareMinor: clientMinor.value });
      if (mine !== asked) return;
      preview.value = result;
      previewError.value = null;
    } catch (error) {
      // Shown in the panel, in the router's words; the commit button stays the way to act.
      if (mine === asked) { preview.value = null; previewError.value = refusalOf(error).message; }
    } finally {
      if (mine === asked) previewing.value = false;
    }
  }

  watch([freelancerMinor, () => caseFile.dispute?.id, () => caseFile.dispute?.version], () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void runPreview(), PREVIEW_DEBOUNCE_MS);
  });

  async function commit(): Promise<DecideResult> {
    const d = caseFile.dispute;
    if (!d) throw new Error('no case is open');
    const input = { disputeId: d.id, freelancerShareMinor: freelancerMinor.value, clientShareMinor: clientMinor.value, reason: reason.value.trim(), expectedVersion: d.version };
    const payload = JSON.stringify(input);
    if (idempotency?.payload !== payload) idempotency = { payload, key: crypto.randomUUID() };
    committing.value = true;
    try {
      return await api.disputes.decide.mutate({ ...input, idempotencyKey: idempotency.key });
    } finally {
      committing.value = false;
      // Decided, proposed, or refused because someone else got there first: show what is true now.
      await caseFile.reload();
    }
  }

  return { freelancerMinor, clientMinor, totalMinor, currency, reason, preview, previewError, previewing, committing, canCommit, setFreelancer, setClient, applyTemplate, reset, commit };
});
