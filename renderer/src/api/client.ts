import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, splitLink, TRPCClientError, type TRPCLink } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import superjson from 'superjson';
import type { AppRouter } from '../../../server/api/root';
import { ipcLink } from './ipc-link';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

type Listener = () => void;
const unauthenticatedListeners = new Set<Listener>();

/** Called whenever the server says the session is missing or expired, wherever the call came from. */
export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

/** Watches every result for UNAUTHORIZED, so an expired session sends the operator back to sign-in. */
const sessionWatchLink: TRPCLink<AppRouter> = () => ({ next, op }) =>
  observable((observer) =>
    next(op).subscribe({
      next: (value) => observer.next(value),
      complete: () => observer.complete(),
      error: (error) => {
        // A speculative call (sent before the session is known) proves nothing about the session.
        if (error.data?.code === 'UNAUTHORIZED' && !op.path.startsWith('auth.') && !op.context.speculative) unauthenticatedListeners.forEach((l) => l());
        observer.error(error);
      },
    }));

function browserLink(): TRPCLink<AppRouter> {
  // Same origin: the HttpOnly session cookie travels with every request and the SSE stream.
  const url = new URL('trpc', new URL('/', window.location.href)).toString();
  const fetchSameOrigin = (input: RequestInfo | URL, init?: RequestInit) => fetch(input, { ...init, credentials: 'same-origin' });
  return splitLink({
    condition: (op) => op.type === 'subscription',
    true: httpSubscriptionLink({ url, transformer: superjson }),
    // context.skipBatch: a call whose answer must not wait for (or hold up) the others sent with it.
    false: splitLink({
      condition: (op) => op.context.skipBatch === true,
      true: httpLink({ url, transformer: superjson, fetch: fetchSameOrigin }),
      false: httpBatchLink({ url, transformer: superjson, fetch: fetchSameOrigin }),
    }),
  });
}

export const api = createTRPCClient<AppRouter>({
  // In Electron the preload exposes window.escrowIpc and every call goes over IPC instead of HTTP,
  // unless the window shows a team server's console: that page talks to its own server.
  links: [sessionWatchLink, window.escrowIpc && (location.protocol === 'file:' || import.meta.env.DEV) ? ipcLink<AppRouter>() : browserLink()],
});

export type Refusal = { message: string; engineCode: string | null; code: string | null };

/** The router's own sentence for a refused call; every screen shows it as is. */
export function refusalOf(error: unknown): Refusal {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; engineCode?: string | null } | undefined;
    return { message: error.message, engineCode: data?.engineCode ?? null, code: data?.code ?? null };
  }
  return { message: error instanceof Error ? error.message : String(error), engineCode: null, code: null };
}
