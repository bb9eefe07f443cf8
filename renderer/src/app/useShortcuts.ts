import { onBeforeUnmount, onMounted } from 'vue';

/**
 * A key binding: `key` is KeyboardEvent.key ("j", "ArrowDown", "Enter", "?", "/"), optionally prefixed
 * with "mod+" (Ctrl, or Cmd on macOS). A handler returning false leaves the event alone.
 */
export type Shortcuts = Record<string, (e: KeyboardEvent) => void | boolean>;
export type ShortcutOptions = {
  /** Bindings that still fire while focus is in an input, textarea or editable element (e.g. "mod+k"). */
  inInputs?: readonly string[];
  /** Bindings that still fire while a dialog or menu is open (e.g. the palette's own "mod+k"). */
  inOverlays?: readonly string[];
};

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el?.closest?.('input, textarea, select, [contenteditable=""], [contenteditable=true]');
}

/** A dialog or menu is open: it owns the keyboard (Escape closes it, arrows move in it). */
function overlayOpen(): boolean {
  return !!document.querySelector('.v-overlay--active.v-dialog, .v-overlay--active.v-menu');
}

function nameOf(e: KeyboardEvent): string | null {
  const mod = e.ctrlKey || e.metaKey;
  if (e.altKey) return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  // Shift is part of the key itself for "?" and friends; only letters lose it (so "J" still is "j").
  return mod ? `mod+${key}` : key;
}

/**
 * Registers keyboard shortcuts for as long as the calling component is mounted. Shortcuts never fire
 * while the operator is typing in a field, nor while a dialog or menu is open, unless listed as allowed.
 */
export function useShortcuts(shortcuts: Shortcuts | (() => Shortcuts), options: ShortcutOptions = {}): void {
  function onKey(e: KeyboardEvent) {
    if (e.defaultPrevented || e.isComposing) return;
    const name = nameOf(e);
    if (!name) return;
    const map = typeof shortcuts === 'function' ? shortcuts() : shortcuts;
    const handler = map[name];
    if (!handler) return;
    if (typing(e.target) && !options.inInputs?.includes(name)) return;
    if (overlayOpen() && !options.inOverlays?.includes(name)) return;
    if (handler(e) === false) return;
    e.preventDefault();
  }
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}

/** What the help dialog lists: sections of [keys, i18n key of the description]. */
export const SHORTCUT_HELP: readonly { section: 'global' | 'queue' | 'caseFile'; items: readonly { keys: readonly string[]; label: string }[] }[] = [
  {
    section: 'global',
    items: [
      { keys: ['Ctrl+K', '⌘K'], label: 'shortcuts.palette' },
      { keys: ['?'], label: 'shortcuts.help' },
    ],
  },
  {
    section: 'queue',
    items: [
      { keys: ['j', '↓'], label: 'shortcuts.next' },
      { keys: ['k', '↑'], label: 'shortcuts.previous' },
      { keys: ['Enter'], label: 'shortcuts.open' },
      { keys: ['t'], label: 'shortcuts.takeNext' },
      { keys: ['c'], label: 'shortcuts.claim' },
      { keys: ['/'], label: 'shortcuts.search' },
      { keys: ['r'], label: 'shortcuts.refresh' },
    ],
  },
  {
    section: 'caseFile',
    items: [
      { keys: ['d'], label: 'shortcuts.reason' },
      { keys: ['1'], label: 'shortcuts.fullRelease' },
      { keys: ['2'], label: 'shortcuts.fullRefund' },
      { keys: ['3'], label: 'shortcuts.even' },
      { keys: ['Ctrl+Enter'], label: 'shortcuts.commit' },
      { keys: ['Escape'], label: 'shortcuts.back' },
    ],
  },
];
