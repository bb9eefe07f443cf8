import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDispatcher } from '../notify/dispatcher.js';
import { defaultMailDir } from '../notify/transport.js';
import { openDatabase } from '../store/open.js';

/**
 * Sends the email outbox on its own, apart from the server (`tsx server/cli/dispatch.ts`).
 * Configured by environment:
 *   ESCROW_DB                      SQLite file path (default data/escrow.db) or a postgres:// URL
 *   ESCROW_SMTP_URL                smtp://user:password@host:port; unset: .eml files (see server/notify/transport.ts)
 *   ESCROW_MAIL_FROM               the From address
 *   ESCROW_MAIL_DIR                where .eml files go (default: beside the database, outbox-mail/)
 *   ESCROW_DISPATCH_INTERVAL_MS    pause between batches when the outbox is empty (default 5000)
 *   ESCROW_DISPATCH_BATCH, ESCROW_DISPATCH_LEASE_MS, ESCROW_DISPATCH_MAX_ATTEMPTS, ESCROW_DISPATCH_BACKOFF_MS
 * SIGINT or SIGTERM finishes the batch in flight, then exits.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const env = process.env;
const databaseUrl = env.ESCROW_DB ?? path.join(root, 'data', 'escrow.db');
const number = (name: string): number | undefined => (env[name] ? Number(env[name]) : undefined);

const { db } = await openDatabase(databaseUrl);
const dispatcher = await createDispatcher(db, {
  smtpUrl: env.ESCROW_SMTP_URL ?? null,
  from: env.ESCROW_MAIL_FROM ?? null,
  mailDir: env.ESCROW_MAIL_DIR ?? defaultMailDir(databaseUrl, path.join(root, 'data')),
  batchSize: number('ESCROW_DISPATCH_BATCH'),
  leaseMs: number('ESCROW_DISPATCH_LEASE_MS'),
  maxAttempts: number('ESCROW_DISPATCH_MAX_ATTEMPTS'),
  backoffBaseMs: number('ESCROW_DISPATCH_BACKOFF_MS'),
});
dispatcher.start(number('ESCROW_DISPATCH_INTERVAL_MS') ?? 5_000);
console.log('dispatch: sending the outbox');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void dispatcher.stop().then(() => db.$disconnect()).then(() => process.exit(0));
  });
}
