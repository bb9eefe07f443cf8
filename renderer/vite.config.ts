import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import vuetify from 'vite-plugin-vuetify';
import { defineConfig } from 'vite';

/**
 * The one renderer build: used as is by `npm run build:renderer` (browser, served by the server
 * shell) and spread into electron.vite.config.ts (Electron). base './' so the same files load from
 * file:// in Electron and from / in a browser; the router uses hash history for the same reason.
 */
const root = fileURLToPath(new URL('.', import.meta.url));
const src = fileURLToPath(new URL('./src', import.meta.url));
const outDir = fileURLToPath(new URL('../out/renderer', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [vue(), vuetify({ autoImport: true })],
  resolve: { alias: { '@': src } },
  build: {
    outDir,
    emptyOutDir: true,
    // The server's CSP forbids inline scripts: keep every script an external file.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
  },
});
