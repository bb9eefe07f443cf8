import type { Catalog } from './catalog.js';
import { en } from './en.js';
import { es } from './es.js';
import { pt } from './pt.js';

export type { Catalog, Labels, Message, Paragraph } from './catalog.js';

/** The languages emails are written in; a user's language outside these gets English. */
export const CATALOGS = { en, es, pt } as const satisfies Record<string, Catalog>;
export type MailLanguage = keyof typeof CATALOGS;

/** 'pt-BR', 'PT' and 'pt_BR' all mean Portuguese; anything unknown means English. */
export function mailLanguage(language: string | null | undefined): MailLanguage {
  const base = (language ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return Object.hasOwn(CATALOGS, base) ? (base as MailLanguage) : 'en';
}
