import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { api } from './api/client';
import App from './App.vue';
import { router } from './app/router';
import { setCurrencyExponents } from './format/money';
import { i18n } from './i18n';
import { applyInitialLanguage } from './i18n/language';
import { vuetify } from './plugins/vuetify';
import './styles.css';

function mount() {
  applyInitialLanguage();
  createApp(App).use(createPinia()).use(i18n).use(vuetify).use(router).mount('#app');
}

// The engine's minor-unit exponents come first, so no amount is drawn with ICU's (different for
// COP, IDR, PKR). Should the call fail, the console still opens and ICU's figures are the fallback.
api.meta.currencies.query().then(setCurrencyExponents, () => undefined).finally(mount);
