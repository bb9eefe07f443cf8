import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, Harness, expectCode } from '../support/harness.js';
import { SYSTEM } from '../../server/engine/types.js';
import { escrowBalance, feesBalance, fundedMilestone, journalLength, milestoneRow, transferCount, userRow } from '../support/scenario-helpers.js';

/**
 * Money in escrow: staggered releases, completion and revision, who holds which half of the
 * control, refusals that change nothing, idempotent retries and the automatic release.
 * Commission is 10% of each release, rounded half to even, worked out by hand below.
 */

let h: Harness;
afterEach(async () => h?.close());

describe('partial releases', () => {
  it('releases a milestone in several parts, then the rest once it is marked complete', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 50_000);

    // 10% of 10,000 = 1,000 exactly.
    expect(await h.run('releaseMilestone', client, { milestoneId, amountMinor: 10_000 })).toMatchObject({ commissionMinor: 1_000, state: 'funded' });
    // 10% of 12,345 = 1,234.5: half to even gives 1,234.
    expect(await h.run('releaseMilestone', client, { milestoneId, amountMinor: 12_345 })).toMatchObject({ commissionMinor: 1_234, state: 'funded' });
    // 10% of 5,555 = 555.5: half to even gives 556.
    expect(await h.run('releaseMilestone', client, { milestoneId, amountMinor: 5_555 })).toMatchObject({ commissionMinor: 556, state: 'funded' });
    expect(await h.balance(freelancer.id)).toBe(9_000 + 11_111 + 4_999);
    expect(await escrowBalance(h, milestoneId)).toBe(50_000 - 27_900);

    // The remaining 22,100 is the whole: it waits for the freelancer to mark the work complete.
    await expectCode(h.run('releaseMilestone', client, { milestoneId, amountMinor: 22_100 }), 'INVALID_STATE');
    await h.run('markComplete', freelancer, { milestoneId });
    expect(await h.run('releaseMilestone', client, { milestoneId })).toMatchObject({ releasedMinor: 22_100, commissionMinor: 2_210, state: 'released' });

    expect(await h.balance(freelancer.id)).toBe(45_000);
    expect(await feesBalance(h)).toBe(5_000);
    expect(await h.balance(client.id)).toBe(50_000);
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ releasedMinor: 50_000, refundedMinor: 0, feeMinor: 5_000, state: 'released' });
    expect(await escrowBalance(h, milestoneId)).toBe(0);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('refuses to release more than remains in escrow', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 20_000);
    await h.run('releaseMilestone', client, { milestoneId, amountMinor: 5_000 });
    await h.run('markComplete', freelancer, { milestoneId });
    await expectCode(h.run('releaseMilestone', client, { milestoneId, amountMinor: 15_001 }), 'AMOUNT_EXCEEDS_ESCROW');
    expect(await escrowBalance(h, milestoneId)).toBe(15_000);
    expect(await h.balance(freelancer.id)).toBe(4_500);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('completion and revision', () => {
  it('a full release waits for markComplete; a revision request sends the milestone back to work', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 30_000);
    await expectCode(h.run('releaseMilestone', client, { milestoneId }), 'INVALID_STATE');
    await expectCode(h.run('markComplete', client, { milestoneId }), 'ONLY_FREELANCER');

    const { autoReleaseAt } = await h.run('markComplete', freelancer, { milestoneId });
    expect(autoReleaseAt?.getTime()).toBe(h.now.getTime() + 14 * DAY_MS);
    await expectCode(h.run('requestRevision', freelancer, { milestoneId, message: 'x' }), 'ONLY_CLIENT');
    await h.run('requestRevision', client, { milestoneId, message: 'The colours are off' });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'funded', autoReleaseAt: null });
    await expectCode(h.run('releaseMilestone', client, { milestoneId }), 'INVALID_STATE');

    await h.run('markComplete', freelancer, { milestoneId });
    await h.run('releaseMilestone', client, { milestoneId });
    expect(await h.balance(freelancer.id)).toBe(27_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('each side holds half the control', () => {
  it('the client cannot cancel and the freelancer cannot release', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 30_000);
    const outsider = await h.user('Otto', 1_000);
    await expectCode(h.run('cancelMilestone', client, { milestoneId }), 'ONLY_FREELANCER');
    await expectCode(h.run('releaseMilestone', freelancer, { milestoneId, amountMinor: 1_000 }), 'ONLY_CLIENT');
    await expectCode(h.run('releaseMilestone', outsider, { milestoneId, amountMinor: 1_000 }), 'ONLY_CLIENT');
    expect(await escrowBalance(h, milestoneId)).toBe(30_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('the freelancer cancels: what remains after a partial release goes back to the client', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 30_000);
    await h.run('releaseMilestone', client, { milestoneId, amountMinor: 10_000 });
    const cancelled = await h.run('cancelMilestone', freelancer, { milestoneId, reason: 'Cannot finish' });
    expect(cancelled.refundedMinor).toBe(20_000);
    expect(await h.balance(client.id)).toBe(100_000 - 30_000 + 20_000);
    expect(await h.balance(freelancer.id)).toBe(9_000);
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'cancelled', cancelledBy: freelancer.id, releasedMinor: 10_000, refundedMinor: 20_000 });
    expect((await userRow(h, freelancer.id)).flCancelled).toBe(1);
    await expectCode(h.run('releaseMilestone', client, { milestoneId, amountMinor: 1 }), 'INVALID_STATE');
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('insufficient funds', () => {
  it('refuses to fund and changes nothing: balances, milestone, transfers and journal stay as they were', async () => {
    h = await Harness.create();
    const { client, contractId, freelancer } = await h.liveContract({ clientFunds: 10_000 });
    const { milestoneId } = await h.run('createMilestone', freelancer, { contractId, description: 'Big job', amountMinor: 25_000 });
    const journalBefore = await journalLength(h);
    const transfersBefore = await transferCount(h);

    await expectCode(h.run('fundMilestone', client, { milestoneId }), 'INSUFFICIENT_FUNDS');
    expect(await h.balance(client.id)).toBe(10_000);
    expect(await escrowBalance(h, milestoneId)).toBe(0);
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'approved', fundedMinor: 0, version: 0 });
    expect(await journalLength(h)).toBe(journalBefore);
    expect(await transferCount(h)).toBe(transfersBefore);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('idempotent retries', () => {
  it('the same key returns the same result and moves the money once', async () => {
    h = await Harness.create();
    const { client, freelancer, contractId } = await h.liveContract();
    const { milestoneId } = await h.run('createMilestone', freelancer, { contractId, description: 'Work', amountMinor: 20_000 });
    const first = await h.run('fundMilestone', client, { milestoneId }, 'fund-1');
    const journalAfterFirst = await journalLength(h);
    const transfersAfterFirst = await transferCount(h);
    const retry = await h.run('fundMilestone', client, { milestoneId }, 'fund-1');
    expect(retry).toEqual(first);
    expect(await h.balance(client.id)).toBe(80_000);
    expect(await journalLength(h)).toBe(journalAfterFirst);
    expect(await transferCount(h)).toBe(transfersAfterFirst);

    const r1 = await h.run('releaseMilestone', client, { milestoneId, amountMinor: 5_000 }, 'rel-1');
    const r2 = await h.run('releaseMilestone', client, { milestoneId, amountMinor: 5_000 }, 'rel-1');
    expect(r2).toEqual(r1);
    expect(await h.balance(freelancer.id)).toBe(4_500);
    expect(await escrowBalance(h, milestoneId)).toBe(15_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('the same key with a different request is refused (IDEMPOTENCY_KEY_REUSED)', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 20_000);
    await h.run('releaseMilestone', client, { milestoneId, amountMinor: 1_000 }, 'rel-x');
    await expectCode(h.run('releaseMilestone', client, { milestoneId, amountMinor: 2_000 }, 'rel-x'), 'IDEMPOTENCY_KEY_REUSED');
    expect(await h.balance(freelancer.id)).toBe(900);
    expect(await escrowBalance(h, milestoneId)).toBe(19_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('automatic release', () => {
  it('runTimers releases a completed milestone once autoReleaseDays have passed, not before', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 40_000);
    await expectCode(h.run('runTimers', client, {}), 'NOT_PERMITTED');
    await h.run('markComplete', freelancer, { milestoneId });

    h.advanceDays(13);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ released: 0 });
    expect((await milestoneRow(h, milestoneId)).state).toBe('completed');

    h.advanceDays(1);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ released: 1, more: false });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'released', releasedMinor: 40_000, feeMinor: 4_000, autoReleaseAt: null });
    expect(await h.balance(freelancer.id)).toBe(36_000);
    expect(await h.balance(client.id)).toBe(60_000);
    expect((await userRow(h, freelancer.id)).flCompleted).toBe(1);
    expect((await userRow(h, client.id)).clCompleted).toBe(1);
    const last = await h.db.journalEntry.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    expect(last).toMatchObject({ actorKind: 'system', action: 'milestone.auto_release' });
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('a milestone that is only funded (not marked complete) is never released automatically', async () => {
    h = await Harness.create();
    const { freelancer, milestoneId } = await fundedMilestone(h, 40_000);
    h.advanceDays(60);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ released: 0 });
    expect((await milestoneRow(h, milestoneId)).state).toBe('funded');
    expect(await h.balance(freelancer.id)).toBe(0);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('with autoReleaseDays 0 nothing is released automatically', async () => {
    h = await Harness.create({ autoReleaseDays: 0 });
    const { freelancer, milestoneId } = await fundedMilestone(h, 40_000);
    expect((await h.run('markComplete', freelancer, { milestoneId })).autoReleaseAt).toBeNull();
    h.advanceDays(365);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ released: 0 });
    expect((await milestoneRow(h, milestoneId)).state).toBe('completed');
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});
