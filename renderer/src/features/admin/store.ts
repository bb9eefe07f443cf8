import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, type RouterOutputs } from '@/api/client';

export type MarketplaceRow = RouterOutputs['admin']['marketplaces'][number];
export type OperatorRow = RouterOutputs['admin']['operators'][number];

export const useAdminStore = defineStore('admin', () => {
  const marketplaces = ref<MarketplaceRow[]>([]);
  const operators = ref<OperatorRow[]>([]);
  async function load() {
    [marketplaces.value, operators.value] = await Promise.all([api.admin.marketplaces.query(), api.admin.operators.query()]);
  }
  return { marketplaces, operators, load };
});
