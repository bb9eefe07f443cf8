import type { EngineStore } from '../engine/ports.js';
import { openSqlite, sqlitePath, type Db } from './database.js';
import { openPostgres } from './postgres.js';
import { PrismaStore } from './prisma-store.js';
import { SqliteStore, type DataModel } from './sqlite-store.js';
import { PrismaReader, SqliteReader, type SqlReader } from './sql-reader.js';

export type DatabaseKind = 'sqlite' | 'postgresql';

export type OpenedDatabase = {
  db: Db;
  kind: DatabaseKind;
  /** Where engine commands run: prepared statements on SQLite, Prisma on PostgreSQL. */
  store: EngineStore;
  /** Where the console's hottest reads run: a prepared-statement connection of its own on SQLite. */
  reader: SqlReader;
  close: () => Promise<void>;
};

export function databaseKind(url: string): DatabaseKind {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgresql' : 'sqlite';
}

/** The data model Prisma generated from prisma/schema.prisma, which the SQLite command store reads its column types from. */
export function dataModel(db: Db): DataModel {
  const model = (db as unknown as { _runtimeDataModel?: DataModel })._runtimeDataModel;
  if (!model?.models) throw new Error('the Prisma client carries no runtime data model; the SQLite command store needs it');
  return model;
}

/** One setting chooses the database: a postgres:// URL means team mode, anything else is a SQLite file. */
export async function openDatabase(url: string): Promise<OpenedDatabase> {
  if (databaseKind(url) === 'postgresql') {
    const db = await openPostgres(url);
    return { db, kind: 'postgresql', store: new PrismaStore(db), reader: new PrismaReader(db), close: () => db.$disconnect() };
  }
  const db = await openSqlite({ url });
  const store = new SqliteStore(sqlitePath(url), dataModel(db));
  const reader = new SqliteReader(sqlitePath(url));
  return {
    db,
    kind: 'sqlite',
    store,
    reader,
    close: async () => {
      store.close();
      reader.close();
      await db.$disconnect();
    },
  };
}
