import path from 'node:path';
import { Engine } from '../engine/engine.js';
import { openSqlite } from '../store/database.js';
import { PrismaStore } from '../store/prisma-store.js';
import { seedDemo } from '../demo/seed.js';

/**
 * Fills a new embedded database with the demo marketplace. Refuses to touch a database that
 * already has data, so it can never mix demo rows into real ones.
 */
const file = process.env.ESCROW_DB ?? path.resolve('data', 'demo.db');
const db = await openSqlite({ url: file });
try {
  if ((await db.marketplace.count()) > 0) {
    console.log(`demo: ${file} already has data; leaving it as it is`);
  } else {
    // Demo history is spread over the past weeks so that ages and deadlines look real.
    let now = Date.now() - 40 * 86_400_000;
    const engine = new Engine(new PrismaStore(db), { clock: () => new Date(now) });
    const summary = await seedDemo(engine, { advance: (days) => { now += days * 86_400_000; } }, Number(process.env.DEMO_SCALE ?? 3));
    console.log(`demo: ${file}: ${summary.users} users, ${summary.milestones} milestones, ${summary.disputes} disputes`);
  }
} finally {
  await db.$disconnect();
}
