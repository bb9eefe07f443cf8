import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { Db } from './database.js';
import { PrismaClient as PgPrismaClient } from './generated-pg/client.js';

/**
 * Team mode: the same models on PostgreSQL. Migrations are the committed SQL under
 * prisma/migrations/postgresql, applied at start under an advisory lock so that several
 * server processes starting together apply each migration exactly once.
 */

const MIGRATION_LOCK = 7_265_001;

function migrationsDir(): string {
  return process.env.ESCROW_PG_MIGRATIONS_DIR ?? fileURLToPath(new URL('../../prisma/migrations/postgresql', import.meta.url));
}

export async function applyPostgresMigrations(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS "_migrations" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)');
    const done = new Map((await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM "_migrations"')).rows.map((r) => [r.name, r.checksum]));
    const dir = migrationsDir();
    for (const name of fs.readdirSync(dir).filter((n) => /^\d+_\w+$/.test(n)).sort()) {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
      const prior = done.get(name);
      if (prior !== undefined) {
        if (prior !== checksum) throw new Error(`Migration ${name} was changed after it was applied; put the change in a new migration`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO "_migrations" (name, checksum, applied_at) VALUES ($1, $2, now())', [name, checksum]);
        await client.query('COMMIT');
        applied.push(name);
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
  return applied;
}

export async function openPostgres(url: string, options: { poolSize?: number } = {}): Promise<Db> {
  await applyPostgresMigrations(url);
  // A connection the server drops (a restart, a failover) must not take the process down with it.
  const adapter = new PrismaPg({ connectionString: url, max: options.poolSize ?? 10 }, {
    onPoolError: (error) => console.error('postgres pool:', error.message),
    onConnectionError: (error) => console.error('postgres connection:', error.message),
  });
  // The PostgreSQL client is generated from the same models, so it has the same shape as the SQLite one.
  return new PgPrismaClient({ adapter }) as unknown as Db;
}
