import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from '../../server/store/open.js';
import { disputeQueue, type QueueFilter } from '../../server/store/queries.js';
import type { SqlReader } from '../../server/store/sql-reader.js';
import { latencies, ratio } from './measure.js';
import { queueOverHttp, startBenchServer } from './server-process.js';

const SERVER = process.env.ESCROW_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';

/** Copies the queue benchmark's rows from its SQLite file into PostgreSQL, in multi-row inserts. */
export async function copyTables(sqliteFile: string, client: pg.Client, tables: string[]): Promise<void> {
  const source = new Database(sqliteFile, { readonly: true });
  try {
    for (const table of tables) {
      const types = new Map((await client.query<{ column_name: string; data_type: string }>('SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1', [table])).rows.map((r) => [r.column_name, r.data_type]));
      const rows = source.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
      if (rows.length === 0) continue;
      const cols = Object.keys(rows[0]!);
      const convert = (c: string, v: unknown) => (v === null ? null : types.get(c) === 'boolean' ? v === 1 : types.get(c)?.startsWith('timestamp') ? new Date(v as string) : v);
      const per = Math.floor(30_000 / cols.length);
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        const values = chunk.map((_, r) => `(${cols.map((__, c) => `$${r * cols.length + c + 1}`).join(',')})`).join(',');
        await client.query(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(',')}) VALUES ${values}`, chunk.flatMap((row) => cols.map((c) => convert(c, row[c]))));
      }
    }
  } finally {
    source.close();
  }
}

/**
 * 3 on PostgreSQL: the same queue pages on the same rows, the data layer against the raw driver
 * sending the very same statement, and through the router over HTTP.
 */
export async function pgQueuePage(results: Record<string, unknown>, sqliteFile: string, disputes: number, cases: { name: string; filter: QueueFilter }[], now: Date): Promise<void> {
  const name = `escrow_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  try {
    await admin.connect();
  } catch (error) {
    results.pgQueuePage = { skipped: `no PostgreSQL at ${SERVER}: ${(error as Error).message}` };
    console.log(`bench: queue page on PostgreSQL skipped: no PostgreSQL at ${SERVER}`);
    return;
  }
  await admin.query(`CREATE DATABASE ${name}`);
  const url = `${SERVER}/${name}`;
  try {
    const opened = await openDatabase(url);
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    await copyTables(sqliteFile, raw, ['User', 'Milestone', 'Dispute']);
    // As autovacuum would have left a live database: statistics, and the visibility map that lets index-only scans skip the table.
    await raw.query('VACUUM ANALYZE');
    // The benchmarks before this one wrote (and dropped) a great deal: flushed now, rather than by a
    // checkpoint in the middle of these measurements on the same two cores. Needs a superuser (or pg_checkpoint).
    await raw.query('CHECKPOINT').catch(() => undefined);
    // The reader the server uses on PostgreSQL: the command pool's prepared statements.
    const reader = opened.reader;
    const statements: { sql: string; params: readonly unknown[] }[][] = [];
    const recorder: SqlReader = { dialect: 'postgresql', all: async (sql, params) => { statements.at(-1)!.push({ sql, params }); return reader.all(sql, params); }, close: () => undefined };
    for (const c of cases) {
      statements.push([]);
      await disputeQueue(recorder, { ...c.filter, limit: 50 }, now);
    }
    // Named statements: PostgreSQL plans each once, as a driver-level prepared statement would be,
    // and keeps that generic plan as the data layer's connections do (pg-store.ts), so neither side re-plans.
    await raw.query('SET plan_cache_mode = force_generic_plan');
    const runRaw = async (k: number) => {
      for (const [j, st] of statements[k]!.entries()) await raw.query({ name: `q${k}_${j}`, text: st.sql, values: [...st.params] });
    };
    const rawTimes = await latencies(20 * cases.length, (i) => runRaw(i % cases.length));
    const layerTimes = await latencies(20 * cases.length, (i) => disputeQueue(reader, { ...cases[i % cases.length]!.filter, limit: 50 }, now));
    const perCase: Record<string, { raw_p50_ms: number; layer_p50_ms: number; ratio: number }> = {};
    for (const [k, c] of cases.entries()) {
      const r = await latencies(30, () => runRaw(k));
      const l = await latencies(30, () => disputeQueue(reader, { ...c.filter, limit: 50 }, now));
      perCase[c.name] = { raw_p50_ms: r.p50_ms, layer_p50_ms: l.p50_ms, ratio: ratio(l.p50_ms, r.p50_ms) };
    }
    await raw.end();
    await opened.close();

    const server = await startBenchServer(url);
    const { http: httpTimes, httpPlain, httpPerCase } = await queueOverHttp(server, cases);
    await server.stop();
    results.pgQueuePage = {
      goal: 'data layer within 3× of the raw SQL for the same page, at any depth; over HTTP p50 ≤ 5 ms, p99 ≤ 20 ms (PostgreSQL)',
      disputes, raw: rawTimes, dataLayer: layerTimes, p50Ratio: ratio(layerTimes.p50_ms, rawTimes.p50_ms),
      worstCaseRatio: Math.max(...Object.values(perCase).map((c) => c.ratio)), perCase, http: httpTimes, httpPlain, httpPerCase,
    };
    console.log(`bench: queue page on PostgreSQL (${disputes} disputes): raw p50 ${rawTimes.p50_ms} ms, data layer p50 ${layerTimes.p50_ms} ms (${ratio(layerTimes.p50_ms, rawTimes.p50_ms)}×, worst case ${Math.max(...Object.values(perCase).map((c) => c.ratio))}×), over HTTP p50 ${httpTimes.p50_ms} ms p99 ${httpTimes.p99_ms} ms (plain GET p50 ${httpPlain.p50_ms} ms p99 ${httpPlain.p99_ms} ms)`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
