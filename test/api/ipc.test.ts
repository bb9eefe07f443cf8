import { createTRPCClient, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscrowIpc, IpcEvent, IpcResponse } from '../../electron/ipc-contract.js';
import { IpcPeer, registerIpc } from '../../electron/main/ipc.js';
import { ipcLink } from '../../renderer/src/api/ipc-link.js';
import type { AppRouter } from '../../server/api/root.js';
import { DEMO_OPERATORS } from '../../server/demo/operators.js';
import { demoServer, refusal, signedIn } from '../support/server.js';

/**
 * The desktop transport without Electron: the renderer's ipcLink talks to an IpcPeer through a
 * bridge that copies every message with structuredClone, as IPC does, over the real services.
 */

let server: Awaited<ReturnType<typeof demoServer>>;
beforeAll(async () => { server = await demoServer(); });
afterAll(async () => server?.close());

function desktop() {
  const listeners = new Set<(event: IpcEvent) => void>();
  const events: IpcEvent[] = [];
  const peer = new IpcPeer(server.services, (event) => {
    events.push(event);
    for (const l of listeners) l(structuredClone(event));
  });
  const bridge: EscrowIpc = {
    request: async (op) => structuredClone(await peer.request(structuredClone(op))),
    subscribe: (id, op) => void peer.subscribe(structuredClone({ id, op })),
    unsubscribe: (id) => peer.unsubscribe({ id }),
    onEvent: (listener) => { listeners.add(listener); return () => listeners.delete(listener); },
  };
  const api = createTRPCClient<AppRouter>({ links: [ipcLink<AppRouter>(bridge)] });
  return { peer, api, events };
}

const operator = (role: string) => DEMO_OPERATORS.find((o) => o.role === role)!;

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('the router over IPC', () => {
  it('refuses a window that has not signed in, with the engine code', async () => {
    const { api } = desktop();
    expect(await api.auth.me.query()).toBeNull();
    expect(await refusal(api.disputes.queue.query({}))).toMatchObject({ code: 'UNAUTHORIZED', engineCode: 'UNAUTHENTICATED' });
  });

  it('signs in through the handler, keeps the token in the main process, and answers queries', async () => {
    const { api } = desktop();
    const { email, password } = operator('mediator');
    const signIn = await api.auth.signIn.mutate({ email, password });
    expect(signIn.operator.email).toBe(email);
    expect(signIn).not.toHaveProperty('token');
    // superjson carries dates as dates, as over HTTP.
    expect(signIn.expiresAt).toBeInstanceOf(Date);
    expect((await api.auth.me.query())?.operator.role).toBe('mediator');
    const queue = await api.disputes.queue.query({ limit: 5 });
    expect(queue.items.length).toBeGreaterThan(0);
    // Another window is another session: it is still signed out.
    expect(await desktop().api.auth.me.query()).toBeNull();
  });

  it('carries a refused command with the same error shape as HTTP', async () => {
    const { api } = desktop();
    const { email, password } = operator('mediator');
    await api.auth.signIn.mutate({ email, password });
    const open = (await api.disputes.queue.query({ stages: ['negotiation'] })).items[0]!;
    const call = { disputeId: open.id, freelancerShareMinor: 1, clientShareMinor: open.disputedMinor - 1, reason: 'too early' };
    const overIpc = await api.disputes.decide.mutate(call).then(() => null, (e: unknown) => e);
    expect(overIpc).toBeInstanceOf(TRPCClientError);
    const ipcError = overIpc as TRPCClientError<AppRouter>;
    expect(ipcError.data).toMatchObject({ code: 'UNPROCESSABLE_CONTENT', engineCode: 'INVALID_STATE', path: 'disputes.decide' });
    expect(ipcError.message).toMatch(/negotiation stage/);

    const http = await signedIn(server.url, 'mediator');
    const overHttp = await http.api.disputes.decide.mutate(call).then(() => null, (e: unknown) => e) as TRPCClientError<AppRouter>;
    expect(ipcError.data).toEqual(overHttp.data);
    expect(ipcError.message).toBe(overHttp.message);
    expect(ipcError.shape).toEqual(overHttp.shape);
  });

  it('rejects malformed input as a validation error', async () => {
    const { api } = desktop();
    const r = await refusal(api.auth.signIn.mutate({ email: 'x', password: '' }));
    expect(r).toMatchObject({ code: 'BAD_REQUEST', engineCode: 'VALIDATION' });
  });

  it('answers malformed or misdirected messages with an error, never by throwing', async () => {
    const { peer } = desktop();
    const codeOf = (r: IpcResponse) => ('error' in r ? (r.error.json as { data: { code: string } }).data.code : 'OK');
    expect(codeOf(await peer.request(null))).toBe('BAD_REQUEST');
    expect(codeOf(await peer.request({ type: 'query', path: '../etc', input: undefined }))).toBe('BAD_REQUEST');
    expect(codeOf(await peer.request({ type: 'query', path: 'auth.me', input: undefined, extra: 1 }))).toBe('BAD_REQUEST');
    expect(codeOf(await peer.request({ type: 'query', path: 'auth.nothing' }))).toBe('NOT_FOUND');
    expect(codeOf(await peer.request({ type: 'query', path: 'auth.signIn' }))).toBe('NOT_FOUND');
    expect(codeOf(await peer.request({ type: 'subscription', path: 'disputes.onChange' }))).toBe('METHOD_NOT_SUPPORTED');
    expect(codeOf(await peer.request({ type: 'query', path: 'auth.me', input: { json: 'x'.repeat(1_000_001) } }))).toBe('PAYLOAD_TOO_LARGE');
    expect(codeOf(await peer.request({ type: 'query', path: 'auth.me' }))).toBe('OK');
  });

  it('pushes changes to a subscription until it is unsubscribed', async () => {
    const { api, peer } = desktop();
    const { email, password } = operator('mediator');
    await api.auth.signIn.mutate({ email, password });
    const seen: string[] = [];
    let started = false;
    const sub = api.disputes.onChange.subscribe(undefined, { onStarted: () => { started = true; }, onData: (e) => seen.push(`${e.action}:${e.entityId}`) });
    await until(() => started, 'the subscription to start');
    expect(peer.openSubscriptions).toBe(1);

    const other = await signedIn(server.url, 'mediator', 1);
    const target = (await other.api.disputes.queue.query({ assignee: 'unassigned' })).items[0]!;
    await other.api.disputes.assign.mutate({ disputeId: target.id, mediatorId: other.operator.id });
    await until(() => seen.includes(`dispute.assign:${target.id}`), 'the change');

    sub.unsubscribe();
    await until(() => peer.openSubscriptions === 0, 'the subscription to stop');
  });

  it('refuses a subscription without a session, with the engine code', async () => {
    const { api } = desktop();
    const failed = new Promise<unknown>((resolve) => api.disputes.onChange.subscribe(undefined, { onError: resolve }));
    const error = (await failed) as TRPCClientError<AppRouter>;
    expect(error.data).toMatchObject({ code: 'UNAUTHORIZED', engineCode: 'UNAUTHENTICATED' });
  });

  it('signs out: the token is dropped and the window stops hearing changes', async () => {
    const { api, peer } = desktop();
    const { email, password } = operator('compliance');
    await api.auth.signIn.mutate({ email, password });
    let completed = false;
    let started = false;
    api.disputes.onChange.subscribe(undefined, { onStarted: () => { started = true; }, onComplete: () => { completed = true; } });
    await until(() => started, 'the subscription to start');
    await api.auth.signOut.mutate();
    await until(() => completed, 'the subscription to end');
    expect(peer.openSubscriptions).toBe(0);
    expect(await api.auth.me.query()).toBeNull();
  });
});

describe('registerIpc', () => {
  type Handler = (event: unknown, message: unknown) => unknown;
  function fakeElectron() {
    const handlers = new Map<string, Handler>();
    const listeners = new Map<string, Handler>();
    const ipcMain = {
      handle: (channel: string, h: Handler) => handlers.set(channel, h),
      removeHandler: (channel: string) => handlers.delete(channel),
      on: (channel: string, h: Handler) => listeners.set(channel, h),
      off: (channel: string) => listeners.delete(channel),
    };
    const sent: unknown[] = [];
    const sender = { id: 7, isDestroyed: () => false, send: (_channel: string, event: unknown) => sent.push(event), on: () => sender, once: () => sender };
    return { ipcMain, handlers, listeners, sent, event: (trusted: boolean) => ({ sender, trusted }) };
  }

  it('answers trusted senders and refuses or ignores everyone else', async () => {
    const fake = fakeElectron();
    const dispose = registerIpc(fake.ipcMain as never, server.services, (event) => (event as unknown as { trusted: boolean }).trusted);
    const request = fake.handlers.get('trpc:request')!;
    const me = { type: 'query', path: 'auth.me' };
    expect(await request(fake.event(true), me)).toHaveProperty('result');
    await expect(async () => request(fake.event(false), me)).rejects.toThrow('refused');

    fake.listeners.get('trpc:subscribe')!(fake.event(false), { id: 'a', op: { type: 'subscription', path: 'disputes.onChange' } });
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.sent).toEqual([]);
    fake.listeners.get('trpc:subscribe')!(fake.event(true), { id: 'b', op: { type: 'subscription', path: 'disputes.onChange' } });
    await until(() => fake.sent.length > 0, 'an answer');
    expect(fake.sent[0]).toMatchObject({ id: 'b', kind: 'error' });

    dispose();
    expect(fake.handlers.size + fake.listeners.size).toBe(0);
  });
});
