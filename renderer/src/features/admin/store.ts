import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, type RouterInputs, type RouterOutputs } from '@/api/client';

export type MarketplaceRow = RouterOutputs['admin']['marketplaces'][number];
export type Settings = MarketplaceRow['settings'];
export type SettingsPatch = RouterInputs['admin']['updateSettings']['patch'];
export type OperatorRow = RouterOutputs['admin']['operators'][number];
export type NewOperator = RouterInputs['admin']['createOperator'];
export type OperatorChange = RouterInputs['admin']['updateOperator'];
export type ApiKeyRow = RouterOutputs['admin']['apiKeys'][number];
export type CreatedApiKey = RouterOutputs['admin']['createApiKey'];
export type ConflictRow = RouterOutputs['admin']['conflicts'][number];
export type MailSettings = RouterOutputs['admin']['mailSettings'];
export type BackupResult = RouterOutputs['admin']['backup'];

/** The administrator's reference data and the actions on it; each action reloads what it changed. */
export const useAdminStore = defineStore('admin', () => {
  const marketplaces = ref<MarketplaceRow[]>([]);
  const operators = ref<OperatorRow[]>([]);
  const apiKeys = ref<ApiKeyRow[]>([]);
  const conflicts = ref<ConflictRow[]>([]);
  const mail = ref<MailSettings | null>(null);
  /** The backups taken from this console since it opened, newest first. */
  const backups = ref<BackupResult[]>([]);

  async function loadMarketplaces() { marketplaces.value = await api.admin.marketplaces.query(); }
  async function loadOperators() { operators.value = await api.admin.operators.query(); }
  async function loadApiKeys() { apiKeys.value = await api.admin.apiKeys.query(); }
  async function loadConflicts() { conflicts.value = await api.admin.conflicts.query(); }
  async function loadMail() { mail.value = await api.admin.mailSettings.query(); }

  async function updateSettings(marketplaceId: string, patch: SettingsPatch, reason: string) {
    const result = await api.admin.updateSettings.mutate({ marketplaceId, patch, reason });
    await loadMarketplaces();
    return result;
  }

  async function createOperator(input: NewOperator) {
    const result = await api.admin.createOperator.mutate(input);
    await loadOperators();
    return result;
  }
  async function updateOperator(input: OperatorChange) {
    try { return await api.admin.updateOperator.mutate(input); } finally { await loadOperators(); }
  }
  const resetPassword = (operatorId: string, password: string) => api.admin.resetPassword.mutate({ operatorId, password });

  async function createApiKey(marketplaceId: string, name: string): Promise<CreatedApiKey> {
    const created = await api.admin.createApiKey.mutate({ marketplaceId, name });
    await loadApiKeys();
    return created;
  }
  async function revokeApiKey(apiKeyId: string) {
    try { return await api.admin.revokeApiKey.mutate({ apiKeyId }); } finally { await loadApiKeys(); }
  }

  async function recordConflict(operatorId: string, userId: string, reason: string) {
    const result = await api.admin.recordConflict.mutate({ operatorId, userId, reason });
    await loadConflicts();
    return result;
  }

  /** The SMTP URL goes to the server and is never read back: only whether one is set, and its host. */
  async function updateMail(smtpUrl: string | null, reason: string) {
    try { return await api.admin.updateMailSettings.mutate({ smtpUrl, reason }); } finally { await loadMail(); }
  }

  async function backup() {
    const result = await api.admin.backup.mutate();
    backups.value = [result, ...backups.value];
    return result;
  }

  return {
    marketplaces, operators, apiKeys, conflicts, mail, backups,
    loadMarketplaces, loadOperators, loadApiKeys, loadConflicts, loadMail,
    updateSettings, createOperator, updateOperator, resetPassword, createApiKey, revokeApiKey, recordConflict, updateMail, backup,
  };
});
