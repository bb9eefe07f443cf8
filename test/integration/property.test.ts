import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEngineError } from '../../server/engine/errors.js';
import { SYSTEM, type Actor } from '../../server/engine/types.js';
import { checkLedger } from '../../server/store/ledger-health.js';
import { verifyJournal } from '../../server/store/journal-reader.js';
import { Harness } from '../support/harness.js';

/**
 * Random command sequences from random actors. Whatever happens, after every step: the ledger
 * invariants hold, the journal verifies, and a refused command changed nothing.
 * CI runs RUNS × STEPS ≥ 10,000 commands; PROPERTY_RUNS raises it for a longer soak.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 20);
const STEPS = 500;

const OPS = [
  'create', 'fund', 'complete', 'releasePart', 'releaseAll', 'revision', 'cancel', 'staffCancel', 'decideCancel', 'override',
  'openDispute', 'answer', 'offer', 'accept', 'payFee', 'decide', 'withdrawDispute', 'smallClaim', 'deposit', 'withdraw', 'tick',
] as const;

// The lifecycle's main road is taken more often than its side roads.
const WEIGHTED = [...OPS, 'create', 'fund', 'fund', 'complete', 'complete', 'releaseAll', 'releaseAll', 'openDispute', 'payFee', 'decide'] as const;
const intent = fc.record({ op: fc.constantFrom(...WEIGHTED), pick: fc.nat(), amount: fc.nat({ max: 30_000 }), who: fc.nat({ max: 9 }) });

const PREFERRED: Partial<Record<(typeof OPS)[number], string[]>> = {
  fund: ['approved'],
  complete: ['funded'],
  releasePart: ['funded', 'completed'],
  releaseAll: ['completed'],
  revision: ['completed'],
  cancel: ['funded', 'completed'],
  staffCancel: ['funded', 'completed'],
  openDispute: ['funded', 'completed'],
};

type World = { h: Harness; clients: Actor[]; freelancers: Actor[]; contracts: { id: string; client: Actor; freelancer: Actor }[] };

async function world(): Promise<World> {
  const h = await Harness.create({ staffCancelApprovalAboveMinor: 20_000, smallClaimsLimitMinor: 10_000 });
  const clients = [await h.user('C1', 500_000), await h.user('C2', 400_000)];
  const freelancers = [await h.user('F1', 5_000), await h.user('F2', 5_000)];
  const contracts: World['contracts'] = [];
  for (const [i, client] of clients.entries()) {
    const freelancer = freelancers[i]!;
    const { projectId } = await h.run('postProject', client, { title: `Project ${i}`, description: '', budgetMinor: 100_000, currency: 'USD' });
    const { bidId } = await h.run('placeBid', freelancer, { projectId, amountMinor: 100_000, proposal: 'bid' });
    const { contractId } = await h.run('awardBid', client, { bidId });
    await h.run('goLive', client, { contractId });
    contracts.push({ id: contractId, client, freelancer });
  }
  return { h, clients, freelancers, contracts };
}

function nth<T>(items: T[], n: number): T | undefined {
  return items.length === 0 ? undefined : items[n % items.length];
}

/** Someone plausible, sometimes someone wrong: the refusals are part of what is tested. */
function actorFor(w: World, c: World['contracts'][number], who: number, usual: 'client' | 'freelancer'): Actor {
  if (who === 0) return usual === 'client' ? c.freelancer : c.client;
  if (who === 1) return w.h.operator('compliance');
  if (who === 2) return w.clients.find((x) => x.id !== c.client.id)!;
  return usual === 'client' ? c.client : c.freelancer;
}

class Skip extends Error {}

function need<T>(x: T | undefined): T {
  if (x === undefined) throw new Skip();
  return x;
}

async function step(w: World, i: { op: (typeof OPS)[number]; pick: number; amount: number; who: number }): Promise<void> {
  const { h } = w;
  const milestones = await h.db.milestone.findMany({ orderBy: { id: 'asc' } });
  // Mostly a milestone the command fits, so lifecycles run to their end; now and then any
  // milestone at all, to knock on closed doors.
  const fitting = milestones.filter((x) => (PREFERRED[i.op] ?? []).includes(x.state));
  const mm = i.pick % 10 === 0 ? nth(milestones, i.pick) : nth(fitting, i.pick);
  const c = mm ? w.contracts.find((x) => x.id === mm.contractId) ?? w.contracts[0]! : nth(w.contracts, i.pick)!;
  const disputes = await h.db.dispute.findMany({ where: { stage: { not: 'closed' } }, orderBy: { id: 'asc' } });
  const dd = nth(disputes.slice(-3), i.pick);
  const dc = dd ? w.contracts.find((x) => x.client.id === (dd.filerRole === 'client' ? dd.filerId : dd.respondentId))! : c;
  const cancellations = await h.db.staffCancellation.findMany({ orderBy: { id: 'asc' } });
  const scc = nth(cancellations, i.pick);
  const m = () => need(mm);
  const d = () => need(dd);
  const sc = () => need(scc);
  const party = i.who % 2 === 0 ? dc.client : dc.freelancer;
  switch (i.op) {
    case 'create': return void (await h.run('createMilestone', actorFor(w, c, i.who, 'freelancer'), { contractId: c.id, description: 'work', amountMinor: 1 + i.amount }));
    case 'fund': return void (await h.run('fundMilestone', actorFor(w, c, i.who, 'client'), { milestoneId: m().id }));
    case 'complete': return void (await h.run('markComplete', actorFor(w, c, i.who, 'freelancer'), { milestoneId: m().id }));
    case 'releasePart': return void (await h.run('releaseMilestone', actorFor(w, c, i.who, 'client'), { milestoneId: m().id, amountMinor: 1 + (i.amount % 5_000) }));
    case 'releaseAll': return void (await h.run('releaseMilestone', actorFor(w, c, i.who, 'client'), { milestoneId: m().id }));
    case 'revision': return void (await h.run('requestRevision', actorFor(w, c, i.who, 'client'), { milestoneId: m().id, message: 'again' }));
    case 'cancel': return void (await h.run('cancelMilestone', actorFor(w, c, i.who, 'freelancer'), { milestoneId: m().id }));
    case 'staffCancel': return void (await h.run('staffCancel', h.operator(i.who > 1 ? 'staff' : 'mediator'), { milestoneId: m().id, reason: 'support case', noFault: i.who === 9 }));
    case 'decideCancel': return void (await h.run('decideStaffCancellation', h.operator('admin', 'op_admin2'), { cancellationId: sc().id, approve: i.who % 2 === 0, reason: 'reviewed' }));
    case 'override': return void (await h.run('overrideStaffCancellation', h.operator('admin'), { cancellationId: sc().id, reason: 'reinstate' }));
    case 'openDispute': return void (await h.run('openDispute', i.who % 2 === 0 ? c.client : c.freelancer, { milestoneId: m().id, reason: 'not as agreed', claimMinor: Math.min(i.amount, Number(m().fundedMinor - m().releasedMinor - m().refundedMinor)) }));
    case 'answer': return void (await h.run('respondToDispute', party, { disputeId: d().id, message: 'my side' }));
    case 'offer': return void (await h.run('makeOffer', party, { disputeId: d().id, freelancerShareMinor: i.amount % (Number(d().disputedMinor) + 1) }));
    case 'accept': return void (await h.run('acceptOffer', party, { disputeId: d().id }));
    case 'payFee': return void (await h.run('payArbitrationFee', party, { disputeId: d().id }));
    case 'decide': {
      const fl = i.amount % (Number(d().disputedMinor) + 1);
      return void (await h.run('decideDispute', h.operator(i.who === 1 ? 'staff' : 'mediator'), { disputeId: d().id, freelancerShareMinor: fl, clientShareMinor: Number(d().disputedMinor) - fl + (i.who === 0 ? 1 : 0), reason: 'evidence' }));
    }
    case 'withdrawDispute': return void (await h.run('withdrawDispute', party, { disputeId: d().id }));
    case 'smallClaim': return void (await h.run('closeSmallClaim', h.operator('mediator'), { disputeId: d().id, reason: 'small' }));
    case 'deposit': return void (await h.run('deposit', SYSTEM, { userId: party.id, amountMinor: 1 + i.amount, currency: 'USD' }));
    case 'withdraw': return void (await h.run('withdraw', party, { userId: party.id, amountMinor: 1 + i.amount, currency: 'USD' }));
    case 'tick':
      h.advanceDays(1 + (i.amount % 6));
      return void (await h.run('runTimers', SYSTEM, {}));
  }
}

async function fingerprint(h: Harness): Promise<string> {
  const [journal, transfers, milestones] = await Promise.all([
    h.db.journalEntry.count(),
    h.db.transfer.count(),
    h.db.milestone.findMany({ select: { id: true, state: true, version: true } }),
  ]);
  return JSON.stringify({ journal, transfers, milestones });
}

describe('random command sequences', () => {
  it(`keep every invariant after each of ${RUNS * STEPS} commands`, async () => {
    let applied = 0;
    const appliedByOp = new Map<string, number>();
    const refusedBy = new Map<string, number>();
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(intent, { minLength: STEPS, maxLength: STEPS }), async (intents) => {
        const w = await world();
        let verifiedSeq = (await verifyJournal(w.h.db)).ok ? await w.h.db.journalEntry.count() : 0;
        try {
          for (const i of intents) {
            const before = await fingerprint(w.h);
            try {
              await step(w, i);
              applied += 1;
              appliedByOp.set(i.op, (appliedByOp.get(i.op) ?? 0) + 1);
            } catch (error) {
              if (error instanceof Skip) continue;
              if (!isEngineError(error)) throw error;
              refused += 1;
              refusedBy.set(`${i.op}:${(error as { code: string }).code}`, (refusedBy.get(`${i.op}:${(error as { code: string }).code}`) ?? 0) + 1);
              expect(await fingerprint(w.h)).toBe(before);
            }
            expect(await checkLedger(w.h.db)).toEqual([]);
            const v = await verifyJournal(w.h.db, { afterSeq: verifiedSeq });
            expect(v.ok).toBe(true);
            if (v.ok) verifiedSeq = v.lastSeq;
          }
          expect((await verifyJournal(w.h.db)).ok).toBe(true);
        } finally {
          await w.h.close();
        }
      }),
      { numRuns: RUNS },
    );
    console.log('applied by command', Object.fromEntries(appliedByOp), 'refused', Object.fromEntries(refusedBy));
    // The sequences must exercise both sides: a run that only ever refused would prove nothing.
    expect(applied).toBeGreaterThan(RUNS * STEPS * 0.1);
    expect(refused).toBeGreaterThan(0);
    for (const op of ['fund', 'releasePart', 'releaseAll', 'cancel', 'openDispute', 'offer', 'decide', 'staffCancel']) {
      expect(appliedByOp.get(op) ?? 0, `${op} never succeeded`).toBeGreaterThan(0);
    }
  }, 600_000);
});
