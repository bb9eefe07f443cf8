import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Each test gets a database of its own: a SQLite file in a temp folder by default, or, when
 * ESCROW_TEST_DATABASE=postgresql, a new PostgreSQL database created for it and dropped after.
 */

export const TEST_DATABASE = process.env.ESCROW_TEST_DATABASE === 'postgresql' ? 'postgresql' : 'sqlite';
const PG_SERVER = process.env.ESCROW_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (TEST_DATABASE === 'postgresql') {
    const name = `escrow_t_${randomBytes(6).toString('hex')}`;
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
    return {
      url: `${PG_SERVER}/${name}`,
      drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escrow-test-'));
  return { url: path.join(dir, 'test.db'), drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}
