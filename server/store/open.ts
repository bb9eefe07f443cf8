import type { EngineStore } from '../engine/ports.js';
import { openSqlite, sqlitePath, type Db } from './database.js';
import { PgReader, PgStore } from './pg-store.js';
import { openPostgres } from './postgres.js';
import { SqliteStore, type DataModel } from './sqlite-store.js';
import { SqliteReader, type SqlReader } from './sql-reader.js';

export type DatabaseKind = 'sqlite' | 'postgresql';

export type OpenedDatabase = {
  db: Db;
  kind: DatabaseKind;
  /** Where engine commands run: prepared statements on either database (better-sqlite3, node-postgres). */
  store: EngineStore;
  /** Where the console's hottest reads run: a connection of its own on SQLite, the command pool on PostgreSQL; prepared statements on both. */
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
export async function openDatabase(url: string, options: { poolSize?: number } = {}): Promise<OpenedDatabase> {
  if (databaseKind(url) === 'postgresql') {
    const db = await openPostgres(url, options);
    // Commands get a pool of their own, the same size as the one Prisma reads through.
    const store = new PgStore(url, dataModel(db), options);
    return {
      db,
      kind: 'postgresql',
      store,
      reader: new PgReader(store),
      close: async () => {
        await store.close();
        await db.$disconnect();
      },
    };
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
