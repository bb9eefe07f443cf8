import { startServer } from '../../server/http/server.js';

/**
 * The server alone in a process of its own, so the memory benchmark reads its resident set and
 * nothing of the client's. No timers and no mail: only the requests the benchmark sends.
 * Prints one line of JSON (url, token) when ready; stops on SIGTERM.
 */
const server = await startServer({ databaseUrl: process.argv[2]!, timerIntervalMs: 0 });
// The same first admin the other benchmarks make, so a database they already used signs in too.
const email = 'bench@localhost';
const password = 'bench-password-123';
if (!(await server.services.auth.bootstrapAdmin(email, password)) && (await server.services.db.operator.count({ where: { email } })) === 0) {
  // A seeded database has its own admin: it adds the benchmark's operator, as an admin would.
  const admin = await server.services.db.operator.findFirstOrThrow({ where: { role: 'admin', disabled: false } });
  await server.services.auth.createOperator({ kind: 'operator', id: admin.id, role: 'admin' }, { email, name: 'Benchmark', role: 'admin', password });
}
const { token } = await server.services.auth.signIn(email, password);
console.log(JSON.stringify({ url: server.url, token }));
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
