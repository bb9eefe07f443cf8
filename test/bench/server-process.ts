import { spawn } from 'node:child_process';
import http from 'node:http';
import readline from 'node:readline';
import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../../server/api/root.js';
import type { QueueFilter } from '../../server/store/queries.js';
import { latencies } from './measure.js';

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
  // BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server (NODE_OPTIONS may not carry --cpu-prof).
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'test/bench/serve-child.ts', databaseUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
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

type Latency = Awaited<ReturnType<typeof latencies>>;

/**
 * The queue pages through the router over HTTP: all cases mixed through the tRPC client, the same
 * mix as plain GETs, then each case alone. Shared by the SQLite and PostgreSQL queue benchmarks.
 */
export async function queueOverHttp(server: BenchServer, cases: { name: string; filter: QueueFilter }[]): Promise<{ http: Latency; httpPlain: Latency; httpPerCase: Record<string, { p50_ms: number; p99_ms: number }> }> {
  const page = (i: number) => ({ ...cases[i % cases.length]!.filter, limit: 50 });
  const http = await latencies(40 * cases.length, (i) => server.api.disputes.queue.query(page(i)));
  const httpPlain = await latencies(40 * cases.length, (i) => server.get('disputes.queue', page(i)));
  const httpPerCase: Record<string, { p50_ms: number; p99_ms: number }> = {};
  for (const [k, c] of cases.entries()) {
    const h = await latencies(40, () => server.api.disputes.queue.query(page(k)));
    httpPerCase[c.name] = { p50_ms: h.p50_ms, p99_ms: h.p99_ms };
  }
  return { http, httpPlain, httpPerCase };
}
