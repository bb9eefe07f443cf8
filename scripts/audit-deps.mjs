#!/usr/bin/env node
// `npm run audit:deps`: fails on high or critical advisories in the runtime dependencies (npm audit
// --omit=dev --audit-level=high). Where the advisory service cannot be reached (no network, or a
// registry mirror that refuses the bulk advisory POST with 405, as on our build machines) it says
// so plainly and passes: a skipped audit must never read as a clean one.
// Exit codes: 0 no high/critical advisory (or skipped, with the line saying so), 1 advisories found, 2 npm audit failed otherwise.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SKIPPED = 'npm audit: SKIPPED: the advisory service is not reachable from this machine';
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'E405', 'E404', 'E500', 'E502', 'E503', 'E504']);

/** What a report from `npm audit --json` means for the build. */
export function verdict(report) {
  if (report && typeof report === 'object' && report.vulnerabilities && report.metadata) {
    const bad = Object.values(report.vulnerabilities).filter((v) => v.severity === 'high' || v.severity === 'critical');
    if (bad.length === 0) {
      const counts = report.metadata.vulnerabilities ?? {};
      return { status: 'pass', lines: [`npm audit: no high or critical advisories in runtime dependencies (${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')})`] };
    }
    return {
      status: 'fail',
      lines: [`npm audit: ${bad.length} runtime dependencies with high or critical advisories:`, ...bad.map((v) => `  ${v.severity.padEnd(8)} ${v.name} (${v.range ?? ''})${v.fixAvailable ? ' — a fix is available' : ''}`)],
    };
  }
  const code = report?.error?.code ?? (report?.statusCode ? `E${report.statusCode}` : report?.code);
  const message = report?.message ?? report?.error?.summary ?? '';
  if (UNREACHABLE_CODES.has(code) || /advisories\/bulk|audit endpoint|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.test(message)) {
    return { status: 'skipped', lines: [SKIPPED, `  (${code ?? 'no code'}: ${message || 'no message'})`] };
  }
  return { status: 'error', lines: [`npm audit: failed and gave no report: ${message || JSON.stringify(report).slice(0, 300)}`] };
}

function main() {
  const run = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  let report = null;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    report = { message: `${run.stdout.slice(0, 200)} ${run.stderr.slice(0, 300)}`.trim() };
  }
  const v = verdict(report);
  for (const line of v.lines) (v.status === 'pass' || v.status === 'skipped' ? console.log : console.error)(line);
  process.exit(v.status === 'fail' ? 1 : v.status === 'error' ? 2 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
