import { ref } from 'vue';

/**
 * The console's languages and the locale each formats amounts and dates in. The locale tag is also
 * vue-i18n's locale name, so `locale.value` from useI18n() can go straight to Intl.
 */
export const LANGUAGES = ['en', 'es', 'pt'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LOCALE_OF = { en: 'en-US', es: 'es-419', pt: 'pt-BR' } as const satisfies Record<Language, string>;
export type AppLocale = (typeof LOCALE_OF)[Language];
export const DEFAULT_LOCALE: AppLocale = 'en-US';

export function languageOf(locale: string): Language {
  const lang = locale.slice(0, 2).toLowerCase();
  return (LANGUAGES as readonly string[]).includes(lang) ? (lang as Language) : 'en';
}

/**
 * The locale amounts, percentages, sizes and dates are drawn in (format/money.ts, format/time.ts).
 * A ref, so a render that formats through it draws again when the operator switches language.
 */
export const currentLocale = ref<AppLocale>(DEFAULT_LOCALE);

export const LANGUAGE_STORAGE_KEY = 'escrow-console.language';

/** The saved choice, else the browser's language when it is Spanish or Portuguese, else English. */
export function initialLanguage(storage: Pick<Storage, 'getItem'> | null, navigatorLanguage: string | undefined): Language {
  const saved = storage?.getItem(LANGUAGE_STORAGE_KEY);
  if (saved && (LANGUAGES as readonly string[]).includes(saved)) return saved as Language;
  return languageOf(navigatorLanguage ?? 'en');
}
