import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, checked by running it
import { SKIPPED, verdict } from '../../scripts/audit-deps.mjs';

/** scripts/audit-deps.mjs: what each kind of `npm audit --json` answer means for the build. */
describe('dependency audit verdicts', () => {
  it('skips, saying so, when the advisory service refuses or cannot be reached', () => {
    const refused = verdict({ message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405 });
    expect(refused.status).toBe('skipped');
    expect(refused.lines[0]).toBe(SKIPPED);
    expect(verdict({ error: { code: 'ENOTFOUND', summary: 'getaddrinfo ENOTFOUND registry.npmjs.org' } }).status).toBe('skipped');
  });

  it('fails on high or critical advisories and passes on lower ones', () => {
    const report = (severity: string) => ({ vulnerabilities: { pg: { name: 'pg', severity, range: '<8.0.0', fixAvailable: true } }, metadata: { vulnerabilities: { [severity]: 1 } } });
    expect(verdict(report('critical')).status).toBe('fail');
    expect(verdict(report('high')).status).toBe('fail');
    expect(verdict(report('moderate')).status).toBe('pass');
    expect(verdict({ vulnerabilities: {}, metadata: { vulnerabilities: {} } }).status).toBe('pass');
  });

  it('does not mistake an unknown failure for a pass', () => {
    expect(verdict({ message: 'npm ERR! something else entirely' }).status).toBe('error');
  });
});
