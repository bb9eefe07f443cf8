import { h } from 'vue';
import {
  mdiAccount,
  mdiAccountCancel,
  mdiAccountCheck,
  mdiAccountCircle,
  mdiAccountGroup,
  mdiAccountLock,
  mdiAccountPlus,
  mdiAlertCircle,
  mdiArrowDown,
  mdiArrowLeft,
  mdiArrowRight,
  mdiArrowUp,
  mdiBankTransfer,
  mdiBriefcaseOutline,
  mdiCheckCircle,
  mdiCheckDecagram,
  mdiChevronDown,
  mdiCircleOutline,
  mdiClose,
  mdiCloseCircle,
  mdiCodeJson,
  mdiCog,
  mdiContentCopy,
  mdiContentSave,
  mdiDatabaseExport,
  mdiEmailOffOutline,
  mdiEmailOutline,
  mdiEye,
  mdiEyeOff,
  mdiFileDelimited,
  mdiFileDocumentCheck,
  mdiFilePdfBox,
  mdiFilter,
  mdiFilterRemove,
  mdiFlagCheckered,
  mdiGavel,
  mdiHandBackRight,
  mdiHistory,
  mdiKeyPlus,
  mdiKeyboardOutline,
  mdiLaptop,
  mdiLinkVariant,
  mdiLinkVariantOff,
  mdiLock,
  mdiLockReset,
  mdiLogout,
  mdiMagnify,
  mdiPaperclip,
  mdiRefresh,
  mdiScaleBalance,
  mdiScaleUnbalanced,
  mdiShieldCheck,
  mdiStethoscope,
  mdiThemeLightDark,
  mdiTimerOffOutline,
  mdiTimerSand,
  mdiTranslate,
  mdiUndo,
  mdiWeatherNight,
  mdiWeatherSunny,
} from '@mdi/js';
import type { IconProps, IconSet } from 'vuetify';
import { aliases as svgAliases, mdi as svgSet } from 'vuetify/iconsets/mdi-svg';

/**
 * The console's icons as inline SVG paths from @mdi/js, keyed by the same `mdi-…` names the
 * templates use. The @mdi/font stylesheet and webfont this replaces weighed ~400 KB of CSS and
 * ~400 KB of font on the first load for the ~60 icons shown; imported by name, only these are
 * bundled. A new icon needs its line here, else it renders empty and warns in development.
 */
const PATHS: Record<string, string> = {
  'mdi-account': mdiAccount,
  'mdi-account-cancel': mdiAccountCancel,
  'mdi-account-check': mdiAccountCheck,
  'mdi-account-circle': mdiAccountCircle,
  'mdi-account-group': mdiAccountGroup,
  'mdi-account-lock': mdiAccountLock,
  'mdi-account-plus': mdiAccountPlus,
  'mdi-alert-circle': mdiAlertCircle,
  'mdi-arrow-down': mdiArrowDown,
  'mdi-arrow-left': mdiArrowLeft,
  'mdi-arrow-right': mdiArrowRight,
  'mdi-arrow-up': mdiArrowUp,
  'mdi-bank-transfer': mdiBankTransfer,
  'mdi-briefcase-outline': mdiBriefcaseOutline,
  'mdi-check-circle': mdiCheckCircle,
  'mdi-check-decagram': mdiCheckDecagram,
  'mdi-chevron-down': mdiChevronDown,
  'mdi-circle-outline': mdiCircleOutline,
  'mdi-close': mdiClose,
  'mdi-close-circle': mdiCloseCircle,
  'mdi-code-json': mdiCodeJson,
  'mdi-cog': mdiCog,
  'mdi-content-copy': mdiContentCopy,
  'mdi-content-save': mdiContentSave,
  'mdi-database-export': mdiDatabaseExport,
  'mdi-email-off-outline': mdiEmailOffOutline,
  'mdi-email-outline': mdiEmailOutline,
  'mdi-eye': mdiEye,
  'mdi-eye-off': mdiEyeOff,
  'mdi-file-delimited': mdiFileDelimited,
  'mdi-file-document-check': mdiFileDocumentCheck,
  'mdi-file-pdf-box': mdiFilePdfBox,
  'mdi-filter': mdiFilter,
  'mdi-filter-remove': mdiFilterRemove,
  'mdi-flag-checkered': mdiFlagCheckered,
  'mdi-gavel': mdiGavel,
  'mdi-hand-back-right': mdiHandBackRight,
  'mdi-history': mdiHistory,
  'mdi-key-plus': mdiKeyPlus,
  'mdi-keyboard-outline': mdiKeyboardOutline,
  'mdi-laptop': mdiLaptop,
  'mdi-link-variant': mdiLinkVariant,
  'mdi-link-variant-off': mdiLinkVariantOff,
  'mdi-lock': mdiLock,
  'mdi-lock-reset': mdiLockReset,
  'mdi-logout': mdiLogout,
  'mdi-magnify': mdiMagnify,
  'mdi-paperclip': mdiPaperclip,
  'mdi-refresh': mdiRefresh,
  'mdi-scale-balance': mdiScaleBalance,
  'mdi-scale-unbalanced': mdiScaleUnbalanced,
  'mdi-shield-check': mdiShieldCheck,
  'mdi-stethoscope': mdiStethoscope,
  'mdi-theme-light-dark': mdiThemeLightDark,
  'mdi-timer-off-outline': mdiTimerOffOutline,
  'mdi-timer-sand': mdiTimerSand,
  'mdi-translate': mdiTranslate,
  'mdi-undo': mdiUndo,
  'mdi-weather-night': mdiWeatherNight,
  'mdi-weather-sunny': mdiWeatherSunny,
};

/**
 * An icon's SVG path by its `mdi-…` name, for markup drawn without a VIcon instance: the queue's
 * rows draw a few icons each, and hundreds of component instances cost more than the paths.
 */
export function iconPath(name: string): string {
  return PATHS[name] ?? '';
}

/** Vuetify's own icons (sort arrows, checkboxes, close…) as SVG too, so no icon font is needed. */
export const aliases = svgAliases;

export const mdiNames: IconSet = {
  component: (props: IconProps) => {
    const name = typeof props.icon === 'string' ? props.icon : '';
    const path = PATHS[name];
    if (!path && import.meta.env.DEV) console.warn(`No SVG path for icon "${name}": add it to plugins/icons.ts`);
    return h(svgSet.component, { ...props, icon: path ?? '' });
  },
};
