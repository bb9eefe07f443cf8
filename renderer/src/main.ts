import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { api } from './api/client';
import App from './App.vue';
import { router } from './app/router';
import { useSessionStore } from './features/auth/store';
import { useQueueStore } from './features/disputes/queueStore';
import { setCurrencyExponents } from './format/money';
import { i18n } from './i18n';
import { applyInitialLanguage } from './i18n/language';
import { vuetify } from './plugins/vuetify';
import './styles.css';

const pinia = createPinia();

function mount() {
  applyInitialLanguage();
  createApp(App).use(pinia).use(i18n).use(vuetify).use(router).mount('#app');
}

// Everything the first screen needs is asked for at once rather than one answer after another:
// the currencies and the session in one batched request and, when the console opens on the queue
// (its home), the queue's first page alongside. Should the session turn out missing,
// the router sends the operator to sign in and the speculative page is dropped unseen.
const exponents = api.meta.currencies.query().then(setCurrencyExponents, () => undefined);
// A failure here is the router guard's to report: it asks again.
useSessionStore(pinia).load().catch(() => undefined);
if (['', '/', '/disputes'].includes(location.hash.replace(/^#/, '').split('?')[0]!)) {
  useQueueStore(pinia).prefetchFirstPage();
}

// The engine's minor-unit exponents come first, so no amount is drawn with ICU's (different for
// COP, IDR, PKR). Should the call fail, the console still opens and ICU's figures are the fallback.
void exponents.finally(mount);
