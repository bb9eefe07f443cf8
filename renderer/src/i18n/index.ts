import { createI18n } from 'vue-i18n';
import { en, type Messages } from './en';
import { es } from './es';
import { DEFAULT_LOCALE, type AppLocale } from './locale';
import { pt } from './pt';

const date = { year: 'numeric', month: 'short', day: 'numeric' } as const;
const dateTime = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' } as const;
const datetimeFormats = { 'en-US': { date, dateTime }, 'es-419': { date, dateTime }, 'pt-BR': { date, dateTime } };

/** Messages per locale tag (en-US, es-419, pt-BR); es and pt are typed Messages, so a missing key fails the build. */
export const messages: Record<AppLocale, Messages> = { 'en-US': en, 'es-419': es, 'pt-BR': pt };

export const i18n = createI18n<[Messages], AppLocale, false>({
  legacy: false,
  locale: DEFAULT_LOCALE,
  fallbackLocale: DEFAULT_LOCALE,
  messages,
  datetimeFormats,
  missingWarn: false,
  fallbackWarn: false,
});
