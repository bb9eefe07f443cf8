import { createI18n } from 'vue-i18n';
import { en, type Messages } from './en';
import { DEFAULT_LOCALE, type AppLocale } from './locale';

const date = { year: 'numeric', month: 'short', day: 'numeric' } as const;
const dateTime = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' } as const;
const datetimeFormats = { 'en-US': { date, dateTime }, 'es-419': { date, dateTime }, 'pt-BR': { date, dateTime } };

/**
 * English is bundled; Spanish and Portuguese (es.ts, pt.ts: typed Messages, so a missing key fails
 * the build) are separate chunks fetched when chosen (language.ts): most operators never need
 * them, and every kilobyte of script in the main bundle is compiled before the first screen.
 */
export const i18n = createI18n<[Messages], AppLocale, false>({
  legacy: false,
  locale: DEFAULT_LOCALE,
  fallbackLocale: DEFAULT_LOCALE,
  messages: { [DEFAULT_LOCALE]: en } as Record<AppLocale, Messages>,
  datetimeFormats,
  missingWarn: false,
  fallbackWarn: false,
});

export const loadMessages: Record<Exclude<AppLocale, 'en-US'>, () => Promise<Messages>> = {
  'es-419': () => import('./es').then((m) => m.es),
  'pt-BR': () => import('./pt').then((m) => m.pt),
};
