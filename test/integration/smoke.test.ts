import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';

let h: Harness;
afterEach(async () => h?.close());

describe('smoke', () => {
  it('funds and releases a milestone', async () => {
    h = await Harness.create();
    const { client, freelancer, milestoneIds } = await h.liveContract({ milestones: [{ description: 'Draft', amountMinor: 20_000 }, { description: 'Final', amountMinor: 30_000 }] });
    const m1 = milestoneIds[0]!;
    await h.run('fundMilestone', client, { milestoneId: m1 });
    expect(await h.balance(client.id)).toBe(80_000);
    await h.run('markComplete', freelancer, { milestoneId: m1 });
    await h.run('releaseMilestone', client, { milestoneId: m1 });
    expect(await h.balance(freelancer.id)).toBe(18_000);
    expect((await h.milestone(m1)).state).toBe('released');
    expect(await h.health()).toEqual({ problems: [], journalOk: true });
  });
});
