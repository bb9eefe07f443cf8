import Database from 'better-sqlite3';
import { EngineError, fail } from '../engine/errors.js';
import type { BalanceDelta, CommandRecord, EngineStore, EngineTx, Filter, FindOptions } from '../engine/ports.js';
import type { Entities, EntityName, JournalEntry, ReputationEvent, Transfer } from '../engine/types.js';

/**
 * The engine's store on the embedded database, for the command path only: better-sqlite3 with
 * prepared statements, one IMMEDIATE transaction per command. Measured against Prisma's
 * interactive transactions, which cost one round through the query compiler per statement,
 * this path is many times faster (test/bench). The console's reads stay on Prisma.
 *
 * Column types come from the Prisma client's own data model, so the schema stays the one
 * source of truth; values are written exactly as Prisma's SQLite adapter writes them.
 */

type FieldType = 'String' | 'Int' | 'BigInt' | 'Boolean' | 'DateTime' | 'Float';
export type DataModel = { models: Record<string, { fields: { name: string; type: string }[] }> };

const MODEL: Record<EntityName | 'transfer' | 'journalEntry' | 'reputationEvent' | 'commandLog' | 'account', string> = {
  marketplace: 'Marketplace', user: 'User', project: 'Project', bid: 'Bid', bidMilestone: 'BidMilestone', contract: 'Contract',
  milestone: 'Milestone', staffCancellation: 'StaffCancellation', timeEntry: 'TimeEntry', dispute: 'Dispute', disputeOffer: 'DisputeOffer',
  disputeMessage: 'DisputeMessage', evidence: 'Evidence', review: 'Review', operator: 'Operator', apiKey: 'ApiKey',
  splitApproval: 'SplitApproval', operatorConflict: 'OperatorConflict', transfer: 'Transfer', journalEntry: 'JournalEntry',
  reputationEvent: 'ReputationEvent', commandLog: 'CommandLog', account: 'Account',
} as Record<string, string> as never;

/** Prisma's SQLite adapter writes DateTime as ISO 8601 with an explicit +00:00; comparisons depend on matching it. */
function toSql(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value === undefined ? null : value;
}

const quote = (name: string) => `"${name}"`;

/** From this many rows an insert goes set-based; statements are cached per chunk size, so chunks are capped. */
const MULTI_ROW = 16;
const MULTI_ROW_MAX = 500;

class Schema {
  private readonly types = new Map<string, Map<string, FieldType>>();

  constructor(model: DataModel) {
    for (const [name, m] of Object.entries(model.models)) this.types.set(name, new Map(m.fields.map((f) => [f.name, f.type as FieldType])));
  }

  table(kind: string): string {
    const name = (MODEL as Record<string, string>)[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1);
    if (!this.types.has(name)) throw new Error(`no model ${name} in the data model`);
    return name;
  }

  fromSql<T>(table: string, row: Record<string, unknown> | undefined): T | null {
    if (!row) return null;
    const types = this.types.get(table)!;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      const t = types.get(k);
      if (v === null) out[k] = null;
      else if (t === 'DateTime') out[k] = new Date(v as string);
      else if (t === 'Boolean') out[k] = v === 1 || v === true;
      else if (typeof v === 'bigint') out[k] = Number(v);
      else out[k] = v;
    }
    return out as T;
  }
}

class SqliteTx implements EngineTx {
  constructor(private readonly store: SqliteStore) {}

  private get s(): Schema {
    return this.store.schema;
  }

  async get<K extends EntityName>(kind: K, id: string): Promise<Entities[K] | null> {
    const table = this.s.table(kind);
    return this.s.fromSql<Entities[K]>(table, this.store.stmt(`SELECT * FROM ${quote(table)} WHERE "id" = ?`).get(id) as Record<string, unknown> | undefined);
  }

  async find<K extends EntityName>(kind: K, where: Filter<Entities[K]>, options: FindOptions<Entities[K]>): Promise<Entities[K][]> {
    const table = this.s.table(kind);
    const clauses: string[] = [];
    const params: unknown[] = [];
    for (const [field, cond] of Object.entries(where as Record<string, unknown>)) {
      const col = quote(field);
      if (cond === null) clauses.push(`${col} IS NULL`);
      else if (typeof cond === 'object' && !(cond instanceof Date) && 'in' in cond) {
        const values = (cond as { in: unknown[] }).in;
        if (values.length === 0) clauses.push('0');
        else { clauses.push(`${col} IN (${values.map(() => '?').join(',')})`); params.push(...values.map(toSql)); }
      } else if (typeof cond === 'object' && !(cond instanceof Date) && 'lte' in cond) { clauses.push(`${col} <= ?`); params.push(toSql((cond as { lte: unknown }).lte)); }
      else if (typeof cond === 'object' && !(cond instanceof Date) && 'not' in cond) {
        const v = (cond as { not: unknown }).not;
        if (v === null) clauses.push(`${col} IS NOT NULL`);
        else { clauses.push(`(${col} <> ? OR ${col} IS NULL)`); params.push(toSql(v)); }
      } else { clauses.push(`${col} = ?`); params.push(toSql(cond)); }
    }
    const order = options.orderBy ? ` ORDER BY ${quote(options.orderBy.field)} ${options.orderBy.direction === 'desc' ? 'DESC' : 'ASC'}` : '';
    const sql = `SELECT * FROM ${quote(table)}${clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''}${order} LIMIT ${Math.trunc(options.take)}`;
    return (this.store.stmt(sql).all(...params) as Record<string, unknown>[]).map((r) => this.s.fromSql<Entities[K]>(table, r)!);
  }

  async insert<K extends EntityName>(kind: K, rows: readonly Entities[K][]): Promise<void> {
    this.insertRows(this.s.table(kind), rows as unknown as Record<string, unknown>[]);
  }

  insertRows(table: string, all: readonly Record<string, unknown>[]): void {
    let rows = all;
    const first = rows[0];
    if (!first) return;
    const cols = Object.keys(first).filter((k) => first[k] !== undefined);
    const sameShape = rows.every((r) => Object.keys(r).filter((k) => r[k] !== undefined).length === cols.length && cols.every((c) => r[c] !== undefined || c in r));
    if (rows.length >= MULTI_ROW && sameShape) {
      // Set-based: many rows per statement (SQLite binds at most 32,766 values in one).
      const perStatement = Math.min(MULTI_ROW_MAX, Math.floor(32_000 / cols.length));
      const tuple = `(${cols.map(() => '?').join(',')})`;
      const size = Math.min(perStatement, rows.length);
      const whole = rows.length - (rows.length % size);
      const statement = this.store.stmt(`INSERT INTO ${quote(table)} (${cols.map(quote).join(',')}) VALUES ${Array.from({ length: size }, () => tuple).join(',')}`);
      for (let i = 0; i < whole; i += size) statement.run(...rows.slice(i, i + size).flatMap((r) => cols.map((c) => toSql(r[c]))));
      rows = rows.slice(whole);
    }
    for (const row of rows) {
      const rowCols = Object.keys(row).filter((k) => row[k] !== undefined);
      this.store.stmt(`INSERT INTO ${quote(table)} (${rowCols.map(quote).join(',')}) VALUES (${rowCols.map(() => '?').join(',')})`).run(...rowCols.map((c) => toSql(row[c])));
    }
  }

  async update<K extends EntityName>(kind: K, id: string, expectedVersion: number | null, patch: Partial<Entities[K]>): Promise<void> {
    const table = this.s.table(kind);
    const { id: _id, version: _version, ...data } = patch as Record<string, unknown>;
    const cols = Object.keys(data).filter((k) => data[k] !== undefined);
    const sets = cols.map((c) => `${quote(c)} = ?`);
    if (expectedVersion !== null) sets.push('"version" = "version" + 1');
    if (sets.length === 0) return;
    const sql = `UPDATE ${quote(table)} SET ${sets.join(', ')} WHERE "id" = ?${expectedVersion !== null ? ' AND "version" = ?' : ''}`;
    const params = [...cols.map((c) => toSql(data[c])), id, ...(expectedVersion !== null ? [expectedVersion] : [])];
    if (this.store.stmt(sql).run(...params).changes === 1) return;
    if (!this.store.stmt(`SELECT 1 FROM ${quote(table)} WHERE "id" = ?`).get(id)) fail('NOT_FOUND', `no ${kind} ${id}`);
    fail('CONFLICT', `this ${kind} was changed by someone else at the same moment; look again and retry`, { kind, id });
  }

  async post(transfers: readonly Transfer[], deltas: readonly BalanceDelta[]): Promise<void> {
    this.insertRows('Transfer', transfers.map(({ id: _id, ...t }) => t));
    const upsert = this.store.stmt(
      'INSERT INTO "Account" ("id","kind","ownerId","currency","balanceMinor") VALUES (?,?,?,?,?) ON CONFLICT("id") DO UPDATE SET "balanceMinor" = "balanceMinor" + excluded."balanceMinor" RETURNING "balanceMinor"',
    );
    for (const d of deltas) {
      const { balanceMinor } = upsert.get(d.accountId, d.kind, d.ownerId, d.currency, d.deltaMinor) as { balanceMinor: number };
      if (!d.mayGoNegative && balanceMinor < 0) fail('INSUFFICIENT_FUNDS', `account ${d.accountId} would be overdrawn by ${-balanceMinor}`, { accountId: d.accountId });
    }
  }

  async balance(accountId: string): Promise<number> {
    const row = this.store.stmt('SELECT "balanceMinor" FROM "Account" WHERE "id" = ?').get(accountId) as { balanceMinor: number } | undefined;
    return row?.balanceMinor ?? 0;
  }

  async lastJournal(): Promise<Pick<JournalEntry, 'seq' | 'hash'> | null> {
    return (this.store.stmt('SELECT "seq","hash" FROM "JournalEntry" ORDER BY "seq" DESC LIMIT 1').get() as Pick<JournalEntry, 'seq' | 'hash'> | undefined) ?? null;
  }

  async appendJournal(entries: readonly JournalEntry[]): Promise<void> {
    this.insertRows('JournalEntry', entries as unknown as Record<string, unknown>[]);
  }

  async addReputationEvents(events: readonly Omit<ReputationEvent, 'id'>[]): Promise<void> {
    this.insertRows('ReputationEvent', events as unknown as Record<string, unknown>[]);
  }

  async putAppSetting(key: string, value: string | null, at: Date): Promise<void> {
    if (value === null) this.store.stmt('DELETE FROM "AppSetting" WHERE "key" = ?').run(key);
    else this.store.stmt('INSERT INTO "AppSetting" ("key","value","updatedAt") VALUES (?,?,?) ON CONFLICT("key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"').run(key, value, toSql(at));
  }

  async getCommand(key: string): Promise<CommandRecord | null> {
    return this.s.fromSql<CommandRecord>('CommandLog', this.store.stmt('SELECT * FROM "CommandLog" WHERE "key" = ?').get(key) as Record<string, unknown> | undefined);
  }

  async putCommand(record: CommandRecord): Promise<void> {
    this.insertRows('CommandLog', [record as unknown as Record<string, unknown>]);
  }
}

export type SqliteStoreOptions = { readonly?: boolean; pragmas?: readonly string[] };

export class SqliteStore implements EngineStore {
  readonly schema: Schema;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** Commands in one process take turns on the one connection: awaits inside a command must not let another begin. */
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * `options` exist for tests of storage faults: `readonly` opens the file as a read-only
   * medium would be, and `pragmas` run after the defaults (e.g. `max_page_count = N` to make
   * the disk "full" at N pages).
   */
  constructor(readonly file: string, model: DataModel, options: SqliteStoreOptions = {}) {
    this.schema = new Schema(model);
    this.db = new Database(file, { readonly: options.readonly ?? false });
    if (!options.readonly) this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 10000');
    for (const pragma of options.pragmas ?? []) this.db.pragma(pragma);
  }

  stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  transaction<T>(fn: (tx: EngineTx) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      try {
        this.stmt('BEGIN IMMEDIATE').run();
        const result = await fn(new SqliteTx(this));
        this.stmt('COMMIT').run();
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.stmt('ROLLBACK').run();
        throw translate(error);
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.db.close();
  }
}

function translate(error: unknown): unknown {
  if (error instanceof EngineError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_CONSTRAINT_PRIMARYKEY') || code.startsWith('SQLITE_CONSTRAINT_UNIQUE')) {
    return new EngineError('CONFLICT', 'another command changed the same record at the same moment; retry', { sqliteCode: code });
  }
  // Storage faults: the transaction was rolled back, so nothing of the command was kept.
  if (code.startsWith('SQLITE_FULL')) {
    return new EngineError('STORAGE_FULL', 'the disk holding the database is full; nothing was saved. Free some space, then retry', { sqliteCode: code });
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new EngineError('STORAGE_READ_ONLY', 'the database can only be read (its file or folder is read-only); nothing was saved', { sqliteCode: code });
  }
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_CORRUPT')) {
    return new EngineError('STORAGE_FAILED', 'the database file could not be read or written; nothing was saved', { sqliteCode: code });
  }
  return error;
}
