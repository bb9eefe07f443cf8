#!/usr/bin/env node
// Idempotent setup run before `npm test` and `npm run demo`, so a fresh clone works with one
// command and a warm checkout costs only two stat calls.
//   1. npm ci when node_modules is missing or older than package-lock.json
//   2. prisma generate (SQLite) when the generated client is missing or older than the schema
// Only standard-library imports before step 1: nothing from node_modules may be needed to install it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...p) => path.join(root, ...p);
const log = (msg) => console.log(`setup: ${msg}`);
/** Modification time in ms, or -1 when the file is missing. */
const mtime = (file) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
};

// npm writes node_modules/.package-lock.json at the end of every install, so it records when
// node_modules last matched the lockfile.
const installedAt = mtime(at('node_modules', '.package-lock.json'));
let installed = false;
if (!fs.existsSync(at('node_modules')) || installedAt < 0 || mtime(at('package-lock.json')) > installedAt) {
  log('installing dependencies (npm ci; better-sqlite3 builds from source, about a minute)...');
  // npm is npm.cmd on Windows, which spawnSync can only start through a shell.
  const npm = (args, stderr = 'inherit') =>
    spawnSync('npm', [...args, '--no-audit', '--no-fund'], {
      cwd: root,
      stdio: ['ignore', 'inherit', stderr],
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
  const ci = npm(['ci'], 'pipe');
  let status = ci.status;
  if (status !== 0) {
    // npm ci's refusal comes with its whole usage text: show only the reason.
    const reason = (ci.stderr ?? '').split('\n').filter((l) => /^npm error \S/.test(l)).slice(0, 3);
    console.error(reason.join('\n'));
    // npm ci also refuses a lockfile that lacks an optional dependency the registry did not have
    // when the lock was written (vite's Windows-only napi-windows-process-start-time is missing
    // from our registry mirror, so every lockfile made here lacks it). npm install accepts that
    // lockfile; let it try before giving up.
    log('npm ci failed; retrying with npm install');
    status = npm(['install']).status;
  }
  if (status !== 0) {
    console.error(`setup: installing dependencies failed (exit code ${status})`);
    process.exit(1);
  }
  installed = true;
} else {
  log('dependencies up to date');
}

// client.ts is written on every generation. A fresh install may have changed the Prisma version,
// so regenerate then too.
const generatedAt = Math.min(mtime(at('server', 'store', 'generated', 'client.ts')), mtime(at('server', 'store', 'generated-pg', 'client.ts')));
if (installed || generatedAt < mtime(at('prisma', 'schema.prisma'))) {
  log('generating Prisma clients (sqlite, postgresql)...');
  // Imported only now, because prisma-generate.mjs must not run before dependencies exist.
  const { generate } = await import('./prisma-generate.mjs');
  try {
    generate('sqlite', { stdio: 'pipe' });
    generate('postgresql', { stdio: 'pipe' });
  } catch (e) {
    console.error(`setup: ${e.message}`);
    process.exit(1);
  }
  log('Prisma clients generated');
} else {
  log('Prisma client up to date');
}
