import { openSqlite, type Db } from './database.js';
import { openPostgres } from './postgres.js';

export type DatabaseKind = 'sqlite' | 'postgresql';

export function databaseKind(url: string): DatabaseKind {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgresql' : 'sqlite';
}

/** One setting chooses the database: a postgres:// URL means team mode, anything else is a SQLite file. */
export async function openDatabase(url: string): Promise<{ db: Db; kind: DatabaseKind }> {
  const kind = databaseKind(url);
  return { db: kind === 'postgresql' ? await openPostgres(url) : await openSqlite({ url }), kind };
}
