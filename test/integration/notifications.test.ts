import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../server/engine/engine.js';
import type { EngineStore, EngineTx } from '../../server/engine/ports.js';
import { SYSTEM, type Actor } from '../../server/engine/types.js';
import { startServer } from '../../server/http/server.js';
import { createDispatcher, Dispatcher } from '../../server/notify/dispatcher.js';
import { formatMoney } from '../../server/notify/render.js';
import { DEFAULT_FROM, mailSettings, smtpTransport } from '../../server/notify/transport.js';
import { notificationPage } from '../../server/store/outbox.js';
import { freshDatabase } from '../support/databases.js';
import { expectCode, Harness } from '../support/harness.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function harness(): Promise<Harness> {
  const h = await Harness.create();
  cleanups.push(() => h.close());
  return h;
}

async function smtp(...args: Parameters<typeof startSmtp>): Promise<TestSmtp> {
  const s = await startSmtp(...args);
  cleanups.push(() => s.close());
  return s;
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escrow-mail-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function setLanguage(h: Harness, user: Actor, language: string): Promise<void> {
  await h.db.user.update({ where: { id: user.id }, data: { language } });
}

function outbox(h: Harness) {
  return h.db.notification.findMany({ orderBy: { id: 'asc' } });
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('notifications by email', () => {
  it('sends each event to its recipient over SMTP, in the recipient’s language, with the amounts', async () => {
    const h = await harness();
    const { client, freelancer, milestoneIds } = await h.liveContract({ budget: 20_000, milestones: [{ description: 'Draft', amountMinor: 20_000 }] });
    await setLanguage(h, client, 'es');
    await setLanguage(h, freelancer, 'pt');
    const m = milestoneIds[0]!;
    // A second between commands, so that the time-ordered ids order the outbox as it happened.
    const tick = () => { h.now = new Date(h.now.getTime() + 1_000); };
    await h.run('fundMilestone', client, { milestoneId: m });
    tick();
    await h.run('markComplete', freelancer, { milestoneId: m });
    tick();
    await h.run('releaseMilestone', client, { milestoneId: m });
    const rows = await outbox(h);
    expect(rows.map((n) => [n.template, n.userId, n.status])).toEqual([
      ['milestone_funded', freelancer.id, 'pending'],
      ['milestone_completed', client.id, 'pending'],
      ['milestone_released', freelancer.id, 'pending'],
    ]);

    const server = await smtp();
    const dispatcher = new Dispatcher(h.db, { transport: smtpTransport(server.url), from: DEFAULT_FROM, clock: () => h.now });
    expect(await dispatcher.runOnce()).toEqual({ claimed: 3, sent: 3, retrying: 0, failed: 0 });
    expect(await dispatcher.runOnce()).toEqual({ claimed: 0, sent: 0, retrying: 0, failed: 0 });
    await dispatcher.stop();

    const [funded, completed, released] = server.received;
    expect(server.received).toHaveLength(3);
    expect(funded!.rcptTo).toEqual(['felix@example.com']);
    expect(funded!.subject).toBe('Pagamento em custódia: Draft');
    expect(funded!.text).toContain(`${formatMoney(20_000, 'USD', 'pt')} por “Draft” foram pagos em custódia.`);
    expect(completed!.rcptTo).toEqual(['clara@example.com']);
    expect(completed!.subject).toBe('Trabajo marcado como completado: Draft');
    expect(completed!.text).toContain(`Tu freelancer ha marcado «Draft» (${formatMoney(20_000, 'USD', 'es')}) como completado.`);
    expect(released!.subject).toBe('Pagamento liberado: Draft');
    // 10% commission: 200.00 released, 180.00 received; a full release has nothing left in escrow.
    expect(released!.text).toContain(`${formatMoney(20_000, 'USD', 'pt')} foram liberados para você`);
    expect(released!.text).toContain(`taxa da plataforma de ${formatMoney(2_000, 'USD', 'pt')}, ${formatMoney(18_000, 'USD', 'pt')} foram adicionados`);
    expect(released!.text).not.toContain('Restam');
    expect(released!.raw).toMatch(/Content-Type: text\/html/i);

    const sent = await outbox(h);
    expect(server.received.map((r) => r.messageId)).toEqual(sent.map((n) => `<${n.id}@escrow-console>`));
    expect(sent.every((n) => n.status === 'sent' && n.attempts === 1 && n.sentAt !== null)).toBe(true);
    // The console's view: the notifications of one milestone, newest first, by keyset pages.
    const first = await notificationPage(h.db, { milestoneId: m, limit: 2 });
    expect(first.items.map((n) => n.template)).toEqual(['milestone_released', 'milestone_completed']);
    const second = await notificationPage(h.db, { milestoneId: m, limit: 2, cursor: first.nextCursor });
    expect(second).toEqual({ items: [expect.objectContaining({ template: 'milestone_funded' })], nextCursor: null });
    expect((await notificationPage(h.db, { userId: client.id })).items.map((n) => n.template)).toEqual(['milestone_completed']);
  });

  it('writes nothing for a refused command, nor for one that fails after its outbox rows were written', async () => {
    const h = await harness();
    const { client, milestoneIds } = await h.liveContract({ clientFunds: 10_000, milestones: [{ description: 'Big', amountMinor: 50_000 }] });
    const m = milestoneIds[0]!;
    await expectCode(h.run('fundMilestone', client, { milestoneId: m }), 'INSUFFICIENT_FUNDS');
    expect(await h.db.notification.count()).toBe(0);

    // The same command made to fail at the very end of its transaction, after Engine.run has
    // written the journal and the outbox: the rows go with the rollback.
    await h.run('deposit', SYSTEM, { userId: client.id, amountMinor: 50_000, currency: 'USD' });
    const outboxRows: number[] = [];
    const base = (h.engine as unknown as { store: EngineStore }).store;
    const failing: EngineStore = {
      transaction: (fn) => base.transaction((tx) => fn(new Proxy(tx, {
        get(target, prop) {
          if (prop === 'putCommand') return () => Promise.reject(new Error('the disk is full'));
          if (prop === 'insert') {
            return (kind: string, rows: unknown[]) => {
              if (kind === 'notification') outboxRows.push(rows.length);
              return target.insert(kind as 'notification', rows as never);
            };
          }
          const value = Reflect.get(target, prop) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }) as EngineTx)),
    };
    const engine = new Engine(failing, { clock: () => h.now });
    await expect(engine.run('fundMilestone', client, { milestoneId: m }, { idempotencyKey: 'fund-big-once' })).rejects.toThrow('the disk is full');
    expect(outboxRows).toEqual([1]);
    expect(await h.db.notification.count()).toBe(0);
    expect((await h.milestone(m)).state).toBe('approved');

    await h.run('fundMilestone', client, { milestoneId: m });
    expect((await outbox(h)).map((n) => n.template)).toEqual(['milestone_funded']);
  });

  it('tells the right people of dispute events, and reminds the one who must act once per deadline', async () => {
    const h = await harness();
    const { client, freelancer, milestoneIds } = await h.liveContract({ budget: 30_000, milestones: [{ description: 'Site', amountMinor: 30_000 }] });
    const m = milestoneIds[0]!;
    await h.run('fundMilestone', client, { milestoneId: m });
    await h.db.notification.deleteMany();
    const { disputeId, deadlineAt } = await h.run('openDispute', client, { milestoneId: m, reason: 'Not delivered', claimMinor: 30_000 });
    expect((await outbox(h)).map((n) => [n.template, n.userId, n.disputeId])).toEqual([['dispute_opened', freelancer.id, disputeId]]);

    await h.run('runTimers', SYSTEM, {});
    expect(await h.db.notification.count({ where: { template: 'dispute_deadline_near' } })).toBe(0);
    h.now = new Date(deadlineAt!.getTime() - 12 * 3_600_000);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ reminded: 1, disputesClosed: 0 });
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ reminded: 0 });
    const reminders = await h.db.notification.findMany({ where: { template: 'dispute_deadline_near' } });
    expect(reminders.map((n) => n.userId)).toEqual([freelancer.id]);
    expect(JSON.parse(reminders[0]!.paramsJson)).toMatchObject({ action: 'respond', deadlineAt: deadlineAt!.toISOString(), arbitrationFeeMinor: null });

    await h.run('makeOffer', freelancer, { disputeId, freelancerShareMinor: 20_000 });
    await h.run('acceptOffer', client, { disputeId });
    const tail = (await h.db.notification.findMany({ where: { template: { in: ['dispute_offer', 'dispute_settled'] } } })).map((n) => `${n.template} ${n.userId}`).sort();
    expect(tail).toEqual([`dispute_offer ${client.id}`, `dispute_settled ${client.id}`, `dispute_settled ${freelancer.id}`].sort());
    // Every row the engine wrote renders: the .eml transport would refuse a placeholder left over.
    const dispatcher = await createDispatcher(h.db, { mailDir: tempDir(), clock: () => h.now });
    expect(await dispatcher.runOnce()).toMatchObject({ sent: await h.db.notification.count(), failed: 0 });
    await dispatcher.stop();
  });

  it('retries a refusing SMTP server with exponential backoff, then leaves the message failed, never lost', async () => {
    const h = await harness();
    const client = await h.user('Clara', 100_000);
    const freelancer = await h.user('Felix');
    let refusing = true;
    const server = await smtp(() => (refusing ? { accept: false, code: 451, message: 'mailbox busy, try later' } : { accept: true }));
    const dispatcher = new Dispatcher(h.db, {
      transport: smtpTransport(server.url), from: DEFAULT_FROM, clock: () => h.now, maxAttempts: 3, backoffBaseMs: 60_000,
    });
    const t0 = h.now.getTime();
    const at = (ms: number) => { h.now = new Date(t0 + ms); };
    await h.run('createDirectMilestone', client, { freelancerId: freelancer.id, description: 'Doomed', amountMinor: 1_000, currency: 'USD' });
    const row = async () => h.db.notification.findFirstOrThrow({ where: { paramsJson: { contains: 'Doomed' } } });

    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, retrying: 1 });
    expect(await row()).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: new Date(t0 + 60_000) });
    expect((await row()).lastError).toMatch(/451.*mailbox busy/);
    at(59_999);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 0 });
    at(60_000);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, retrying: 1 });
    expect(await row()).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: new Date(t0 + 60_000 + 120_000) });
    at(180_000);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    expect(await row()).toMatchObject({ status: 'failed', attempts: 3, sentAt: null });
    at(10 * 3_600_000);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 0 });
    expect(server.received).toHaveLength(0);

    // A server that recovers before the attempts run out gets the message.
    await h.run('createDirectMilestone', client, { freelancerId: freelancer.id, description: 'Lucky', amountMinor: 1_000, currency: 'USD' });
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, retrying: 1 });
    refusing = false;
    at(10 * 3_600_000 + 60_000);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(server.received.map((r) => r.subject)).toEqual(['Paid into escrow: Lucky']);
    expect(await h.db.notification.groupBy({ by: ['status'], _count: true, orderBy: { status: 'asc' } })).toEqual([
      { status: 'failed', _count: 1 }, { status: 'sent', _count: 1 },
    ]);
    await dispatcher.stop();
  });

  it('loses nothing when the dispatcher is killed mid-batch; only the message in flight repeats, with the same Message-ID', async () => {
    const h = await harness();
    // The child process runs on the real clock: the outbox rows must already be due for it.
    h.now = new Date(Date.now() - 1_000);
    const client = await h.user('Clara', 1_000_000);
    const freelancer = await h.user('Felix');
    const total = 10;
    for (let i = 1; i <= total; i++) {
      await h.run('createDirectMilestone', client, { freelancerId: freelancer.id, description: `Part ${i}`, amountMinor: 1_000 * i, currency: 'USD' });
    }
    let killed = false;
    // Before the kill every third message is answered slowly: the dispatcher is killed while it
    // waits for that answer, after the server already has the message.
    const server = await smtp((i) => (!killed && i % 3 === 2 ? { accept: true, delayMs: 15_000 } : { accept: true }));
    const run = () => dispatchProcess(h.url, server.url);

    const first = run();
    await until('the third message to arrive', () => server.received.length >= 3);
    first.child.kill('SIGKILL');
    await first.exited;
    killed = true;
    const inFlight = server.received[2]!.messageId;
    const afterKill = await outbox(h);
    expect(afterKill.filter((n) => n.status === 'sent')).toHaveLength(2);
    expect(afterKill.find((n) => n.messageId === inFlight)?.status).toBe('sending');

    const second = run();
    await until('every notification to be sent', async () => (await h.db.notification.count({ where: { status: 'sent' } })) === total);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const rows = await outbox(h);
    const byId = new Map<string, number>();
    for (const r of server.received) byId.set(r.messageId, (byId.get(r.messageId) ?? 0) + 1);
    // Every notification arrived…
    expect([...byId.keys()].sort()).toEqual(rows.map((n) => n.messageId).sort());
    // …and SMTP cannot be exactly-once: the message the server had accepted when the sender died
    // was never marked sent, so it went again after its lease ran out. It is the only repeat, and
    // it carries the same Message-ID, so the receiving side can recognise it.
    const repeated = [...byId].filter(([, count]) => count > 1).map(([id]) => id);
    expect(repeated).toEqual([inFlight]);
    expect(server.received.length).toBe(total + 1);
    const copies = server.received.filter((r) => r.messageId === inFlight);
    expect(new Set(copies.map((c) => c.text)).size).toBe(1);
    expect(rows.find((n) => n.messageId === inFlight)?.attempts).toBe(2);
  });

  it('writes .eml files when no SMTP is configured, and the server runs the dispatcher and stops it cleanly', async () => {
    const database = await freshDatabase();
    cleanups.push(() => database.drop());
    const mailDir = tempDir();
    const server = await startServer({ databaseUrl: database.url, timerIntervalMs: 0, dispatcher: { intervalMs: 20, mailDir } });
    let open = true;
    cleanups.push(async () => { if (open) await server.close(); });
    expect(await mailSettings(server.services.db, { mailDir })).toEqual({ smtpUrl: null, from: DEFAULT_FROM, mailDir });

    const engine = server.services.engine;
    const { marketplaceId } = await engine.run('createMarketplace', SYSTEM, { name: 'Mail market' });
    const { userId: clientId } = await engine.run('registerUser', SYSTEM, { marketplaceId, name: 'Clara', email: 'clara@example.com' });
    const { userId: freelancerId } = await engine.run('registerUser', SYSTEM, { marketplaceId, name: 'Fernanda', email: 'fernanda@example.com', language: 'es' });
    await engine.run('deposit', SYSTEM, { userId: clientId, amountMinor: 50_000, currency: 'USD' });
    await engine.run('createDirectMilestone', { kind: 'user', id: clientId }, { freelancerId, description: 'Traducción', amountMinor: 12_345, currency: 'USD' });
    const [n] = await server.services.db.notification.findMany();
    const file = path.join(mailDir, `${n!.id}.eml`);
    await until('the .eml file', () => fs.existsSync(file), 10_000);
    await until('the row to be marked sent', async () => (await server.services.db.notification.findUniqueOrThrow({ where: { id: n!.id } })).status === 'sent', 10_000);
    open = false;
    await server.close();

    const { parse } = await import('../support/smtp.js');
    const mail = parse(fs.readFileSync(file, 'utf8'), []);
    expect(mail.to).toBe('fernanda@example.com');
    expect(mail.messageId).toBe(`<${n!.id}@escrow-console>`);
    expect(mail.subject).toBe('Pago depositado en garantía: Traducción');
    expect(mail.text).toContain(`Se han depositado en garantía ${formatMoney(12_345, 'USD', 'es')} por «Traducción».`);
    expect(fs.readdirSync(mailDir)).toEqual([`${n!.id}.eml`]);

    // An SMTP URL stored as an installation setting is used when none is passed in.
    const reopened = await (await import('../../server/store/open.js')).openDatabase(database.url);
    cleanups.push(() => reopened.close());
    await reopened.db.appSetting.create({ data: { key: 'mail.smtp_url', value: 'smtp://mail.example.test:2525', updatedAt: new Date() } });
    expect((await mailSettings(reopened.db, { mailDir })).smtpUrl).toBe('smtp://mail.example.test:2525');
    expect((await mailSettings(reopened.db, { mailDir, smtpUrl: 'smtp://override:25' })).smtpUrl).toBe('smtp://override:25');
  });
});

/** server/cli/dispatch.ts in a child process, with a short lease so a killed one's rows come back quickly. */
function dispatchProcess(databaseUrl: string, smtpUrl: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'cli', 'dispatch.ts')], {
    cwd: root,
    env: {
      ...process.env, ESCROW_DB: databaseUrl, ESCROW_SMTP_URL: smtpUrl,
      ESCROW_DISPATCH_INTERVAL_MS: '50', ESCROW_DISPATCH_LEASE_MS: '1500', ESCROW_DISPATCH_BATCH: '5',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`dispatch exited ${code}:\n${output}`);
    resolve(code);
  }));
  cleanups.push(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  return { child, exited };
}
