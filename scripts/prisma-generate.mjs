#!/usr/bin/env node
// Generates the Prisma client.
//
//   node scripts/prisma-generate.mjs                        -> server/store/generated     (SQLite, default)
//   node scripts/prisma-generate.mjs --provider postgresql  -> server/store/generated-pg  (team mode)
//
// prisma/schema.prisma is the only schema we maintain. PostgreSQL gets a derived copy with just
// the datasource provider (and, necessarily, the generator output) changed, so the two builds can
// never drift apart.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const schemaPath = path.join(root, 'prisma', 'schema.prisma');
const PROVIDERS = ['sqlite', 'postgresql'];

/** Parses `--provider X` / `--provider=X`; anything else is left in `rest`. */
export function parseProvider(argv) {
  let provider = 'sqlite';
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--provider') provider = argv[++i];
    else if (a.startsWith('--provider=')) provider = a.slice('--provider='.length);
    else rest.push(a);
  }
  if (!PROVIDERS.includes(provider)) {
    throw new Error(`--provider must be one of ${PROVIDERS.join(', ')} (got ${provider})`);
  }
  return { provider, rest };
}

/** The schema text with the datasource provider swapped. Throws if the line isn't found, so a
 *  reformatted schema can't silently produce a SQLite "PostgreSQL" client. */
export function schemaForProvider(text, provider) {
  if (provider === 'sqlite') return text;
  const re = /(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*)"sqlite"/;
  if (!re.test(text)) throw new Error('prisma/schema.prisma: datasource provider "sqlite" not found');
  return text.replace(re, `$1"${provider}"`);
}

/** Writes prisma/generated/schema.postgresql.prisma and returns its path. */
function writePostgresSchema() {
  const dir = path.join(root, 'prisma', 'generated');
  fs.mkdirSync(dir, { recursive: true });
  // The folder only holds derived files; ignore it from inside so no root .gitignore edit is needed.
  fs.writeFileSync(path.join(dir, '.gitignore'), '*\n');
  let text = schemaForProvider(fs.readFileSync(schemaPath, 'utf8'), 'postgresql');
  // `output` is resolved relative to the schema file, and the copy lives one folder deeper, so
  // the output line has to be rewritten too (there is no CLI flag for it).
  const out = path.relative(dir, path.join(root, 'server', 'store', 'generated-pg')).split(path.sep).join('/');
  const outRe = /(generator\s+client\s*\{[^}]*?output\s*=\s*)"[^"]*"/;
  if (!outRe.test(text)) throw new Error('prisma/schema.prisma: generator client output not found');
  text = text.replace(outRe, `$1"${out}"`);
  const file = path.join(dir, 'schema.postgresql.prisma');
  fs.writeFileSync(file, text);
  return file;
}

/** True when a schema-engine binary was downloaded into @prisma/engines (named
 *  schema-engine-<platform>). */
function schemaEngineBinaryPresent() {
  const dir = path.join(root, 'node_modules', '@prisma', 'engines');
  try {
    return fs.readdirSync(dir).some((f) => f.startsWith('schema-engine'));
  } catch {
    return false;
  }
}

export function generate(provider = 'sqlite', { stdio = 'inherit' } = {}) {
  const env = { ...process.env };
  if (!env.PRISMA_SCHEMA_ENGINE_BINARY && !schemaEngineBinaryPresent()) {
    // `prisma generate` insists on the schema-engine binary being present, downloading it if not,
    // although generation never runs it. That download is impossible offline (and npm 11 skips
    // @prisma/engines' postinstall anyway), so point Prisma at any existing executable: it only
    // checks that the file exists. Only done when the real binary is absent.
    env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
  }
  const args = [path.join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate'];
  // Default path: let prisma.config.ts name the schema, exactly as a bare `prisma generate` would.
  if (provider !== 'sqlite') args.push('--schema', writePostgresSchema());
  const r = spawnSync(process.execPath, args, { cwd: root, env, stdio, encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    // With stdio 'pipe' (setup.mjs keeps quiet on success) the output is only shown on failure.
    const output = stdio === 'pipe' ? `\n${r.stdout}${r.stderr}` : '';
    throw new Error(`prisma generate (${provider}) failed with exit code ${r.status}${output}`);
  }
}

// Run as a script (not when imported by setup.mjs / make-migration.mjs).
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    generate(parseProvider(process.argv.slice(2)).provider);
  } catch (e) {
    console.error(`prisma-generate: ${e.message}`);
    process.exit(1);
  }
}
