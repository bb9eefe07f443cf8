import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoServer, refusal, signedIn } from '../support/server.js';

let server: Awaited<ReturnType<typeof demoServer>>;
beforeAll(async () => { server = await demoServer({ scale: 2 }); });
afterAll(async () => server?.close());

describe('routing cases to mediators', () => {
  it('never gives a mediator a case involving someone they have a conflict with', async () => {
    const admin = await signedIn(server.url, 'admin');
    const mediator = await signedIn(server.url, 'mediator');
    const unassigned = (await mediator.api.disputes.queue.query({ assignee: 'unassigned', sort: 'openedAt', limit: 200 })).items;
    // A conflict with every client but the last case's, so exactly that case stays routable.
    const allowedCase = unassigned.at(-1)!;
    const conflicted = new Set(unassigned.map((d) => d.client.id).filter((id) => id !== allowedCase.client.id && id !== allowedCase.freelancer.id));
    for (const userId of conflicted) await admin.api.admin.recordConflict.mutate({ operatorId: mediator.operator.id, userId, reason: 'Former employer' });
    const taken = await mediator.api.disputes.takeNext.mutate();
    const file = await mediator.api.disputes.get.query({ disputeId: taken!.disputeId });
    expect(conflicted.has(file.dispute.clientId)).toBe(false);
    expect(conflicted.has(file.dispute.freelancerId)).toBe(false);
  });

  it('prefers a case in one of the mediator’s languages over an older one', async () => {
    const ptMediator = await signedIn(server.url, 'mediator', 1); // speaks pt and en
    const taken = await ptMediator.api.disputes.takeNext.mutate();
    const file = await ptMediator.api.disputes.get.query({ disputeId: taken!.disputeId });
    expect(file.dispute.languages.split(',').some((l) => l === 'pt' || l === 'en')).toBe(true);
  });

  it('shows precedents as a distribution of past splits', async () => {
    const mediator = await signedIn(server.url, 'mediator');
    const [open] = (await mediator.api.disputes.queue.query({ stages: ['decision'] })).items;
    const p = await mediator.api.disputes.precedents.query({ disputeId: open!.id });
    expect(p.histogram).toHaveLength(10);
    expect(p.histogram.reduce((s, b) => s + b.count, 0)).toBe(p.cases.length);
  });

  it('refuses staff and reviewers the mediator actions', async () => {
    const staff = await signedIn(server.url, 'staff');
    expect((await refusal(staff.api.disputes.takeNext.mutate())).code).toBe('FORBIDDEN');
  });
});
