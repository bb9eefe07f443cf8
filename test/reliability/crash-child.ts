import { randomUUID } from 'node:crypto';
import { Engine, type CommandName } from '../../server/engine/engine.js';
import { isEngineError } from '../../server/engine/errors.js';
import type { EngineStore } from '../../server/engine/ports.js';
import type { Actor } from '../../server/engine/types.js';
import { SqliteStore, type DataModel } from '../../server/store/sqlite-store.js';

/**
 * The process test/reliability/crash.test.ts kills. It runs random money commands with
 * idempotency keys for ever, printing `SEND {command}` before each and `ACK key` only after it
 * committed (stdout to a pipe is synchronous on Linux, so a printed line survives SIGKILL).
 * It opens the database and warms up, prints READY, then waits for `GO [command]` on stdin:
 * the command is the one in flight when the last child died, sent again first with the same
 * key, as a real client would after a timeout. (Warming up before GO lets the test start the
 * next child while this one runs, so restarts cost no waiting.)
 * Bundled with esbuild by the test. On SQLite it loads no Prisma at all (the command store is
 * better-sqlite3, given the data model by the test), which keeps a restart cheap.
 */
export type World = { marketplaceId: string; contracts: { id: string; clientId: string; freelancerId: string }[] };
export type Sent = { key: string; name: CommandName; actor: Actor; input: Record<string, unknown> };

const world = JSON.parse(process.env.CRASH_WORLD!) as World;
const url = process.env.CRASH_DB!;

type Row = Record<string, unknown>;
/** The few reads that choose a command, in SQL both databases take (`?` placeholders). */
async function open(): Promise<{ store: EngineStore; read: (sql: string, params: unknown[]) => Promise<Row[]> }> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { openDatabase } = await import('../../server/store/open.js');
    const opened = await openDatabase(url);
    const numbered = (sql: string) => { let n = 0; return sql.replace(/\?/g, () => `$${++n}`); };
    return { store: opened.store, read: (sql, params) => opened.db.$queryRawUnsafe<Row[]>(numbered(sql), ...params) };
  }
  const { readFileSync } = await import('node:fs');
  const store = new SqliteStore(url, JSON.parse(readFileSync(process.env.CRASH_MODEL!, 'utf8')) as DataModel);
  return { store, read: async (sql, params) => store.stmt(sql).all(...params) as Row[] };
}

const bootMs = Math.round(performance.now());
const { store, read } = await open();
const openMs = Math.round(performance.now());
const engine = new Engine(store);

const user = (id: string): Actor => ({ kind: 'user', id });
const STAFF: Actor = { kind: 'operator', id: 'op_staff', role: 'staff' };
const MEDIATOR: Actor = { kind: 'operator', id: 'op_mediator', role: 'mediator' };
const pick = <T>(items: T[]): T | undefined => (items.length === 0 ? undefined : items[Math.floor(Math.random() * items.length)]);
const amount = (max: number) => 1 + Math.floor(Math.random() * max);
const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');

type M = { id: string; clientId: string; freelancerId: string; left: number };
async function milestoneIn(states: string[]): Promise<M | undefined> {
  const rows = await read(`SELECT "id","clientId","freelancerId","fundedMinor","releasedMinor","refundedMinor" FROM "Milestone" WHERE "state" IN (${marks(states.length)}) ORDER BY "id" DESC LIMIT 50`, states);
  const r = pick(rows);
  return r && { id: String(r.id), clientId: String(r.clientId), freelancerId: String(r.freelancerId), left: Number(r.fundedMinor) - Number(r.releasedMinor) - Number(r.refundedMinor) };
}

type D = { id: string; filerRole: string; filerId: string; respondentId: string; clientFeePaid: boolean; freelancerFeePaid: boolean; disputedMinor: number };
async function disputeIn(stages: string[]): Promise<D | undefined> {
  const rows = await read(`SELECT "id","filerRole","filerId","respondentId","clientFeePaid","freelancerFeePaid","disputedMinor" FROM "Dispute" WHERE "stage" IN (${marks(stages.length)}) ORDER BY "id" DESC LIMIT 20`, stages);
  const r = pick(rows);
  return r && { id: String(r.id), filerRole: String(r.filerRole), filerId: String(r.filerId), respondentId: String(r.respondentId), clientFeePaid: Boolean(r.clientFeePaid), freelancerFeePaid: Boolean(r.freelancerFeePaid), disputedMinor: Number(r.disputedMinor) };
}

const party = (d: { filerRole: string; filerId: string; respondentId: string }, role: 'client' | 'freelancer') =>
  (d.filerRole === role ? d.filerId : d.respondentId);

/** One random command that fits the current state, or null when none does right now. */
async function next(): Promise<Omit<Sent, 'key'> | null> {
  const c = pick(world.contracts)!;
  switch (Math.floor(Math.random() * 12)) {
    case 0: return { name: 'deposit', actor: { kind: 'system', id: 'system' }, input: { userId: pick([c.clientId, c.freelancerId])!, amountMinor: amount(50_000), currency: 'USD' } };
    case 1: return { name: 'createMilestone', actor: user(c.freelancerId), input: { contractId: c.id, description: 'crash work', amountMinor: amount(20_000) } };
    case 2: {
      const m = await milestoneIn(['approved']);
      return m ? { name: 'fundMilestone', actor: user(m.clientId), input: { milestoneId: m.id } } : null;
    }
    case 3: {
      const m = await milestoneIn(['funded', 'completed']);
      const left = m?.left ?? 0;
      return m && left > 0 ? { name: 'releaseMilestone', actor: user(m.clientId), input: { milestoneId: m.id, amountMinor: amount(Math.max(1, Math.floor(left / 2))) } } : null;
    }
    case 4: {
      const m = await milestoneIn(['funded', 'completed']);
      return m ? { name: 'cancelMilestone', actor: user(m.freelancerId), input: { milestoneId: m.id } } : null;
    }
    case 5: {
      const m = await milestoneIn(['funded', 'completed']);
      return m ? { name: 'staffCancel', actor: STAFF, input: { milestoneId: m.id, reason: 'support case' } } : null;
    }
    case 6: {
      const m = await milestoneIn(['funded', 'completed']);
      const left = m?.left ?? 0;
      return m && left > 0 ? { name: 'openDispute', actor: user(Math.random() < 0.5 ? m.clientId : m.freelancerId), input: { milestoneId: m.id, reason: 'not as agreed', claimMinor: amount(left) } } : null;
    }
    case 7: {
      const d = await disputeIn(['filing']);
      return d ? { name: 'respondToDispute', actor: user(d.respondentId), input: { disputeId: d.id, message: 'my side' } } : null;
    }
    case 8:
    case 9: {
      const d = await disputeIn(['negotiation', 'arbitration']);
      if (!d) return null;
      const role = !d.clientFeePaid && (d.freelancerFeePaid || Math.random() < 0.5) ? 'client' : 'freelancer';
      return { name: 'payArbitrationFee', actor: user(party(d, role)), input: { disputeId: d.id } };
    }
    case 10:
    case 11: {
      const d = await disputeIn(['decision']);
      if (!d) return null;
      const fl = Math.floor(Math.random() * (d.disputedMinor + 1));
      return { name: 'decideDispute', actor: MEDIATOR, input: { disputeId: d.id, freelancerShareMinor: fl, clientShareMinor: d.disputedMinor - fl, reason: 'evidence' } };
    }
  }
  return null;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

async function send(command: Sent): Promise<void> {
  say(`SEND ${JSON.stringify(command)}`);
  try {
    await engine.run(command.name, command.actor, command.input as never, { idempotencyKey: command.key });
    say(`ACK ${command.key}`);
  } catch (error) {
    if (!isEngineError(error)) throw error;
    say(`REFUSED ${command.key} ${error.code}`);
  }
}

// Warm up before saying READY: a first command compiles its query plans (on PostgreSQL, through
// Prisma, that takes longer than a child may live). The warm-up deposit commits without being
// acknowledged, like a request whose answer never reached its client: allowed, and checked only
// by the invariants.
await milestoneIn(['funded']);
await engine.run('deposit', { kind: 'system', id: 'system' }, { userId: world.contracts[0]!.clientId, amountMinor: 1, currency: 'USD' }, { idempotencyKey: `warm-${randomUUID()}` });
await engine.run('fundMilestone', user(world.contracts[0]!.freelancerId), { milestoneId: 'none' }).catch((error: unknown) => { if (!isEngineError(error)) throw error; });
if (process.env.CRASH_TIMING) process.stderr.write(`timing boot ${bootMs} open ${openMs} ready ${Math.round(performance.now())}\n`);
say('READY');
const go = await new Promise<string>((resolve) => {
  let buffered = '';
  process.stdin.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    if (buffered.includes('\n')) resolve(buffered.slice(0, buffered.indexOf('\n')));
  });
});
const retry = go.length > 'GO '.length ? (JSON.parse(go.slice('GO '.length)) as Sent) : null;
if (retry) {
  const already = (await read('SELECT 1 AS "one" FROM "CommandLog" WHERE "key" = ?', [retry.key])).length > 0;
  say(`RETRY ${retry.key} ${already ? 'committed-before-kill' : 'not-committed'}`);
  await send(retry);
}
for (;;) {
  const command = await next();
  if (command) await send({ key: randomUUID(), ...command });
}
