// Applies the committed SQLite migrations (prisma/migrations/sqlite/<NNNN>_<name>/migration.sql).
//
// The Prisma CLI's `migrate deploy` needs the native schema engine, which a packaged desktop app
// does not ship (and which cannot be downloaded on our build machines), so the app applies the
// committed SQL itself at start. The SQL is produced by Prisma's schema engine
// (scripts/make-migration.mjs), so the result matches prisma/schema.prisma; the integration test
// checks that.
//
// Only better-sqlite3 is involved: this runs before any Prisma client exists.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type SqliteDatabase = import('better-sqlite3').Database;

/** Migration folders are `<digits>_<name>`; zero-padded digits make name order apply order. */
const MIGRATION_DIR_RE = /^\d+_[A-Za-z0-9_]+$/;

/** Where migrations are read from: the argument, else ESCROW_MIGRATIONS_DIR, else the repo's
 *  folder located from this file (not the working directory, which differs between the CLI,
 *  tests and the app). */
function resolveDir(dir?: string): string {
  if (dir) return path.resolve(dir);
  if (process.env.ESCROW_MIGRATIONS_DIR) return path.resolve(process.env.ESCROW_MIGRATIONS_DIR);
  return fileURLToPath(new URL('../../prisma/migrations/sqlite', import.meta.url));
}

/** sha256 of the SQL with line endings normalised, so a Windows checkout (core.autocrlf) does not
 *  look like an edited migration. */
function checksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

function readMigrations(dir: string): MigrationFile[] {
  if (!fs.existsSync(dir)) throw new Error(`Migrations folder not found: ${dir}`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && MIGRATION_DIR_RE.test(e.name))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: checksum(sql) };
    });
}

/**
 * Brings `db` up to date with the migrations in `dir` and returns the names it applied (empty
 * when already current). Each migration runs in its own transaction together with its
 * `_migrations` row, so a failing migration leaves the database at the previous one.
 *
 * Throws, before changing anything, when an applied migration's SQL has been edited since (its
 * checksum differs) or no longer exists: the database would no longer be what the files describe,
 * and silently continuing could corrupt data. Schema changes go in a new migration.
 */
export function applySqliteMigrations(db: SqliteDatabase, dir?: string): { applied: string[] } {
  const root = resolveDir(dir);
  const migrations = readMigrations(root);

  db.exec(`CREATE TABLE IF NOT EXISTS _migrations (
    name TEXT PRIMARY KEY,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);

  const appliedRows = db.prepare('SELECT name, checksum FROM _migrations').all() as {
    name: string;
    checksum: string;
  }[];
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const row of appliedRows) {
    const file = byName.get(row.name);
    if (!file) {
      throw new Error(
        `Database has migration ${row.name}, which is not in ${root}: it was migrated by a newer ` +
          `(or different) build. Refusing to run against it.`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new Error(
        `Migration ${row.name} was changed after it was applied (checksum ${row.checksum} in the ` +
          `database, ${file.checksum} on disk). Restore the original migration.sql and put the ` +
          `change in a new migration.`,
      );
    }
  }

  const done = new Set(appliedRows.map((r) => r.name));
  const isApplied = db.prepare('SELECT 1 FROM _migrations WHERE name = ?');
  const record = db.prepare('INSERT INTO _migrations (name, checksum, applied_at) VALUES (?, ?, ?)');
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.name)) continue;
    // IMMEDIATE takes the write lock up front; re-checking inside it means a second process
    // starting at the same moment skips the migration instead of failing on it.
    // Prisma's table-redefinition scripts work inside the transaction: their
    // PRAGMA foreign_keys=OFF is a no-op there, but PRAGMA defer_foreign_keys=ON postpones the
    // checks to commit, when the rebuilt parent table satisfies them again.
    db.transaction(() => {
      if (isApplied.get(m.name)) return;
      db.exec(m.sql);
      record.run(m.name, m.checksum, new Date().toISOString());
      applied.push(m.name);
    }).immediate();
  }
  return { applied };
}
