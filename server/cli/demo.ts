import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../engine/engine.js';
import { openDatabase } from '../store/open.js';
import { createDemoOperators, DEMO_OPERATORS } from '../demo/operators.js';
import { DAYS_PER_PROJECT, PROJECTS_PER_ROUND, seedDemo } from '../demo/seed.js';
import { Auth } from '../auth/sessions.js';
import { startServer } from '../http/server.js';

/**
 * `npm run demo`: fills a new embedded database with the demo marketplace (never touching one
 * that already has data), then starts the console on it. `--seed-only` stops after seeding.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const file = process.env.ESCROW_DB ?? path.join(root, 'data', 'demo.db');

export async function seedDemoDatabase(dbFile: string, scale: number): Promise<string> {
  const opened = await openDatabase(dbFile);
  const { db } = opened;
  try {
    if ((await db.marketplace.count()) > 0) return `${dbFile} already has data; using it as it is`;
    // Demo history is spread over the past 30 days so that ages and deadlines look real, and
    // ends now: the story's days are scaled to fit, so no case is opened in the future.
    const spanDays = 30;
    const storyDays = scale * DAYS_PER_PROJECT * PROJECTS_PER_ROUND;
    const dayMs = (86_400_000 * spanDays) / storyDays;
    let now = Date.now() - spanDays * 86_400_000;
    const clock = () => new Date(now);
    const engine = new Engine(opened.store, { clock });
    await createDemoOperators(new Auth(db, engine, clock));
    const summary = await seedDemo(engine, { advance: (days) => { now += days * dayMs; } }, scale);
    return `${dbFile}: ${summary.users} users, ${summary.milestones} milestones, ${summary.disputes} disputes`;
  } finally {
    await opened.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`demo: ${await seedDemoDatabase(file, Number(process.env.DEMO_SCALE ?? 4))}`);
  console.log('demo: sign in as');
  for (const op of DEMO_OPERATORS) console.log(`  ${op.role.padEnd(10)} ${op.email.padEnd(22)} ${op.password}`);
  if (!process.argv.includes('--seed-only')) {
    const rendererDir = path.join(root, 'out', 'renderer');
    const server = await startServer({ databaseUrl: file, port: Number(process.env.PORT ?? 4300), rendererDir: fs.existsSync(rendererDir) ? rendererDir : null });
    console.log(`demo: console at ${server.url}  (Ctrl+C to stop)`);
    process.once('SIGINT', () => void server.close().then(() => process.exit(0)));
    process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
  }
}
