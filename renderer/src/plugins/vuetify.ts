import 'vuetify/styles';
import { createVuetify } from 'vuetify';
import { en } from 'vuetify/locale';
import { DARK_THEME, initialTheme, LIGHT_THEME } from '@/app/theme';
import { aliases, mdiNames } from './icons';

export const vuetify = createVuetify({
  icons: { defaultSet: 'mdi', aliases, sets: { mdi: mdiNames } },
  // Vuetify's own words (tables, pagination, date pickers); i18n/language.ts fetches Spanish and
  // Portuguese when chosen and switches them with the console's.
  locale: { locale: 'en', fallback: 'en', messages: { en } },
  theme: {
    defaultTheme: initialTheme(),
    themes: {
      // Stage colours are theme colours so the chips stay legible on either background.
      [LIGHT_THEME]: {
        dark: false,
        colors: {
          primary: '#1f4e79', secondary: '#5a6b7d', success: '#2e7d32', warning: '#b26a00', error: '#c62828', info: '#1565c0', background: '#f5f7fa', surface: '#ffffff', 'app-bar': '#1f4e79',
          'stage-filing': '#546e7a', 'stage-negotiation': '#1565c0', 'stage-arbitration': '#b26a00', 'stage-decision': '#5e35b1', 'stage-closed': '#2e7d32',
        },
      },
      // Lighter accents over a deep blue-grey: every text colour here is at least 4.5:1 on surface.
      [DARK_THEME]: {
        dark: true,
        colors: {
          primary: '#7fb3e6', secondary: '#a8b6c4', success: '#81c784', warning: '#ffb74d', error: '#ef9a9a', info: '#64b5f6', background: '#10161d', surface: '#1a232d', 'app-bar': '#1b2b3b',
          'surface-variant': '#c9d3dd', 'on-surface-variant': '#1a232d',
          // Dark text on the light accents (Vuetify's own pick would put white on the pale green and red).
          'on-primary': '#0d1b2a', 'on-secondary': '#10161d', 'on-success': '#0b2310', 'on-warning': '#2a1a00', 'on-error': '#2b0b0b', 'on-info': '#0a1f33',
          'stage-filing': '#b0bec5', 'stage-negotiation': '#64b5f6', 'stage-arbitration': '#ffb74d', 'stage-decision': '#b39ddb', 'stage-closed': '#81c784',
        },
      },
    },
  },
  defaults: {
    VBtn: { variant: 'flat' },
    VTextField: { density: 'compact', variant: 'outlined', hideDetails: 'auto' },
    VSelect: { density: 'compact', variant: 'outlined', hideDetails: 'auto' },
    VTextarea: { variant: 'outlined', hideDetails: 'auto' },
    VCard: { variant: 'outlined' },
  },
});
