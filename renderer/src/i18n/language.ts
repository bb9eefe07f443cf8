import type { LocaleMessages } from 'vuetify';
import { vuetify } from '@/plugins/vuetify';
import { i18n, loadMessages } from '.';
import { currentLocale, initialLanguage, LANGUAGE_STORAGE_KEY, LOCALE_OF, type Language } from './locale';

function storage(): Storage | null {
  try { return window.localStorage; } catch { return null; }
}

/** Vuetify's own words in Spanish and Portuguese, fetched with ours (English is bundled, plugins/vuetify.ts). */
const loadVuetifyMessages: Record<Exclude<Language, 'en'>, () => Promise<LocaleMessages>> = {
  es: () => import('vuetify/lib/locale/es.js').then((m) => m.default as LocaleMessages),
  pt: () => import('vuetify/lib/locale/pt.js').then((m) => m.default as LocaleMessages),
};

const loading = new Map<Language, Promise<void>>();

/** Fetches a language's messages (ours and Vuetify's) once; English is always there. */
export function ensureLanguage(language: Language): Promise<void> {
  if (language === 'en') return Promise.resolve();
  let done = loading.get(language);
  if (!done) {
    const locale = LOCALE_OF[language];
    done = Promise.all([loadMessages[locale](), loadVuetifyMessages[language]()]).then(([ours, theirs]) => {
      i18n.global.setLocaleMessage(locale, ours);
      vuetify.locale.messages.value = { ...vuetify.locale.messages.value, [language]: theirs };
    });
    // A failed fetch (a network hiccup in a browser) may be retried by choosing the language again.
    done.catch(() => loading.delete(language));
    loading.set(language, done);
  }
  return done;
}

/** The language last asked for: a slower earlier choice must not win over a later one. */
let wanted: Language = 'en';

function apply(language: Language): void {
  const locale = LOCALE_OF[language];
  i18n.global.locale.value = locale;
  vuetify.locale.current.value = language;
  currentLocale.value = locale;
  document.documentElement.lang = locale;
  document.title = i18n.global.t('app.title');
}

/**
 * Switches the whole console: vue-i18n's messages and dates, Vuetify's own words (pagination,
 * "No data available"…), amounts and percentages (currentLocale), the document's lang and title.
 * The choice is kept in localStorage for the next start. Spanish and Portuguese are fetched first
 * (a few milliseconds, from the console's own files); should that fail, the console stays as it was.
 */
export async function setLanguage(language: Language, persist = true): Promise<void> {
  wanted = language;
  if (persist) storage()?.setItem(LANGUAGE_STORAGE_KEY, language);
  try {
    await ensureLanguage(language);
  } catch {
    return;
  }
  if (wanted === language) apply(language);
}

/**
 * At startup: the saved language, else the browser's when Spanish or Portuguese, else English.
 * Resolves once its words are in, so the first screen is drawn in that language.
 */
export function applyInitialLanguage(): Promise<void> {
  apply('en');
  return setLanguage(initialLanguage(storage(), navigator.language), false);
}
