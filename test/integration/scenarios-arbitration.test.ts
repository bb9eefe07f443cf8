import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, Harness, expectCode } from '../support/harness.js';
import { SYSTEM } from '../../server/engine/types.js';
import { disputeRow, escrowBalance, feesBalance, fundedMilestone, journalLength, milestoneRow, topUp, userRow } from '../support/scenario-helpers.js';

/**
 * Disputes, part two: the arbitration fee (each side pays max(5% of the disputed amount, 500)),
 * the default when one side does not pay, the mediator's decision (winner's fee refunded,
 * loser's fee to the platform's fees account) and the small-claims even split.
 */

let h: Harness;
afterEach(async () => h?.close());

/** A 20,000 milestone the client disputes in full; the freelancer answers, so it is in negotiation. */
async function negotiating(h: Harness, opts: { amount?: number; claim?: number; freelancerFunds?: number } = {}) {
  const amount = opts.amount ?? 20_000;
  const c = await fundedMilestone(h, amount);
  if ((opts.freelancerFunds ?? 0) > 0) await topUp(h, c.freelancer, opts.freelancerFunds!);
  const { disputeId } = await h.run('openDispute', c.client, { milestoneId: c.milestoneId, reason: 'Not delivered', claimMinor: opts.claim ?? amount });
  await h.run('respondToDispute', c.freelancer, { disputeId, message: 'It was delivered' });
  return { ...c, disputeId };
}

describe('arbitration fee paid by one side only', () => {
  it('the client filer pays, the freelancer does not within arbitrationPayDays: the client wins its claim', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId, disputeId } = await negotiating(h, { claim: 15_000 });
    await expectCode(h.run('payArbitrationFee', freelancer, { disputeId }), 'INSUFFICIENT_FUNDS');
    const paid = await h.run('payArbitrationFee', client, { disputeId });
    expect(paid.stage).toBe('arbitration');
    expect(paid.deadlineAt?.getTime()).toBe(h.now.getTime() + 4 * DAY_MS);
    expect(await h.balance(client.id)).toBe(80_000 - 1_000);
    expect(await h.account(`dispute_fee:${disputeId}`)).toBe(1_000);
    await expectCode(h.run('payArbitrationFee', client, { disputeId }), 'INVALID_STATE');
    await expectCode(h.run('makeOffer', freelancer, { disputeId, freelancerShareMinor: 10_000 }), 'INVALID_STATE');

    h.advanceDays(3);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ disputesClosed: 0 });
    h.advanceDays(1);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ disputesClosed: 1 });
    // The payer is the filer, so the filer's claim stands: 15,000 to the client, 5,000 to the freelancer.
    expect(await disputeRow(h, disputeId)).toMatchObject({ outcome: 'default_fee_unpaid', freelancerShareMinor: 5_000, clientShareMinor: 15_000 });
    expect(await h.balance(client.id)).toBe(95_000);
    expect(await h.balance(freelancer.id)).toBe(4_500);
    expect(await h.account(`dispute_fee:${disputeId}`)).toBe(0);
    expect(await feesBalance(h)).toBe(500);
    expect((await milestoneRow(h, milestoneId)).state).toBe('resolved');
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('the freelancer respondent pays, the client filer does not: the freelancer gets everything', async () => {
    h = await Harness.create();
    const { client, freelancer, disputeId } = await negotiating(h, { freelancerFunds: 1_000 });
    await h.run('payArbitrationFee', freelancer, { disputeId });
    expect(await h.balance(freelancer.id)).toBe(0);
    h.advanceDays(4);
    await h.run('runTimers', SYSTEM, {});
    expect(await disputeRow(h, disputeId)).toMatchObject({ outcome: 'default_fee_unpaid', freelancerShareMinor: 20_000, clientShareMinor: 0 });
    expect(await h.balance(freelancer.id)).toBe(1_000 + 18_000);
    expect(await h.balance(client.id)).toBe(80_000);
    expect(await userRow(h, freelancer.id)).toMatchObject({ flCompleted: 1 });
    expect(await userRow(h, client.id)).toMatchObject({ clLost: 1 });
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('the fee cannot be paid before the respondent has answered', async () => {
    h = await Harness.create();
    const { client, milestoneId } = await fundedMilestone(h, 20_000);
    const { disputeId } = await h.run('openDispute', client, { milestoneId, reason: 'Late', claimMinor: 20_000 });
    await expectCode(h.run('payArbitrationFee', client, { disputeId }), 'INVALID_STATE');
    expect(await h.balance(client.id)).toBe(80_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('mediator decision after both paid', () => {
  it('the split must add up; the winner’s fee is refunded and the loser’s goes to the fees account', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId, disputeId } = await negotiating(h, { freelancerFunds: 1_000 });
    const mediator = h.operator('mediator', 'med_ann');
    await expectCode(h.run('decideDispute', mediator, { disputeId, freelancerShareMinor: 15_000, clientShareMinor: 5_000, reason: 'early' }), 'INVALID_STATE');
    await h.run('payArbitrationFee', client, { disputeId });
    expect((await h.run('payArbitrationFee', freelancer, { disputeId })).stage).toBe('decision');
    expect(await h.account(`dispute_fee:${disputeId}`)).toBe(2_000);
    // No deadline runs in the decision stage.
    h.advanceDays(30);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ disputesClosed: 0 });

    const journalBefore = await journalLength(h);
    await expectCode(h.run('decideDispute', mediator, { disputeId, freelancerShareMinor: 15_000, clientShareMinor: 4_999, reason: 'x' }), 'SPLIT_MISMATCH');
    await expectCode(h.run('decideDispute', mediator, { disputeId, freelancerShareMinor: 15_000, clientShareMinor: 5_001, reason: 'x' }), 'SPLIT_MISMATCH');
    await expectCode(h.run('decideDispute', h.operator('staff'), { disputeId, freelancerShareMinor: 15_000, clientShareMinor: 5_000, reason: 'x' }), 'ONLY_MEDIATOR');
    await expectCode(h.run('decideDispute', client, { disputeId, freelancerShareMinor: 0, clientShareMinor: 20_000, reason: 'x' }), 'ONLY_MEDIATOR');
    expect(await journalLength(h)).toBe(journalBefore);

    await h.run('decideDispute', mediator, { disputeId, freelancerShareMinor: 15_000, clientShareMinor: 5_000, reason: 'Mostly delivered' });
    expect(await disputeRow(h, disputeId)).toMatchObject({ stage: 'closed', outcome: 'decided', decidedById: 'med_ann', freelancerShareMinor: 15_000, clientShareMinor: 5_000 });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'resolved', releasedMinor: 15_000, refundedMinor: 5_000, feeMinor: 1_500 });
    // Freelancer: paid 1,000 fee, got it back, plus 15,000 less 1,500 commission.
    expect(await h.balance(freelancer.id)).toBe(1_000 - 1_000 + 1_000 + 13_500);
    // Client: 80,000 after funding, paid 1,000 fee (forfeited), got 5,000 back.
    expect(await h.balance(client.id)).toBe(80_000 - 1_000 + 5_000);
    expect(await h.account(`fees:${h.marketplaceId}:USD`)).toBe(1_500 + 1_000);
    expect(await h.account(`dispute_fee:${disputeId}`)).toBe(0);
    expect(await escrowBalance(h, milestoneId)).toBe(0);
    expect(await userRow(h, freelancer.id)).toMatchObject({ flCompleted: 1, flLost: 0 });
    expect(await userRow(h, client.id)).toMatchObject({ clLost: 1 });
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('when the client wins, the freelancer’s fee is forfeited', async () => {
    h = await Harness.create();
    const { client, freelancer, disputeId } = await negotiating(h, { freelancerFunds: 1_000 });
    await h.run('payArbitrationFee', freelancer, { disputeId });
    await h.run('payArbitrationFee', client, { disputeId });
    await h.run('decideDispute', h.operator('admin'), { disputeId, freelancerShareMinor: 4_000, clientShareMinor: 16_000, reason: 'Little was delivered' });
    expect(await h.balance(freelancer.id)).toBe(3_600);
    expect(await h.balance(client.id)).toBe(80_000 - 1_000 + 1_000 + 16_000);
    expect(await feesBalance(h)).toBe(400 + 1_000);
    expect(await userRow(h, freelancer.id)).toMatchObject({ flLost: 1, flCompleted: 0 });
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('an even split is nobody’s loss: both fees are refunded and no counter moves', async () => {
    h = await Harness.create();
    const { client, freelancer, disputeId } = await negotiating(h, { freelancerFunds: 1_000 });
    await h.run('payArbitrationFee', client, { disputeId });
    await h.run('payArbitrationFee', freelancer, { disputeId });
    const { version } = await disputeRow(h, disputeId);
    await expectCode(h.run('decideDispute', h.operator('mediator'), { disputeId, freelancerShareMinor: 10_000, clientShareMinor: 10_000, reason: 'x', expectedVersion: version - 1 }), 'CONFLICT');
    await h.run('decideDispute', h.operator('mediator'), { disputeId, freelancerShareMinor: 10_000, clientShareMinor: 10_000, reason: 'Half done', expectedVersion: version });
    expect(await h.balance(freelancer.id)).toBe(1_000 + 9_000);
    expect(await h.balance(client.id)).toBe(80_000 + 10_000);
    expect(await feesBalance(h)).toBe(1_000);
    expect(await userRow(h, freelancer.id)).toMatchObject({ flCompleted: 0, flLost: 0 });
    expect(await userRow(h, client.id)).toMatchObject({ clCompleted: 0, clLost: 0 });
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('small claims', () => {
  it('below smallClaimsLimitMinor a mediator closes the dispute as an even split, refunding any fees', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId, disputeId } = await negotiating(h, { amount: 4_000, freelancerFunds: 500 });
    // 5% of 4,000 is 200: the 500 floor applies.
    expect((await disputeRow(h, disputeId)).arbitrationFeeMinor).toBe(500);
    await h.run('payArbitrationFee', freelancer, { disputeId });
    await expectCode(h.run('closeSmallClaim', client, { disputeId, reason: 'x' }), 'ONLY_MEDIATOR');

    await h.run('closeSmallClaim', h.operator('mediator'), { disputeId, reason: 'Small amount, split it' });
    expect(await disputeRow(h, disputeId)).toMatchObject({ outcome: 'small_claims', freelancerShareMinor: 2_000, clientShareMinor: 2_000 });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'resolved', releasedMinor: 2_000, refundedMinor: 2_000 });
    expect(await h.balance(freelancer.id)).toBe(500 + 1_800);
    expect(await h.balance(client.id)).toBe(96_000 + 2_000);
    expect(await feesBalance(h)).toBe(200);
    expect(await h.account(`dispute_fee:${disputeId}`)).toBe(0);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('at or above the limit it is refused (NOT_SMALL_CLAIM)', async () => {
    h = await Harness.create();
    const { milestoneId, disputeId } = await negotiating(h, { amount: 5_000 });
    await expectCode(h.run('closeSmallClaim', h.operator('mediator'), { disputeId, reason: 'Split' }), 'NOT_SMALL_CLAIM');
    expect((await disputeRow(h, disputeId)).stage).toBe('negotiation');
    expect(await escrowBalance(h, milestoneId)).toBe(5_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});
