// The committed SQLite migrations, applied by the app's own runner, must produce exactly the
// database prisma/schema.prisma describes: the Prisma client trusts the schema, the app only
// ever runs the SQL. Checked with Prisma's schema engine (wasm), the same engine that writes the
// migrations (scripts/make-migration.mjs).
import { describe, it, expect, afterEach } from 'vitest';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { applySqliteMigrations } from '../../server/store/migrate.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const migrationsDir = path.join(repoRoot, 'prisma', 'migrations', 'sqlite');
const schemaText = fs.readFileSync(path.join(repoRoot, 'prisma', 'schema.prisma'), 'utf8');
const models = [...schemaText.matchAll(/^model\s+(\w+)\s*\{/gm)].map((m) => m[1]!);
const committed = fs.readdirSync(migrationsDir).filter((d) => /^\d+_/.test(d)).sort();

type DiffResult = { changed: boolean; sql: string };
/** scripts/make-migration.mjs is plain JS without type declarations; a computed specifier keeps
 *  tsc from looking for them. */
async function diffSqliteDatabase(dbFile: string): Promise<DiffResult> {
  const url = pathToFileURL(path.join(repoRoot, 'scripts', 'make-migration.mjs')).href;
  const mod = (await import(url)) as { diffSqliteDatabase: (f: string) => Promise<DiffResult> };
  return mod.diffSqliteDatabase(dbFile);
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A fresh database file in its own temporary folder, closed and deleted after the test. */
function tempDb(): { db: Database.Database; file: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escrow-migrations-'));
  const file = path.join(dir, 'app.db');
  const db = new Database(file);
  cleanups.push(() => {
    if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { db, file, dir };
}

const tableNames = (db: Database.Database) =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map(
    (r) => r.name,
  );

describe('SQLite migrations', () => {
  it('create a table for every model in a fresh database', () => {
    const { db } = tempDb();
    const { applied } = applySqliteMigrations(db);
    expect(applied).toEqual(committed);
    expect(models.length).toBeGreaterThan(0);
    expect(tableNames(db)).toEqual(expect.arrayContaining([...models, '_migrations']));
  });

  it('are a no-op when applied again', () => {
    const { db } = tempDb();
    applySqliteMigrations(db);
    const schemaBefore = db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    const rowsBefore = db.prepare('SELECT * FROM _migrations ORDER BY name').all();

    expect(applySqliteMigrations(db).applied).toEqual([]);
    expect(db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all()).toEqual(schemaBefore);
    expect(db.prepare('SELECT * FROM _migrations ORDER BY name').all()).toEqual(rowsBefore);
  });

  it('refuse to run when an applied migration was edited (folder from ESCROW_MIGRATIONS_DIR)', () => {
    const { db, dir } = tempDb();
    const copy = path.join(dir, 'migrations');
    fs.cpSync(migrationsDir, copy, { recursive: true });
    const previous = process.env.ESCROW_MIGRATIONS_DIR;
    process.env.ESCROW_MIGRATIONS_DIR = copy;
    cleanups.push(() => {
      if (previous === undefined) delete process.env.ESCROW_MIGRATIONS_DIR;
      else process.env.ESCROW_MIGRATIONS_DIR = previous;
    });

    expect(applySqliteMigrations(db).applied).toEqual(committed);
    fs.appendFileSync(path.join(copy, committed[0]!, 'migration.sql'), '\n-- edited afterwards\n');
    expect(() => applySqliteMigrations(db)).toThrow(/changed after it was applied/);
  });

  it('roll back a failing migration and keep the ones before it', () => {
    const { db, dir } = tempDb();
    const copy = path.join(dir, 'migrations');
    fs.cpSync(migrationsDir, copy, { recursive: true });
    const bad = path.join(copy, '9999_broken');
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, 'migration.sql'), 'CREATE TABLE "Half" (id TEXT);\nNOT SQL;\n');

    expect(() => applySqliteMigrations(db, copy)).toThrow();
    expect(tableNames(db)).not.toContain('Half');
    const names = (db.prepare('SELECT name FROM _migrations ORDER BY name').all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(names).toEqual(committed);
  });

  it('produce exactly the database prisma/schema.prisma describes', async () => {
    const { db, file } = tempDb();
    applySqliteMigrations(db);
    db.close();
    const diff = await diffSqliteDatabase(file);
    // On failure the message is the SQL a new migration needs: run
    // `node scripts/make-migration.mjs <name>` after changing the schema.
    expect(diff.changed, diff.sql).toBe(false);
  });

  it('(the schema comparison does notice a difference)', async () => {
    const { db, file } = tempDb();
    applySqliteMigrations(db);
    const index = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' LIMIT 1`)
      .pluck()
      .get() as string;
    db.exec(`DROP INDEX "${index}"`);
    db.close();
    const diff = await diffSqliteDatabase(file);
    expect(diff.changed).toBe(true);
    expect(diff.sql).toContain(index);
  });
});
