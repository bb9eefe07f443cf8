import { vuetify } from '@/plugins/vuetify';
import { i18n } from '.';
import { currentLocale, initialLanguage, LANGUAGE_STORAGE_KEY, LOCALE_OF, type Language } from './locale';

function storage(): Storage | null {
  try { return window.localStorage; } catch { return null; }
}

/**
 * Switches the whole console: vue-i18n's messages and dates, Vuetify's own words (pagination,
 * "No data available"…), amounts and percentages (currentLocale), the document's lang and title.
 * The choice is kept in localStorage for the next start.
 */
export function setLanguage(language: Language, persist = true): void {
  const locale = LOCALE_OF[language];
  i18n.global.locale.value = locale;
  vuetify.locale.current.value = language;
  currentLocale.value = locale;
  document.documentElement.lang = locale;
  document.title = i18n.global.t('app.title');
  if (persist) storage()?.setItem(LANGUAGE_STORAGE_KEY, language);
}

/** At startup: the saved language, else the browser's when Spanish or Portuguese, else English. */
export function applyInitialLanguage(): void {
  setLanguage(initialLanguage(storage(), navigator.language), false);
}
