#!/usr/bin/env node
// Runs the engine, API and reliability suites again on PostgreSQL (team mode). Each test creates a database of
// its own on the server and drops it after (test/support/databases.ts). Where no PostgreSQL is
// reachable the run fails, unless ESCROW_SKIP_PG=1 says plainly that it was skipped on purpose.
import { spawnSync } from 'node:child_process';

if (process.env.ESCROW_SKIP_PG === '1') {
  console.log('test:pg: SKIPPED (ESCROW_SKIP_PG=1): the PostgreSQL suites did not run');
  process.exit(0);
}
const ready = spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432'], { stdio: 'inherit' });
if (ready.status !== 0) {
  console.error('test:pg: no PostgreSQL on 127.0.0.1:5432; start it, or set ESCROW_SKIP_PG=1 to skip these suites knowingly');
  process.exit(1);
}
const run = spawnSync('npx', ['vitest', 'run', 'test/integration', 'test/api', 'test/reliability', '--exclude', 'test/integration/migrations.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, ESCROW_TEST_DATABASE: 'postgresql' },
});
process.exit(run.status ?? 1);
