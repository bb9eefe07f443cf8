import { useI18n } from 'vue-i18n';

/** Ledger account ids as the engine derives them: wallet:<user>:<cur>, escrow:<milestone>, fees:…, dispute_fee:<dispute>. */
export function parseAccount(id: string): { kind: string; owner: string } {
  const [kind = '', owner = ''] = id.split(':');
  return { kind, owner };
}

/**
 * Words for the codes the API sends (journal actions, transfer kinds, account kinds), with the
 * code itself when a newer server sends one this console has no words for yet.
 */
export function useLabels() {
  const { t, te } = useI18n();
  const word = (key: string, fallback: string) => (te(key) ? t(key) : fallback);
  return {
    action: (action: string) => word(`actions.${action}`, action),
    transferKind: (kind: string) => word(`transferKinds.${kind}`, kind),
    accountKind: (id: string) => { const { kind } = parseAccount(id); return word(`accounts.${kind}`, kind); },
    role: (role: string) => word(`actorRoles.${role}`, role),
    milestoneState: (state: string) => word(`milestoneStates.${state}`, state),
  };
}
