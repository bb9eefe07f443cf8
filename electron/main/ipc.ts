import { callTRPCProcedure, getTRPCErrorFromUnknown, getTRPCErrorShape, isTrackedEnvelope, TRPCError } from '@trpc/server';
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { z } from 'zod';
import { appRouter } from '../../server/api/root.js';
import type { Context } from '../../server/api/trpc.js';
import type { Services } from '../../server/app/services.js';
import { IPC_CHANNELS, type IpcEvent, type IpcOperation, type IpcResponse, type Serialized } from '../ipc-contract.js';

/**
 * The tRPC transport over Electron IPC. `IpcPeer` is one renderer's end: it holds that window's
 * session token (the renderer never sees it) and its open subscriptions, and answers with the
 * same error shape as the HTTP adapter. It imports nothing from Electron at run time, so tests
 * drive it in Node; `registerIpc` wires it to ipcMain.
 */

const SESSION_COOKIE = /^escrow_session=([^;]*)/;
/** No request body over HTTP is anywhere near this; a bigger message is a bug or an attack. */
const MAX_INPUT_CHARS = 1_000_000;
const MAX_SUBSCRIPTIONS = 64;

const serialized = z.object({ json: z.unknown(), meta: z.unknown().optional() }).strict();
const operation = z.object({
  type: z.enum(['query', 'mutation', 'subscription']),
  path: z.string().max(200).regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*){0,7}$/),
  input: serialized.optional(),
}).strict();
const subscriptionId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const subscribeMessage = z.object({ id: subscriptionId, op: operation }).strict();
const unsubscribeMessage = z.object({ id: subscriptionId }).strict();

type ParsedOp = { type: IpcOperation['type']; path: string; input: unknown };

function parseOperation(message: unknown): ParsedOp {
  const op = operation.safeParse(message);
  if (!op.success) throw new TRPCError({ code: 'BAD_REQUEST', message: 'malformed IPC request' });
  const { input } = op.data;
  if (input !== undefined && JSON.stringify(input).length > MAX_INPUT_CHARS) {
    throw new TRPCError({ code: 'PAYLOAD_TOO_LARGE', message: 'the request is too large' });
  }
  return { type: op.data.type, path: op.data.path, input: input === undefined ? undefined : transformer.input.deserialize(input) };
}

/** The router's own transformer (superjson), so IPC carries exactly what HTTP carries. */
const transformer = appRouter._def._config.transformer;

function serialize(value: unknown): Serialized {
  return transformer.output.serialize(value) as Serialized;
}

export class IpcPeer {
  private token: string | undefined;
  private readonly subscriptions = new Map<string, AbortController>();

  constructor(private readonly services: Services, private readonly send: (event: IpcEvent) => void) {}

  /** Answers one query or mutation; never throws: a failure is an `{ error }` answer. */
  async request(message: unknown): Promise<IpcResponse> {
    let op: ParsedOp | null = null;
    let ctx: Context | undefined;
    try {
      op = parseOperation(message);
      if (op.type === 'subscription') throw new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: 'subscriptions go through trpc:subscribe' });
      ctx = await this.context();
      const before = this.token;
      const data: unknown = await callTRPCProcedure({ router: appRouter, path: op.path, type: op.type, ctx, getRawInput: async () => op!.input, input: undefined, signal: undefined, batchIndex: 0 });
      return { result: serialize(this.withoutNewToken(data, before)) };
    } catch (cause) {
      return { error: serialize(this.errorShape(cause, op, ctx)) };
    }
  }

  /** Opens a subscription; its events (started, data, error, stopped) go out through `send`. */
  async subscribe(message: unknown): Promise<void> {
    const parsed = subscribeMessage.safeParse(message);
    // Without a valid id there is nobody to answer: the message is dropped.
    if (!parsed.success) {
      const id = subscriptionId.safeParse((message as { id?: unknown } | null)?.id);
      if (id.success && !this.subscriptions.has(id.data)) this.sendError(id.data, new TRPCError({ code: 'BAD_REQUEST', message: 'malformed IPC subscription' }), null, undefined);
      return;
    }
    const { id } = parsed.data;
    if (this.subscriptions.has(id)) return;
    if (this.subscriptions.size >= MAX_SUBSCRIPTIONS) {
      this.sendError(id, new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'too many live updates open in this window' }), null, undefined);
      return;
    }
    // Registered before the first await, so an unsubscribe that arrives meanwhile still stops it.
    const controller = new AbortController();
    this.subscriptions.set(id, controller);
    let op: ParsedOp | null = null;
    let ctx: Context | undefined;
    try {
      op = parseOperation(parsed.data.op);
      if (op.type !== 'subscription') throw new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: 'queries and mutations go through trpc:request' });
      ctx = await this.context();
      const iterable: unknown = await callTRPCProcedure({ router: appRouter, path: op.path, type: 'subscription', ctx, getRawInput: async () => op!.input, input: undefined, signal: controller.signal, batchIndex: 0 });
      if (!isAsyncIterable(iterable)) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'a subscription must return an async iterable' });
      if (controller.signal.aborted) return;
      this.send({ id, kind: 'started' });
      for await (const value of iterable) {
        if (controller.signal.aborted) break;
        this.send(isTrackedEnvelope(value) ? { id, kind: 'data', eventId: value[0], data: serialize({ id: value[0], data: value[1] }) } : { id, kind: 'data', data: serialize(value) });
      }
      this.send({ id, kind: 'stopped' });
    } catch (cause) {
      // Aborting ends the iterator with an AbortError: that is the stop, not a failure.
      if (controller.signal.aborted) this.send({ id, kind: 'stopped' });
      else this.sendError(id, cause, op, ctx);
    } finally {
      if (this.subscriptions.get(id) === controller) this.subscriptions.delete(id);
    }
  }

  unsubscribe(message: unknown): void {
    const parsed = unsubscribeMessage.safeParse(message);
    if (!parsed.success) return;
    const controller = this.subscriptions.get(parsed.data.id);
    this.subscriptions.delete(parsed.data.id);
    controller?.abort();
  }

  /** Stops every subscription: the window closed, reloaded, or its operator changed. */
  stopAll(): void {
    const open = [...this.subscriptions.values()];
    this.subscriptions.clear();
    for (const c of open) c.abort();
  }

  get openSubscriptions(): number {
    return this.subscriptions.size;
  }

  private async context(): Promise<Context> {
    const token = this.token;
    const session = await this.services.auth.resolve(token);
    return { services: this.services, token, session, marketplace: null, setCookie: (value) => this.takeCookie(value) };
  }

  /**
   * Sign-in, bootstrap and sign-out set the session cookie; here the cookie's value becomes this
   * window's token. A window whose operator changed stops hearing the previous operator's changes.
   */
  private takeCookie(header: string): void {
    const value = SESSION_COOKIE.exec(header)?.[1];
    if (value === undefined) return;
    const next = value === '' ? undefined : value;
    if (next !== this.token) this.stopAll();
    this.token = next;
  }

  /** The token stays in the main process: a result that carries the token just issued loses it. */
  private withoutNewToken(data: unknown, before: string | undefined): unknown {
    if (this.token === before || typeof data !== 'object' || data === null || !('token' in data)) return data;
    if ((data as { token: unknown }).token !== this.token) return data;
    const { token: _token, ...rest } = data as Record<string, unknown>;
    return rest;
  }

  private errorShape(cause: unknown, op: ParsedOp | null, ctx: Context | undefined) {
    const error = getTRPCErrorFromUnknown(cause);
    // As the HTTP server does: refusals are normal, only an unexpected failure is logged.
    if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`ipc ${op?.path ?? '?'}:`, error.cause ?? error);
    return getTRPCErrorShape({ config: appRouter._def._config, error, type: op?.type ?? 'unknown', path: op?.path, input: op?.input, ctx });
  }

  private sendError(id: string, cause: unknown, op: ParsedOp | null, ctx: Context | undefined): void {
    this.send({ id, kind: 'error', error: serialize(this.errorShape(cause, op, ctx)) });
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Who may use the IPC transport: decided by index.ts from the sender's frame. */
export type SenderCheck = (event: IpcMainEvent | IpcMainInvokeEvent) => boolean;

/**
 * Wires the peers to ipcMain: one peer per webContents, dropped when it is destroyed, its
 * subscriptions stopped when it navigates (a reloaded page has forgotten them). Messages from
 * an untrusted sender are ignored; an untrusted invoke is rejected without detail.
 */
export function registerIpc(ipcMain: IpcMain, services: Services, trusted: SenderCheck): () => void {
  const peers = new Map<number, IpcPeer>();
  const peerFor = (contents: WebContents): IpcPeer => {
    const existing = peers.get(contents.id);
    if (existing) return existing;
    const peer = new IpcPeer(services, (event) => {
      if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.event, event);
    });
    peers.set(contents.id, peer);
    contents.on('did-navigate', () => peer.stopAll());
    contents.once('destroyed', () => {
      peer.stopAll();
      peers.delete(contents.id);
    });
    return peer;
  };

  ipcMain.handle(IPC_CHANNELS.request, (event, message: unknown) => {
    if (!trusted(event)) throw new Error('refused');
    return peerFor(event.sender).request(message);
  });
  const onSubscribe = (event: IpcMainEvent, message: unknown) => {
    if (trusted(event)) void peerFor(event.sender).subscribe(message);
  };
  const onUnsubscribe = (event: IpcMainEvent, message: unknown) => {
    if (trusted(event)) peers.get(event.sender.id)?.unsubscribe(message);
  };
  ipcMain.on(IPC_CHANNELS.subscribe, onSubscribe);
  ipcMain.on(IPC_CHANNELS.unsubscribe, onUnsubscribe);

  return () => {
    ipcMain.removeHandler(IPC_CHANNELS.request);
    ipcMain.off(IPC_CHANNELS.subscribe, onSubscribe);
    ipcMain.off(IPC_CHANNELS.unsubscribe, onUnsubscribe);
    for (const peer of peers.values()) peer.stopAll();
    peers.clear();
  };
}
