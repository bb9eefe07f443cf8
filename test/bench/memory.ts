import { spawn } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../../server/api/root.js';
import type { QueueFilter } from '../../server/store/queries.js';

/** The server's resident set, read from the kernel: what the machine actually gives the process. */
function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/**
 * 6. Memory: the server, in a process of its own on `file`, answers `requests` queue pages (every
 * sort, filters, walking on by cursor) while its resident set is sampled. Flat means the second
 * half of the run adds (next to) nothing: no cache, listener or statement grows per request.
 */
export async function serverMemory(results: Record<string, unknown>, file: string, requests: number, label: string): Promise<void> {
  if (process.platform !== 'linux') {
    results.serverMemory = { skipped: 'reads /proc, so runs on Linux only' };
    return;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/serve-child.ts', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const first = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the benchmark server stopped with code ${code}`)));
    });
    const { url, token } = JSON.parse(first) as { url: string; token: string };
    const api = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })] });
    const shapes: QueueFilter[] = [
      { sort: 'openedAt', direction: 'desc' },
      { sort: 'disputedMinor', direction: 'asc', minAmountMinor: 10_000 },
      { sort: 'deadlineAt', direction: 'asc', assignee: 'unassigned' },
      { sort: 'openedAt', direction: 'asc', search: 'user 1' },
    ];
    const cursors: (string | null)[] = shapes.map(() => null);
    const samples: [number, number][] = [];
    const started = Date.now();
    for (let i = 0; i < requests; i++) {
      const k = i % shapes.length;
      const page = await api.disputes.queue.query({ ...shapes[k]!, cursor: cursors[k], limit: 50 });
      // Walk on through the queue, and start over at the end, so pages keep changing.
      cursors[k] = page.nextCursor;
      if (i % 250 === 0 || i === requests - 1) samples.push([i + 1, rssMb(child.pid!)]);
    }
    const seconds = (Date.now() - started) / 1000;
    const warm = samples.filter(([x]) => x > requests / 10);
    const secondHalf = samples.filter(([x]) => x > requests / 2);
    const mbPer1k = Math.round(slope(secondHalf) * 1000 * 100) / 100;
    results.serverMemory = {
      goal: 'resident memory flat over 10,000 queue requests at 1M milestones',
      database: label, requests, seconds: Math.round(seconds * 10) / 10,
      rssAfterWarmupMb: warm[0]?.[1], rssEndMb: samples[samples.length - 1]?.[1], rssMaxMb: Math.max(...samples.map(([, y]) => y)),
      secondHalfSlopeMbPer1kRequests: mbPer1k, samples,
    };
    console.log(`bench: server memory over ${requests} queue requests (${label}): ${warm[0]?.[1]} MB after warm-up, ${samples[samples.length - 1]?.[1]} MB at the end, second half ${mbPer1k} MB per 1,000 requests`);
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }
}
