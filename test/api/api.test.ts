import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE } from '../support/databases.js';
import { client, demoServer, refusal, signedIn } from '../support/server.js';

let server: Awaited<ReturnType<typeof demoServer>>;
beforeAll(async () => { server = await demoServer(); });
afterAll(async () => server?.close());

describe('the router over HTTP', () => {
  it('answers health checks', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(await res.json()).toEqual({ ok: true, database: TEST_DATABASE });
  });

  it('refuses everything but sign-in without a session', async () => {
    const anonymous = client(server.url);
    expect(await anonymous.auth.me.query()).toBeNull();
    expect((await refusal(anonymous.disputes.queue.query({}))).code).toBe('UNAUTHORIZED');
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const r = await refusal(client(server.url).auth.signIn.mutate({ email: 'mediator@demo.test', password: 'not-the-password' }));
    expect(r).toMatchObject({ code: 'FORBIDDEN', engineCode: 'NOT_PERMITTED' });
    expect(r.message).toMatch(/wrong email or password/);
  });

  it('lets a mediator page through the queue by cursor, then take and decide a case', async () => {
    const { api, operator } = await signedIn(server.url, 'mediator');
    const first = await api.disputes.queue.query({ limit: 2, sort: 'openedAt' });
    expect(first.items).toHaveLength(2);
    const rest = await api.disputes.queue.query({ limit: 50, cursor: first.nextCursor });
    const all = [...first.items, ...rest.items];
    expect(new Set(all.map((d) => d.id)).size).toBe(all.length);
    const ready = await api.disputes.queue.query({ stages: ['decision'] });
    const target = ready.items[0]!;
    const taken = await api.disputes.assign.mutate({ disputeId: target.id, mediatorId: operator.id });
    expect(taken.assignedMediatorId).toBe(operator.id);
    const half = Math.floor(target.disputedMinor / 2);
    const preview = await api.disputes.previewSplit.query({ disputeId: target.id, freelancerShareMinor: half, clientShareMinor: target.disputedMinor - half });
    expect(preview.transfers.reduce((s, t) => s + (t.from.startsWith('escrow:') ? t.amountMinor : 0), 0)).toBe(target.disputedMinor);
    await api.disputes.decide.mutate({ disputeId: target.id, freelancerShareMinor: half, clientShareMinor: target.disputedMinor - half, reason: 'Both partly right' });
    const file = await api.disputes.get.query({ disputeId: target.id });
    expect(file.dispute).toMatchObject({ stage: 'closed', outcome: 'decided', freelancerShareMinor: half });
    expect(file.timeline.at(-1)).toMatchObject({ action: 'dispute.decided', actorId: operator.id, actorRole: 'mediator' });
  });

  it('carries the engine code and sentence of a refused command', async () => {
    const { api } = await signedIn(server.url, 'mediator');
    const open = (await api.disputes.queue.query({ stages: ['negotiation'] })).items[0]!;
    const r = await refusal(api.disputes.decide.mutate({ disputeId: open.id, freelancerShareMinor: 1, clientShareMinor: open.disputedMinor - 1, reason: 'too early' }));
    expect(r).toMatchObject({ code: 'UNPROCESSABLE_CONTENT', engineCode: 'INVALID_STATE' });
    expect(r.message).toMatch(/negotiation stage/);
  });

  it('rejects malformed input with a typed error and changes nothing', async () => {
    const { api } = await signedIn(server.url, 'admin');
    const before = await api.audit.journal.query({ limit: 1 });
    const r = await refusal(api.disputes.decide.mutate({ disputeId: 'x', freelancerShareMinor: 1.5, clientShareMinor: -3, reason: '' } as never));
    expect(r).toMatchObject({ code: 'BAD_REQUEST', engineCode: 'VALIDATION' });
    expect((await api.audit.journal.query({ limit: 1 })).items[0]!.seq).toBe(before.items[0]!.seq);
  });

  it('keeps a compliance reviewer to reading', async () => {
    const { api } = await signedIn(server.url, 'compliance');
    const queue = await api.disputes.queue.query({});
    expect(queue.items.length).toBeGreaterThan(0);
    expect((await refusal(api.disputes.assign.mutate({ disputeId: queue.items[0]!.id, mediatorId: null }))).code).toBe('FORBIDDEN');
    expect((await refusal(api.admin.updateSettings.mutate({ marketplaceId: 'm', patch: {}, reason: 'x' }))).code).toBe('FORBIDDEN');
    const verified = await api.audit.verify.mutate({});
    expect(verified.result.ok).toBe(true);
    expect(await api.audit.ledgerHealth.query()).toMatchObject({ problems: [] });
  });

  it('lets a marketplace backend act for its own users only, by API key', async () => {
    const { api } = await signedIn(server.url, 'admin');
    const [market] = await api.admin.marketplaces.query();
    const { key } = await api.admin.createApiKey.mutate({ marketplaceId: market!.id, name: 'backend' });
    const backend = client(server.url, { apiKey: key });
    const users = await api.users.list.query({ limit: 20 });
    const clientUser = users.items.find((u) => u.email.startsWith('northwind'))!;
    const res = await backend.marketplace.postProject.mutate({ actAs: clientUser.id, title: 'New site', description: '', budgetMinor: 100_000, currency: 'USD' });
    expect(res.projectId).toMatch(/^prj_/);
    expect((await refusal(backend.marketplace.postProject.mutate({ actAs: 'usr_of_someone_else', title: 'x', description: '', budgetMinor: 1, currency: 'USD' }))).code).toBe('FORBIDDEN');
    expect((await refusal(client(server.url, { apiKey: 'esk_wrong' }).marketplace.goLive.mutate({ actAs: clientUser.id, contractId: 'c' }))).code).toBe('UNAUTHORIZED');
  });

  it('tells subscribers of changes made by others', async () => {
    const mediator = await signedIn(server.url, 'mediator');
    const other = await signedIn(server.url, 'mediator', 1);
    const seen: string[] = [];
    const sub = mediator.api.disputes.onChange.subscribe(undefined, { onData: (e) => seen.push(`${e.action}:${e.entityId}`) });
    await new Promise((r) => setTimeout(r, 200));
    const target = (await other.api.disputes.queue.query({ assignee: 'unassigned' })).items[0]!;
    await other.api.disputes.assign.mutate({ disputeId: target.id, mediatorId: other.operator.id });
    for (let i = 0; i < 50 && !seen.includes(`dispute.assign:${target.id}`); i++) await new Promise((r) => setTimeout(r, 50));
    sub.unsubscribe();
    expect(seen).toContain(`dispute.assign:${target.id}`);
  });

  it('sorts lists both ways and pages them by cursor without gaps or repeats', async () => {
    const { api } = await signedIn(server.url, 'compliance');
    const first = await api.audit.journal.query({ direction: 'asc', limit: 5 });
    const second = await api.audit.journal.query({ direction: 'asc', limit: 5, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const newest = await api.audit.journal.query({ direction: 'desc', limit: 2 });
    expect(newest.items[0]!.seq).toBeGreaterThan(newest.items[1]!.seq);
    const oldUsers = await api.users.list.query({ direction: 'asc', limit: 3 });
    const newUsers = await api.users.list.query({ direction: 'desc', limit: 3 });
    expect(oldUsers.items[0]!.id < newUsers.items[0]!.id).toBe(true);
  });

  it('signs out: the token stops working', async () => {
    const { api } = await signedIn(server.url, 'staff');
    expect(await api.auth.me.query()).not.toBeNull();
    await api.auth.signOut.mutate();
    expect(await api.auth.me.query()).toBeNull();
  });
});
