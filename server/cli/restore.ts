import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { restoreSqlite, RestoreRefused } from '../store/backup.js';

/**
 * `npm run restore -- BACKUP [--into DB]`: replaces the embedded database with a backup (from
 * the admin console's Backup, or server/store/backup.ts), after verifying the backup: every
 * ledger invariant and the whole journal chain. The database it replaces is kept as
 * `DB.before-restore`. DB defaults to ESCROW_DB, else data/escrow.db. Stop the server first.
 * Exit codes: 0 restored, 1 refused (the backup failed a check, or the database is in use), 2 unusable input.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const intoAt = args.indexOf('--into');
const target = intoAt >= 0 ? args[intoAt + 1] : process.env.ESCROW_DB ?? path.join(root, 'data', 'escrow.db');
const backup = args.find((a, i) => !a.startsWith('--') && i !== intoAt + 1);
if (!backup || !target) {
  console.error('restore: usage: npm run restore -- BACKUP [--into DB]');
  process.exit(2);
}
if (/^postgres(ql)?:\/\//.test(target)) {
  console.error('restore: this restores the embedded database; for PostgreSQL use pg_restore');
  process.exit(2);
}
try {
  const r = await restoreSqlite(backup, target);
  console.log(`restore: ${backup} verified (${r.journalLength} journal entries, last hash ${r.lastHash ?? 'none'}) and restored into ${r.restoredInto}`);
  if (r.previousKeptAs) console.log(`restore: the database it replaced is kept as ${r.previousKeptAs}`);
} catch (error) {
  if (!(error instanceof RestoreRefused)) throw error;
  console.error(`restore: REFUSED: ${error.message}; ${target} was not changed`);
  process.exit(1);
}
