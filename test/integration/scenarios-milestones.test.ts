import { afterEach, describe, expect, it } from 'vitest';
import { Harness, expectCode } from '../support/harness.js';
import { escrowBalance, feesBalance, journalLength, milestoneRow, proposalContract } from '../support/scenario-helpers.js';

/**
 * Who creates milestones, and the client-side options, end to end on a real SQLite file.
 * Commission is the default 10%: every amount below is written out by hand.
 */

let h: Harness;
afterEach(async () => h?.close());

const CLIENT_MODE = { milestoneCreator: 'client' } as const;

describe('milestoneCreator: freelancer (the default)', () => {
  it('the freelancer creates an approved milestone that the client pays and releases; the client cannot create one', async () => {
    h = await Harness.create();
    const { client, freelancer, contractId } = await h.liveContract();
    await expectCode(h.run('createMilestone', client, { contractId, description: 'Client task', amountMinor: 25_000 }), 'SETTING_DISABLED');
    await expectCode(h.run('requestMilestone', client, { contractId, description: 'Client request', amountMinor: 25_000 }), 'ONLY_FREELANCER');

    const created = await h.run('createMilestone', freelancer, { contractId, description: 'Wireframes', amountMinor: 25_000 });
    expect(created.state).toBe('approved');
    expect((await milestoneRow(h, created.milestoneId)).origin).toBe('freelancer');
    await expectCode(h.run('fundMilestone', freelancer, { milestoneId: created.milestoneId }), 'ONLY_CLIENT');

    await h.run('fundMilestone', client, { milestoneId: created.milestoneId });
    expect(await h.balance(client.id)).toBe(75_000);
    expect(await escrowBalance(h, created.milestoneId)).toBe(25_000);

    await h.run('markComplete', freelancer, { milestoneId: created.milestoneId });
    const released = await h.run('releaseMilestone', client, { milestoneId: created.milestoneId });
    expect(released).toMatchObject({ releasedMinor: 25_000, commissionMinor: 2_500, state: 'released' });
    expect(await h.balance(freelancer.id)).toBe(22_500);
    expect(await feesBalance(h)).toBe(2_500);
    expect(await escrowBalance(h, created.milestoneId)).toBe(0);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('milestoneCreator: client', () => {
  it('a client milestone waits for the freelancer’s approval and only an approved one can be paid', async () => {
    h = await Harness.create(CLIENT_MODE);
    const { client, freelancer, contractId } = await h.liveContract();
    await expectCode(h.run('createMilestone', freelancer, { contractId, description: 'Mine', amountMinor: 30_000 }), 'SETTING_DISABLED');

    const { milestoneId, state } = await h.run('createMilestone', client, { contractId, description: 'Landing page', amountMinor: 30_000 });
    expect(state).toBe('pending_approval');
    await expectCode(h.run('fundMilestone', client, { milestoneId }), 'INVALID_STATE');
    await expectCode(h.run('approveMilestone', client, { milestoneId }), 'ONLY_FREELANCER');
    expect(await h.balance(client.id)).toBe(100_000);

    const approved = await h.run('approveMilestone', freelancer, { milestoneId });
    expect(approved).toMatchObject({ state: 'approved', payment: 'not_configured' });
    expect(await h.balance(client.id)).toBe(100_000);

    await h.run('fundMilestone', client, { milestoneId });
    expect(await h.balance(client.id)).toBe(70_000);
    await expectCode(h.run('releaseMilestone', client, { milestoneId }), 'INVALID_STATE');
    await h.run('markComplete', freelancer, { milestoneId });
    await h.run('releaseMilestone', client, { milestoneId });
    expect(await h.balance(freelancer.id)).toBe(27_000);
    expect(await feesBalance(h)).toBe(3_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('the freelancer declines: the milestone cannot be paid, and only the client can delete it', async () => {
    h = await Harness.create(CLIENT_MODE);
    const { client, freelancer, contractId } = await h.liveContract();
    const { milestoneId } = await h.run('createMilestone', client, { contractId, description: 'Too much work', amountMinor: 10_000 });
    await h.run('declineMilestone', freelancer, { milestoneId, message: 'Please split this into two' });
    expect((await milestoneRow(h, milestoneId)).state).toBe('declined');
    await expectCode(h.run('fundMilestone', client, { milestoneId }), 'INVALID_STATE');
    await expectCode(h.run('deleteMilestone', freelancer, { milestoneId }), 'ONLY_CLIENT');
    await h.run('deleteMilestone', client, { milestoneId });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'deleted', priorState: 'declined', fundedMinor: 0 });
    expect(await h.balance(client.id)).toBe(100_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('client option: skipFreelancerApproval', () => {
  const SKIP = { milestoneCreator: 'client', clientOptions: { skipFreelancerApproval: true } } as const;

  it('a milestone is created approved, fundNow pays at once, and the client releases in full without markComplete', async () => {
    h = await Harness.create(SKIP);
    const { client, freelancer, contractId } = await h.liveContract();
    const { milestoneId, state } = await h.run('createMilestone', client, { contractId, description: 'Logo', amountMinor: 40_000, fundNow: true });
    expect(state).toBe('funded');
    expect(await h.balance(client.id)).toBe(60_000);
    expect(await escrowBalance(h, milestoneId)).toBe(40_000);

    const released = await h.run('releaseMilestone', client, { milestoneId });
    expect(released).toMatchObject({ releasedMinor: 40_000, commissionMinor: 4_000, state: 'released' });
    expect(await h.balance(freelancer.id)).toBe(36_000);
    expect(await feesBalance(h)).toBe(4_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('without fundNow the milestone is approved and unpaid until the client pays it', async () => {
    h = await Harness.create(SKIP);
    const { client, contractId } = await h.liveContract();
    const { milestoneId, state } = await h.run('createMilestone', client, { contractId, description: 'Logo', amountMinor: 12_000 });
    expect(state).toBe('approved');
    expect(await h.balance(client.id)).toBe(100_000);
    await h.run('fundMilestone', client, { milestoneId });
    expect(await h.balance(client.id)).toBe(88_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('fundNow on a contract still in proposal is refused and leaves no milestone or money moved', async () => {
    h = await Harness.create(SKIP);
    const { client, contractId } = await proposalContract(h);
    const journalBefore = await journalLength(h);
    await expectCode(h.run('createMilestone', client, { contractId, description: 'Logo', amountMinor: 40_000, fundNow: true }), 'CONTRACT_NOT_LIVE');
    expect(await h.db.milestone.count()).toBe(0);
    expect(await h.balance(client.id)).toBe(100_000);
    expect(await journalLength(h)).toBe(journalBefore);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('without the option, paying at creation is refused (the freelancer must approve first)', async () => {
    h = await Harness.create(CLIENT_MODE);
    const { client, contractId } = await h.liveContract();
    await expectCode(h.run('createMilestone', client, { contractId, description: 'Logo', amountMinor: 40_000, fundNow: true }), 'INVALID_STATE');
    expect(await h.db.milestone.count()).toBe(0);
    expect(await h.balance(client.id)).toBe(100_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('client option: allowDeleteBeforePaid', () => {
  it('off: the client may delete a milestone awaiting approval but not one the freelancer approved', async () => {
    h = await Harness.create(CLIENT_MODE);
    const { client, freelancer, contractId } = await h.liveContract();
    const pending = await h.run('createMilestone', client, { contractId, description: 'Draft', amountMinor: 5_000 });
    await h.run('deleteMilestone', client, { milestoneId: pending.milestoneId });
    expect((await milestoneRow(h, pending.milestoneId)).state).toBe('deleted');

    const agreed = await h.run('createMilestone', client, { contractId, description: 'Final', amountMinor: 8_000 });
    await h.run('approveMilestone', freelancer, { milestoneId: agreed.milestoneId });
    await expectCode(h.run('deleteMilestone', client, { milestoneId: agreed.milestoneId }), 'SETTING_DISABLED');
    await expectCode(h.run('deleteMilestone', freelancer, { milestoneId: agreed.milestoneId }), 'ONLY_CLIENT');
    expect((await milestoneRow(h, agreed.milestoneId)).state).toBe('approved');
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('on: the client may delete an approved milestone before it is paid, never after', async () => {
    h = await Harness.create({ milestoneCreator: 'client', clientOptions: { allowDeleteBeforePaid: true } });
    const { client, freelancer, contractId } = await h.liveContract();
    const a = await h.run('createMilestone', client, { contractId, description: 'A', amountMinor: 8_000 });
    const b = await h.run('createMilestone', client, { contractId, description: 'B', amountMinor: 9_000 });
    await h.run('approveMilestone', freelancer, { milestoneId: a.milestoneId });
    await h.run('approveMilestone', freelancer, { milestoneId: b.milestoneId });
    await h.run('deleteMilestone', client, { milestoneId: a.milestoneId });
    expect(await milestoneRow(h, a.milestoneId)).toMatchObject({ state: 'deleted', priorState: 'approved' });

    await h.run('fundMilestone', client, { milestoneId: b.milestoneId });
    await expectCode(h.run('deleteMilestone', client, { milestoneId: b.milestoneId }), 'INVALID_STATE');
    expect(await milestoneRow(h, b.milestoneId)).toMatchObject({ state: 'funded', fundedMinor: 9_000 });
    expect(await h.balance(client.id)).toBe(91_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('client option: takePaymentOnFreelancerApproval', () => {
  const TAKE = { milestoneCreator: 'client', clientOptions: { takePaymentOnFreelancerApproval: true } } as const;

  it('on a live contract with enough balance, the freelancer’s approval takes the payment', async () => {
    h = await Harness.create(TAKE);
    const { client, freelancer, contractId } = await h.liveContract();
    const { milestoneId } = await h.run('createMilestone', client, { contractId, description: 'Icons', amountMinor: 35_000 });
    expect(await h.balance(client.id)).toBe(100_000);
    const approved = await h.run('approveMilestone', freelancer, { milestoneId });
    expect(approved).toMatchObject({ state: 'funded', payment: 'taken' });
    expect(await h.balance(client.id)).toBe(65_000);
    expect(await escrowBalance(h, milestoneId)).toBe(35_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('when the client’s balance is short, the approval stands and the milestone waits unpaid', async () => {
    h = await Harness.create(TAKE);
    const { client, freelancer, contractId } = await h.liveContract({ clientFunds: 20_000 });
    const { milestoneId } = await h.run('createMilestone', client, { contractId, description: 'Icons', amountMinor: 35_000 });
    const approved = await h.run('approveMilestone', freelancer, { milestoneId });
    expect(approved).toMatchObject({ state: 'approved', payment: 'not_taken' });
    expect(await h.balance(client.id)).toBe(20_000);
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'approved', fundedMinor: 0 });
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('while the contract is a proposal no payment is taken; the client pays once it is live', async () => {
    h = await Harness.create(TAKE);
    const { client, freelancer, contractId } = await proposalContract(h);
    const { milestoneId } = await h.run('createMilestone', client, { contractId, description: 'Icons', amountMinor: 35_000 });
    const approved = await h.run('approveMilestone', freelancer, { milestoneId });
    expect(approved).toMatchObject({ state: 'approved', payment: 'not_taken' });
    expect(await h.balance(client.id)).toBe(100_000);
    await expectCode(h.run('fundMilestone', client, { milestoneId }), 'CONTRACT_NOT_LIVE');

    await h.run('goLive', client, { contractId });
    await h.run('fundMilestone', client, { milestoneId });
    expect(await h.balance(client.id)).toBe(65_000);
    expect((await milestoneRow(h, milestoneId)).state).toBe('funded');
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('milestone requests (client mode)', () => {
  it('the freelancer requests, the client accepts with fundNow: the money goes into escrow at once', async () => {
    h = await Harness.create(CLIENT_MODE);
    const { client, freelancer, contractId } = await h.liveContract();
    const { milestoneId } = await h.run('requestMilestone', freelancer, { contractId, description: 'Extra page', amountMinor: 7_500 });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'requested', origin: 'request' });
    await expectCode(h.run('acceptRequest', freelancer, { milestoneId }), 'ONLY_CLIENT');
    await expectCode(h.run('deleteMilestone', client, { milestoneId }), 'INVALID_STATE');

    const accepted = await h.run('acceptRequest', client, { milestoneId, fundNow: true });
    expect(accepted.state).toBe('funded');
    expect(await h.balance(client.id)).toBe(92_500);
    expect(await escrowBalance(h, milestoneId)).toBe(7_500);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('the client accepts without paying, and pays later', async () => {
    h = await Harness.create(CLIENT_MODE);
    const { client, freelancer, contractId } = await h.liveContract();
    const { milestoneId } = await h.run('requestMilestone', freelancer, { contractId, description: 'Extra page', amountMinor: 7_500 });
    expect((await h.run('acceptRequest', client, { milestoneId })).state).toBe('approved');
    expect(await h.balance(client.id)).toBe(100_000);
    await h.run('fundMilestone', client, { milestoneId });
    expect(await h.balance(client.id)).toBe(92_500);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('the client declines a request: it cannot be paid', async () => {
    h = await Harness.create(CLIENT_MODE);
    const { client, freelancer, contractId } = await h.liveContract();
    const { milestoneId } = await h.run('requestMilestone', freelancer, { contractId, description: 'Extra page', amountMinor: 7_500 });
    await expectCode(h.run('declineRequest', freelancer, { milestoneId, reason: 'no' }), 'ONLY_CLIENT');
    await h.run('declineRequest', client, { milestoneId, reason: 'Not in scope' });
    expect((await milestoneRow(h, milestoneId)).state).toBe('declined');
    await expectCode(h.run('acceptRequest', client, { milestoneId }), 'INVALID_STATE');
    await expectCode(h.run('fundMilestone', client, { milestoneId }), 'INVALID_STATE');
    expect(await h.balance(client.id)).toBe(100_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('direct milestone to a user, without a project', () => {
  it('is born in escrow and released to the freelancer less commission', async () => {
    h = await Harness.create();
    const client = await h.user('Dana', 50_000);
    const freelancer = await h.user('Omar');
    await expectCode(h.run('createDirectMilestone', client, { freelancerId: client.id, description: 'Self', amountMinor: 1_000, currency: 'USD' }), 'VALIDATION');
    const { milestoneId } = await h.run('createDirectMilestone', client, { freelancerId: freelancer.id, description: 'Translation', amountMinor: 15_000, currency: 'USD' });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'funded', origin: 'direct', projectId: null, contractId: null, fundedMinor: 15_000 });
    expect(await h.balance(client.id)).toBe(35_000);

    await h.run('markComplete', freelancer, { milestoneId });
    await h.run('releaseMilestone', client, { milestoneId });
    expect(await h.balance(freelancer.id)).toBe(13_500);
    expect(await feesBalance(h)).toBe(1_500);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('is refused whole when the client cannot cover it', async () => {
    h = await Harness.create();
    const client = await h.user('Dana', 10_000);
    const freelancer = await h.user('Omar');
    const journalBefore = await journalLength(h);
    await expectCode(h.run('createDirectMilestone', client, { freelancerId: freelancer.id, description: 'Translation', amountMinor: 15_000, currency: 'USD' }), 'INSUFFICIENT_FUNDS');
    expect(await h.db.milestone.count()).toBe(0);
    expect(await h.balance(client.id)).toBe(10_000);
    expect(await journalLength(h)).toBe(journalBefore);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});
