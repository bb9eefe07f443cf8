import Database from 'better-sqlite3';
import type { Db } from './database.js';

/**
 * The console's hottest reads (the dispute queue, the session behind every request) as one SQL
 * statement each, where Prisma would take several queries and its query compiler on each.
 * On SQLite the statements are prepared once on a connection of their own (WAL lets it read
 * while a command writes); on PostgreSQL they go through Prisma's raw query, one round trip.
 */
export type Dialect = 'sqlite' | 'postgresql';

export interface SqlReader {
  readonly dialect: Dialect;
  all<T = Record<string, unknown>>(sql: string, params: readonly unknown[]): Promise<T[]>;
  close(): void;
}

/** A DateTime parameter as each database compares it: SQLite holds Prisma's ISO text with +00:00. */
export function dateParam(dialect: Dialect, value: Date): unknown {
  return dialect === 'sqlite' ? value.toISOString().replace('Z', '+00:00') : value;
}

/** Builds one statement's text and parameters, numbering placeholders the way the dialect wants. */
export class Statement {
  readonly params: unknown[] = [];

  constructor(readonly dialect: Dialect) {}

  param(value: unknown): string {
    this.params.push(value instanceof Date ? dateParam(this.dialect, value) : value);
    return this.dialect === 'sqlite' ? '?' : `$${this.params.length}`;
  }
}

/** Values as the engine's types have them, whichever database and driver returned them. */
export const asNumber = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));
export const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));
export const asNullableDate = (v: unknown): Date | null => (v === null || v === undefined ? null : asDate(v));
export const asBoolean = (v: unknown): boolean => v === true || v === 1 || v === 1n;

export class SqliteReader implements SqlReader {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly file: string, options: { readonly?: boolean } = {}) {
    this.db = new Database(file, { readonly: options.readonly ?? false });
    this.db.pragma('busy_timeout = 10000');
  }

  async all<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s.all(...params) as T[];
  }

  close(): void {
    this.db.close();
  }
}

export class PrismaReader implements SqlReader {
  readonly dialect: Dialect;

  constructor(private readonly db: Db) {
    this.dialect = (db as unknown as { _activeProvider?: string })._activeProvider === 'postgresql' ? 'postgresql' : 'sqlite';
  }

  all<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    return this.db.$queryRawUnsafe<T[]>(sql, ...params);
  }

  close(): void {}
}
