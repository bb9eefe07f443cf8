import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, demoServer, refusal, signedIn } from '../support/server.js';

let server: Awaited<ReturnType<typeof demoServer>>;
beforeAll(async () => { server = await demoServer(); });
afterAll(async () => server?.close());

describe('notifications over the router', () => {
  it('lists a milestone’s and a user’s emails newest first, page by page, to console roles only', async () => {
    const db = server.services.db;
    // The demo's own history wrote the outbox; take the milestone with the most emails.
    const [busiest] = await db.notification.groupBy({ by: ['milestoneId'], where: { milestoneId: { not: null } }, _count: { id: true }, orderBy: { _count: { id: 'desc' } }, take: 1 });
    const milestoneId = busiest!.milestoneId!;
    const expected = await db.notification.findMany({ where: { milestoneId }, orderBy: { id: 'desc' } });
    expect(expected.length).toBeGreaterThan(1);

    const { api } = await signedIn(server.url, 'compliance');
    const first = await api.notifications.list.query({ milestoneId, limit: 1 });
    const rest = await api.notifications.list.query({ milestoneId, limit: 200, cursor: first.nextCursor });
    expect([...first.items, ...rest.items].map((n) => n.id)).toEqual(expected.map((n) => n.id));
    expect(rest.nextCursor).toBeNull();
    expect(first.items[0]).toMatchObject({ milestoneId, messageId: `<${expected[0]!.id}@escrow-console>`, status: 'pending' });
    expect(first.items[0]!.params).toEqual(JSON.parse(expected[0]!.paramsJson));

    const userId = expected[0]!.userId;
    const mine = await api.notifications.list.query({ userId, limit: 200 });
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((n) => n.userId === userId)).toBe(true);

    expect((await refusal(api.notifications.list.query({ milestoneId, userId }))).code).toBe('BAD_REQUEST');
    expect((await refusal(client(server.url).notifications.list.query({ milestoneId }))).code).toBe('UNAUTHORIZED');
  });
});
