import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreSqlite, RestoreRefused } from '../../server/store/backup.js';
import { verifyJournal } from '../../server/store/journal-reader.js';
import { checkLedger } from '../../server/store/ledger-health.js';
import { openDatabase } from '../../server/store/open.js';
import { TEST_DATABASE } from '../support/databases.js';
import { client, demoServer, refusal, signedIn } from '../support/server.js';

/**
 * Backups of the embedded database (admin.backup) taken while commands run restore to a
 * database whose invariants and journal hold; a tampered backup is refused by the restore
 * (npm run restore) and the target is left exactly as it was.
 */
const root = path.resolve(import.meta.dirname, '../..');
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function checked(file: string) {
  const opened = await openDatabase(file);
  try {
    return { problems: await checkLedger(opened.db), journal: await verifyJournal(opened.db), count: await opened.db.journalEntry.count() };
  } finally {
    await opened.close();
  }
}

describe.skipIf(TEST_DATABASE !== 'sqlite')('backups and restore of the embedded database', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  let backups: { path: string; journalLength: number; lastHash: string | null; sizeBytes: number }[] = [];

  beforeAll(async () => {
    server = await demoServer();
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('takes consistent backups while commands run, and each restores to a database that verifies', async () => {
    const { api: admin } = await signedIn(server.url, 'admin');
    const market = (await admin.admin.marketplaces.query())[0]!;
    const { key } = await admin.admin.createApiKey.mutate({ marketplaceId: market.id, name: 'backup test' });
    const backend = client(server.url, { apiKey: key });
    const users = (await server.services.db.user.findMany({ where: { marketplaceId: market.id }, take: 10 })).map((u) => u.id);
    let stop = false;
    let committed = 0;
    const writer = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const userId = users[(n + i) % users.length]!;
        await backend.marketplace.deposit.mutate({ actAs: userId, userId, amountMinor: 100 + i, currency: 'USD', idempotencyKey: randomUUID() });
        committed += 1;
      }
    };
    const writers = Array.from({ length: 4 }, (_, n) => writer(n));
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 150));
      backups.push(await admin.admin.backup.mutate());
    }
    stop = true;
    await Promise.all(writers);
    expect(committed).toBeGreaterThan(10);
    expect(new Set(backups.map((b) => b.lastHash)).size).toBe(3);
    for (const b of backups) {
      expect(path.dirname(b.path)).toBe(path.join(path.dirname(server.databaseUrl), 'backups'));
      expect(b.sizeBytes).toBe(fs.statSync(b.path).size);
      const into = path.join(path.dirname(server.databaseUrl), `restored-${path.basename(b.path)}`);
      const r = await restoreSqlite(b.path, into);
      expect(r).toMatchObject({ journalLength: b.journalLength, lastHash: b.lastHash, previousKeptAs: null });
      const c = await checked(into);
      expect(c.problems).toEqual([]);
      expect(c.journal).toMatchObject({ ok: true, checked: b.journalLength, lastHash: b.lastHash });
    }
    // Non-admins cannot take backups.
    const { api: mediator } = await signedIn(server.url, 'mediator');
    expect((await refusal(mediator.admin.backup.mutate())).code).toBe('FORBIDDEN');
  });

  it('refuses a tampered backup and leaves the target untouched; restores a good one over it, keeping the old file', async () => {
    const good = backups[backups.length - 1]!;
    const dir = path.dirname(server.databaseUrl);
    const target = path.join(dir, 'target.db');
    await restoreSqlite(backups[0]!.path, target);
    const before = sha(target);
    for (const [name, tamper] of [
      ['edited', (db: Database.Database) => db.prepare('UPDATE "JournalEntry" SET "reason" = \'nothing to see\' WHERE "seq" = 7').run()],
      ['deleted', (db: Database.Database) => db.prepare('DELETE FROM "JournalEntry" WHERE "seq" = 7').run()],
      ['moneyEdited', (db: Database.Database) => db.prepare('UPDATE "Account" SET "balanceMinor" = "balanceMinor" + 1 WHERE "id" = (SELECT "id" FROM "Account" WHERE "kind" = \'wallet\' LIMIT 1)').run()],
    ] as const) {
      const tampered = path.join(dir, `tampered-${name}.db`);
      fs.copyFileSync(good.path, tampered);
      const raw = new Database(tampered);
      tamper(raw);
      raw.close();
      const error = await restoreSqlite(tampered, target).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(RestoreRefused);
      if (name !== 'moneyEdited') expect((error as Error).message).toMatch(/entry 7/);
      expect(sha(target)).toBe(before);
      expect(fs.readdirSync(dir).filter((f) => f.includes('.restoring-'))).toEqual([]);
    }
    // The command line says the same, with exit code 1.
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/restore.ts', path.join(dir, 'tampered-edited.db'), '--into', target], { cwd: root, encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/REFUSED: the backup's journal fails verification at entry 7/);
    expect(sha(target)).toBe(before);
    // A good backup replaces the target; the old one is kept beside it.
    const ok = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/restore.ts', good.path, '--into', target], { cwd: root, encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(sha(`${target}.before-restore`)).toBe(before);
    expect((await checked(target)).journal).toMatchObject({ ok: true, checked: good.journalLength });
  }, 60_000);

  it('refuses to restore over a database that another process has open', async () => {
    const error = await restoreSqlite(backups[0]!.path, server.databaseUrl).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(RestoreRefused);
    expect((error as Error).message).toMatch(/open in another process/);
  });
});
