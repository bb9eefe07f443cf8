#!/usr/bin/env node
// Writes the next migration: the SQL that takes a database migrated with the committed
// migrations to prisma/schema.prisma, as computed by Prisma's own schema engine.
//
//   node scripts/make-migration.mjs <name> [--provider sqlite|postgresql]
//     -> prisma/migrations/<provider>/<NNNN>_<name>/migration.sql   (nothing when no difference)
//
// Why not `prisma migrate dev`: it needs the native schema-engine binary, which cannot be
// downloaded here. The same engine ships compiled to WebAssembly (@prisma/schema-engine-wasm),
// and talks to databases through a Prisma driver adapter instead of a URL.
//
// SQLite: the committed migrations are applied to a temporary database file with the app's own
// runner (server/store/migrate.ts), then the engine diffs that database against the schema.
// (The engine's shadow-database route cannot be used: it sends a whole migration.sql through the
// adapter's executeRaw, which better-sqlite3 rejects as "more than one statement".)
//
// PostgreSQL: only the first migration can be made offline (diff from empty needs no database).
// Later ones need a database holding the committed migrations, i.e. @prisma/adapter-pg, which is
// not a dependency yet.
//
// Also exports diffSqliteDatabase() for test/integration/migrations.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parseProvider, root, schemaForProvider, schemaPath } from './prisma-generate.mjs';

const require = createRequire(import.meta.url);
const importPath = (p) => import(pathToFileURL(p).href);
/** Tables the Prisma schema cannot describe, which the engine must ignore rather than propose
 *  dropping: the migration runner's bookkeeping table, and the queue's trigram search index (an
 *  FTS5 table and its shadow tables, written by hand in migration 0008). (PostgreSQL would want
 *  `public._migrations`.) */
const sqliteFilters = { externalTables: ['_migrations', 'DisputeSearch', 'DisputeSearch_data', 'DisputeSearch_idx', 'DisputeSearch_docsize', 'DisputeSearch_config', 'DisputeSearch_content'], externalEnums: [] };
const noFilters = { externalTables: [], externalEnums: [] };

let enginePromise;
/**
 * Loads the schema engine (once per process).
 *
 * The engine build that matches the installed Prisma CLI exactly (the @prisma/engines-version
 * hash) is not published as @prisma/schema-engine-wasm, but the CLI package bundles that very
 * .wasm. Its JavaScript glue is identical to the published package's (same wasm-bindgen
 * imports), so we load the CLI's .wasm through the package's glue, falling back to the package's
 * own .wasm if the CLI stops bundling it or the imports no longer match. The package is pinned
 * to 7.10.0-4.0edf323e, the engine of the 7.10.0 release our adapter and client come from (the
 * engine's adapter calls must match the adapter's version).
 *
 * Instantiating by hand also avoids `node --experimental-wasm-modules`, which the package's
 * entry point (an ESM import of the .wasm) would need.
 */
export function loadSchemaEngine() {
  enginePromise ??= (async () => {
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue = await importPath(gluePath);
    const candidates = [
      path.join(path.dirname(require.resolve('prisma/build/index.js')), 'schema_engine_bg.wasm'),
      path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'),
    ].filter((f) => fs.existsSync(f));
    let lastError;
    for (const file of candidates) {
      try {
        const { instance } = await WebAssembly.instantiate(fs.readFileSync(file), {
          './schema_engine_bg.js': glue,
        });
        glue.__wbg_set_wasm(instance.exports);
        instance.exports.__wbindgen_start();
        return glue;
      } catch (e) {
        lastError = e;
      }
    }
    throw new Error(`Could not load the Prisma schema engine (wasm): ${lastError?.message ?? 'not found'}`);
  })();
  return enginePromise;
}

/**
 * The engine calls `connect`/`connectToShadowDb` as plain functions and expects Result-shaped
 * answers; Prisma's binder (from @prisma/driver-adapter-utils, a dependency of the adapter, so
 * resolved from there) makes exactly that wrapper, with arrow functions.
 */
async function bindFactory(factory) {
  const adapterEntry = require.resolve('@prisma/adapter-better-sqlite3');
  const utils = await importPath(createRequire(adapterEntry).resolve('@prisma/driver-adapter-utils'));
  return utils.bindMigrationAwareSqlAdapterFactory(factory);
}

/**
 * Runs `fn` with an engine for `schemaText` that connects through `factory`, then frees the
 * engine and closes the connections it opened: freeing alone leaves the database file open, which
 * would keep Windows from deleting temporary files.
 */
async function withEngine(schemaText, factory, fn) {
  const { SchemaEngine } = await loadSchemaEngine();
  const opened = [];
  const track = async (connecting) => {
    const adapter = await connecting;
    opened.push(adapter);
    return adapter;
  };
  const bound = await bindFactory({
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(factory.connect()),
    connectToShadowDb: () => track(factory.connectToShadowDb()),
  });
  const engine = await SchemaEngine.new({ datamodels: [['schema.prisma', schemaText]] }, () => {}, bound);
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await Promise.all(opened.map((a) => a.dispose()));
  }
}

/**
 * Diffs the SQLite database file `dbFile` against a Prisma schema (default prisma/schema.prisma).
 * Returns the SQL that would make the database match; `changed` is false when it already does.
 */
export async function diffSqliteDatabase(dbFile, schemaText = fs.readFileSync(schemaPath, 'utf8')) {
  const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
  const files = [{ path: 'schema.prisma', content: schemaText }];
  const r = await withEngine(schemaText, new PrismaBetterSqlite3({ url: `file:${dbFile}` }), (engine) =>
    engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: root },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: true, // 2 when there is a difference
      filters: sqliteFilters,
    }),
  );
  return { changed: r.exitCode === 2, sql: r.stdout ?? '' };
}

/** SQLite: migrate a scratch database with the app's runner, then diff it. */
async function nextSqliteMigration(migrationsDir) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'escrow-make-migration-'));
  try {
    const dbFile = path.join(scratch, 'scratch.db');
    // migrate.ts is TypeScript; tsx (a dev dependency) loads it without a build step.
    const { tsImport } = await import('tsx/esm/api');
    const { applySqliteMigrations } = await tsImport(
      pathToFileURL(path.join(root, 'server', 'store', 'migrate.ts')).href,
      import.meta.url,
    );
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(dbFile);
    try {
      fs.mkdirSync(migrationsDir, { recursive: true });
      applySqliteMigrations(db, migrationsDir);
    } finally {
      db.close();
    }
    return await diffSqliteDatabase(dbFile);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * PostgreSQL, first migration only: diff from empty. The engine still connects once at start to
 * ask the server's version, so this stand-in adapter answers that one query (as PostgreSQL 15,
 * the version on our machines) and refuses everything else; the diff itself is computed from
 * the schema alone.
 */
async function firstPostgresMigration() {
  const offline = () => Promise.reject(new Error('no PostgreSQL database: offline diff only'));
  const adapter = {
    provider: 'postgres',
    adapterName: 'escrow-offline',
    queryRaw: (q) =>
      q.sql.includes('server_version_num')
        ? Promise.resolve({
            columnNames: ['exists', 'version', 'numeric_version'],
            columnTypes: [5, 7, 0], // ColumnTypeEnum: Boolean, Text, Int32
            rows: [[true, 'PostgreSQL 15.0', 150000]],
          })
        : offline(),
    executeRaw: offline,
    executeScript: offline,
    startTransaction: offline,
    dispose: () => Promise.resolve(),
  };
  const factory = {
    provider: 'postgres',
    adapterName: 'escrow-offline',
    connect: () => Promise.resolve(adapter),
    connectToShadowDb: () => Promise.resolve(adapter),
  };
  const schemaText = schemaForProvider(fs.readFileSync(schemaPath, 'utf8'), 'postgresql');
  const r = await withEngine(schemaText, factory, (engine) =>
    engine.diff({
      from: { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schemaText }] },
      script: true,
      exitCode: true,
      filters: noFilters, // diffing from empty: there is no database to filter
    }),
  );
  return { changed: r.exitCode === 2, sql: r.stdout ?? '' };
}

async function main() {
  const { provider, rest } = parseProvider(process.argv.slice(2));
  const [name, ...extra] = rest;
  if (!name || extra.length || !/^[a-z0-9_]+$/i.test(name)) {
    throw new Error('usage: node scripts/make-migration.mjs <name: letters, digits, _> [--provider sqlite|postgresql]');
  }
  const migrationsDir = path.join(root, 'prisma', 'migrations', provider);
  const existing = fs.existsSync(migrationsDir)
    ? fs.readdirSync(migrationsDir).filter((d) => /^\d+_/.test(d)).sort()
    : [];

  let result;
  if (provider === 'sqlite') {
    result = await nextSqliteMigration(migrationsDir);
  } else if (existing.length === 0) {
    result = await firstPostgresMigration();
  } else {
    throw new Error(
      'PostgreSQL migrations after the first need a database to replay the committed ones on; ' +
        'add @prisma/adapter-pg and a shadow-database connection to this script first.',
    );
  }

  if (!result.changed) {
    console.log(`make-migration: ${provider} migrations already match prisma/schema.prisma; nothing written.`);
    return;
  }
  const next = existing.length ? parseInt(existing[existing.length - 1], 10) + 1 : 1;
  const folder = path.join(migrationsDir, `${String(next).padStart(4, '0')}_${name}`);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'migration.sql'), result.sql);
  const { version } = await loadSchemaEngine();
  console.log(`make-migration: wrote ${path.relative(root, folder)}/migration.sql (schema engine ${version()})`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e) => {
    console.error(`make-migration: ${e.message}`);
    process.exit(1);
  });
}
