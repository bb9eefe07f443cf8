import { spawn } from 'node:child_process';
import http from 'node:http';
import readline from 'node:readline';
import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../../server/api/root.js';

export type BenchServer = {
  api: TRPCClient<AppRouter>;
  /**
   * The same query as a plain keep-alive GET with the body parsed: what the server and the wire
   * cost without the tRPC client's own (undici's fetch and its links cost ~1 ms a request in Node 20).
   */
  get: (procedure: string, input: unknown) => Promise<unknown>;
  pid: number;
  stop: () => Promise<void>;
};

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
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (procedure: string, input: unknown) => new Promise<unknown>((resolve, reject) => {
      const query = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
      http.get(`${url}/trpc/${procedure}?input=${query}`, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { result?: { data: Parameters<typeof superjson.deserialize>[0] } };
          if (res.statusCode !== 200 || !body.result) reject(new Error(`${procedure}: HTTP ${res.statusCode}`));
          else resolve(superjson.deserialize(body.result.data));
        });
        res.on('error', reject);
      }).on('error', reject);
    });
    return { api, get, pid: child.pid!, stop: async () => { agent.destroy(); await stop(); } };
  } catch (error) {
    await stop();
    throw error;
  }
}
