import { verifyChain, type VerifyResult } from '../engine/journal.js';
import type { JournalEntry } from '../engine/types.js';
import type { Db } from './database.js';
import { verifyInSegments } from './journal-segments.js';
import { asDate, asNumber, PrismaReader, SqliteReader, Statement, type SqlReader } from './sql-reader.js';

/** Streams the journal in sequence order, a page at a time by keyset, never holding it all. */
export async function* readJournal(db: Db, options: { afterSeq?: number; untilSeq?: number; pageSize?: number } = {}): AsyncGenerator<JournalEntry> {
  const pageSize = options.pageSize ?? 5_000;
  let after = options.afterSeq ?? 0;
  for (;;) {
    const rows = await db.journalEntry.findMany({
      where: { seq: { gt: after, ...(options.untilSeq !== undefined ? { lte: options.untilSeq } : {}) } },
      orderBy: { seq: 'asc' },
      take: pageSize,
    });
    for (const r of rows) yield r as JournalEntry;
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.seq;
  }
}

function toEntry(r: Record<string, unknown>): JournalEntry {
  return {
    seq: asNumber(r.seq), at: asDate(r.at), actorKind: r.actorKind as JournalEntry['actorKind'], actorId: r.actorId as string, actorRole: r.actorRole as string,
    action: r.action as string, entityType: r.entityType as string, entityId: r.entityId as string, reason: (r.reason as string | null) ?? null,
    payload: r.payload as string, prevHash: r.prevHash as string, hash: r.hash as string,
  };
}

function page(reader: SqlReader, after: number, until: number | undefined, size: number): Promise<Record<string, unknown>[]> {
  const q = new Statement(reader.dialect);
  const sql = `SELECT * FROM "JournalEntry" WHERE "seq" > ${q.param(after)}${until !== undefined ? ` AND "seq" <= ${q.param(until)}` : ''} ORDER BY "seq" LIMIT ${Math.trunc(size)}`;
  return reader.all(sql, q.params);
}

/**
 * The journal's entries straight from SQL, a page at a time. The next page is asked for before
 * the current one is handed on, so on PostgreSQL the round trip overlaps the hashing.
 */
export async function* journalEntries(reader: SqlReader, options: { afterSeq?: number; untilSeq?: number; pageSize?: number } = {}): AsyncGenerator<JournalEntry> {
  const size = options.pageSize ?? 5_000;
  let next = page(reader, options.afterSeq ?? 0, options.untilSeq, size);
  for (;;) {
    const rows = await next;
    const last = rows[rows.length - 1];
    if (rows.length === size && last) next = page(reader, asNumber(last.seq), options.untilSeq, size);
    for (const r of rows) yield toEntry(r);
    if (rows.length < size) return;
  }
}

export async function journalAnchor(reader: SqlReader, seq: number): Promise<Pick<JournalEntry, 'seq' | 'hash'> | null> {
  const q = new Statement(reader.dialect);
  const [row] = await reader.all<{ seq: unknown; hash: string }>(`SELECT "seq", "hash" FROM "JournalEntry" WHERE "seq" = ${q.param(seq)}`, q.params);
  return row ? { seq: asNumber(row.seq), hash: row.hash } : null;
}

export type VerifyOptions = { afterSeq?: number; untilSeq?: number; onProgress?: (checked: number) => void };

/**
 * Verifies the journal, or the part after `afterSeq`, against the entry that precedes it. A long
 * journal in a SQLite file is checked in segments on worker threads, each reading on a
 * connection of its own, so hashing keeps pace with reading; anything else is checked here.
 */
export async function verifyJournal(source: Db | SqlReader, options: VerifyOptions = {}): Promise<VerifyResult> {
  const reader = 'dialect' in source && 'all' in source ? source : new PrismaReader(source);
  if (reader instanceof SqliteReader) {
    const parallel = await verifyInSegments(reader, options);
    if (parallel) return parallel;
  }
  return verifyHere(reader, options);
}

export async function verifyHere(reader: SqlReader, options: VerifyOptions): Promise<VerifyResult> {
  const after = options.afterSeq ?? 0;
  const anchor = after > 0 ? await journalAnchor(reader, after) : null;
  return verifyChain(journalEntries(reader, { afterSeq: after, untilSeq: options.untilSeq }), anchor, options.onProgress);
}
