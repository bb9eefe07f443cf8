import { parsePercentBps } from '@/format/money';
import type { Settings, SettingsPatch } from './store';

/**
 * The settings form as data: each field's path in Settings, how it is typed in, and its bounds
 * (the router's: bps up to 5000, days up to 365). The form holds text; a field parses to the
 * value the server stores, or null when it is not valid.
 */
export type FieldKind = 'creator' | 'bool' | 'bps' | 'days' | 'minor';
export type Field = { path: string; kind: FieldKind; label: string; group: 'milestones' | 'fees' | 'deadlines' | 'limits' };

export const FIELDS: readonly Field[] = [
  { path: 'milestoneCreator', kind: 'creator', label: 'milestoneCreator', group: 'milestones' },
  { path: 'clientOptions.skipFreelancerApproval', kind: 'bool', label: 'skipFreelancerApproval', group: 'milestones' },
  { path: 'clientOptions.allowDeleteBeforePaid', kind: 'bool', label: 'allowDeleteBeforePaid', group: 'milestones' },
  { path: 'clientOptions.takePaymentOnFreelancerApproval', kind: 'bool', label: 'takePaymentOnFreelancerApproval', group: 'milestones' },
  { path: 'commissionBps', kind: 'bps', label: 'commission', group: 'fees' },
  { path: 'arbitrationFee.bps', kind: 'bps', label: 'arbitrationFeePct', group: 'fees' },
  { path: 'arbitrationFee.minimumMinor', kind: 'minor', label: 'arbitrationFeeMin', group: 'fees' },
  { path: 'respondDays.freelancer', kind: 'days', label: 'respondFreelancer', group: 'deadlines' },
  { path: 'respondDays.client', kind: 'days', label: 'respondClient', group: 'deadlines' },
  { path: 'arbitrationPayDays', kind: 'days', label: 'arbitrationPayDays', group: 'deadlines' },
  { path: 'autoReleaseDays', kind: 'days', label: 'autoReleaseDays', group: 'deadlines' },
  { path: 'hourlyReviewDays', kind: 'days', label: 'hourlyReviewDays', group: 'deadlines' },
  { path: 'smallClaimsLimitMinor', kind: 'minor', label: 'smallClaims', group: 'limits' },
  { path: 'staffCancelApprovalAboveMinor', kind: 'minor', label: 'staffCancelAbove', group: 'limits' },
  { path: 'splitApprovalAboveMinor', kind: 'minor', label: 'splitAbove', group: 'limits' },
];

export const MAX_BPS = 5000;
const MAX_DAYS = 365;
const MAX_MINOR = 1_000_000_000_000_000;

export type FormValue = string | boolean;
type Value = string | number | boolean;

export function read(settings: Settings, path: string): Value {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], settings) as Value;
}

/** The text an input starts with: bps as a percentage with up to two decimals, the rest as is. */
export function toForm(field: Field, value: Value): FormValue {
  if (field.kind === 'bool') return value as boolean;
  if (field.kind === 'bps') { const bps = value as number; return bps % 100 === 0 ? String(bps / 100) : `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, '0')}`; }
  return String(value);
}

function whole(text: string, max: number): number | null {
  const clean = text.trim().replace(/[\s,_]/g, '');
  if (!/^\d{1,16}$/.test(clean)) return null;
  const n = Number(clean);
  return n <= max ? n : null;
}

export function parse(field: Field, input: FormValue): Value | null {
  switch (field.kind) {
    case 'bool': return input as boolean;
    case 'creator': return input === 'freelancer' || input === 'client' ? input : null;
    case 'bps': { const bps = parsePercentBps(String(input)); return bps !== null && bps <= MAX_BPS ? bps : null; }
    case 'days': return whole(String(input), MAX_DAYS);
    case 'minor': return whole(String(input), MAX_MINOR);
  }
}

export type Change = { field: Field; before: Value; after: Value };

/** The fields whose parsed value differs from the stored one (invalid fields are not changes). */
export function changesOf(settings: Settings, form: Record<string, FormValue>): Change[] {
  const out: Change[] = [];
  for (const field of FIELDS) {
    const after = parse(field, form[field.path]!);
    const before = read(settings, field.path);
    if (after !== null && after !== before) out.push({ field, before, after });
  }
  return out;
}

/** The nested patch admin.updateSettings takes, with only what changed. */
export function patchOf(changes: Change[]): SettingsPatch {
  const patch: Record<string, unknown> = {};
  for (const { field, after } of changes) {
    const keys = field.path.split('.');
    let node = patch;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]!] = after;
  }
  return patch as SettingsPatch;
}
