import { fail } from './errors.js';

/** Bounds on every piece of free text the engine stores. */
export const LIMITS = {
  name: 120,
  title: 200,
  description: 4_000,
  reason: 2_000,
  message: 10_000,
  fileName: 255,
  milestonesPerBid: 10,
  minutesPerEntry: 24 * 60,
  entriesPerReview: 500,
  tickBatch: 1_000,
  importBatch: 10_000,
} as const;

export function text(value: unknown, max: number, what: string, { allowEmpty = false } = {}): string {
  if (typeof value !== 'string') fail('VALIDATION', `${what} must be text`);
  const trimmed = value.trim();
  if (!allowEmpty && trimmed.length === 0) fail('VALIDATION', `${what} is required`);
  if (trimmed.length > max) fail('VALIDATION', `${what} must be at most ${max} characters`);
  return trimmed;
}

export function wholeNumber(value: unknown, min: number, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    fail('VALIDATION', `${what} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function optionalDate(value: unknown, what: string): Date | null {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) fail('VALIDATION', `${what} must be a date`);
  return value;
}

export function isoDay(value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    fail('VALIDATION', `${what} must be a day written YYYY-MM-DD`);
  }
  return value;
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * 86_400_000);
}
