import '@mdi/font/css/materialdesignicons.css';
import 'vuetify/styles';
import { createVuetify } from 'vuetify';

export const vuetify = createVuetify({
  theme: {
    defaultTheme: 'console',
    themes: {
      console: {
        dark: false,
        colors: { primary: '#1f4e79', secondary: '#5a6b7d', success: '#2e7d32', warning: '#b26a00', error: '#c62828', info: '#1565c0', background: '#f5f7fa', surface: '#ffffff' },
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
