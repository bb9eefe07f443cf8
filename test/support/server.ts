import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import type { AppRouter } from '../../server/api/root.js';
import { DEMO_OPERATORS } from '../../server/demo/operators.js';
import { seedDemoDatabase } from '../../server/cli/demo.js';
import { startServer, type RunningServer } from '../../server/http/server.js';
import { freshDatabase } from './databases.js';

/** A real server in the test process over a database of its own, with the demo marketplace. */
export async function demoServer(options: { scale?: number; rendererDir?: string | null } = {}): Promise<RunningServer & { databaseUrl: string }> {
  const database = await freshDatabase();
  await seedDemoDatabase(database.url, options.scale ?? 1);
  const server = await startServer({ databaseUrl: database.url, timerIntervalMs: 0, rendererDir: options.rendererDir ?? null });
  return { ...server, databaseUrl: database.url, close: async () => { await server.close(); await database.drop(); } };
}

export type Client = ReturnType<typeof client>;

export function client(url: string, auth: { token?: string; apiKey?: string } = {}) {
  const headers = () => ({
    ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
    ...(auth.apiKey ? { 'x-api-key': auth.apiKey } : {}),
  });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // Node 20 has no EventSource; this one lets the session travel as a header, as a cookie would in a browser.
        true: httpSubscriptionLink({
          url: `${url}/trpc`,
          transformer: superjson,
          EventSource,
          eventSourceOptions: () => ({ fetch: (input: string | URL, init?: RequestInit) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers() } }) }),
        }),
        false: httpBatchLink({ url: `${url}/trpc`, transformer: superjson, headers }),
      }),
    ],
  });
}

export async function signedIn(url: string, role: 'admin' | 'mediator' | 'compliance' | 'staff', which = 0) {
  const op = DEMO_OPERATORS.filter((o) => o.role === role)[which]!;
  const { token, operator } = await client(url).auth.signIn.mutate({ email: op.email, password: op.password });
  return { api: client(url, { token }), token, operator };
}

/** The engine's stable code carried by a refused call. */
export async function refusal(promise: Promise<unknown>): Promise<{ code: string; engineCode: string | null; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const data = error.data as { code: string; engineCode: string | null } | undefined;
      return { code: data?.code ?? 'UNKNOWN', engineCode: data?.engineCode ?? null, message: error.message };
    }
    throw error;
  }
  throw new Error('expected the call to be refused, but it succeeded');
}
