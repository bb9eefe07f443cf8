import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqlite } from './database.js';
import { verifyJournal } from './journal-reader.js';
import { checkLedger } from './ledger-health.js';

/**
 * Backups of the embedded database, and restoring one.
 *
 * A backup is taken online on a connection of its own with SQLite's backup API, so commands
 * keep running meanwhile; the copy is one consistent moment of the database. It is written
 * under a temporary name and renamed when complete, so a file in the backups folder is never
 * half a backup. A restore trusts nothing: it verifies a copy of the backup (every ledger
 * invariant, the whole journal chain) and only then swaps it in with an atomic rename, keeping
 * the database it replaces as `<file>.before-restore`.
 */

export type BackupInfo = { path: string; sizeBytes: number; journalLength: number; lastSeq: number; lastHash: string | null; takenAt: Date };

export class RestoreRefused extends Error {
  constructor(message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'RestoreRefused';
  }
}

export function backupsFolder(databaseFile: string): string {
  return path.join(path.dirname(path.resolve(databaseFile)), 'backups');
}

function journalTail(file: string): Pick<BackupInfo, 'journalLength' | 'lastSeq' | 'lastHash'> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const { n } = db.prepare('SELECT COUNT(*) AS n FROM "JournalEntry"').get() as { n: number };
    const last = db.prepare('SELECT "seq", "hash" FROM "JournalEntry" ORDER BY "seq" DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    return { journalLength: n, lastSeq: last?.seq ?? 0, lastHash: last?.hash ?? null };
  } finally {
    db.close();
  }
}

/** Removes a SQLite file with its WAL and shared-memory companions. */
function removeDatabaseFile(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}

/** An online, consistent copy of the database into the backups folder next to it. */
export async function backupSqlite(databaseFile: string, takenAt = new Date()): Promise<BackupInfo> {
  const dir = backupsFolder(databaseFile);
  fs.mkdirSync(dir, { recursive: true });
  const stamp = takenAt.toISOString().replace(/[:.]/g, '-');
  const final = path.join(dir, `${path.basename(databaseFile, path.extname(databaseFile))}-${stamp}.db`);
  const partial = `${final}.partial`;
  const source = new Database(databaseFile, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 10000');
    // All remaining pages in one step: a step is one read transaction, so the copy is one
    // moment, and writers (in WAL mode) are never blocked by it. A write by another connection
    // between steps would restart the copy; copying everything at once leaves no "between".
    await source.backup(partial, { progress: () => 1 << 30 });
  } catch (error) {
    removeDatabaseFile(partial);
    throw error;
  } finally {
    source.close();
  }
  fs.renameSync(partial, final);
  return { path: final, sizeBytes: fs.statSync(final).size, ...journalTail(final), takenAt };
}

/** Opens a copy of a backup and checks it as a database would be checked in use. */
async function verifyCopy(file: string): Promise<{ journalLength: number; lastHash: string | null }> {
  let db;
  try {
    db = await openSqlite({ url: file });
  } catch (error) {
    throw new RestoreRefused(`the backup cannot be opened as a database: ${(error as Error).message}`);
  }
  try {
    const problems = await checkLedger(db);
    if (problems.length > 0) throw new RestoreRefused(`the backup's ledger is inconsistent (${problems.length} problems)`, { problems });
    const journal = await verifyJournal(db);
    if (!journal.ok) {
      throw new RestoreRefused(`the backup's journal fails verification at entry ${journal.firstBad.seq}: ${journal.firstBad.problem.replace('_', ' ')} (${journal.firstBad.detail})`, { firstBad: journal.firstBad });
    }
    return { journalLength: journal.checked, lastHash: journal.checked > 0 ? journal.lastHash : null };
  } finally {
    await db.$disconnect();
  }
}

/**
 * True when some other connection has the database open: in WAL mode the last connection to
 * close removes the -wal and -shm files, so if they outlive ours, someone else holds them.
 */
function inUse(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return fs.existsSync(`${file}-wal`) || fs.existsSync(`${file}-shm`);
}

export type RestoreResult = { restoredInto: string; journalLength: number; lastHash: string | null; previousKeptAs: string | null };

/**
 * Replaces `target` with `backupFile`, but only once a copy of the backup has passed every
 * check. On refusal the target is untouched and no temporary file is left.
 */
export async function restoreSqlite(backupFile: string, target: string): Promise<RestoreResult> {
  if (!fs.existsSync(backupFile)) throw new RestoreRefused(`no backup file ${backupFile}`);
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const candidate = `${target}.restoring-${process.pid}`;
  removeDatabaseFile(candidate);
  fs.copyFileSync(backupFile, candidate);
  try {
    const verified = await verifyCopy(candidate);
    // Fold the candidate's WAL into its file, so the rename moves the whole database.
    const raw = new Database(candidate);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    if (inUse(target)) throw new RestoreRefused(`${target} is open in another process; stop the server (or the console) first`);
    let previousKeptAs: string | null = null;
    if (fs.existsSync(target)) {
      previousKeptAs = `${target}.before-restore`;
      fs.rmSync(previousKeptAs, { force: true });
      // A second name for the old file, then one atomic rename: at every moment `target` is a whole database.
      fs.linkSync(target, previousKeptAs);
    }
    fs.renameSync(candidate, target);
    return { restoredInto: target, ...verified, previousKeptAs };
  } finally {
    removeDatabaseFile(candidate);
  }
}
