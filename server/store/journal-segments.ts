import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { VerifyResult } from '../engine/journal.js';
import type { JournalEntry } from '../engine/types.js';
import { journalAnchor, type VerifyOptions } from './journal-reader.js';
import type { SqliteReader } from './sql-reader.js';

/**
 * Parallel verification of a long journal in a SQLite file. The range is cut at existing
 * entries; segment k is verified from the stored hash of the entry that ends segment k-1, and
 * segment k-1 proves that hash, so together they prove the whole chain exactly as one pass does.
 * Below this many entries a worker's start costs more than it saves.
 */
export const PARALLEL_FROM = 100_000;

export type SegmentTask = { file: string; anchor: Pick<JournalEntry, 'seq' | 'hash'> | null; afterSeq: number; untilSeq: number };
export type SegmentMessage = { progress: number } | { result: VerifyResult } | { error: string };

const WORKER = new URL('./journal-verify-worker.mjs', import.meta.url);

type Job = { resolve: (r: VerifyResult) => void; reject: (e: Error) => void; onProgress: (checked: number) => void };

/**
 * Workers are started once and kept, unreferenced while idle so they never hold the process open:
 * starting one costs a few hundred milliseconds of module loading, paid by the first verification only.
 */
class SegmentWorker {
  private readonly worker: Worker;
  private job: Job | null = null;
  dead = false;

  constructor() {
    this.worker = new Worker(WORKER);
    this.worker.on('message', (m: SegmentMessage) => {
      const job = this.job;
      if (!job) return;
      if ('progress' in m) job.onProgress(m.progress);
      else {
        this.job = null;
        this.worker.unref();
        if ('result' in m) job.resolve(m.result);
        else job.reject(new Error(m.error));
      }
    });
    const fail = (error: Error) => {
      this.dead = true;
      this.job?.reject(error);
      this.job = null;
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`journal verification worker stopped with code ${code}`)));
  }

  run(task: SegmentTask, onProgress: (checked: number) => void): Promise<VerifyResult> {
    return new Promise((resolve, reject) => {
      this.job = { resolve, reject, onProgress };
      // Held while it works, so a process waiting for the answer does not exit for want of work.
      this.worker.ref();
      this.worker.postMessage(task);
    });
  }
}

let pool: SegmentWorker[] = [];
let queue: Promise<unknown> = Promise.resolve();

async function runSegments(tasks: SegmentTask[], onProgress: (k: number, checked: number) => void): Promise<VerifyResult[]> {
  pool = pool.filter((w) => !w.dead);
  while (pool.length < tasks.length) pool.push(new SegmentWorker());
  // One verification at a time uses the pool; a second waits for the first.
  const run = () => Promise.all(tasks.map((task, k) => pool[k]!.run(task, (c) => onProgress(k, c))));
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}

/** null when the range is short, the machine has one core, or workers cannot start here (e.g. a bundled desktop build): the caller then verifies in this thread. */
export async function verifyInSegments(reader: SqliteReader, options: VerifyOptions): Promise<VerifyResult | null> {
  const cores = Math.min(4, os.availableParallelism());
  const after = options.afterSeq ?? 0;
  const [top] = await reader.all<{ seq: number | null }>('SELECT MAX("seq") AS "seq" FROM "JournalEntry"', []);
  const until = Math.min(options.untilSeq ?? Number.MAX_SAFE_INTEGER, top?.seq ?? 0);
  if (cores < 2 || until - after < PARALLEL_FROM) return null;
  const cuts = [after, ...Array.from({ length: cores - 1 }, (_, k) => after + Math.round(((k + 1) * (until - after)) / cores)), until];
  const anchors = await Promise.all(cuts.slice(0, -1).map((seq) => (seq === 0 ? null : journalAnchor(reader, seq))));
  // A missing entry at a cut is a hole in the chain: the single pass names it exactly.
  if (anchors.some((a, k) => cuts[k] !== 0 && a === null)) return null;
  const checked = cuts.slice(1).map(() => 0);
  const report = () => options.onProgress?.(checked.reduce((s, c) => s + c, 0));
  let results: VerifyResult[];
  try {
    results = await runSegments(cuts.slice(1).map((untilSeq, k) => ({ file: reader.file, anchor: anchors[k]!, afterSeq: cuts[k]!, untilSeq })), (k, c) => { checked[k] = c; report(); });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_WORKER_PATH' || /Cannot find module|ERR_MODULE_NOT_FOUND|ENOENT/.test(String(error))) return null;
    throw error;
  }
  let done = 0;
  for (const r of results) {
    if (!r.ok) return { ok: false, checked: done + r.checked, firstBad: r.firstBad };
    done += r.checked;
  }
  const last = results[results.length - 1]!;
  return last.ok ? { ok: true, checked: done, lastSeq: last.lastSeq, lastHash: last.lastHash } : last;
}
