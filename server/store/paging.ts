import { EngineError } from '../engine/errors.js';

/**
 * Keyset pagination: a page ends with a cursor naming the last row's sort value and id; the next
 * page starts strictly after it. Never OFFSET, so page 10,000 costs what page 1 costs.
 */

export type Page<T> = { items: T[]; nextCursor: string | null };

type CursorValue = string | number | null;
export type Cursor = { v: CursorValue; id: string };

export function encodeCursor(v: CursorValue | Date, id: string): string {
  const value = v instanceof Date ? v.toISOString() : v;
  return Buffer.from(JSON.stringify({ v: value, id })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined | null): Cursor | null {
  if (!cursor) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
    if (typeof parsed.id !== 'string' || parsed.id.length > 128) throw new Error('bad cursor');
    return parsed;
  } catch {
    throw new EngineError('VALIDATION', 'the page cursor is not valid; start again from the first page');
  }
}

export function pageOf<T extends { id: string }>(rows: T[], limit: number, sortValue: (row: T) => CursorValue | Date): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(sortValue(last), last.id) : null };
}

/** A cursor over integer keys (journal sequence, transfer id): refused unless it names one the database can hold. */
export function integerCursor(cursor: Cursor | null): number | null {
  if (!cursor) return null;
  const n = Number(cursor.id);
  if (!Number.isSafeInteger(n) || n < 0 || n > 2_147_483_647) throw new EngineError('VALIDATION', 'the page cursor is not valid; start again from the first page');
  return n;
}
