import { computed } from 'vue';
import { useTheme } from 'vuetify';

export const LIGHT_THEME = 'console';
export const DARK_THEME = 'consoleDark';
const STORAGE_KEY = 'console.theme';

/** The operator's last choice, else the system's preference (prefers-color-scheme), else light. */
export function initialTheme(): string {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === LIGHT_THEME || saved === DARK_THEME) return saved;
  } catch { /* storage unavailable: fall through to the system preference */ }
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? DARK_THEME : LIGHT_THEME;
}

/** Light or dark, switched from the app bar, the palette or a shortcut; the choice is remembered. */
export function useThemeSwitch() {
  const theme = useTheme();
  const dark = computed(() => theme.global.name.value === DARK_THEME);
  function set(name: string) {
    theme.change(name);
    try { localStorage.setItem(STORAGE_KEY, name); } catch { /* not remembered, still switched */ }
  }
  const toggle = () => set(dark.value ? LIGHT_THEME : DARK_THEME);
  return { dark, set, toggle };
}
