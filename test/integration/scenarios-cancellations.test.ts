import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../server/engine/types.js';
import { Harness, expectCode } from '../support/harness.js';
import { escrowBalance, fundedMilestone, journalLength, milestoneRow, userRow } from '../support/scenario-helpers.js';

/**
 * Cancellations by platform staff: applied at once at or below staffCancelApprovalAboveMinor,
 * otherwise held for a second person (an admin) to approve or reject; an admin may override an
 * applied one, which escrows the refund again; staff may mark one as nobody's fault.
 */

let h: Harness;
afterEach(async () => h?.close());

const scx = (h: Harness, id: string) => h.db.staffCancellation.findUniqueOrThrow({ where: { id } });

describe('staff cancellation below the threshold', () => {
  it('is applied at once and refunds what remains to the client', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 30_000);
    await h.run('releaseMilestone', client, { milestoneId, amountMinor: 10_000 });
    await expectCode(h.run('staffCancel', client, { milestoneId, reason: 'x' }), 'ONLY_STAFF');
    await expectCode(h.run('staffCancel', h.operator('mediator'), { milestoneId, reason: 'x' }), 'ONLY_STAFF');

    const { cancellationId, status } = await h.run('staffCancel', h.operator('staff'), { milestoneId, reason: 'Fraud report confirmed' });
    expect(status).toBe('applied');
    expect(await scx(h, cancellationId)).toMatchObject({ status: 'applied', operatorId: 'op_staff', amountMinor: 20_000n, priorState: 'funded' });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'cancelled', priorState: 'funded', cancelledBy: 'op_staff', refundedMinor: 20_000 });
    expect(await h.balance(client.id)).toBe(90_000);
    expect(await h.balance(freelancer.id)).toBe(9_000);
    expect(await escrowBalance(h, milestoneId)).toBe(0);
    expect(await userRow(h, freelancer.id)).toMatchObject({ flCancelled: 1, flNoFault: 0 });
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('staff cancellation above the threshold (four eyes)', () => {
  it('waits in cancel_pending until a different admin approves; then the client is refunded', async () => {
    h = await Harness.create({ staffCancelApprovalAboveMinor: 20_000 });
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 25_000);
    const requester = h.operator('admin', 'adm_ana');
    const { cancellationId, status } = await h.run('staffCancel', requester, { milestoneId, reason: 'Client reports non-delivery' });
    expect(status).toBe('pending_approval');
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'cancel_pending', priorState: 'funded' });
    expect(await h.balance(client.id)).toBe(75_000);
    expect(await escrowBalance(h, milestoneId)).toBe(25_000);
    await expectCode(h.run('releaseMilestone', client, { milestoneId, amountMinor: 1_000 }), 'INVALID_STATE');
    await expectCode(h.run('cancelMilestone', freelancer, { milestoneId }), 'INVALID_STATE');

    await expectCode(h.run('decideStaffCancellation', requester, { cancellationId, approve: true, reason: 'me' }), 'NOT_PERMITTED');
    await expectCode(h.run('decideStaffCancellation', h.operator('staff'), { cancellationId, approve: true, reason: 'ok' }), 'ONLY_ADMIN');
    const decided = await h.run('decideStaffCancellation', h.operator('admin', 'adm_ben'), { cancellationId, approve: true, reason: 'Checked the messages' });
    expect(decided).toMatchObject({ status: 'applied', refundedMinor: 25_000 });
    expect(await scx(h, cancellationId)).toMatchObject({ status: 'applied', decidedById: 'adm_ben' });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'cancelled', priorState: 'funded', refundedMinor: 25_000 });
    expect(await h.balance(client.id)).toBe(100_000);
    expect((await userRow(h, freelancer.id)).flCancelled).toBe(1);
    await expectCode(h.run('decideStaffCancellation', h.operator('admin', 'adm_cy'), { cancellationId, approve: false, reason: 'late' }), 'INVALID_STATE');
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('a rejected cancellation returns the milestone to its prior state with the money still in escrow', async () => {
    h = await Harness.create({ staffCancelApprovalAboveMinor: 20_000 });
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 25_000);
    await h.run('markComplete', freelancer, { milestoneId });
    const { cancellationId } = await h.run('staffCancel', h.operator('staff', 'stf_1'), { milestoneId, reason: 'Suspicious' });
    const rejected = await h.run('decideStaffCancellation', h.operator('admin', 'adm_ben'), { cancellationId, approve: false, reason: 'Work was delivered' });
    expect(rejected).toMatchObject({ status: 'rejected', refundedMinor: 0 });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'completed', priorState: null, refundedMinor: 0 });
    expect(await escrowBalance(h, milestoneId)).toBe(25_000);
    expect((await userRow(h, freelancer.id)).flCancelled).toBe(0);

    await h.run('releaseMilestone', client, { milestoneId });
    expect(await h.balance(freelancer.id)).toBe(22_500);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('re-arms the automatic release of a completed milestone after a rejected cancellation', async () => {
    h = await Harness.create({ staffCancelApprovalAboveMinor: 20_000, autoReleaseDays: 14 });
    const { freelancer, milestoneId } = await fundedMilestone(h, 25_000);
    await h.run('markComplete', freelancer, { milestoneId });
    const { cancellationId } = await h.run('staffCancel', h.operator('staff', 'stf_1'), { milestoneId, reason: 'Suspicious' });
    h.advanceDays(3);
    await h.run('decideStaffCancellation', h.operator('admin', 'adm_ben'), { cancellationId, approve: false, reason: 'Work was delivered' });
    // A fresh window from the rejection: the client lost the days the cancellation took.
    h.advanceDays(13);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ released: 0 });
    h.advanceDays(1);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ released: 1 });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'released' });
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('exactly at the threshold it is still applied at once', async () => {
    h = await Harness.create({ staffCancelApprovalAboveMinor: 20_000 });
    const { client, milestoneId } = await fundedMilestone(h, 20_000);
    expect((await h.run('staffCancel', h.operator('staff'), { milestoneId, reason: 'Duplicate' })).status).toBe('applied');
    expect(await h.balance(client.id)).toBe(100_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('admin override of an applied cancellation', () => {
  it('reinstates the milestone to its prior state and escrows the refund again', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 30_000);
    await h.run('markComplete', freelancer, { milestoneId });
    const { cancellationId } = await h.run('staffCancel', h.operator('staff'), { milestoneId, reason: 'Mistaken report' });
    expect(await h.balance(client.id)).toBe(100_000);
    expect((await userRow(h, freelancer.id)).flCancelled).toBe(1);

    await expectCode(h.run('overrideStaffCancellation', h.operator('staff'), { cancellationId, reason: 'x' }), 'ONLY_ADMIN');
    const restored = await h.run('overrideStaffCancellation', h.operator('admin'), { cancellationId, reason: 'Report was false' });
    expect(restored).toMatchObject({ state: 'completed', reinstatedMinor: 30_000 });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'completed', cancelledBy: null, fundedMinor: 60_000, refundedMinor: 30_000 });
    expect(await escrowBalance(h, milestoneId)).toBe(30_000);
    expect(await h.balance(client.id)).toBe(70_000);
    expect((await userRow(h, freelancer.id)).flCancelled).toBe(0);
    expect((await scx(h, cancellationId)).status).toBe('overridden');
    await expectCode(h.run('overrideStaffCancellation', h.operator('admin'), { cancellationId, reason: 'again' }), 'INVALID_STATE');

    await h.run('releaseMilestone', client, { milestoneId });
    expect(await h.balance(freelancer.id)).toBe(27_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('is refused with INSUFFICIENT_FUNDS once the client has withdrawn the refund, and changes nothing', async () => {
    h = await Harness.create();
    const { client, milestoneId } = await fundedMilestone(h, 30_000);
    const { cancellationId } = await h.run('staffCancel', h.operator('staff'), { milestoneId, reason: 'Mistaken report' });
    await h.run('withdraw', client, { userId: client.id, amountMinor: 95_000, currency: 'USD' });
    expect(await h.balance(client.id)).toBe(5_000);
    const journalBefore = await journalLength(h);

    await expectCode(h.run('overrideStaffCancellation', h.operator('admin'), { cancellationId, reason: 'Report was false' }), 'INSUFFICIENT_FUNDS');
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'cancelled', fundedMinor: 30_000, refundedMinor: 30_000 });
    expect((await scx(h, cancellationId)).status).toBe('applied');
    expect(await h.balance(client.id)).toBe(5_000);
    expect(await journalLength(h)).toBe(journalBefore);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('no-fault cancellations', () => {
  it('marking a staff cancellation no-fault moves it from flCancelled to flNoFault', async () => {
    h = await Harness.create();
    const { freelancer, milestoneId } = await fundedMilestone(h, 10_000);
    await h.run('staffCancel', h.operator('staff'), { milestoneId, reason: 'Client vanished' });
    expect(await userRow(h, freelancer.id)).toMatchObject({ flCancelled: 1, flNoFault: 0 });

    await expectCode(h.run('markCancellationNoFault', freelancer, { milestoneId, reason: 'me' }), 'ONLY_STAFF');
    await h.run('markCancellationNoFault', h.operator('staff'), { milestoneId, reason: 'Not the freelancer’s fault' });
    expect(await userRow(h, freelancer.id)).toMatchObject({ flCancelled: 0, flNoFault: 1 });
    expect((await milestoneRow(h, milestoneId)).cancelNoFault).toBe(true);
    await expectCode(h.run('markCancellationNoFault', h.operator('admin'), { milestoneId, reason: 'again' }), 'INVALID_STATE');
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('a cancellation made no-fault from the start, and one by the freelancer marked later, both leave the rate whole', async () => {
    h = await Harness.create();
    const { client, freelancer, contractId } = await h.liveContract();
    const a = await h.run('createMilestone', freelancer, { contractId, description: 'A', amountMinor: 10_000 });
    const b = await h.run('createMilestone', freelancer, { contractId, description: 'B', amountMinor: 10_000 });
    await h.run('fundMilestone', client, { milestoneId: a.milestoneId });
    await h.run('fundMilestone', client, { milestoneId: b.milestoneId });
    await h.run('staffCancel', h.operator('staff'), { milestoneId: a.milestoneId, reason: 'Platform outage', noFault: true });
    expect(await userRow(h, freelancer.id)).toMatchObject({ flCancelled: 0, flNoFault: 1 });

    await h.run('cancelMilestone', freelancer, { milestoneId: b.milestoneId });
    expect(await userRow(h, freelancer.id)).toMatchObject({ flCancelled: 1, flNoFault: 1 });
    await h.run('markCancellationNoFault', h.operator('staff'), { milestoneId: b.milestoneId, reason: 'Client changed scope' });
    expect(await userRow(h, freelancer.id)).toMatchObject({ flCancelled: 0, flNoFault: 2 });
    expect(await h.balance(client.id)).toBe(100_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('overriding a no-fault cancellation takes the no-fault count back', async () => {
    h = await Harness.create();
    const { freelancer, milestoneId } = await fundedMilestone(h, 10_000);
    const { cancellationId } = await h.run('staffCancel', h.operator('staff'), { milestoneId, reason: 'Outage', noFault: true });
    await h.run('overrideStaffCancellation', h.operator('admin'), { cancellationId, reason: 'Outage was elsewhere' });
    expect(await userRow(h, freelancer.id)).toMatchObject({ flCancelled: 0, flNoFault: 0 });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'funded', cancelNoFault: false });
    expect(await escrowBalance(h, milestoneId)).toBe(10_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});
