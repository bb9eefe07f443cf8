import { afterEach, describe, expect, it } from 'vitest';
import { Harness, expectCode } from '../support/harness.js';
import { SYSTEM } from '../../server/engine/types.js';
import { previewOutcome, standing, type Outcome } from '../../server/engine/reputation.js';
import { fundedMilestone, topUp, userRow, type UserActor } from '../support/scenario-helpers.js';

/**
 * Reviews (only for work paid through a milestone, once per reviewer), completion counters on
 * the user rows after each kind of outcome, and previewOutcome agreeing with what then happens.
 */

let h: Harness;
afterEach(async () => h?.close());

async function preview(h: Harness, freelancer: UserActor, client: UserActor, outcome: Outcome) {
  return previewOutcome(await userRow(h, freelancer.id), await userRow(h, client.id), outcome);
}

async function standings(h: Harness, freelancer: UserActor, client: UserActor) {
  return { freelancer: standing(await userRow(h, freelancer.id), 'freelancer'), client: standing(await userRow(h, client.id), 'client') };
}

describe('reviews', () => {
  it('are refused until money is released on the contract, then allowed once per reviewer', async () => {
    h = await Harness.create();
    const { client, freelancer, contractId, milestoneId } = await fundedMilestone(h, 20_000);
    await expectCode(h.run('leaveReview', client, { contractId, rating: 5, comment: 'Great' }), 'REVIEW_NOT_ALLOWED');
    await expectCode(h.run('leaveReview', freelancer, { contractId, rating: 5, comment: 'Great' }), 'REVIEW_NOT_ALLOWED');

    await h.run('releaseMilestone', client, { milestoneId, amountMinor: 2_000 });
    await expectCode(h.run('leaveReview', client, { contractId, rating: 6, comment: 'Too good' }), 'VALIDATION');
    await expectCode(h.run('leaveReview', await h.user('Otto'), { contractId, rating: 1, comment: 'Drive-by' }), 'ONLY_PARTY');
    await h.run('leaveReview', client, { contractId, rating: 5, comment: 'Great first draft' });
    await expectCode(h.run('leaveReview', client, { contractId, rating: 1, comment: 'Changed my mind' }), 'ALREADY_EXISTS');
    await h.run('leaveReview', freelancer, { contractId, rating: 4, comment: 'Clear brief' });

    expect(await userRow(h, freelancer.id)).toMatchObject({ reviewCount: 1, ratingSum: 5 });
    expect(await userRow(h, client.id)).toMatchObject({ reviewCount: 1, ratingSum: 4 });
    expect(await h.db.review.count({ where: { contractId } })).toBe(2);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('a review moves the reviewee’s score exactly as previewed', async () => {
    h = await Harness.create();
    const { client, freelancer, contractId, milestoneId } = await fundedMilestone(h, 20_000);
    await h.run('markComplete', freelancer, { milestoneId });
    await h.run('releaseMilestone', client, { milestoneId });
    const p = await preview(h, freelancer, client, { kind: 'review', rating: 2, reviewee: 'freelancer' });
    await h.run('leaveReview', client, { contractId, rating: 2, comment: 'Slow' });
    expect(await standings(h, freelancer, client)).toEqual({ freelancer: p.freelancer.after, client: p.client.after });
    expect(p.freelancer.after.reputationScore).toBeLessThan(p.freelancer.before.reputationScore);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('completion counters', () => {
  it('count a release, a cancellation and a lost dispute on the user rows', async () => {
    h = await Harness.create();
    const plan = [{ description: 'A', amountMinor: 10_000 }, { description: 'B', amountMinor: 10_000 }, { description: 'C', amountMinor: 10_000 }];
    const { client, freelancer, milestoneIds } = await h.liveContract({ budget: 30_000, milestones: plan });
    const [a, b, c] = milestoneIds as [string, string, string];
    for (const id of milestoneIds) await h.run('fundMilestone', client, { milestoneId: id });

    await h.run('markComplete', freelancer, { milestoneId: a });
    await h.run('releaseMilestone', client, { milestoneId: a });
    expect(await userRow(h, freelancer.id)).toMatchObject({ flCompleted: 1, flCancelled: 0, flLost: 0 });
    expect(await userRow(h, client.id)).toMatchObject({ clCompleted: 1 });

    await h.run('cancelMilestone', freelancer, { milestoneId: b });
    expect(await userRow(h, freelancer.id)).toMatchObject({ flCompleted: 1, flCancelled: 1, flLost: 0 });

    await h.run('openDispute', client, { milestoneId: c, reason: 'Never delivered', claimMinor: 10_000 });
    h.advanceDays(4);
    await h.run('runTimers', SYSTEM, {});
    expect(await userRow(h, freelancer.id)).toMatchObject({ flCompleted: 1, flCancelled: 1, flLost: 1 });
    expect(await userRow(h, client.id)).toMatchObject({ clCompleted: 1, clCancelled: 0, clLost: 0 });

    // 1 completed of 3 counted: 3,333 bps. Score: rating part 625 (no reviews: 3.5 stars),
    // completion part 333, so (625·6 + 333·4) / 10 = 508.2 → 508.
    expect(standing(await userRow(h, freelancer.id), 'freelancer')).toEqual({ completionRateBps: 3_333, reputationScore: 508 });
    expect(standing(await userRow(h, client.id), 'client')).toEqual({ completionRateBps: 10_000, reputationScore: 775 });
    const last = await h.db.reputationEvent.findFirstOrThrow({ where: { userId: freelancer.id }, orderBy: { id: 'desc' } });
    expect(last).toMatchObject({ kind: 'dispute_split', completionRateBps: 3_333, reputationScore: 508 });
    expect(await h.balance(client.id)).toBe(100_000 - 10_000);
    expect(await h.balance(freelancer.id)).toBe(9_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('a small-claims even split of an odd amount is nobody’s loss', async () => {
    h = await Harness.create({ smallClaimsLimitMinor: 10_000 });
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 4_001);
    const { disputeId } = await h.run('openDispute', client, { milestoneId, reason: 'Half done', claimMinor: 4_001 });
    await h.run('closeSmallClaim', h.operator('mediator'), { disputeId, reason: 'Small claim: split evenly' });
    const d = await h.db.dispute.findUniqueOrThrow({ where: { id: disputeId } });
    expect([Number(d.freelancerShareMinor), Number(d.clientShareMinor)]).toEqual([2_001, 2_000]);
    expect(await userRow(h, freelancer.id)).toMatchObject({ flCompleted: 0, flLost: 0 });
    expect(await userRow(h, client.id)).toMatchObject({ clCompleted: 0, clLost: 0 });
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('previewOutcome agrees with what actually happens', () => {
  it('for a mediator’s decision in the freelancer’s favour, after earlier history', async () => {
    h = await Harness.create();
    const plan = [{ description: 'A', amountMinor: 20_000 }, { description: 'B', amountMinor: 20_000 }];
    const { client, freelancer, milestoneIds } = await h.liveContract({ budget: 40_000, milestones: plan });
    const [a, b] = milestoneIds as [string, string];
    await h.run('fundMilestone', client, { milestoneId: a });
    await h.run('fundMilestone', client, { milestoneId: b });
    await h.run('cancelMilestone', freelancer, { milestoneId: a });
    await topUp(h, freelancer, 1_000);
    const { disputeId } = await h.run('openDispute', client, { milestoneId: b, reason: 'Late', claimMinor: 20_000 });
    await h.run('respondToDispute', freelancer, { disputeId, message: 'On time' });
    await h.run('payArbitrationFee', client, { disputeId });
    await h.run('payArbitrationFee', freelancer, { disputeId });

    const p = await preview(h, freelancer, client, { kind: 'dispute_split', freelancerShareMinor: 15_000, clientShareMinor: 5_000 });
    expect(p.freelancer.before).toEqual(standing(await userRow(h, freelancer.id), 'freelancer'));
    await h.run('decideDispute', h.operator('mediator'), { disputeId, freelancerShareMinor: 15_000, clientShareMinor: 5_000, reason: 'Mostly done' });
    expect(await standings(h, freelancer, client)).toEqual({ freelancer: p.freelancer.after, client: p.client.after });
    // 1 cancelled then 1 won: 50%; the client's lost dispute takes its rate to 0.
    expect(p.freelancer.after.completionRateBps).toBe(5_000);
    expect(p.client.after.completionRateBps).toBe(0);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('for a decision in the client’s favour', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 20_000);
    const { disputeId } = await h.run('openDispute', freelancer, { milestoneId, reason: 'Unpaid', claimMinor: 20_000 });
    await h.run('respondToDispute', client, { disputeId, message: 'Not delivered' });
    await topUp(h, freelancer, 1_000);
    await h.run('payArbitrationFee', freelancer, { disputeId });
    await h.run('payArbitrationFee', client, { disputeId });
    const p = await preview(h, freelancer, client, { kind: 'dispute_split', freelancerShareMinor: 2_000, clientShareMinor: 18_000 });
    await h.run('decideDispute', h.operator('mediator'), { disputeId, freelancerShareMinor: 2_000, clientShareMinor: 18_000, reason: 'Barely started' });
    expect(await standings(h, freelancer, client)).toEqual({ freelancer: p.freelancer.after, client: p.client.after });
    expect(p.freelancer.after.completionRateBps).toBe(0);
    expect(await h.balance(freelancer.id)).toBe(1_800);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('for a release and for a staff cancellation', async () => {
    h = await Harness.create();
    const plan = [{ description: 'A', amountMinor: 10_000 }, { description: 'B', amountMinor: 10_000 }];
    const { client, freelancer, milestoneIds } = await h.liveContract({ budget: 20_000, milestones: plan });
    const [a, b] = milestoneIds as [string, string];
    await h.run('fundMilestone', client, { milestoneId: a });
    await h.run('fundMilestone', client, { milestoneId: b });

    const onRelease = await preview(h, freelancer, client, { kind: 'released' });
    await h.run('markComplete', freelancer, { milestoneId: a });
    await h.run('releaseMilestone', client, { milestoneId: a });
    expect(await standings(h, freelancer, client)).toEqual({ freelancer: onRelease.freelancer.after, client: onRelease.client.after });

    const onCancel = await preview(h, freelancer, client, { kind: 'cancelled_by_staff', noFault: false });
    await h.run('staffCancel', h.operator('staff'), { milestoneId: b, reason: 'Abandoned' });
    expect(await standings(h, freelancer, client)).toEqual({ freelancer: onCancel.freelancer.after, client: onCancel.client.after });
    expect(onCancel.freelancer.after.completionRateBps).toBe(5_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});
