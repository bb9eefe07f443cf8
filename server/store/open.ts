import { openSqlite, type Db } from './database.js';

export type DatabaseKind = 'sqlite' | 'postgresql';

/** One setting chooses the database: a postgres:// URL means team mode, anything else is a SQLite file. */
export async function openDatabase(url: string): Promise<{ db: Db; kind: DatabaseKind }> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('PostgreSQL team mode is not available in this build yet; give a SQLite file path');
  }
  return { db: await openSqlite({ url }), kind: 'sqlite' };
}
