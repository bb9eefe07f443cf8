import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, Harness, expectCode } from '../support/harness.js';
import { SYSTEM } from '../../server/engine/types.js';
import { disputeRow, escrowBalance, feesBalance, milestoneRow, userRow } from '../support/scenario-helpers.js';

/**
 * Hourly contracts: the bid is the hourly rate, the freelancer logs minutes, the client reviews
 * them. Approved time is billed (minutes × rate / 60, half to even) into escrow as a completed
 * milestone released after hourlyReviewDays; disputed time goes straight to a dispute.
 */

let h: Harness;
afterEach(async () => h?.close());

/** $45.30 an hour: 4,530 ≡ 30 (mod 60), so an odd number of minutes bills to exactly half a cent. */
const RATE = 4_530;

async function hourlyContract(h: Harness, opts: { live?: boolean } = {}) {
  const client = await h.user('Clara', 100_000);
  const freelancer = await h.user('Felix');
  const { projectId } = await h.run('postProject', client, { title: 'Support', description: 'Ongoing', kind: 'hourly', budgetMinor: 100_000, currency: 'USD' });
  const { bidId } = await h.run('placeBid', freelancer, { projectId, amountMinor: RATE, proposal: 'Per hour' });
  const { contractId } = await h.run('awardBid', client, { bidId });
  if (opts.live ?? true) await h.run('goLive', client, { contractId });
  return { client, freelancer, contractId };
}

describe('hourly work approved and released', () => {
  it('bills approved minutes exactly into escrow and releases them after hourlyReviewDays', async () => {
    h = await Harness.create();
    const { client, freelancer, contractId } = await hourlyContract(h);
    expect(await h.db.contract.findUniqueOrThrow({ where: { id: contractId } })).toMatchObject({ kind: 'hourly', hourlyRateMinor: 4_530n });

    const e1 = await h.run('logTime', freelancer, { contractId, day: '2026-01-05', minutes: 90, memo: 'Setup' });
    const e2 = await h.run('logTime', freelancer, { contractId, day: '2026-01-06', minutes: 45, memo: 'Fixes' });
    const e3 = await h.run('logTime', freelancer, { contractId, day: '2026-01-07', minutes: 20, memo: 'Call' });
    // 155 minutes × 4,530 / 60 = 11,702.5 → half to even → 11,702.
    const billed = await h.run('reviewTime', client, { contractId, entryIds: [e1.entryId, e2.entryId, e3.entryId], decision: 'approve' });
    expect(billed).toMatchObject({ amountMinor: 11_702, disputeId: null });
    const m = await milestoneRow(h, billed.milestoneId);
    expect(m).toMatchObject({ state: 'completed', origin: 'hourly', amountMinor: 11_702, fundedMinor: 11_702 });
    expect(m.autoReleaseAt?.getTime()).toBe(h.now.getTime() + 5 * DAY_MS);
    expect(await h.balance(client.id)).toBe(100_000 - 11_702);
    expect(await escrowBalance(h, billed.milestoneId)).toBe(11_702);
    const entries = await h.db.timeEntry.findMany({ where: { contractId } });
    expect(entries.every((e) => e.status === 'approved' && e.milestoneId === billed.milestoneId)).toBe(true);

    h.advanceDays(4);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ released: 0 });
    h.advanceDays(1);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ released: 1 });
    // Commission: 10% of 11,702 = 1,170.2 → 1,170.
    expect((await milestoneRow(h, billed.milestoneId)).state).toBe('released');
    expect(await h.balance(freelancer.id)).toBe(10_532);
    expect(await feesBalance(h)).toBe(1_170);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('rounds a half cent up when the quotient is odd, and bills each review separately', async () => {
    h = await Harness.create();
    const { client, freelancer, contractId } = await hourlyContract(h);
    const a = await h.run('logTime', freelancer, { contractId, day: '2026-01-05', minutes: 61, memo: 'Work' });
    const b = await h.run('logTime', freelancer, { contractId, day: '2026-01-06', minutes: 60, memo: 'Work' });
    // 61 × 4,530 / 60 = 4,605.5 → half to even → 4,606.
    expect((await h.run('reviewTime', client, { contractId, entryIds: [a.entryId], decision: 'approve' })).amountMinor).toBe(4_606);
    // Exactly one hour is the rate.
    const second = await h.run('reviewTime', client, { contractId, entryIds: [b.entryId], decision: 'approve' });
    expect(second.amountMinor).toBe(4_530);
    expect(await h.balance(client.id)).toBe(100_000 - 4_606 - 4_530);
    await expectCode(h.run('reviewTime', client, { contractId, entryIds: [a.entryId], decision: 'approve' }), 'INVALID_STATE');

    // The client need not wait for the timer: a completed milestone can be released at once.
    await h.run('releaseMilestone', client, { milestoneId: second.milestoneId });
    expect(await h.balance(freelancer.id)).toBe(4_530 - 453);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('keeps the roles and the contract state straight', async () => {
    h = await Harness.create();
    const { client, freelancer, contractId } = await hourlyContract(h, { live: false });
    await expectCode(h.run('logTime', freelancer, { contractId, day: '2026-01-05', minutes: 30, memo: 'Early' }), 'CONTRACT_NOT_LIVE');
    await h.run('goLive', client, { contractId });
    await expectCode(h.run('logTime', client, { contractId, day: '2026-01-05', minutes: 30, memo: 'Me' }), 'ONLY_FREELANCER');
    await expectCode(h.run('logTime', freelancer, { contractId, day: '2026-01-05', minutes: 24 * 60 + 1, memo: 'Too long' }), 'VALIDATION');
    await expectCode(h.run('logTime', freelancer, { contractId, day: '5 Jan', minutes: 30, memo: 'Bad day' }), 'VALIDATION');
    const e = await h.run('logTime', freelancer, { contractId, day: '2026-01-05', minutes: 30, memo: 'Ok' });
    await expectCode(h.run('reviewTime', freelancer, { contractId, entryIds: [e.entryId], decision: 'approve' }), 'ONLY_CLIENT');

    const fixed = await h.liveContract();
    await expectCode(h.run('logTime', fixed.freelancer, { contractId: fixed.contractId, day: '2026-01-05', minutes: 30, memo: 'Fixed' }), 'INVALID_STATE');
    expect(await h.balance(client.id)).toBe(100_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('refuses to bill time the client cannot cover, leaving the entries to review again', async () => {
    h = await Harness.create();
    const { client, freelancer, contractId } = await hourlyContract(h);
    await h.run('withdraw', client, { userId: client.id, amountMinor: 99_000, currency: 'USD' });
    const e = await h.run('logTime', freelancer, { contractId, day: '2026-01-05', minutes: 60, memo: 'Work' });
    await expectCode(h.run('reviewTime', client, { contractId, entryIds: [e.entryId], decision: 'approve' }), 'INSUFFICIENT_FUNDS');
    expect(await h.db.milestone.count()).toBe(0);
    expect((await h.db.timeEntry.findUniqueOrThrow({ where: { id: e.entryId } })).status).toBe('logged');
    expect(await h.balance(client.id)).toBe(1_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('hourly work disputed', () => {
  it('disputing time bills it into escrow and opens a dispute filed by the client', async () => {
    h = await Harness.create();
    const { client, freelancer, contractId } = await hourlyContract(h);
    const e1 = await h.run('logTime', freelancer, { contractId, day: '2026-01-05', minutes: 75, memo: 'Research' });
    const e2 = await h.run('logTime', freelancer, { contractId, day: '2026-01-06', minutes: 45, memo: 'More research' });
    await expectCode(h.run('reviewTime', client, { contractId, entryIds: [e1.entryId, e2.entryId], decision: 'dispute' }), 'VALIDATION');

    // 120 minutes × 4,530 / 60 = 9,060.
    const res = await h.run('reviewTime', client, { contractId, entryIds: [e1.entryId, e2.entryId], decision: 'dispute', reason: 'Research was not asked for' });
    expect(res.amountMinor).toBe(9_060);
    expect(res.disputeId).not.toBeNull();
    const d = await disputeRow(h, res.disputeId!);
    expect(d).toMatchObject({ filerId: client.id, filerRole: 'client', respondentId: freelancer.id, claimMinor: 9_060, disputedMinor: 9_060, stage: 'filing', arbitrationFeeMinor: 500 });
    expect(d.deadlineAt?.getTime()).toBe(h.now.getTime() + 4 * DAY_MS);
    expect(await milestoneRow(h, res.milestoneId)).toMatchObject({ state: 'disputed', priorState: 'funded', fundedMinor: 9_060 });
    expect(await h.balance(client.id)).toBe(100_000 - 9_060);
    const entries = await h.db.timeEntry.findMany({ where: { contractId } });
    expect(entries.map((e) => e.status)).toEqual(['disputed', 'disputed']);
    await expectCode(h.run('releaseMilestone', client, { milestoneId: res.milestoneId, amountMinor: 100 }), 'INVALID_STATE');

    // The freelancer does not answer within 4 days: the client gets the whole claim back.
    h.advanceDays(4);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ disputesClosed: 1 });
    expect(await disputeRow(h, res.disputeId!)).toMatchObject({ stage: 'closed', outcome: 'default_no_response', freelancerShareMinor: 0, clientShareMinor: 9_060 });
    expect(await h.balance(client.id)).toBe(100_000);
    expect(await h.balance(freelancer.id)).toBe(0);
    expect(await userRow(h, freelancer.id)).toMatchObject({ flLost: 1, flCompleted: 0 });
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});
