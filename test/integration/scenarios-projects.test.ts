import { afterEach, describe, expect, it } from 'vitest';
import { Harness, expectCode } from '../support/harness.js';
import { escrowBalance, journalLength, milestoneRow, proposalContract } from '../support/scenario-helpers.js';

/**
 * Projects and bids: proposed milestones (at most 10, adding up to the bid), shortlisting, the
 * award, the contract from proposal to live, milestones added and deleted around going live,
 * and funds reserved on a project before it is awarded.
 */

let h: Harness;
afterEach(async () => h?.close());

const parts = (n: number, each: number) => Array.from({ length: n }, (_, i) => ({ description: `Part ${i + 1}`, amountMinor: each }));

describe('bids with proposed milestones', () => {
  it('accepts up to 10 milestones adding up exactly to the bid; refuses 11 or a mismatched total', async () => {
    h = await Harness.create();
    const client = await h.user('Clara', 100_000);
    const freelancer = await h.user('Felix');
    const { projectId } = await h.run('postProject', client, { title: 'Website', description: 'Ten pages', budgetMinor: 50_000, currency: 'USD' });

    await expectCode(h.run('placeBid', freelancer, { projectId, amountMinor: 55_000, proposal: 'Eleven parts', milestones: parts(11, 5_000) }), 'TOO_MANY_MILESTONES');
    const off = [...parts(9, 5_000), { description: 'Part 10', amountMinor: 4_999 }];
    await expectCode(h.run('placeBid', freelancer, { projectId, amountMinor: 50_000, proposal: 'One short', milestones: off }), 'BID_MILESTONES_MISMATCH');
    await expectCode(h.run('placeBid', client, { projectId, amountMinor: 50_000, proposal: 'My own' }), 'NOT_PERMITTED');
    expect(await h.db.bid.count()).toBe(0);

    const { bidId } = await h.run('placeBid', freelancer, { projectId, amountMinor: 50_000, proposal: 'Ten parts', milestones: parts(10, 5_000) });
    const proposed = await h.db.bidMilestone.findMany({ where: { bidId }, orderBy: { position: 'asc' } });
    expect(proposed.map((p) => [p.position, Number(p.amountMinor)])).toEqual(Array.from({ length: 10 }, (_, i) => [i + 1, 5_000]));
    await expectCode(h.run('placeBid', freelancer, { projectId, amountMinor: 50_000, proposal: 'Again' }), 'ALREADY_EXISTS');
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('shortlist, award with the proposed milestones, and take the contract from proposal to live', async () => {
    h = await Harness.create();
    const client = await h.user('Clara', 100_000);
    const felix = await h.user('Felix');
    const greta = await h.user('Greta');
    const { projectId } = await h.run('postProject', client, { title: 'App', description: 'Mobile app', budgetMinor: 60_000, currency: 'USD' });
    const bidF = await h.run('placeBid', felix, { projectId, amountMinor: 60_000, proposal: 'Felix', milestones: [{ description: 'All', amountMinor: 60_000 }] });
    const plan = [{ description: 'Design', amountMinor: 15_000 }, { description: 'Build', amountMinor: 30_000 }, { description: 'Ship', amountMinor: 10_000 }];
    const bidG = await h.run('placeBid', greta, { projectId, amountMinor: 55_000, proposal: 'Greta', milestones: plan });

    await expectCode(h.run('shortlistBid', greta, { bidId: bidG.bidId }), 'ONLY_CLIENT');
    await h.run('shortlistBid', client, { bidId: bidG.bidId });
    await h.run('shortlistBid', client, { bidId: bidF.bidId });
    expect((await h.db.bid.findUniqueOrThrow({ where: { id: bidG.bidId } })).status).toBe('shortlisted');

    const { contractId, milestoneIds } = await h.run('awardBid', client, { bidId: bidG.bidId, acceptProposedMilestones: true });
    expect(await h.db.project.findUniqueOrThrow({ where: { id: projectId } })).toMatchObject({ status: 'awarded', awardedBidId: bidG.bidId });
    expect(await h.db.contract.findUniqueOrThrow({ where: { id: contractId } })).toMatchObject({ status: 'proposal', freelancerId: greta.id, clientId: client.id });
    const rows = await Promise.all(milestoneIds.map((id) => milestoneRow(h, id)));
    expect(rows.map((m) => [m.description, m.amountMinor, m.state, m.origin, m.freelancerId])).toEqual(
      plan.map((p) => [p.description, p.amountMinor, 'approved', 'bid', greta.id]),
    );
    await expectCode(h.run('awardBid', client, { bidId: bidF.bidId }), 'INVALID_STATE');
    await expectCode(h.run('placeBid', await h.user('Hugo'), { projectId, amountMinor: 1_000, proposal: 'Late' }), 'INVALID_STATE');

    // Paying before the contract is live is refused and takes nothing.
    await expectCode(h.run('fundMilestone', client, { milestoneId: milestoneIds[0]! }), 'CONTRACT_NOT_LIVE');
    expect(await h.balance(client.id)).toBe(100_000);
    await expectCode(h.run('goLive', greta, { contractId }), 'ONLY_CLIENT');
    await h.run('goLive', client, { contractId });
    expect((await h.db.contract.findUniqueOrThrow({ where: { id: contractId } })).status).toBe('live');
    await expectCode(h.run('goLive', client, { contractId }), 'INVALID_STATE');

    await h.run('fundMilestone', client, { milestoneId: milestoneIds[0]! });
    expect(await h.balance(client.id)).toBe(85_000);
    expect(await escrowBalance(h, milestoneIds[0]!)).toBe(15_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('milestones added and deleted around going live', () => {
  it('freelancer mode: milestones come and go before and after live, but a paid one cannot be deleted', async () => {
    h = await Harness.create();
    const { client, freelancer, contractId, milestoneIds } = await proposalContract(h, { milestones: [{ description: 'From bid', amountMinor: 50_000 }] });
    const before = await h.run('createMilestone', freelancer, { contractId, description: 'Before live', amountMinor: 4_000 });
    await h.run('deleteMilestone', freelancer, { milestoneId: before.milestoneId });
    expect((await milestoneRow(h, before.milestoneId)).state).toBe('deleted');
    // The bid's milestones were agreed by the client's award: the freelancer cannot drop them.
    await expectCode(h.run('deleteMilestone', freelancer, { milestoneId: milestoneIds[0]! }), 'ONLY_CLIENT');
    const kept = await h.run('createMilestone', freelancer, { contractId, description: 'Kept', amountMinor: 6_000 });

    await h.run('goLive', client, { contractId });
    const after = await h.run('createMilestone', freelancer, { contractId, description: 'After live', amountMinor: 3_000 });
    await h.run('fundMilestone', client, { milestoneId: kept.milestoneId });
    await expectCode(h.run('deleteMilestone', freelancer, { milestoneId: kept.milestoneId }), 'INVALID_STATE');
    await expectCode(h.run('deleteMilestone', client, { milestoneId: kept.milestoneId }), 'INVALID_STATE');
    await h.run('deleteMilestone', freelancer, { milestoneId: after.milestoneId });

    expect((await milestoneRow(h, kept.milestoneId)).state).toBe('funded');
    expect((await milestoneRow(h, after.milestoneId)).state).toBe('deleted');
    expect(await h.balance(client.id)).toBe(94_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('client mode: the client adds and deletes tasks before and after live; a paid one stays', async () => {
    h = await Harness.create({ milestoneCreator: 'client' });
    const { client, freelancer, contractId } = await proposalContract(h);
    const draft = await h.run('createMilestone', client, { contractId, description: 'Draft task', amountMinor: 2_000 });
    await h.run('deleteMilestone', client, { milestoneId: draft.milestoneId });
    const task = await h.run('createMilestone', client, { contractId, description: 'Task', amountMinor: 5_000 });
    await h.run('approveMilestone', freelancer, { milestoneId: task.milestoneId });
    await h.run('goLive', client, { contractId });
    const late = await h.run('createMilestone', client, { contractId, description: 'Late task', amountMinor: 1_500 });
    await h.run('deleteMilestone', client, { milestoneId: late.milestoneId });
    await h.run('fundMilestone', client, { milestoneId: task.milestoneId });
    await expectCode(h.run('deleteMilestone', client, { milestoneId: task.milestoneId }), 'INVALID_STATE');
    expect((await milestoneRow(h, draft.milestoneId)).state).toBe('deleted');
    expect((await milestoneRow(h, late.milestoneId)).state).toBe('deleted');
    expect(await milestoneRow(h, task.milestoneId)).toMatchObject({ state: 'funded', fundedMinor: 5_000 });
    expect(await h.balance(client.id)).toBe(95_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});

describe('funds reserved on an open project', () => {
  it('reserved before the award, attached to the awarded freelancer, then paid out', async () => {
    h = await Harness.create();
    const client = await h.user('Clara', 100_000);
    const freelancer = await h.user('Felix');
    const { projectId } = await h.run('postProject', client, { title: 'Video', description: 'Edit', budgetMinor: 20_000, currency: 'USD' });
    const { milestoneId } = await h.run('reserveFunds', client, { projectId, amountMinor: 20_000, description: 'Serious about it' });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ state: 'funded', origin: 'reserve', freelancerId: null, contractId: null, fundedMinor: 20_000 });
    expect(await h.balance(client.id)).toBe(80_000);
    // Nobody to pay yet: neither a part nor the whole can be released.
    await expectCode(h.run('releaseMilestone', client, { milestoneId, amountMinor: 1_000 }), 'INVALID_STATE');
    await expectCode(h.run('reserveFunds', freelancer, { projectId, amountMinor: 1_000, description: 'x' }), 'ONLY_CLIENT');

    const { bidId } = await h.run('placeBid', freelancer, { projectId, amountMinor: 20_000, proposal: 'Let me' });
    const { contractId } = await h.run('awardBid', client, { bidId });
    expect(await milestoneRow(h, milestoneId)).toMatchObject({ freelancerId: freelancer.id, contractId, state: 'funded' });
    await expectCode(h.run('reserveFunds', client, { projectId, amountMinor: 1_000, description: 'late' }), 'INVALID_STATE');

    await h.run('goLive', client, { contractId });
    await h.run('markComplete', freelancer, { milestoneId });
    await h.run('releaseMilestone', client, { milestoneId });
    expect(await h.balance(freelancer.id)).toBe(18_000);
    expect(await h.balance(client.id)).toBe(80_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('a reservation can be withdrawn before the award; after it only the freelancer can return it', async () => {
    h = await Harness.create();
    const client = await h.user('Clara', 100_000);
    const freelancer = await h.user('Felix');
    const { projectId } = await h.run('postProject', client, { title: 'Video', description: 'Edit', budgetMinor: 20_000, currency: 'USD' });
    const early = await h.run('reserveFunds', client, { projectId, amountMinor: 20_000, description: 'First' });
    await h.run('withdrawReservation', client, { milestoneId: early.milestoneId, reason: 'Changed my mind' });
    expect(await milestoneRow(h, early.milestoneId)).toMatchObject({ state: 'cancelled', refundedMinor: 20_000 });
    expect(await h.balance(client.id)).toBe(100_000);
    await expectCode(h.run('withdrawReservation', client, { milestoneId: early.milestoneId }), 'INVALID_STATE');

    const kept = await h.run('reserveFunds', client, { projectId, amountMinor: 15_000, description: 'Second' });
    const { bidId } = await h.run('placeBid', freelancer, { projectId, amountMinor: 20_000, proposal: 'Let me' });
    await h.run('awardBid', client, { bidId });
    await expectCode(h.run('withdrawReservation', client, { milestoneId: kept.milestoneId }), 'INVALID_STATE');
    await expectCode(h.run('cancelMilestone', client, { milestoneId: kept.milestoneId }), 'ONLY_FREELANCER');
    await h.run('cancelMilestone', freelancer, { milestoneId: kept.milestoneId });
    expect(await h.balance(client.id)).toBe(100_000);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('a reservation withdrawn before the award stays with the client and is not attached to the contract', async () => {
    h = await Harness.create();
    const client = await h.user('Clara', 100_000);
    const freelancer = await h.user('Felix');
    const { projectId } = await h.run('postProject', client, { title: 'Video', description: 'Edit', budgetMinor: 20_000, currency: 'USD' });
    const withdrawn = await h.run('reserveFunds', client, { projectId, amountMinor: 20_000, description: 'Withdrawn' });
    await h.run('withdrawReservation', client, { milestoneId: withdrawn.milestoneId });
    const live = await h.run('reserveFunds', client, { projectId, amountMinor: 5_000, description: 'Live' });
    const { bidId } = await h.run('placeBid', freelancer, { projectId, amountMinor: 20_000, proposal: 'Let me' });
    const { contractId } = await h.run('awardBid', client, { bidId });

    expect(await milestoneRow(h, withdrawn.milestoneId)).toMatchObject({ state: 'cancelled', freelancerId: null, contractId: null });
    expect(await milestoneRow(h, live.milestoneId)).toMatchObject({ state: 'funded', freelancerId: freelancer.id, contractId });
    // Were it attached, staff could mark the client's own withdrawal "no fault" and push the
    // freelancer's cancellation counter below zero.
    await expectCode(h.run('markCancellationNoFault', h.operator('staff'), { milestoneId: withdrawn.milestoneId, reason: 'x' }), 'INVALID_STATE');
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });

  it('a reservation with no freelancer yet cannot be disputed', async () => {
    h = await Harness.create();
    const client = await h.user('Clara', 100_000);
    const { projectId } = await h.run('postProject', client, { title: 'Video', description: 'Edit', budgetMinor: 20_000, currency: 'USD' });
    const { milestoneId } = await h.run('reserveFunds', client, { projectId, amountMinor: 20_000, description: 'Reserved' });
    const journalBefore = await journalLength(h);
    await expectCode(h.run('openDispute', client, { milestoneId, reason: 'Nobody to dispute with', claimMinor: 20_000 }), 'INVALID_STATE');
    expect(await h.db.dispute.count()).toBe(0);
    expect((await milestoneRow(h, milestoneId)).state).toBe('funded');
    expect(await journalLength(h)).toBe(journalBefore);
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});
