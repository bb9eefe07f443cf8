import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../server/engine/types.js';
import { Harness, expectCode } from '../support/harness.js';
import { disputeRow, fundedMilestone } from '../support/scenario-helpers.js';

let h: Harness;
afterEach(async () => h?.close());

async function disputeReadyForDecision(amount: number) {
  const { client, freelancer, milestoneId } = await fundedMilestone(h, amount);
  const { disputeId } = await h.run('openDispute', client, { milestoneId, reason: 'Late', claimMinor: amount });
  await h.run('respondToDispute', freelancer, { disputeId, message: 'Not late' });
  await h.run('deposit', SYSTEM, { userId: freelancer.id, amountMinor: 10_000, currency: 'USD' });
  await h.run('payArbitrationFee', client, { disputeId });
  await h.run('payArbitrationFee', freelancer, { disputeId });
  return { client, freelancer, milestoneId, disputeId };
}

describe('four eyes on large splits', () => {
  it('holds a split above the threshold until a second mediator approves it; no money moves before', async () => {
    h = await Harness.create({ splitApprovalAboveMinor: 30_000 });
    const { freelancer, disputeId } = await disputeReadyForDecision(40_000);
    const before = await h.balance(freelancer.id);
    const first = h.operator('mediator', 'med_a');
    const proposed = await h.run('decideDispute', first, { disputeId, freelancerShareMinor: 30_000, clientShareMinor: 10_000, reason: 'Mostly delivered' });
    expect(proposed).toMatchObject({ status: 'pending_approval' });
    expect(await h.balance(freelancer.id)).toBe(before);
    expect((await disputeRow(h, disputeId)).stage).toBe('decision');
    await expectCode(h.run('decideDispute', h.operator('mediator', 'med_b'), { disputeId, freelancerShareMinor: 0, clientShareMinor: 40_000, reason: 'other' }), 'INVALID_STATE');
    await expectCode(h.run('decideSplitApproval', first, { approvalId: proposed.approvalId!, approve: true, reason: 'self' }), 'NOT_PERMITTED');
    await h.run('decideSplitApproval', h.operator('admin', 'adm_a'), { approvalId: proposed.approvalId!, approve: true, reason: 'Checked the evidence' });
    expect(await disputeRow(h, disputeId)).toMatchObject({ stage: 'closed', outcome: 'decided', freelancerShareMinor: 30_000, clientShareMinor: 10_000 });
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('a rejected proposal leaves the dispute waiting for a new decision', async () => {
    h = await Harness.create({ splitApprovalAboveMinor: 30_000 });
    const { disputeId } = await disputeReadyForDecision(40_000);
    const proposed = await h.run('decideDispute', h.operator('mediator', 'med_a'), { disputeId, freelancerShareMinor: 40_000, clientShareMinor: 0, reason: 'All delivered' });
    await h.run('decideSplitApproval', h.operator('mediator', 'med_b'), { approvalId: proposed.approvalId!, approve: false, reason: 'The evidence shows a missed deadline' });
    const again = await h.run('decideDispute', h.operator('mediator', 'med_a'), { disputeId, freelancerShareMinor: 20_000, clientShareMinor: 20_000, reason: 'Split' });
    expect(again.status).toBe('pending_approval');
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('decides at once at or below the threshold', async () => {
    h = await Harness.create({ splitApprovalAboveMinor: 40_000 });
    const { disputeId } = await disputeReadyForDecision(40_000);
    const decided = await h.run('decideDispute', h.operator('mediator'), { disputeId, freelancerShareMinor: 1, clientShareMinor: 39_999, reason: 'Refund' });
    expect(decided.status).toBe('decided');
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});
