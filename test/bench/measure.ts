/** Small timing helpers for the benchmarks: rates and percentiles from repeated runs. */

export type Rate = { ops: number; seconds: number; perSecond: number };

export async function rate(ops: number, fn: (i: number) => Promise<void> | void): Promise<Rate> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) await fn(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { ops, seconds, perSecond: Math.round(ops / seconds) };
}

export async function latencies(runs: number, fn: (i: number) => unknown): Promise<{ p50_ms: number; p99_ms: number; mean_ms: number }> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => Math.round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]! * 1000) / 1000;
  return { p50_ms: at(0.5), p99_ms: at(0.99), mean_ms: Math.round((samples.reduce((s, x) => s + x, 0) / samples.length) * 100) / 100 };
}

export function ratio(a: number, b: number): number {
  return Math.round((a / b) * 1000) / 1000;
}
