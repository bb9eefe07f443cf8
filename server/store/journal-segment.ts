import { verifyChain, type VerifyResult } from '../engine/journal.js';
import { journalEntries } from './journal-reader.js';
import type { SegmentTask } from './journal-segments.js';
import { SqliteReader } from './sql-reader.js';

/** Runs in a worker: verifies one segment on a connection of its own. */
export async function verifySegment(task: SegmentTask, onProgress: (checked: number) => void): Promise<VerifyResult> {
  const reader = new SqliteReader(task.file);
  try {
    return await verifyChain(journalEntries(reader, { afterSeq: task.afterSeq, untilSeq: task.untilSeq }), task.anchor, onProgress);
  } finally {
    reader.close();
  }
}
