/**
 * What travels between the renderer and the main process over IPC: tRPC operations with their
 * input superjson-serialized, and answers in the same shape as over HTTP. Types only, so the
 * main process, the preload and the renderer share one definition without sharing code.
 */

/** superjson's wire form: `superjson.serialize(value)`. */
export type Serialized = { json: unknown; meta?: unknown };

export type IpcOperation = {
  type: 'query' | 'mutation' | 'subscription';
  /** The procedure's dotted path, as in `disputes.queue`. */
  path: string;
  input: Serialized | undefined;
};

/** The answer to one query or mutation: a result, or the router's error shape (code, message, data.engineCode ...). */
export type IpcResponse = { result: Serialized } | { error: Serialized };

/** Pushed to the renderer for a subscription it opened; `id` is the renderer's own subscription id. */
export type IpcEvent =
  | { id: string; kind: 'started' }
  | { id: string; kind: 'data'; data: Serialized; eventId?: string }
  | { id: string; kind: 'error'; error: Serialized }
  | { id: string; kind: 'stopped' };

/** The whole bridge the preload exposes as `window.escrowIpc`; nothing else crosses it. */
export type EscrowIpc = {
  request(op: IpcOperation): Promise<IpcResponse>;
  subscribe(id: string, op: IpcOperation): void;
  unsubscribe(id: string): void;
  /** Listens to every subscription event; returns the function that stops listening. */
  onEvent(listener: (event: IpcEvent) => void): () => void;
};

export const IPC_CHANNELS = {
  request: 'trpc:request',
  subscribe: 'trpc:subscribe',
  unsubscribe: 'trpc:unsubscribe',
  event: 'trpc:event',
} as const;
