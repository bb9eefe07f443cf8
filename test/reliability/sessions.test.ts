import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/http/server.js';
import { freshDatabase } from '../support/databases.js';
import { client, refusal } from '../support/server.js';

/**
 * Sessions and secrets over HTTP, with the server's clock in the test's hands: sessions end at
 * their expiry, after an idle hour and at sign-out; five wrong passwords lock an account for
 * 30 s, doubling with each further failure; no password ever reaches the logs; an API key is
 * shown once and never listed, nor its hash.
 */
const ADMIN = { email: 'admin@sessions.test', password: 'correct horse battery' };
const WRONG = 'Tr0ub4dor&3-not-it';

describe('sessions, lockout and secrets', () => {
  let server: RunningServer;
  let drop: () => Promise<void>;
  let now = new Date('2026-03-02T09:00:00.000Z');
  const advance = (ms: number) => { now = new Date(now.getTime() + ms); };

  beforeAll(async () => {
    const database = await freshDatabase();
    drop = database.drop;
    server = await startServer({ databaseUrl: database.url, timerIntervalMs: 0, clock: () => now });
    await server.services.auth.bootstrapAdmin(ADMIN.email, ADMIN.password);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await drop?.();
  });

  const signIn = (password = ADMIN.password) => client(server.url).auth.signIn.mutate({ email: ADMIN.email, password });

  it('ends a session at its expiry even when in use, after an idle hour, and at sign-out', async () => {
    const { token, expiresAt } = await signIn();
    const api = client(server.url, { token });
    expect(expiresAt.getTime() - now.getTime()).toBe(12 * 3600_000);
    // In use every 50 minutes: the idle limit never bites, the 12-hour limit does.
    for (let i = 0; i < 15; i++) {
      advance(50 * 60_000);
      const me = await api.auth.me.query();
      if (now < expiresAt) expect(me?.operator.email).toBe(ADMIN.email);
      else expect(me).toBeNull();
    }
    expect((await refusal(api.admin.operators.query())).code).toBe('UNAUTHORIZED');

    const idle = client(server.url, { token: (await signIn()).token });
    advance(59 * 60_000);
    expect(await idle.auth.me.query()).not.toBeNull();
    advance(61 * 60_000);
    expect(await idle.auth.me.query()).toBeNull();

    const leaving = client(server.url, { token: (await signIn()).token });
    await leaving.auth.signOut.mutate();
    expect(await leaving.auth.me.query()).toBeNull();
    expect((await refusal(leaving.admin.operators.query())).code).toBe('UNAUTHORIZED');
  });

  it('locks an account after five failures for 30 s, doubling, and never logs the password', async () => {
    const captured: string[] = [];
    const methods = ['log', 'error', 'warn', 'info', 'debug'] as const;
    const originals = methods.map((m) => console[m]);
    const writes = [process.stdout.write, process.stderr.write];
    for (const m of methods) console[m] = (...args: unknown[]) => { captured.push(args.map(String).join(' ')); };
    process.stdout.write = ((chunk: unknown) => { captured.push(String(chunk)); return true; }) as typeof process.stdout.write;
    process.stderr.write = ((chunk: unknown) => { captured.push(String(chunk)); return true; }) as typeof process.stderr.write;
    try {
      for (let i = 0; i < 5; i++) expect((await refusal(signIn(WRONG))).code).toBe('FORBIDDEN');
      const op = () => server.services.db.operator.findUniqueOrThrow({ where: { email: ADMIN.email } });
      expect((await op()).lockedUntil?.getTime()).toBe(now.getTime() + 30_000);
      // Locked: even the right password is refused, and says until when.
      const locked = await refusal(signIn());
      expect(locked.message).toMatch(/too many failed attempts/);
      advance(29_000);
      expect((await refusal(signIn())).message).toMatch(/too many failed attempts/);
      advance(2_000);
      // The lock is over; one more failure locks again, for twice as long.
      expect((await refusal(signIn(WRONG))).message).toMatch(/wrong email or password/);
      expect((await op()).lockedUntil?.getTime()).toBe(now.getTime() + 60_000);
      advance(61_000);
      expect((await refusal(signIn(WRONG))).code).toBe('FORBIDDEN');
      expect((await op()).lockedUntil?.getTime()).toBe(now.getTime() + 120_000);
      advance(121_000);
      // The right password after the lock signs in and clears the count.
      await signIn();
      expect(await op()).toMatchObject({ failedSignIns: 0, lockedUntil: null });
      // An unknown email is refused the same way as a wrong password.
      expect((await refusal(client(server.url).auth.signIn.mutate({ email: 'nobody@sessions.test', password: WRONG }))).message).toMatch(/wrong email or password/);
    } finally {
      methods.forEach((m, i) => { console[m] = originals[i]!; });
      [process.stdout.write, process.stderr.write] = writes as [typeof process.stdout.write, typeof process.stderr.write];
    }
    expect(captured.join('\n')).not.toContain(WRONG);
    expect(captured.join('\n')).not.toContain(ADMIN.password);
    // Nor does the journal or any stored row carry it.
    const journal = await server.services.db.journalEntry.findMany();
    expect(JSON.stringify(journal)).not.toContain(WRONG);
    expect(JSON.stringify(await server.services.db.operator.findMany())).not.toContain(ADMIN.password);
  });

  it('stops honouring a session the moment it is revoked, though it was in use a moment before', async () => {
    // Sessions are kept in memory for a few seconds (sessions.ts): a revocation must not wait for that.
    const admin = client(server.url, { token: (await signIn()).token });
    const MEDIATOR = { email: 'mediator@sessions.test', password: 'a long mediator password' };
    const { operatorId } = await admin.admin.createOperator.mutate({ email: MEDIATOR.email, name: 'Mia', role: 'mediator', password: MEDIATOR.password });
    const mediator = async (password = MEDIATOR.password) => {
      const api = client(server.url, { token: (await client(server.url).auth.signIn.mutate({ email: MEDIATOR.email, password })).token });
      expect((await api.auth.me.query())?.operator.role).toBe('mediator');
      return api;
    };

    let api = await mediator();
    await admin.admin.updateOperator.mutate({ operatorId, disabled: true });
    expect(await api.auth.me.query()).toBeNull();
    expect((await refusal(api.disputes.queue.query({}))).code).toBe('UNAUTHORIZED');

    await admin.admin.updateOperator.mutate({ operatorId, disabled: false });
    api = await mediator();
    await admin.admin.updateOperator.mutate({ operatorId, role: 'staff' });
    expect(await api.auth.me.query()).toBeNull();
    await admin.admin.updateOperator.mutate({ operatorId, role: 'mediator' });

    api = await mediator();
    await admin.admin.resetPassword.mutate({ operatorId, password: 'another long password' });
    expect(await api.auth.me.query()).toBeNull();

    // Signing out of one window ends that session only; the other window stays signed in.
    const [first, second] = [await mediator('another long password'), await mediator('another long password')];
    await first.auth.signOut.mutate();
    expect(await first.auth.me.query()).toBeNull();
    expect((await second.auth.me.query())?.operator.email).toBe(MEDIATOR.email);
  });

  it('shows an API key once: never listed, nor its hash, nor journaled', async () => {
    const { token } = await signIn();
    const admin = client(server.url, { token });
    const { marketplaceId } = await server.services.engine.run('createMarketplace', { kind: 'system', id: 'system' }, { name: 'Keys', settings: {} });
    const created = await admin.admin.createApiKey.mutate({ marketplaceId, name: 'backend' });
    expect(created.key).toMatch(/^esk_/);
    const listed = await admin.admin.apiKeys.query();
    const text = JSON.stringify(listed);
    const { sha256 } = await import('../../server/auth/secrets.js');
    expect(text).not.toContain(created.key);
    expect(text).not.toContain(sha256(created.key));
    expect(listed.every((k) => !('keyHash' in k) && !('key' in k))).toBe(true);
    expect(listed.find((k) => k.id === created.apiKeyId)?.prefix).toBe(created.key.slice(0, 12));
    expect(JSON.stringify(await server.services.db.journalEntry.findMany())).not.toContain(created.key);
  });
});
