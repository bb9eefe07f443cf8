import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import superjson from 'superjson';
import type { EscrowIpc, IpcEvent, IpcOperation, Serialized } from '../../../electron/ipc-contract.js';

/**
 * A tRPC link over the desktop app's IPC bridge (`window.escrowIpc`, from the preload). Queries,
 * mutations and subscriptions behave as over HTTP: the same results, and refusals as
 * TRPCClientError with the router's error shape (`error.data.engineCode`, `error.message`).
 * The session lives in the main process, so there is no token or cookie to handle here.
 */

declare global {
  interface Window {
    /** Present only inside the desktop app; in a browser the console talks HTTP. */
    escrowIpc?: EscrowIpc;
  }
}

type Listener = (event: IpcEvent) => void;

/** Unique within the window, whatever number of clients it creates. */
let lastSubscription = 0;
const nextSubscriptionId = () => `s${++lastSubscription}`;

function encode(op: { type: IpcOperation['type']; path: string; input: unknown }): IpcOperation {
  return { type: op.type, path: op.path, input: op.input === undefined ? undefined : (superjson.serialize(op.input) as Serialized) };
}

function toClientError<TRouter extends AnyTRPCRouter>(error: Serialized): TRPCClientError<TRouter> {
  return TRPCClientError.from<TRouter>({ error: superjson.deserialize(error as Parameters<typeof superjson.deserialize>[0]) } as never);
}

export function ipcLink<TRouter extends AnyTRPCRouter>(bridge: EscrowIpc | undefined = window.escrowIpc): TRPCLink<TRouter> {
  if (!bridge) throw new Error('ipcLink needs the desktop app: window.escrowIpc is missing');
  const ipc = bridge;
  // One bridge listener per link, handing each event to its subscription.
  const listeners = new Map<string, Listener>();
  ipc.onEvent((event) => listeners.get(event.id)?.(event));

  return () =>
    ({ op }) =>
      observable((observer) => {
        const message = encode(op);
        if (op.type === 'subscription') {
          const id = nextSubscriptionId();
          listeners.set(id, (event) => {
            switch (event.kind) {
              case 'started':
                observer.next({ result: { type: 'started' } });
                return;
              case 'data':
                observer.next({ result: { type: 'data', id: event.eventId, data: superjson.deserialize(event.data as Parameters<typeof superjson.deserialize>[0]) } });
                return;
              case 'error':
                listeners.delete(id);
                observer.error(toClientError<TRouter>(event.error));
                return;
              case 'stopped':
                listeners.delete(id);
                observer.next({ result: { type: 'stopped' } });
                observer.complete();
                return;
            }
          });
          ipc.subscribe(id, message);
          return () => {
            if (listeners.delete(id)) ipc.unsubscribe(id);
          };
        }

        // An IPC call cannot be cancelled; a cancelled operation just drops its answer.
        let cancelled = false;
        ipc.request(message).then(
          (response) => {
            if (cancelled) return;
            if ('error' in response) {
              observer.error(toClientError<TRouter>(response.error));
              return;
            }
            observer.next({ result: { type: 'data', data: superjson.deserialize(response.result as Parameters<typeof superjson.deserialize>[0]) } });
            observer.complete();
          },
          (cause: unknown) => {
            if (!cancelled) observer.error(TRPCClientError.from<TRouter>(cause instanceof Error ? cause : new Error(String(cause))));
          },
        );
        return () => {
          cancelled = true;
        };
      });
}
