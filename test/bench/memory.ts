import fs from 'node:fs';
import type { QueueFilter } from '../../server/store/queries.js';
import { startBenchServer } from './server-process.js';

/** The server's resident set, read from the kernel: what the machine actually gives the process. */
function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

function percentiles(ms: number[]): { p50_ms: number; p99_ms: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 1000) / 1000;
  return { p50_ms: at(0.5), p99_ms: at(0.99) };
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
  const server = await startBenchServer(file);
  try {
    const api = server.api;
    const shapes: QueueFilter[] = [
      { sort: 'openedAt', direction: 'desc' },
      { sort: 'disputedMinor', direction: 'asc', minAmountMinor: 10_000 },
      { sort: 'deadlineAt', direction: 'asc', assignee: 'unassigned' },
      { sort: 'openedAt', direction: 'asc', search: 'user 1' },
    ];
    const cursors: (string | null)[] = shapes.map(() => null);
    const samples: [number, number][] = [];
    const times: number[] = [];
    const started = Date.now();
    for (let i = 0; i < requests; i++) {
      const k = i % shapes.length;
      const t0 = process.hrtime.bigint();
      const page = await api.disputes.queue.query({ ...shapes[k]!, cursor: cursors[k], limit: 50 });
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      // Walk on through the queue, and start over at the end, so pages keep changing.
      cursors[k] = page.nextCursor;
      if (i % 250 === 0 || i === requests - 1) samples.push([i + 1, rssMb(server.pid)]);
    }
    const seconds = (Date.now() - started) / 1000;
    const warm = samples.filter(([x]) => x > requests / 10);
    const secondHalf = samples.filter(([x]) => x > requests / 2);
    const mbPer1k = Math.round(slope(secondHalf) * 1000 * 100) / 100;
    results.serverMemory = {
      goal: 'resident memory flat over 10,000 queue requests at 1M milestones',
      database: label, requests, seconds: Math.round(seconds * 10) / 10,
      rssAfterWarmupMb: warm[0]?.[1], rssEndMb: samples[samples.length - 1]?.[1], rssMaxMb: Math.max(...samples.map(([, y]) => y)),
      secondHalfSlopeMbPer1kRequests: mbPer1k,
      // The same requests' latency, walking every sort to the end of the queue: the queue page at this scale.
      httpLatency: percentiles(times), samples,
    };
    console.log(`bench: server memory over ${requests} queue requests (${label}): ${warm[0]?.[1]} MB after warm-up, ${samples[samples.length - 1]?.[1]} MB at the end, second half ${mbPer1k} MB per 1,000 requests; queue over HTTP p50 ${percentiles(times).p50_ms} ms, p99 ${percentiles(times).p99_ms} ms`);
  } finally {
    await server.stop();
  }
}
