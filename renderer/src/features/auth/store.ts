import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, type RouterOutputs } from '@/api/client';

export type Operator = NonNullable<RouterOutputs['auth']['me']>['operator'];
export type Role = Operator['role'];

/** Who is signed in. The cookie is HttpOnly: the renderer only ever knows the operator, never the token. */
export const useSessionStore = defineStore('session', () => {
  const operator = ref<Operator | null>(null);
  const expiresAt = ref<Date | null>(null);
  const needsBootstrap = ref(false);
  const loaded = ref(false);
  /** Why the operator is looking at the sign-in screen, when it is not their choice. */
  const expired = ref(false);

  const role = computed(() => operator.value?.role ?? null);

  let loading: Promise<void> | null = null;
  /** One question to the server however many ask: main.ts asks at startup, the router's guard again. */
  function load(): Promise<void> {
    loading ??= Promise.all([api.auth.me.query(), api.auth.needsBootstrap.query()]).then(([me, bootstrap]) => {
      operator.value = me?.operator ?? null;
      expiresAt.value = me?.expiresAt ?? null;
      needsBootstrap.value = bootstrap;
      loaded.value = true;
    }).finally(() => { loading = null; });
    return loading;
  }

  async function signIn(email: string, password: string) {
    const result = await api.auth.signIn.mutate({ email, password });
    operator.value = result.operator;
    expiresAt.value = result.expiresAt;
    expired.value = false;
  }

  async function bootstrap(email: string, password: string) {
    const result = await api.auth.bootstrap.mutate({ email, password });
    operator.value = result.operator;
    expiresAt.value = result.expiresAt;
    needsBootstrap.value = false;
  }

  async function signOut() {
    await api.auth.signOut.mutate();
    operator.value = null;
    expiresAt.value = null;
  }

  /** The server refused a call for want of a session: forget the operator, say why. */
  function sessionLost() {
    if (!operator.value) return;
    operator.value = null;
    expiresAt.value = null;
    expired.value = true;
  }

  return { operator, expiresAt, needsBootstrap, loaded, expired, role, load, signIn, bootstrap, signOut, sessionLost };
});
