import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../server/engine/types.js';
import { listMilestones, transfers, userDetail } from '../../server/store/queries.js';
import { Harness } from '../support/harness.js';

/**
 * A user's history, as compliance reviewers read it. Payments: every transfer touching the
 * user's wallet, newest first, paged by cursor, each with the wallet's balance just after it,
 * held to a reference built from all of the wallet's transfers in the order they were posted.
 * Milestones: those the user is client or freelancer of, paged both ways, held to the database's
 * own filtered and ordered list.
 */
let h: Harness;
let people: { client: string; freelancer: string };

beforeAll(async () => {
  h = await Harness.create();
  const { client, freelancer, contractId } = await h.liveContract({ clientFunds: 50_000 });
  people = { client: client.id, freelancer: freelancer.id };
  // Another pair's contract, whose milestones must not show in the first pair's lists.
  const other = await h.liveContract({ clientFunds: 10_000 });
  for (let i = 0; i < 3; i++) await h.run('createMilestone', other.freelancer, { contractId: other.contractId, description: `Other ${i}`, amountMinor: 500 });
  for (let i = 0; i < 7; i++) {
    await h.run('deposit', SYSTEM, { userId: client.id, amountMinor: 1_000 + i * 137, currency: 'USD' });
    const { milestoneId } = await h.run('createMilestone', freelancer, { contractId, description: `Part ${i}`, amountMinor: 2_000 + i * 10 });
    await h.run('fundMilestone', client, { milestoneId });
    // Some released in part, once or twice, some not at all: releases pay the freelancer and the fee.
    if (i % 3 !== 2) await h.run('releaseMilestone', client, { milestoneId, amountMinor: 999 });
    if (i % 3 === 0) await h.run('releaseMilestone', client, { milestoneId, amountMinor: 501 });
  }
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function everyPage(userId: string) {
  const all: Awaited<ReturnType<typeof transfers>>['items'] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await transfers(h.reader, { userId, cursor, limit: 3 });
    all.push(...page.items);
    if (!page.nextCursor) return all;
    cursor = page.nextCursor;
  }
  throw new Error('the history never ended');
}

describe('payment history', () => {
  for (const who of ['client', 'freelancer'] as const) {
    it(`lists every transfer of the ${who}'s wallet, newest first, with the balance after each`, async () => {
      const userId = people[who];
      const wallet = `wallet:${userId}:USD`;
      const posted = await h.db.transfer.findMany({ where: { OR: [{ debitAccountId: wallet }, { creditAccountId: wallet }] }, orderBy: { id: 'asc' } });
      expect(posted.length).toBeGreaterThan(6);
      let balance = 0;
      const expected = posted.map((t) => {
        const amount = Number(t.amountMinor);
        const direction = t.creditAccountId === wallet ? 'in' : 'out';
        balance += direction === 'in' ? amount : -amount;
        return { id: t.id, direction, balanceAfterMinor: balance };
      }).reverse();

      const listed = await everyPage(userId);
      expect(listed.map((t) => ({ id: t.id, direction: t.direction, balanceAfterMinor: t.balanceAfterMinor }))).toEqual(expected);
      expect(listed[0]!.balanceAfterMinor).toBe(await h.balance(userId));
    });
  }
});

describe('a user\'s milestones', () => {
  for (const who of ['client', 'freelancer'] as const) {
    it(`lists the ${who}'s milestones page by page, both ways, and the newest on the user's page`, async () => {
      const userId = people[who];
      for (const direction of ['asc', 'desc'] as const) {
        const expected = (await h.db.milestone.findMany({ where: { OR: [{ clientId: userId }, { freelancerId: userId }] }, orderBy: { id: direction }, select: { id: true } })).map((m) => m.id);
        expect(expected.length).toBeGreaterThan(6);
        const listed: string[] = [];
        let cursor: string | null = null;
        for (let pages = 0; pages < 100; pages++) {
          const page = await listMilestones(h.db, { userId, cursor, limit: 2, direction });
          listed.push(...page.items.map((m) => m.id));
          expect(page.items.every((m) => m.clientId === userId || m.freelancerId === userId)).toBe(true);
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }
        expect(listed).toEqual(expected);
        if (direction === 'desc') expect((await userDetail(h.db, userId)).milestones.map((m) => m.id)).toEqual(expected.slice(0, 200));
      }
      // Filters still apply on each side.
      const funded = await listMilestones(h.db, { userId, state: 'funded', limit: 50 });
      expect(funded.items.map((m) => m.id).sort()).toEqual((await h.db.milestone.findMany({ where: { state: 'funded', OR: [{ clientId: userId }, { freelancerId: userId }] }, select: { id: true } })).map((m) => m.id).sort());
    });
  }
});
