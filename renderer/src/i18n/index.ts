import { createI18n } from 'vue-i18n';
import { en, type Messages } from './en';

const datetimeFormats = {
  en: {
    date: { year: 'numeric', month: 'short', day: 'numeric' },
    dateTime: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  },
} as const;

/** English now; es and pt add files of the same shape (Messages) later. */
export const i18n = createI18n<[Messages], 'en', false>({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages: { en },
  datetimeFormats,
  missingWarn: false,
  fallbackWarn: false,
});
