import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, Harness, expectCode } from '../support/harness.js';
import { SYSTEM } from '../../server/engine/types.js';
import { disputeRow, escrowBalance, feesBalance, fundedMilestone, milestoneRow, userRow } from '../support/scenario-helpers.js';

/**
 * Disputes, part one: opening freezes the escrow, the respondent's deadline and the default,
 * negotiation by offers, withdrawal by the filer, evidence and messages, and case assignment.
 * Shares are what the freelancer receives; the client receives the rest of what was disputed.
 */

let h: Harness;
afterEach(async () => h?.close());

describe('opening a dispute freezes the escrow', () => {
  it('freezes what remains after a partial release; the milestone cannot be released, cancelled or disputed again', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 30_000);
    await h.run('releaseMilestone', client, { milestoneId, amountMinor: 10_000 });
    await expectCode(h.run('openDispute', client, { milestoneId, reason: 'Too much', claimMinor: 20_001 }), 'AMOUNT_EXCEEDS_ESCROW');
    await expectCode(h.run('openDispute', await h.user('Otto'), { milestoneId, reason: 'Me too', claimMinor: 1 }), 'ONLY_PARTY');

    const { disputeId, deadlineAt } = await h.run('openDispute', client, { milestoneId, reason: 'Half of it is missing', claimMinor: 20_000 });
    expect(deadlineAt?.getTime()).toBe(h.now.getTime() + 4 * DAY_MS);
    // Fee: 5% of 20,000 = 1,000, above the 500 floor.
    expect(await disputeRow(h, disputeId)).toMatchObject({ filerRole: 'client', respondentId: freelancer.id, disputedMinor: 20_000, claimMinor: 20_000, arbitrationFeeMinor: 1_000, stage: 'filing' });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'disputed', priorState: 'funded' });

    await expectCode(h.run('releaseMilestone', client, { milestoneId, amountMinor: 1_000 }), 'INVALID_STATE');
    await expectCode(h.run('cancelMilestone', freelancer, { milestoneId }), 'INVALID_STATE');
    await expectCode(h.run('staffCancel', h.operator('staff'), { milestoneId, reason: 'x' }), 'INVALID_STATE');
    await expectCode(h.run('openDispute', freelancer, { milestoneId, reason: 'Counter', claimMinor: 20_000 }), 'INVALID_STATE');
    expect(await escrowBalance(h, milestoneId)).toBe(20_000);
    expect(await h.balance(freelancer.id)).toBe(9_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('other milestones on the same contract stay payable while one is disputed', async () => {
    h = await Harness.create();
    const plan = [{ description: 'One', amountMinor: 20_000 }, { description: 'Two', amountMinor: 30_000 }];
    const { client, freelancer, milestoneIds } = await h.liveContract({ milestones: plan });
    const [m1, m2] = milestoneIds as [string, string];
    await h.run('fundMilestone', client, { milestoneId: m1 });
    await h.run('openDispute', client, { milestoneId: m1, reason: 'Late', claimMinor: 20_000 });

    await h.run('fundMilestone', client, { milestoneId: m2 });
    await h.run('markComplete', freelancer, { milestoneId: m2 });
    await h.run('releaseMilestone', client, { milestoneId: m2 });
    expect((await milestoneRow(h, m2)).state).toBe('released');
    expect((await milestoneRow(h, m1)).state).toBe('disputed');
    expect(await h.balance(freelancer.id)).toBe(27_000);
    expect(await h.balance(client.id)).toBe(50_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('respondent deadline and default', () => {
  it('a freelancer respondent has 4 days; then the client filer wins its claim by default', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 20_000);
    // The client asks for 15,000 back, leaving 5,000 to the freelancer.
    const { disputeId } = await h.run('openDispute', client, { milestoneId, reason: 'Only a quarter was done', claimMinor: 15_000 });
    h.advanceDays(3);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ disputesClosed: 0 });
    h.advanceDays(1);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ disputesClosed: 1 });

    expect(await disputeRow(h, disputeId)).toMatchObject({ stage: 'closed', outcome: 'default_no_response', freelancerShareMinor: 5_000, clientShareMinor: 15_000, decidedById: null });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'resolved', releasedMinor: 5_000, refundedMinor: 15_000, feeMinor: 500 });
    expect(await h.balance(client.id)).toBe(95_000);
    expect(await h.balance(freelancer.id)).toBe(4_500);
    expect(await feesBalance(h)).toBe(500);
    expect(await userRow(h, freelancer.id)).toMatchObject({ flLost: 1, flCompleted: 0 });
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('a client respondent has 14 days; then the freelancer filer wins its claim by default', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 20_000);
    await h.run('markComplete', freelancer, { milestoneId });
    const { disputeId, deadlineAt } = await h.run('openDispute', freelancer, { milestoneId, reason: 'Delivered, not paid', claimMinor: 20_000 });
    expect(deadlineAt?.getTime()).toBe(h.now.getTime() + 14 * DAY_MS);
    h.advanceDays(13);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ disputesClosed: 0, released: 0 });
    h.advanceDays(1);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ disputesClosed: 1 });

    expect(await disputeRow(h, disputeId)).toMatchObject({ outcome: 'default_no_response', freelancerShareMinor: 20_000, clientShareMinor: 0 });
    expect(await h.balance(freelancer.id)).toBe(18_000);
    expect(await h.balance(client.id)).toBe(80_000);
    expect(await userRow(h, freelancer.id)).toMatchObject({ flCompleted: 1, flLost: 0 });
    expect(await userRow(h, client.id)).toMatchObject({ clLost: 1, clCompleted: 0 });
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('an answer in time stops the clock; only the respondent can answer', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 20_000);
    const { disputeId } = await h.run('openDispute', client, { milestoneId, reason: 'Late', claimMinor: 20_000 });
    await expectCode(h.run('respondToDispute', client, { disputeId, message: 'me' }), 'ONLY_RESPONDENT');
    h.advanceDays(3);
    expect(await h.run('respondToDispute', freelancer, { disputeId, message: 'It was on time' })).toMatchObject({ stage: 'negotiation' });
    expect(await disputeRow(h, disputeId)).toMatchObject({ stage: 'negotiation', deadlineAt: null });
    h.advanceDays(30);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ disputesClosed: 0 });
    expect(await escrowBalance(h, milestoneId)).toBe(20_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('negotiation', () => {
  it('offers go back and forth; accepting the other party’s latest offer settles the split', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 20_000);
    const { disputeId } = await h.run('openDispute', client, { milestoneId, reason: 'Not what I asked', claimMinor: 20_000 });
    await expectCode(h.run('acceptOffer', freelancer, { disputeId }), 'INVALID_STATE');

    // The freelancer's offer is its answer: the dispute moves to negotiation.
    const first = await h.run('makeOffer', freelancer, { disputeId, freelancerShareMinor: 14_000 });
    expect((await disputeRow(h, disputeId)).stage).toBe('negotiation');
    await expectCode(h.run('makeOffer', client, { disputeId, freelancerShareMinor: 20_001 }), 'AMOUNT_EXCEEDS_ESCROW');
    await h.run('makeOffer', client, { disputeId, freelancerShareMinor: 10_000 });
    // A minute later, so "latest" does not hang on how ties in the offer time are ordered.
    h.now = new Date(h.now.getTime() + 60_000);
    const latest = await h.run('makeOffer', freelancer, { disputeId, freelancerShareMinor: 12_000 });
    await expectCode(h.run('acceptOffer', client, { disputeId, offerId: first.offerId }), 'CONFLICT');

    const settled = await h.run('acceptOffer', client, { disputeId, offerId: latest.offerId });
    expect(settled).toMatchObject({ freelancerShareMinor: 12_000, clientShareMinor: 8_000 });
    expect(await disputeRow(h, disputeId)).toMatchObject({ stage: 'closed', outcome: 'settled' });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'resolved', releasedMinor: 12_000, refundedMinor: 8_000, feeMinor: 1_200 });
    expect(await h.balance(freelancer.id)).toBe(10_800);
    expect(await h.balance(client.id)).toBe(88_000);
    expect(await feesBalance(h)).toBe(1_200);
    expect(await escrowBalance(h, milestoneId)).toBe(0);
    await expectCode(h.run('makeOffer', client, { disputeId, freelancerShareMinor: 1 }), 'INVALID_STATE');
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('withdrawal by the filer', () => {
  it('only the filer may withdraw; the milestone returns to its prior state and both fees are refunded', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 20_000);
    await h.run('deposit', SYSTEM, { userId: freelancer.id, amountMinor: 3_000, currency: 'USD' });
    await h.run('markComplete', freelancer, { milestoneId });
    const { disputeId } = await h.run('openDispute', client, { milestoneId, reason: 'Unhappy', claimMinor: 10_000 });
    await h.run('respondToDispute', freelancer, { disputeId, message: 'Disagree' });
    await h.run('payArbitrationFee', client, { disputeId });
    await h.run('payArbitrationFee', freelancer, { disputeId });
    expect(await h.balance(client.id)).toBe(79_000);
    expect(await h.balance(freelancer.id)).toBe(2_000);
    expect(await h.account(`dispute_fee:${disputeId}`)).toBe(2_000);

    await expectCode(h.run('withdrawDispute', freelancer, { disputeId }), 'ONLY_FILER');
    await h.run('withdrawDispute', client, { disputeId, reason: 'We sorted it out' });
    expect(await disputeRow(h, disputeId)).toMatchObject({ stage: 'closed', outcome: 'withdrawn' });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'completed', priorState: null, releasedMinor: 0, refundedMinor: 0 });
    expect(await h.balance(client.id)).toBe(80_000);
    expect(await h.balance(freelancer.id)).toBe(3_000);
    expect(await h.account(`dispute_fee:${disputeId}`)).toBe(0);
    expect(await userRow(h, freelancer.id)).toMatchObject({ flLost: 0, flCompleted: 0 });

    await h.run('releaseMilestone', client, { milestoneId });
    expect(await h.balance(freelancer.id)).toBe(3_000 + 18_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('withdrawing a dispute over a completed milestone re-arms its automatic release', async () => {
    h = await Harness.create({ autoReleaseDays: 14 });
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 20_000);
    await h.run('markComplete', freelancer, { milestoneId });
    const { disputeId } = await h.run('openDispute', client, { milestoneId, reason: 'Not what we asked for', claimMinor: 20_000 });
    h.advanceDays(5);
    await h.run('withdrawDispute', client, { disputeId });
    const m = await milestoneRow(h, milestoneId);
    expect(m.state).toBe('completed');
    expect(m.autoReleaseAt?.getTime()).toBe(h.now.getTime() + 14 * DAY_MS);
    h.advanceDays(14);
    expect(await h.run('runTimers', SYSTEM, {})).toMatchObject({ released: 1 });
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('evidence and messages', () => {
  it('parties file evidence by sha256 and write messages; mediators may add internal notes', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneId } = await fundedMilestone(h, 20_000);
    const { disputeId } = await h.run('openDispute', freelancer, { milestoneId, reason: 'Unpaid', claimMinor: 20_000 });
    const file = Buffer.from('final-logo.svg contents');
    const sha256 = createHash('sha256').update(file).digest('hex');

    const { evidenceId } = await h.run('submitEvidence', freelancer, { disputeId, fileName: 'final-logo.svg', mediaType: 'image/svg+xml', sizeBytes: file.length, sha256, note: 'Delivered on day 3' });
    expect(await h.db.evidence.findUniqueOrThrow({ where: { id: evidenceId } })).toMatchObject({ submittedById: freelancer.id, sha256, sizeBytes: file.length });
    await expectCode(h.run('submitEvidence', client, { disputeId, fileName: 'x.png', mediaType: 'image/png', sizeBytes: 1, sha256: sha256.toUpperCase() }), 'VALIDATION');
    await expectCode(h.run('submitEvidence', await h.user('Otto'), { disputeId, fileName: 'x.png', mediaType: 'image/png', sizeBytes: 1, sha256 }), 'ONLY_PARTY');

    await h.run('postMessage', client, { disputeId, body: 'The logo was not vector' });
    await expectCode(h.run('postMessage', client, { disputeId, body: 'secret', internal: true }), 'NOT_PERMITTED');
    await h.run('postMessage', h.operator('mediator'), { disputeId, body: 'Check the file history', internal: true });
    await expectCode(h.run('postMessage', h.operator('staff'), { disputeId, body: 'hi' }), 'ONLY_MEDIATOR');
    const messages = await h.db.disputeMessage.findMany({ where: { disputeId }, orderBy: { at: 'asc' } });
    expect(messages.map((m) => [m.authorKind, m.internal])).toEqual([['user', false], ['operator', true]]);

    // Evidence is part of the journal, so its hash is tamper-evident too.
    const entry = await h.db.journalEntry.findFirstOrThrow({ where: { action: 'dispute.evidence' } });
    expect(JSON.parse(entry.payload)).toMatchObject({ evidenceId, sha256 });
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('case assignment', () => {
  it('a mediator claims a case; another mediator then gets CONFLICT until it is released', async () => {
    h = await Harness.create();
    const { client, milestoneId } = await fundedMilestone(h, 20_000);
    const { disputeId } = await h.run('openDispute', client, { milestoneId, reason: 'Late', claimMinor: 20_000 });
    const ann = h.operator('mediator', 'med_ann');
    const bob = h.operator('mediator', 'med_bob');
    await expectCode(h.run('assignDispute', h.operator('staff'), { disputeId, mediatorId: 'op_staff' }), 'ONLY_MEDIATOR');
    await expectCode(h.run('assignDispute', ann, { disputeId, mediatorId: 'med_bob' }), 'ONLY_ADMIN');

    expect(await h.run('assignDispute', ann, { disputeId, mediatorId: 'med_ann' })).toMatchObject({ assignedMediatorId: 'med_ann' });
    await expectCode(h.run('assignDispute', bob, { disputeId, mediatorId: 'med_bob' }), 'CONFLICT');
    await h.run('assignDispute', ann, { disputeId, mediatorId: null });
    await h.run('assignDispute', bob, { disputeId, mediatorId: 'med_bob' });
    await h.run('assignDispute', h.operator('admin'), { disputeId, mediatorId: 'med_ann' });
    expect((await disputeRow(h, disputeId)).assignedMediatorId).toBe('med_ann');
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});
