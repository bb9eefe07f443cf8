import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../server/api/root.js';
import { SYSTEM, type Actor } from '../../server/engine/types.js';
import { TEST_DATABASE } from '../support/databases.js';
import { demoServer, signedIn } from '../support/server.js';
import { callPath, procedures, type Caller } from './hostile.js';

/**
 * The authorisation matrix: every procedure × every kind of caller, against a table written
 * out by hand from the rules (who may do what), not read from the code. "allowed" means the
 * caller got past authorisation (a result, or a refusal for any other reason: bad input, wrong
 * state); "refused" means UNAUTHORIZED or FORBIDDEN. Callers: nobody signed in, each operator
 * role, and a marketplace's API key acting for a client, for a freelancer, and for a user of
 * ANOTHER marketplace. For each procedure the callers expected to be refused go first, so state
 * changed by an allowed caller cannot mask a refusal.
 */
const CALLERS = ['anonymous', 'admin', 'mediator', 'compliance', 'staff', 'client', 'freelancer', 'otherMarket'] as const;
type Who = (typeof CALLERS)[number];

const EVERYONE = 'anonymous admin mediator compliance staff client freelancer otherMarket';
const OPERATORS = 'admin mediator compliance staff';
const MEDIATORS = 'admin mediator';

/** Who may call what. Keep in step with the product's rules; a new procedure must be added here. */
const EXPECTED: Record<string, string> = {
  'auth.signIn': EVERYONE,
  'auth.needsBootstrap': EVERYONE,
  'auth.bootstrap': EVERYONE,
  'auth.me': EVERYONE,
  'meta.currencies': EVERYONE,
  'auth.changePassword': OPERATORS,
  'auth.signOut': OPERATORS,

  'disputes.queue': OPERATORS,
  'disputes.counts': OPERATORS,
  'disputes.get': OPERATORS,
  'disputes.previewSplit': OPERATORS,
  'disputes.precedents': OPERATORS,
  'disputes.approvals': OPERATORS,
  'disputes.decideApproval': MEDIATORS,
  'disputes.decide': MEDIATORS,
  'disputes.closeSmallClaim': MEDIATORS,
  'disputes.assign': MEDIATORS,
  'disputes.takeNext': MEDIATORS,
  'disputes.note': MEDIATORS,

  'milestones.list': OPERATORS,
  'milestones.get': OPERATORS,
  'milestones.asOf': OPERATORS,
  'milestones.staffCancel': 'admin staff',
  'milestones.markNoFault': 'admin staff',
  'payments.history': OPERATORS,
  'users.list': OPERATORS,
  'users.get': OPERATORS,
  'notifications.list': OPERATORS,

  'audit.journal': OPERATORS,
  'audit.verify': 'admin compliance',
  'audit.ledgerHealth': 'admin compliance',

  'admin.marketplaces': OPERATORS,
  'admin.cancellations': 'admin compliance staff',
  'admin.updateSettings': 'admin',
  'admin.operators': 'admin',
  'admin.createOperator': 'admin',
  'admin.updateOperator': 'admin',
  'admin.resetPassword': 'admin',
  'admin.apiKeys': 'admin',
  'admin.createApiKey': 'admin',
  'admin.revokeApiKey': 'admin',
  'admin.decideCancellation': 'admin',
  'admin.overrideCancellation': 'admin',
  'admin.conflicts': 'admin',
  'admin.recordConflict': 'admin',
  'admin.backup': 'admin',
  'admin.mailSettings': 'admin',
  'admin.updateMailSettings': 'admin',
  'admin.runTimers': 'admin',

  // The marketplace's backend, by API key, for its own users only; the engine then decides by the user's part.
  'marketplace.postProject': 'client freelancer',
  'marketplace.placeBid': 'freelancer',
  'marketplace.shortlistBid': 'client',
  'marketplace.awardBid': 'client',
  'marketplace.goLive': 'client',
  'marketplace.reserveFunds': 'client',
  'marketplace.withdrawReservation': 'client',
  'marketplace.createMilestone': 'client freelancer',
  'marketplace.requestMilestone': 'freelancer',
  // Any user may pay another directly (they become that milestone's client).
  'marketplace.createDirectMilestone': 'client freelancer',
  'marketplace.approveMilestone': 'freelancer',
  'marketplace.declineMilestone': 'freelancer',
  'marketplace.acceptRequest': 'client',
  'marketplace.declineRequest': 'client',
  'marketplace.fundMilestone': 'client',
  'marketplace.markComplete': 'freelancer',
  'marketplace.requestRevision': 'client',
  'marketplace.releaseMilestone': 'client',
  'marketplace.cancelMilestone': 'freelancer',
  'marketplace.deleteMilestone': 'client freelancer',
  'marketplace.logTime': 'freelancer',
  'marketplace.reviewTime': 'client',
  'marketplace.openDispute': 'client freelancer',
  'marketplace.respondToDispute': 'freelancer',
  'marketplace.makeOffer': 'client freelancer',
  'marketplace.acceptOffer': 'client freelancer',
  'marketplace.payArbitrationFee': 'client freelancer',
  'marketplace.submitEvidence': 'client freelancer',
  'marketplace.postMessage': 'client freelancer',
  'marketplace.withdrawDispute': 'client',
  'marketplace.leaveReview': 'client freelancer',
  'marketplace.deposit': 'client freelancer',
  'marketplace.withdraw': 'client freelancer',
};

/** Live subscriptions are read procedures; their access is tested through the same base procedure as disputes.queue. */
const NOT_CALLED = new Set(['disputes.onChange']);

describe(`authorisation matrix (${TEST_DATABASE})`, () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  beforeAll(async () => {
    server = await demoServer();
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('lets exactly the expected callers through each procedure', async () => {
    const engine = server.services.engine;
    const db = server.services.db;
    const sessions = Object.fromEntries(await Promise.all((['admin', 'mediator', 'compliance', 'staff'] as const).map(async (r) => [r, (await signedIn(server.url, r)).token]))) as Record<string, string>;
    const market = await db.marketplace.findFirstOrThrow({ orderBy: { createdAt: 'asc' } });
    const adminActor = (await server.services.auth.resolve(sessions.admin))!.actor;
    const { key } = await server.services.auth.createApiKey(adminActor, market.id, 'authz');

    // A client and a freelancer of one live contract, with money in escrow and an open dispute.
    const contract = await db.contract.findFirstOrThrow({ where: { marketplaceId: market.id, status: 'live', project: undefined } as never });
    const [C, F] = [contract.clientId, contract.freelancerId];
    const asUser = (id: string): Actor => ({ kind: 'user', id });
    await engine.run('deposit', SYSTEM, { userId: C, amountMinor: 1_000_000, currency: contract.currency });
    await engine.run('deposit', SYSTEM, { userId: F, amountMinor: 100_000, currency: contract.currency });
    const funded = async () => {
      const { milestoneId } = await engine.run('createMilestone', asUser(F), { contractId: contract.id, description: 'authz', amountMinor: 10_000 });
      await engine.run('fundMilestone', asUser(C), { milestoneId });
      return milestoneId;
    };
    const m1 = await funded();
    const m2 = await funded();
    const { disputeId: D } = await engine.run('openDispute', asUser(C), { milestoneId: m2, reason: 'late', claimMinor: 5_000 });
    const { projectId: P2 } = await engine.run('postProject', asUser(C), { title: 'Open project', description: '', budgetMinor: 20_000, currency: contract.currency });
    const { bidId: B } = await engine.run('placeBid', asUser(F), { projectId: P2, amountMinor: 20_000, proposal: 'bid' });
    // An hourly contract between the same two, for the work diary.
    const { projectId: PH } = await engine.run('postProject', asUser(C), { title: 'Hourly', description: '', kind: 'hourly', budgetMinor: 5_000, currency: contract.currency });
    const { bidId: BH } = await engine.run('placeBid', asUser(F), { projectId: PH, amountMinor: 5_000, proposal: 'hourly bid' });
    const { contractId: KH } = await engine.run('awardBid', asUser(C), { bidId: BH });
    await engine.run('goLive', asUser(C), { contractId: KH });
    const operatorIds = Object.fromEntries(await Promise.all(Object.entries(sessions).map(async ([role, t]) => [role, (await server.services.auth.resolve(t))!.actor.id])));
    // Another marketplace's user: the key must never act for them.
    const other = await engine.run('createMarketplace', SYSTEM, { name: 'Other market', settings: {} });
    const { userId: S } = await engine.run('registerUser', SYSTEM, { marketplaceId: other.marketplaceId, name: 'Stranger', email: 'stranger@example.com' });
    const anyMilestone = (await db.milestone.findFirstOrThrow({ where: { marketplaceId: market.id, state: { in: ['funded', 'completed'] }, id: { notIn: [m1, m2] } } })).id;

    const actAs: Record<Who, string | null> = { anonymous: null, admin: null, mediator: null, compliance: null, staff: null, client: C, freelancer: F, otherMarket: S };
    const callerOf = (who: Who): Caller => (sessions[who] ? { token: sessions[who] } : who === 'anonymous' ? {} : { apiKey: key });
    const r = 'a reason';
    /** The input for each procedure: real objects where the engine's own checks matter, minimal otherwise. */
    const input = (path: string, user: string, who: Who): unknown => {
      const a = { actAs: user };
      const m = { ...a, milestoneId: m1 };
      const d = { ...a, disputeId: D };
      const table: Record<string, unknown> = {
        'auth.signIn': { email: 'x', password: '' }, 'auth.bootstrap': { email: 'not-an-email', password: 'short' }, 'auth.changePassword': { currentPassword: 'x', newPassword: 'short' },
        'disputes.queue': {}, 'disputes.get': { disputeId: D }, 'disputes.previewSplit': { disputeId: D, freelancerShareMinor: 0, clientShareMinor: 5_000 }, 'disputes.precedents': { disputeId: D },
        'disputes.approvals': {}, 'disputes.decideApproval': { approvalId: 'apr_none', approve: true, reason: r },
        'disputes.decide': { disputeId: D, freelancerShareMinor: 0, clientShareMinor: 5_000, reason: r }, 'disputes.closeSmallClaim': { disputeId: D, reason: r },
        'disputes.assign': { disputeId: D, mediatorId: operatorIds[who] ?? null }, 'disputes.note': { disputeId: D, body: 'note' },
        'milestones.list': {}, 'milestones.get': { milestoneId: m1 }, 'milestones.asOf': { milestoneId: m1, at: new Date() },
        'milestones.staffCancel': { milestoneId: anyMilestone, reason: r }, 'milestones.markNoFault': { milestoneId: anyMilestone, reason: r },
        'payments.history': { userId: C }, 'users.list': {}, 'users.get': { userId: C }, 'notifications.list': { userId: C },
        'audit.journal': {}, 'audit.verify': { afterSeq: 0, untilSeq: 5 },
        'admin.cancellations': {}, 'admin.updateSettings': { marketplaceId: market.id, patch: {}, reason: r },
        'admin.createOperator': { email: 'new@demo.test', name: 'New', role: 'staff', password: 'a long enough password' },
        'admin.updateOperator': { operatorId: 'op_none' }, 'admin.resetPassword': { operatorId: 'op_none', password: 'a long enough password' },
        'admin.createApiKey': { marketplaceId: market.id, name: 'k' }, 'admin.revokeApiKey': { apiKeyId: 'key_none' },
        'admin.decideCancellation': { cancellationId: 'scx_none', approve: true, reason: r }, 'admin.overrideCancellation': { cancellationId: 'scx_none', reason: r },
        'admin.recordConflict': { operatorId: 'op_none', userId: C, reason: r },
        'admin.updateMailSettings': { smtpUrl: 'smtp://authz:secret@mail.authz.invalid:587', reason: r },
        'marketplace.postProject': { ...a, title: 'T', description: 'D', budgetMinor: 1_000, currency: 'USD' },
        'marketplace.placeBid': { ...a, projectId: P2, amountMinor: 1_000, proposal: 'p' },
        'marketplace.shortlistBid': { ...a, bidId: B }, 'marketplace.awardBid': { ...a, bidId: B }, 'marketplace.goLive': { ...a, contractId: contract.id },
        'marketplace.reserveFunds': { ...a, projectId: contract.projectId, amountMinor: 100, description: 'r' }, 'marketplace.withdrawReservation': m,
        'marketplace.createMilestone': { ...a, contractId: contract.id, description: 'm', amountMinor: 100 },
        'marketplace.requestMilestone': { ...a, contractId: contract.id, description: 'm', amountMinor: 100 },
        'marketplace.createDirectMilestone': { ...a, freelancerId: user === F ? C : F, description: 'm', amountMinor: 100, currency: 'USD' },
        'marketplace.approveMilestone': m, 'marketplace.declineMilestone': { ...m, message: 'no' }, 'marketplace.acceptRequest': m, 'marketplace.declineRequest': { ...m, reason: r },
        'marketplace.fundMilestone': m, 'marketplace.markComplete': m, 'marketplace.requestRevision': { ...m, message: 'again' },
        'marketplace.releaseMilestone': { ...m, amountMinor: 1 }, 'marketplace.cancelMilestone': m, 'marketplace.deleteMilestone': m,
        'marketplace.logTime': { ...a, contractId: KH, day: '2026-01-05', minutes: 30, memo: 'work' },
        'marketplace.reviewTime': { ...a, contractId: KH, entryIds: ['tim_none'], decision: 'approve' },
        'marketplace.openDispute': { ...m, reason: r, claimMinor: 1 }, 'marketplace.respondToDispute': { ...d, message: 'my side' },
        'marketplace.makeOffer': { ...d, freelancerShareMinor: 1_000 }, 'marketplace.acceptOffer': d, 'marketplace.payArbitrationFee': d,
        'marketplace.submitEvidence': { ...d, fileName: 'a.pdf', mediaType: 'application/pdf', sizeBytes: 10, sha256: 'a'.repeat(64) },
        'marketplace.postMessage': { ...d, body: 'hello' }, 'marketplace.withdrawDispute': d,
        'marketplace.leaveReview': { ...a, contractId: contract.id, rating: 5, comment: 'good' },
        'marketplace.deposit': { ...a, userId: user, amountMinor: 100, currency: 'USD' }, 'marketplace.withdraw': { ...a, userId: user, amountMinor: 1, currency: 'USD' },
      };
      return path in table ? table[path] : undefined;
    };

    const list = procedures(appRouter).filter((p) => !NOT_CALLED.has(p.path));
    const missing = list.map((p) => p.path).filter((p) => !(p in EXPECTED));
    expect(missing, 'procedures with no row in the expected table').toEqual([]);
    expect(Object.keys(EXPECTED).filter((p) => !list.some((x) => x.path === p)), 'rows for procedures that do not exist').toEqual([]);
    // Signing out ends the sessions the other rows use, so it goes last.
    list.sort((a, b) => Number(a.path === 'auth.signOut') - Number(b.path === 'auth.signOut'));

    const mismatches: string[] = [];
    const matrix: string[] = [];
    for (const p of list) {
      const allowed = new Set(EXPECTED[p.path]!.split(' '));
      const order = [...CALLERS].sort((x, y) => Number(allowed.has(x)) - Number(allowed.has(y)));
      const row: Record<string, string> = {};
      for (const who of order) {
        const answer = await callPath(server.url, p.path, p.type as 'query' | 'mutation', input(p.path, actAs[who] ?? C, who), callerOf(who));
        const got = answer.ok ? 'allowed' : answer.code === 'UNAUTHORIZED' || answer.code === 'FORBIDDEN' ? 'refused' : answer.code === 'INTERNAL_SERVER_ERROR' ? 'crashed' : 'allowed';
        row[who] = answer.ok ? 'ok' : answer.engineCode ?? answer.code;
        if (got !== (allowed.has(who) ? 'allowed' : 'refused')) {
          mismatches.push(`${p.path} by ${who}: expected ${allowed.has(who) ? 'allowed' : 'refused'}, got ${answer.ok ? 'a result' : `${answer.code}/${answer.engineCode} (${answer.message})`}`);
        }
      }
      matrix.push(`${p.path.padEnd(34)} ${CALLERS.map((w) => (allowed.has(w) ? '✓' : '·')).join(' ')}`);
    }
    console.log(`authz matrix (${CALLERS.join(' ')}):\n${matrix.join('\n')}`);
    expect(mismatches).toEqual([]);
  }, 180_000);
});
