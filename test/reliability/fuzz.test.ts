import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../server/api/root.js';
import { SYSTEM } from '../../server/engine/types.js';
import { verifyJournal } from '../../server/store/journal-reader.js';
import { checkLedger } from '../../server/store/ledger-health.js';
import { TEST_DATABASE } from '../support/databases.js';
import { demoServer, signedIn } from '../support/server.js';
import { callPath, procedures, type Caller } from './hostile.js';

/**
 * Hostile input: every procedure of the router, called over HTTP with generated bad input
 * (wrong types, huge strings, negative, fractional and past-2^53 amounts, unknown currencies,
 * other users' and other marketplaces' ids, RTL overrides, zero-width characters, NUL) by an
 * admin session and by an API key. Every call is answered with a result or a typed refusal,
 * never INTERNAL_SERVER_ERROR; a refused call adds nothing to the journal (a failed sign-in is
 * journaled on purpose, and is the only exception); the server answers /health afterwards.
 * FUZZ_RUNS sets the inputs per procedure and caller (12 by default), FUZZ_SEED replays a run.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const TYPED = new Set(['BAD_REQUEST', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'UNPROCESSABLE_CONTENT', 'UNAUTHORIZED', 'PRECONDITION_FAILED',
  // Node's HTTP parser refuses a query whose input makes the URL longer than its header limit.
  'HTTP_431']);
/** Signing out would end the session the rest of the run uses; it is covered in sessions.test.ts. */
const SKIP = new Set(['auth.signOut']);

const HOSTILE_STRINGS = [
  '', ' ', 'x'.repeat(100_000), 'pay\u202Eevil', 'zero\u200Bwidth', 'nul\u0000byte', '\uFEFFbom', '\uD800', '𝕏'.repeat(300),
  "'; DROP TABLE \"Account\"; --", '../../etc/passwd', '%s%n%x', '<script>alert(1)</script>', 'null', '__proto__', 'constructor',
];
const HOSTILE_NUMBERS = [-1, -0, 0, 0.5, 1.5, -100, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 1e300, Infinity, -Infinity, NaN, 1e-9, 2 ** 31, -(2 ** 31)];
const HOSTILE_CURRENCIES = ['XXX', 'usd', 'US', 'USDD', 'ZZZ', 'BTC', 'U\u200BSD', 'USD\u0000', 'ÜSD'];
const ID_FIELDS = ['actAs', 'userId', 'milestoneId', 'disputeId', 'contractId', 'projectId', 'bidId', 'offerId', 'approvalId', 'cancellationId', 'operatorId', 'apiKeyId', 'marketplaceId', 'freelancerId', 'mediatorId', 'actorId', 'entityId', 'cursor', 'assignee'];
const NUMBER_FIELDS = ['amountMinor', 'budgetMinor', 'claimMinor', 'freelancerShareMinor', 'clientShareMinor', 'minAmountMinor', 'maxAmountMinor', 'limit', 'minutes', 'rating', 'sizeBytes', 'expectedVersion', 'afterSeq', 'untilSeq'];
const TEXT_FIELDS = ['reason', 'message', 'body', 'description', 'title', 'proposal', 'name', 'email', 'password', 'currentPassword', 'newPassword', 'search', 'memo', 'comment', 'fileName', 'mediaType', 'sha256', 'note', 'day', 'category', 'idempotencyKey', 'action', 'entityType', 'actorRole', 'state', 'status', 'role', 'kind', 'decision', 'sort', 'direction'];
const OTHER_FIELDS = ['approve', 'disabled', 'fundNow', 'noFault', 'overdue', 'acceptProposedMilestones', 'stages', 'languages', 'patch', 'milestones', 'entryIds', 'at', 'from', 'to'];

function inputs(ids: string[]): fc.Arbitrary<unknown> {
  const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 40, unit: 'binary' }));
  const hostileNumber = fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.double(), fc.integer());
  const anything = fc.oneof(fc.constant(null), fc.boolean(), hostileNumber, hostileString, fc.jsonValue({ maxDepth: 2 }), fc.constant(new Date(Number.NaN)), fc.constant(10n ** 30n));
  const idValue = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ids) }, { weight: 2, arbitrary: hostileString }, { weight: 1, arbitrary: anything });
  const numberValue = fc.oneof({ weight: 3, arbitrary: hostileNumber }, { weight: 1, arbitrary: fc.nat({ max: 100_000 }) }, { weight: 1, arbitrary: anything });
  const textValue = fc.oneof({ weight: 3, arbitrary: hostileString }, { weight: 1, arbitrary: fc.constantFrom('a reason', 'valid text', 'ada@demo.test') }, { weight: 1, arbitrary: anything });
  const field = (names: string[], value: fc.Arbitrary<unknown>) => Object.fromEntries(names.map((n) => [n, value]));
  const structured = fc.record({
    ...field(ID_FIELDS, idValue), ...field(NUMBER_FIELDS, numberValue), ...field(TEXT_FIELDS, textValue), ...field(OTHER_FIELDS, anything),
    currency: fc.oneof(fc.constantFrom(...HOSTILE_CURRENCIES), anything),
  }, { requiredKeys: [] });
  const input = fc.oneof({ weight: 4, arbitrary: structured }, { weight: 1, arbitrary: anything }, { weight: 1, arbitrary: fc.constant(undefined) });
  // NUL is refused before anything else looks at the input; most inputs go without it so that
  // the rest of the validation, authorisation and the engine are reached too.
  return fc.tuple(input, fc.nat({ max: 5 })).map(([value, n]) => (n === 0 ? value : withoutNul(value)));
}

function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '');
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replaceAll('\u0000', ''), withoutNul(v)]));
  return value;
}

describe(`hostile input to every procedure (${TEST_DATABASE})`, () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  beforeAll(async () => {
    server = await demoServer();
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it(`answers ${RUNS} generated bad inputs per procedure and caller with typed refusals only (seed ${SEED})`, async () => {
    const { token, api: admin } = await signedIn(server.url, 'admin');
    const db = server.services.db;
    const market = (await admin.admin.marketplaces.query())[0]!;
    const { key } = await admin.admin.createApiKey.mutate({ marketplaceId: market.id, name: 'fuzz' });
    // Another marketplace with a user of its own: its ids are the "other users' objects".
    const other = await server.services.engine.run('createMarketplace', SYSTEM, { name: 'Elsewhere', settings: {} });
    const stranger = await server.services.engine.run('registerUser', SYSTEM, { marketplaceId: other.marketplaceId, name: 'Stranger', email: 'stranger@example.com' });
    const ids = [
      other.marketplaceId, stranger.userId, market.id,
      ...(await db.user.findMany({ take: 5, select: { id: true } })).map((r) => r.id),
      ...(await db.milestone.findMany({ take: 8, select: { id: true } })).map((r) => r.id),
      ...(await db.dispute.findMany({ take: 5, select: { id: true } })).map((r) => r.id),
      ...(await db.contract.findMany({ take: 3, select: { id: true } })).map((r) => r.id),
      ...(await db.project.findMany({ take: 3, select: { id: true } })).map((r) => r.id),
      ...(await db.bid.findMany({ take: 3, select: { id: true } })).map((r) => r.id),
      ...(await db.staffCancellation.findMany({ take: 2, select: { id: true } })).map((r) => r.id),
    ];
    const callers: [string, Caller][] = [['admin', { token }], ['apiKey', { apiKey: key }]];
    const failures: string[] = [];
    const tally = { calls: 0, ok: 0, refused: new Map<string, number>() };
    const list = procedures(appRouter).filter((p) => p.type !== 'subscription' && !SKIP.has(p.path));
    expect(list.length).toBeGreaterThan(70);
    for (const [who, caller] of callers) {
      for (const p of list) {
        const samples = fc.sample(inputs(ids), { numRuns: RUNS, seed: SEED + p.path.length });
        for (const input of samples) {
          const journalBefore = await db.journalEntry.count();
          const answer = await callPath(server.url, p.path, p.type as 'query' | 'mutation', input, caller);
          tally.calls += 1;
          const shown = () => JSON.stringify(input, (_k, v: unknown) => (typeof v === 'string' && v.length > 60 ? `${v.slice(0, 60)}…(${v.length})` : typeof v === 'bigint' ? `${v}n` : v))?.slice(0, 300);
          if (answer.ok) { tally.ok += 1; continue; }
          tally.refused.set(answer.code, (tally.refused.get(answer.code) ?? 0) + 1);
          if (!TYPED.has(answer.code)) failures.push(`${who} ${p.path}: ${answer.code} (${answer.message}) for ${shown()}`);
          const added = await db.journalEntry.findMany({ where: { seq: { gt: journalBefore } }, select: { action: true } });
          if (added.some((e) => e.action !== 'auth.sign_in_failed')) failures.push(`${who} ${p.path}: refused (${answer.code}) but wrote ${added.map((e) => e.action).join(', ')}`);
        }
      }
    }
    console.log(`fuzz figures ${JSON.stringify({ database: TEST_DATABASE, seed: SEED, procedures: list.length, calls: tally.calls, succeeded: tally.ok, refused: Object.fromEntries(tally.refused) })}`);
    expect(failures.slice(0, 20)).toEqual([]);
    // NUL in any text is refused at the door (PostgreSQL cannot store it), whatever the procedure.
    for (const [path, type, input] of [['milestones.get', 'query', { milestoneId: 'm\u0000' }], ['disputes.note', 'mutation', { disputeId: ids[0], body: 'a\u0000b' }]] as const) {
      expect(await callPath(server.url, path, type, input, { token })).toMatchObject({ ok: false, code: 'BAD_REQUEST', engineCode: 'VALIDATION' });
    }
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(await checkLedger(db)).toEqual([]);
    expect((await verifyJournal(db)).ok).toBe(true);
  }, 300_000);
});
