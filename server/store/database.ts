import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client.js';
import { applySqliteMigrations } from './migrate.js';

export type Db = PrismaClient;

export type OpenOptions = {
  /** A SQLite file path, or a `file:` URL. */
  url: string;
};

export function sqlitePath(url: string): string {
  return url.replace(/^file:/, '');
}

/**
 * Opens the embedded database: creates the file and its folder if needed, applies pending
 * migrations, and returns a Prisma client over better-sqlite3.
 */
export async function openSqlite(options: OpenOptions): Promise<Db> {
  const file = sqlitePath(options.url);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const raw = new Database(file);
  try {
    // WAL lets readers (the console's lists) proceed while a command writes.
    raw.pragma('journal_mode = WAL');
    applySqliteMigrations(raw);
  } finally {
    raw.close();
  }
  // A second process on the same file waits for the write lock instead of failing at once.
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 10_000 });
  const db = new PrismaClient({ adapter });
  await db.$executeRawUnsafe('PRAGMA busy_timeout = 10000');
  return db;
}
