import { currentLocale } from '../i18n/locale';

/** Durations for countdowns: the two largest units, e.g. 2d 4h, 3h 12m, 45s. */
export type DurationParts = { days: number; hours: number; minutes: number; seconds: number };

export function durationParts(ms: number): DurationParts {
  const total = Math.floor(Math.abs(ms) / 1000);
  return { days: Math.floor(total / 86_400), hours: Math.floor((total % 86_400) / 3600), minutes: Math.floor((total % 3600) / 60), seconds: total % 60 };
}

/** The message key and values for a short duration; the words live in the message files. */
export function shortDuration(ms: number): { key: 'duration.dh' | 'duration.hm' | 'duration.ms' | 'duration.s'; values: DurationParts } {
  const p = durationParts(ms);
  if (p.days > 0) return { key: 'duration.dh', values: p };
  if (p.hours > 0) return { key: 'duration.hm', values: p };
  if (p.minutes > 0) return { key: 'duration.ms', values: p };
  return { key: 'duration.s', values: p };
}

/**
 * Equal for two durations exactly when shortDuration gives them the same text and sign: it moves
 * every second under an hour, every minute under a day, every hour beyond. Countdowns redraw on it.
 */
export function durationBucket(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const unit = total < 3600 ? 1 : total < 86_400 ? 60 : 3600;
  return `${ms <= 0 ? '-' : '+'}${unit}:${Math.floor(total / unit)}`;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** How urgent a deadline is: overdue, under a day, under three days, or calm. */
export type Urgency = 'overdue' | 'critical' | 'soon' | 'calm' | 'none';

export function urgencyOf(deadlineAt: Date | null, now: number): Urgency {
  if (!deadlineAt) return 'none';
  const left = deadlineAt.getTime() - now;
  if (left <= 0) return 'overdue';
  if (left < DAY_MS) return 'critical';
  if (left < 3 * DAY_MS) return 'soon';
  return 'calm';
}

export const URGENCY_COLOR: Record<Urgency, string> = { overdue: 'error', critical: 'error', soon: 'warning', calm: 'success', none: 'grey' };
export const URGENCY_ICON: Record<Urgency, string> = { overdue: 'mdi-alert-circle', critical: 'mdi-timer-sand', soon: 'mdi-timer-sand', calm: 'mdi-timer-sand', none: 'mdi-timer-off-outline' };
/** Filled when it is late or nearly so, tinted otherwise (the chip's variant). */
export const urgencyFilled = (u: Urgency) => u === 'overdue' || u === 'critical';

type Translate = (key: string, named: Record<string, unknown>) => string;

/** A deadline's words, as its chip says them: time left, time overdue, or none. */
export function deadlineText(deadlineAt: Date | null, now: number, t: Translate): string {
  if (!deadlineAt) return t('deadline.none', {});
  const left = deadlineAt.getTime() - now;
  const d = shortDuration(left);
  return t(left <= 0 ? 'deadline.overdue' : 'deadline.left', { duration: t(d.key, d.values) });
}

/** A file size in the operator's locale, in the largest unit under 1024. */
export function bytes(size: number, locale: string = currentLocale.value): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let value = size;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return new Intl.NumberFormat(locale, { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0 }).format(value);
}
