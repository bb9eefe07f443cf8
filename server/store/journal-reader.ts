import { verifyChain, type VerifyResult } from '../engine/journal.js';
import type { JournalEntry } from '../engine/types.js';
import type { Db } from './database.js';

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

/** Verifies the journal, or the part after `afterSeq`, against the entry that precedes it. */
export async function verifyJournal(db: Db, options: { afterSeq?: number; untilSeq?: number; onProgress?: (checked: number) => void } = {}): Promise<VerifyResult> {
  const after = options.afterSeq ?? 0;
  const anchor = after > 0 ? await db.journalEntry.findUnique({ where: { seq: after }, select: { seq: true, hash: true } }) : null;
  return verifyChain(readJournal(db, { afterSeq: after, untilSeq: options.untilSeq }), anchor, options.onProgress);
}
