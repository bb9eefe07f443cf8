import { createHash } from 'node:crypto';
import pg from 'pg';
import { EngineError, fail } from '../engine/errors.js';
import type { BalanceDelta, CommandRecord, EngineStore, EngineTx, Filter, FindOptions } from '../engine/ports.js';
import type { Entities, EntityName, JournalEntry, ReputationEvent, Transfer } from '../engine/types.js';
import type { DataModel } from './sqlite-store.js';
import type { SqlReader } from './sql-reader.js';

/**
 * The engine's store on PostgreSQL, for the command path only: node-postgres with named
 * prepared statements (each parsed once per connection), one transaction per command on one
 * pooled connection. Prisma's interactive transactions cost a trip through the query compiler
 * and a round trip per statement; this path batches rows into set-based statements instead
 * (test/bench/pg.ts). The console's reads stay on Prisma.
 *
 * Column types come from the Prisma client's own data model, so the schema stays the one
 * source of truth; values are written and read as Prisma's PostgreSQL adapter does (DateTime is
 * `timestamp(3)` holding UTC wall-clock time, BigInt comes back as a safe-integer number).
 */

type FieldType = 'String' | 'Int' | 'BigInt' | 'Boolean' | 'DateTime' | 'Float';

/** Casts for set-based inserts, which pass one array per column. */
const ARRAY_CAST: Record<FieldType, string> = {
  String: 'text[]', Int: 'int4[]', BigInt: 'int8[]', Boolean: 'bool[]', DateTime: 'timestamp(3)[]', Float: 'float8[]',
};

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;

/**
 * timestamp and int8 come back as the server's text: node-postgres would read a timestamp in
 * the process's local zone and an int8 as a string anyway; the data model decides what they become.
 */
const rawTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID || oid === INT8_OID ? (value: string) => value : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * A timestamp(3) column ignores a zone in its input, so the ISO form (UTC, ending in Z) stores
 * exactly the wall-clock time Prisma stores. node-postgres would otherwise send local time.
 */
function toSql(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  return value === undefined ? null : value;
}

/** The server's text form of a timestamp(3), 'YYYY-MM-DD HH:MM:SS.mmm', read as UTC. */
const utcTimestamp = (text: string): Date => new Date(`${text.replace(' ', 'T')}Z`);

function safeNumber(column: string, value: string | number | bigint): number {
  const n = BigInt(value);
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) throw new Error(`${column} is outside the exact range`);
  return Number(n);
}

type Row = Record<string, unknown>;

const quote = (name: string) => `"${name}"`;

function definedColumns(row: Row): string[] {
  return Object.keys(row).filter((k) => row[k] !== undefined);
}

function hasColumns(row: Row, cols: readonly string[]): boolean {
  if (Object.keys(row).length !== cols.length) return definedColumns(row).join(',') === cols.join(',');
  for (const c of cols) if (row[c] === undefined) return false;
  return true;
}

/** One column of many rows, converted; a value shared by consecutive rows (a command's one Date) is converted once. */
function column(rows: readonly Row[], name: string): unknown[] {
  const out = new Array<unknown>(rows.length);
  let last: unknown = Symbol('none');
  let converted: unknown;
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]![name];
    if (v !== last) {
      last = v;
      converted = toSql(v);
    }
    out[i] = converted;
  }
  return out;
}

class Schema {
  private readonly types = new Map<string, Map<string, FieldType>>();

  constructor(model: DataModel) {
    for (const [name, m] of Object.entries(model.models)) this.types.set(name, new Map(m.fields.map((f) => [f.name, f.type as FieldType])));
  }

  table(kind: string): string {
    const name = kind.charAt(0).toUpperCase() + kind.slice(1);
    if (!this.types.has(name)) throw new Error(`no model ${name} in the data model`);
    return name;
  }

  type(table: string, column: string): FieldType {
    const t = this.types.get(table)?.get(column);
    if (!t) throw new Error(`no column ${table}.${column} in the data model`);
    return t;
  }

  fromSql<T>(table: string, row: Record<string, unknown> | undefined): T | null {
    if (!row) return null;
    const types = this.types.get(table)!;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      const t = types.get(k);
      if (v === null) out[k] = null;
      // The server's text form, 'YYYY-MM-DD HH:MM:SS.mmm', read as UTC.
      else if (t === 'DateTime') out[k] = utcTimestamp(v as string);
      else if (t === 'BigInt') out[k] = safeNumber(k, v as string);
      else out[k] = v;
    }
    return out as T;
  }
}

class PgTx implements EngineTx {
  constructor(private readonly store: PgStore, private readonly client: pg.PoolClient) {}

  private get s(): Schema {
    return this.store.schema;
  }

  private query(sql: string, values: unknown[]): Promise<pg.QueryResult<Row>> {
    return this.client.query<Row>({ name: this.store.statementName(sql), text: sql, values });
  }

  async get<K extends EntityName>(kind: K, id: string): Promise<Entities[K] | null> {
    const table = this.s.table(kind);
    const { rows } = await this.query(`SELECT * FROM ${quote(table)} WHERE "id" = $1`, [id]);
    return this.s.fromSql<Entities[K]>(table, rows[0]);
  }

  async find<K extends EntityName>(kind: K, where: Filter<Entities[K]>, options: FindOptions<Entities[K]>): Promise<Entities[K][]> {
    const table = this.s.table(kind);
    const clauses: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    for (const [field, cond] of Object.entries(where as Record<string, unknown>)) {
      const col = quote(field);
      if (cond === null) clauses.push(`${col} IS NULL`);
      // One array parameter, so a list of any length is the same prepared statement.
      else if (typeof cond === 'object' && !(cond instanceof Date) && 'in' in cond) clauses.push(`${col} = ANY(${param((cond as { in: unknown[] }).in.map(toSql))})`);
      else if (typeof cond === 'object' && !(cond instanceof Date) && 'lte' in cond) clauses.push(`${col} <= ${param(toSql((cond as { lte: unknown }).lte))}`);
      else if (typeof cond === 'object' && !(cond instanceof Date) && 'not' in cond) {
        const v = (cond as { not: unknown }).not;
        if (v === null) clauses.push(`${col} IS NOT NULL`);
        else { const p = param(toSql(v)); clauses.push(`(${col} <> ${p} OR ${col} IS NULL)`); }
      } else clauses.push(`${col} = ${param(toSql(cond))}`);
    }
    const order = options.orderBy ? ` ORDER BY ${quote(options.orderBy.field)} ${options.orderBy.direction === 'desc' ? 'DESC' : 'ASC'}` : '';
    const sql = `SELECT * FROM ${quote(table)}${clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''}${order} LIMIT ${Math.trunc(options.take)}`;
    const { rows } = await this.query(sql, params);
    return rows.map((r) => this.s.fromSql<Entities[K]>(table, r)!);
  }

  async insert<K extends EntityName>(kind: K, rows: readonly Entities[K][]): Promise<void> {
    await this.insertRows(this.s.table(kind), rows as unknown as Row[]);
  }

  /**
   * One statement per set of columns, whatever the number of rows: a single row as VALUES,
   * more as one array per column unnested into rows (the statement text does not depend on
   * the count, so it stays one prepared statement).
   */
  async insertRows(table: string, rows: readonly Row[]): Promise<void> {
    const first = rows[0];
    if (!first) return;
    const cols = definedColumns(first);
    // The rows of one insert nearly always share their columns; only when they do not are they grouped.
    if (!rows.every((r) => hasColumns(r, cols))) {
      const groups = new Map<string, Row[]>();
      for (const row of rows) {
        const key = definedColumns(row).join(',');
        const group = groups.get(key);
        if (group) group.push(row);
        else groups.set(key, [row]);
      }
      for (const group of groups.values()) await this.insertRows(table, group);
      return;
    }
    const names = cols.map(quote).join(',');
    if (rows.length === 1) {
      await this.query(`INSERT INTO ${quote(table)} (${names}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(',')})`, cols.map((c) => toSql(first[c])));
      return;
    }
    const casts = cols.map((c, i) => `$${i + 1}::${ARRAY_CAST[this.s.type(table, c)]}`).join(',');
    await this.query(`INSERT INTO ${quote(table)} (${names}) SELECT * FROM unnest(${casts})`, cols.map((c) => column(rows, c)));
  }

  async update<K extends EntityName>(kind: K, id: string, expectedVersion: number | null, patch: Partial<Entities[K]>): Promise<void> {
    const table = this.s.table(kind);
    const { id: _id, version: _version, ...data } = patch as Row;
    const cols = Object.keys(data).filter((k) => data[k] !== undefined);
    const sets = cols.map((c, i) => `${quote(c)} = $${i + 1}`);
    if (expectedVersion !== null) sets.push('"version" = "version" + 1');
    if (sets.length === 0) return;
    const n = cols.length;
    const sql = `UPDATE ${quote(table)} SET ${sets.join(', ')} WHERE "id" = $${n + 1}${expectedVersion !== null ? ` AND "version" = $${n + 2}` : ''}`;
    const params = [...cols.map((c) => toSql(data[c])), id, ...(expectedVersion !== null ? [expectedVersion] : [])];
    if ((await this.query(sql, params)).rowCount === 1) return;
    if ((await this.query(`SELECT 1 FROM ${quote(table)} WHERE "id" = $1`, [id])).rowCount === 0) fail('NOT_FOUND', `no ${kind} ${id}`);
    fail('CONFLICT', `this ${kind} was changed by someone else at the same moment; look again and retry`, { kind, id });
  }

  async post(transfers: readonly Transfer[], deltas: readonly BalanceDelta[]): Promise<void> {
    await this.insertRows('Transfer', transfers.map(({ id: _id, ...t }) => t));
    if (deltas.length === 0) return;
    // All accounts in one statement: created on first use, the delta added, the result read back
    // to refuse an overdraft inside the same transaction. Rows are taken in the order given (the
    // engine sorts by account id), so two commands on the same accounts queue instead of deadlocking.
    const { rows } = await this.query(
      `INSERT INTO "Account" ("id","kind","ownerId","currency","balanceMinor")
       SELECT id, kind, owner, currency, delta FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[]) WITH ORDINALITY AS d(id, kind, owner, currency, delta, n) ORDER BY n
       ON CONFLICT ("id") DO UPDATE SET "balanceMinor" = "Account"."balanceMinor" + excluded."balanceMinor"
       RETURNING "id", "balanceMinor"`,
      [deltas.map((d) => d.accountId), deltas.map((d) => d.kind), deltas.map((d) => d.ownerId), deltas.map((d) => d.currency), deltas.map((d) => d.deltaMinor)],
    );
    const balances = new Map(rows.map((r) => [r.id as string, safeNumber('balanceMinor', r.balanceMinor as string)]));
    for (const d of deltas) {
      const balance = balances.get(d.accountId) ?? 0;
      if (!d.mayGoNegative && balance < 0) fail('INSUFFICIENT_FUNDS', `account ${d.accountId} would be overdrawn by ${-balance}`, { accountId: d.accountId });
    }
  }

  async balance(accountId: string): Promise<number> {
    const { rows } = await this.query('SELECT "balanceMinor" FROM "Account" WHERE "id" = $1', [accountId]);
    return rows[0] ? safeNumber('balanceMinor', rows[0].balanceMinor as string) : 0;
  }

  async lastJournal(): Promise<Pick<JournalEntry, 'seq' | 'hash'> | null> {
    const { rows } = await this.query('SELECT "seq","hash" FROM "JournalEntry" ORDER BY "seq" DESC LIMIT 1', []);
    return (rows[0] as Pick<JournalEntry, 'seq' | 'hash'> | undefined) ?? null;
  }

  async appendJournal(entries: readonly JournalEntry[]): Promise<void> {
    await this.insertRows('JournalEntry', entries as unknown as Row[]);
  }

  async addReputationEvents(events: readonly Omit<ReputationEvent, 'id'>[]): Promise<void> {
    await this.insertRows('ReputationEvent', events as unknown as Row[]);
  }

  async putAppSetting(key: string, value: string | null, at: Date): Promise<void> {
    if (value === null) await this.query('DELETE FROM "AppSetting" WHERE "key" = $1', [key]);
    else await this.query('INSERT INTO "AppSetting" ("key","value","updatedAt") VALUES ($1,$2,$3) ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"', [key, value, toSql(at)]);
  }

  async getCommand(key: string): Promise<CommandRecord | null> {
    const { rows } = await this.query('SELECT * FROM "CommandLog" WHERE "key" = $1', [key]);
    return this.s.fromSql<CommandRecord>('CommandLog', rows[0]);
  }

  async putCommand(record: CommandRecord): Promise<void> {
    await this.insertRows('CommandLog', [record as unknown as Row]);
  }
}

const MAX_ATTEMPTS = 8;

export type PgStoreOptions = { poolSize?: number };

export class PgStore implements EngineStore {
  readonly schema: Schema;
  /** Also serves the console's hot reads (PgReader). */
  readonly pool: pg.Pool;
  private readonly names = new Map<string, string>();

  constructor(url: string, model: DataModel, options: PgStoreOptions = {}) {
    this.schema = new Schema(model);
    // Waiting for a free connection is bounded as Prisma's maxWait bounds it on the console's pool.
    this.pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types: rawTypes, connectionTimeoutMillis: 30_000 });
    // A connection the server drops (a restart, a failover) must not take the process down:
    // idle connections report here, and one in use reports through the failing query.
    this.pool.on('error', (error) => console.error('postgres command pool:', error.message));
    this.pool.on('connect', (client) => {
      client.on('error', () => undefined);
      // Timestamps are read from their text form, whatever the server's default style; this runs
      // before the connection's first command (node-postgres queues it first). A failure shows
      // again in that command. Prepared statements keep one generic plan: planning the queue's
      // union of keyset branches costs more than running it (3–9 ms against 1 ms), and
      // PostgreSQL's default re-plans a statement whenever its estimate favours a custom plan.
      client.query('SET DateStyle = ISO; SET plan_cache_mode = force_generic_plan').catch(() => undefined);
    });
  }

  /** Named after a hash of its text, so each connection parses a statement once and reuses it. */
  statementName(sql: string): string {
    let name = this.names.get(sql);
    if (!name) {
      name = `e_${createHash('sha256').update(sql).digest('base64url').slice(0, 24)}`;
      this.names.set(sql, name);
    }
    return name;
  }

  /**
   * Runs one command's transaction. Collisions that say nothing about the command itself (two
   * commands taking the same journal sequence number or idempotency key, a deadlock, a
   * serialization failure) are retried from the start: the transaction rolled back whole, so a
   * retry is safe. A conflict on the command's own records is the engine's CONFLICT.
   */
  async transaction<T>(fn: (tx: EngineTx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(fn);
      } catch (error) {
        if (attempt < MAX_ATTEMPTS && isRetryable(error)) {
          await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
          continue;
        }
        throw translate(error);
      }
    }
  }

  private async attempt<T>(fn: (tx: EngineTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection that failed mid-transaction is discarded rather than handed to the next command.
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(new PgTx(this, client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((e: Error) => { broken = e; });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

function pgError(error: unknown): { code: string; table: string } {
  const e = error as { code?: unknown; table?: unknown };
  return { code: typeof e?.code === 'string' ? e.code : '', table: typeof e?.table === 'string' ? e.table : '' };
}

function isRetryable(error: unknown): boolean {
  if (error instanceof EngineError) return false;
  const { code, table } = pgError(error);
  // 23505 on the journal's sequence or the idempotency log: another command appended first.
  if (code === '23505') return table === 'JournalEntry' || table === 'CommandLog';
  return code === '40P01' || code === '40001';
}

/** Connection-level failures: class 08, the server shutting down or refusing, the socket gone. */
function connectionLost(error: unknown): boolean {
  const { code } = pgError(error);
  if (/^08|^57P0[123]$|^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_AGAIN)$|^ENOTFOUND$/.test(code)) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(String((error as Error)?.message ?? ''));
}

function translate(error: unknown): unknown {
  if (error instanceof EngineError) return error;
  const { code } = pgError(error);
  if (code === '23505') {
    return new EngineError('CONFLICT', 'another command changed the same record at the same moment; retry', { pgCode: code });
  }
  // Storage faults: the transaction was rolled back (or never committed), so nothing of the command was kept.
  if (code === '53100') {
    return new EngineError('STORAGE_FULL', 'the disk holding the database is full; nothing was saved. Free some space, then retry', { pgCode: code });
  }
  if (code === '25006') {
    return new EngineError('STORAGE_READ_ONLY', 'the database only accepts reads (a read-only server or replica); nothing was saved', { pgCode: code });
  }
  if (code === '58030' || code === 'XX001' || code === 'XX002' || connectionLost(error)) {
    return new EngineError('STORAGE_FAILED', 'the database could not be reached or could not read or write its files; the command was not confirmed', { pgCode: code });
  }
  return error;
}

/**
 * The console's hottest reads (server/store/sql-reader.ts) on the command store's pool: one round
 * trip, each statement parsed once per connection, values typed by the column the server names.
 */
export class PgReader implements SqlReader {
  readonly dialect = 'postgresql' as const;

  constructor(private readonly store: PgStore) {}

  async all<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    const result = await this.store.pool.query({ name: this.store.statementName(sql), text: sql, values: params.map(toSql) });
    const convert = result.fields.map((f) => (f.dataTypeID === TIMESTAMP_OID ? utcTimestamp : f.dataTypeID === INT8_OID ? (v: string) => safeNumber(f.name, v) : null));
    if (convert.every((c) => c === null)) return result.rows as T[];
    for (const row of result.rows as Record<string, unknown>[]) {
      result.fields.forEach((f, i) => {
        const v = row[f.name];
        if (v !== null && convert[i]) row[f.name] = (convert[i] as (x: string) => unknown)(v as string);
      });
    }
    return result.rows as T[];
  }

  close(): void {}
}
