import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../../server/api/root.js';

export type BenchServer = { api: TRPCClient<AppRouter>; pid: number; stop: () => Promise<void> };

/**
 * The server in a process of its own (test/bench/serve-child.ts), as a console meets it: the
 * benchmark's client then does not share the server's thread, and the server's memory is its own.
 */
export async function startBenchServer(databaseUrl: string): Promise<BenchServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/serve-child.ts', databaseUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const first = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the benchmark server stopped with code ${code}`)));
    });
    const { url, token } = JSON.parse(first) as { url: string; token: string };
    const api = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })] });
    return { api, pid: child.pid!, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
