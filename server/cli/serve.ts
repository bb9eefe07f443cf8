import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../http/server.js';
import { defaultMailDir } from '../notify/transport.js';

/**
 * `npm run serve`: the team server. Configured by environment:
 *   ESCROW_DB    SQLite file path (default data/escrow.db) or a postgres:// URL
 *   HOST, PORT   where to listen (default 127.0.0.1:4300)
 *   ESCROW_ADMIN_EMAIL, ESCROW_ADMIN_PASSWORD   the first admin, created on an empty database
 *   ESCROW_SMTP_URL, ESCROW_MAIL_FROM, ESCROW_MAIL_DIR, ESCROW_DISPATCH_INTERVAL_MS   email (server/cli/dispatch.ts)
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rendererDir = path.join(root, 'out', 'renderer');
const databaseUrl = process.env.ESCROW_DB ?? path.join(root, 'data', 'escrow.db');
const server = await startServer({
  databaseUrl,
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 4300),
  rendererDir: fs.existsSync(path.join(rendererDir, 'index.html')) ? rendererDir : null,
  // Email: ESCROW_SMTP_URL, else .eml files in ESCROW_MAIL_DIR (see server/notify/transport.ts).
  dispatcher: {
    intervalMs: Number(process.env.ESCROW_DISPATCH_INTERVAL_MS ?? 5_000),
    smtpUrl: process.env.ESCROW_SMTP_URL ?? null,
    from: process.env.ESCROW_MAIL_FROM ?? null,
    mailDir: process.env.ESCROW_MAIL_DIR ?? defaultMailDir(databaseUrl, path.join(root, 'data')),
  },
});
const adminEmail = process.env.ESCROW_ADMIN_EMAIL ?? 'admin@localhost';
const adminPassword = process.env.ESCROW_ADMIN_PASSWORD;
if (adminPassword) {
  if (await server.services.auth.bootstrapAdmin(adminEmail, adminPassword)) console.log(`serve: created the first admin, ${adminEmail}`);
} else if ((await server.services.db.operator.count()) === 0) {
  const generated = randomBytes(12).toString('base64url');
  await server.services.auth.bootstrapAdmin(adminEmail, generated);
  console.log(`serve: empty database; created the first admin ${adminEmail} with password ${generated} (change it after signing in)`);
}
console.log(`serve: ${server.database} database; console and API at ${server.url}${fs.existsSync(rendererDir) ? '' : ' (API only: run npm run build for the console)'}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`serve: ${signal}: finishing requests in flight, then stopping`);
    void server.close().then(() => process.exit(0));
  });
}
