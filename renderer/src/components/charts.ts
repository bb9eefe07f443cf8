import { BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

/**
 * Chart.js, registered once with only the pieces the console draws (bars and lines), so the
 * bundle stays small. Chart.js draws on a canvas and needs no eval, so the CSP's script-src 'self' holds.
 */
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend, Filler);

/** Colours from the Vuetify theme, read when a chart is drawn (a canvas cannot use CSS variables). */
export function themeColor(name: string, alpha = 1): string {
  const rgb = getComputedStyle(document.documentElement).getPropertyValue(`--v-theme-${name}`).trim() || '0,0,0';
  // Vuetify writes the channels comma-separated ("31,78,121"); accept space-separated too.
  const channels = rgb.includes(',') ? rgb : rgb.split(/\s+/).join(',');
  return `rgba(${channels},${alpha})`;
}
