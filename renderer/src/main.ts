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
import { currentLocale } from './i18n/locale';
import { vuetify } from './plugins/vuetify';
import './styles.css';

const pinia = createPinia();

function mount() {
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

// The operator's language, when it is not English, is fetched alongside (i18n/language.ts).
const language = applyInitialLanguage();

// The first currency formatter made in a fresh renderer sets up ICU's number data: tens of
// milliseconds that, made now, overlap the requests above instead of delaying the first rows.
try { new Intl.NumberFormat(currentLocale.value, { style: 'currency', currency: 'USD' }).format(0); } catch { /* only a warm-up */ }

// The engine's minor-unit exponents come first, so no amount is drawn with ICU's (different for
// COP, IDR, PKR), and the words in the operator's language. Should either fail, the console still
// opens, with ICU's figures or in English.
void Promise.allSettled([exponents, language]).then(mount);
