import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './app/router';
import { i18n } from './i18n';
import { vuetify } from './plugins/vuetify';
import './styles.css';

createApp(App).use(createPinia()).use(i18n).use(vuetify).use(router).mount('#app');
