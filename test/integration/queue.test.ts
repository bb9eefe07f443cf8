import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disputeQueue, queueCounts, type QueueFilter, type QueueItem } from '../../server/store/queries.js';
import { PrismaReader } from '../../server/store/sql-reader.js';
import { Harness } from '../support/harness.js';

/**
 * The dispute queue is one hand-written statement per page; this holds it to a plain reference:
 * every filter and sort, both directions, paged to the end by cursor, must list exactly the
 * disputes that filtering and sorting all of them in JavaScript lists, in the same order.
 * The rows are varied on purpose: tied amounts and times, missing deadlines, closed cases.
 */
const STAGES = ['filing', 'negotiation', 'arbitration', 'decision', 'closed'] as const;
const N = 157;
const now = new Date('2026-03-01T12:00:00.000Z');
let h: Harness;

type Row = { id: string; stage: string; currency: string; disputedMinor: number; assignedMediatorId: string | null; deadlineAt: Date | null; openedAt: Date; searchText: string };
let rows: Row[] = [];

beforeAll(async () => {
  h = await Harness.create();
  const at = (minutes: number) => new Date(Date.UTC(2026, 1, 1) + minutes * 60_000);
  await h.db.operator.createMany({ data: ['op_a', 'op_b'].map((id) => ({ id, email: `${id}@x.test`, name: `Mediator ${id}`, role: 'mediator', passwordHash: 'x', disabled: false, languages: 'en', failedSignIns: 0, createdAt: at(0), version: 0 })) });
  await h.db.user.createMany({ data: Array.from({ length: 10 }, (_, u) => ({ id: `usr_${u}`, marketplaceId: h.marketplaceId, name: `Person ${u}`, email: `p${u}@x.test`, language: 'en', country: 'US', createdAt: at(0), version: 0, flCompleted: 0, flCancelled: 0, flLost: 0, flNoFault: 0, clCompleted: 0, clCancelled: 0, clLost: 0, reviewCount: 0, ratingSum: 0 })) });
  await h.db.project.createMany({ data: [{ id: 'prj_1', marketplaceId: h.marketplaceId, clientId: 'usr_0', title: 'Shop redesign', description: '', category: 'web', kind: 'fixed', budgetMinor: 1, currency: 'USD', status: 'active', createdAt: at(0), version: 0 }] });
  rows = Array.from({ length: N }, (_, i): Row => ({
    id: `dsp_${String((i * 37) % N).padStart(4, '0')}`,
    stage: STAGES[i % 5]!,
    currency: i % 7 === 0 ? 'EUR' : 'USD',
    // Few distinct amounts and times, so ties on the sort key are common and the id must break them.
    disputedMinor: 1_000 * (1 + (i % 9)),
    assignedMediatorId: i % 3 === 0 ? null : i % 3 === 1 ? 'op_a' : 'op_b',
    deadlineAt: i % 4 === 0 ? null : at(20_000 + (i % 6) * 60),
    openedAt: at((i * 13) % 50),
    searchText: `person ${i % 10} person ${(i + 1) % 10} milestone ${i}`,
  }));
  await h.db.milestone.createMany({ data: rows.map((r, i) => ({ id: `mst_${r.id}`, marketplaceId: h.marketplaceId, projectId: i % 2 ? 'prj_1' : null, contractId: null, clientId: `usr_${i % 10}`, freelancerId: `usr_${(i + 1) % 10}`, description: `Part ${i}`, amountMinor: r.disputedMinor, currency: r.currency, deadlineAt: null, origin: 'direct', state: 'disputed', priorState: 'funded', cancelledBy: null, cancelNoFault: false, fundedMinor: r.disputedMinor, releasedMinor: 0, refundedMinor: 0, feeMinor: 0, autoReleaseAt: null, createdAt: r.openedAt, updatedAt: r.openedAt, version: 0 })) });
  await h.db.dispute.createMany({ data: rows.map((r, i) => ({ id: r.id, marketplaceId: h.marketplaceId, milestoneId: `mst_${r.id}`, filerId: `usr_${i % 10}`, filerRole: 'client', respondentId: `usr_${(i + 1) % 10}`, clientId: `usr_${i % 10}`, freelancerId: `usr_${(i + 1) % 10}`, searchText: r.searchText, category: 'web', languages: 'en', reason: 'late', claimMinor: r.disputedMinor, disputedMinor: r.disputedMinor, currency: r.currency, stage: r.stage, outcome: r.stage === 'closed' ? 'withdrawn' : null, deadlineAt: r.deadlineAt, arbitrationFeeMinor: 0, clientFeePaid: false, freelancerFeePaid: false, assignedMediatorId: r.assignedMediatorId, decidedById: null, decisionReason: null, freelancerShareMinor: null, clientShareMinor: null, openedAt: r.openedAt, closedAt: null, version: i % 4 })) });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

function reference(f: QueueFilter): string[] {
  const stages = f.stages?.length ? f.stages : ['filing', 'negotiation', 'arbitration', 'decision'];
  const sort = f.sort ?? 'openedAt';
  const sign = f.direction === 'desc' ? -1 : 1;
  const key = (r: Row) => (sort === 'disputedMinor' ? r.disputedMinor : sort === 'deadlineAt' ? r.deadlineAt?.getTime() ?? null : r.openedAt.getTime());
  return rows
    .filter((r) => stages.includes(r.stage as never))
    .filter((r) => !f.currency || r.currency === f.currency)
    .filter((r) => f.minAmountMinor === undefined || r.disputedMinor >= f.minAmountMinor)
    .filter((r) => f.maxAmountMinor === undefined || r.disputedMinor <= f.maxAmountMinor)
    .filter((r) => !f.assignee || (f.assignee === 'unassigned' ? r.assignedMediatorId === null : r.assignedMediatorId === f.assignee))
    .filter((r) => !f.overdue || (r.deadlineAt !== null && r.deadlineAt < now))
    .filter((r) => !f.search || r.searchText.includes(f.search.trim().toLowerCase()))
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      // Missing deadlines come last whichever way the list runs.
      if (ka === null || kb === null) return ka === kb ? sign * a.id.localeCompare(b.id) : ka === null ? 1 : -1;
      return ka !== kb ? sign * (ka - kb) : sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    })
    .map((r) => r.id);
}

async function everyPage(read: (f: QueueFilter) => Promise<{ items: QueueItem[]; nextCursor: string | null }>, f: QueueFilter): Promise<QueueItem[]> {
  const all: QueueItem[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await read({ ...f, cursor, limit: 7 });
    all.push(...page.items);
    if (!page.nextCursor) return all;
    cursor = page.nextCursor;
  }
  throw new Error('the queue never ended');
}

const filters: QueueFilter[] = [
  {},
  { currency: 'EUR' },
  { minAmountMinor: 3_000, maxAmountMinor: 7_000 },
  { assignee: 'unassigned' },
  { assignee: 'op_b' },
  { overdue: true },
  { search: ' PERSON 3 ' },
  // Rare terms come from the trigram index, short ones (under three characters) from walking the
  // sort order; substrings start mid-word; LIKE's and FTS5's own syntax is only text.
  { search: 'ilestone 15' },
  { search: 'person 3 person 4' },
  { search: 'mi' },
  { search: '50%_"x* OR' },
  { search: 'milestone 1', assignee: 'unassigned' },
  { stages: ['closed'] },
  { stages: ['arbitration', 'filing'], currency: 'USD', minAmountMinor: 2_000 },
];

describe('dispute queue', () => {
  for (const sort of ['openedAt', 'disputedMinor', 'deadlineAt'] as const) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`lists exactly the reference, page by page, sorted by ${sort} ${direction}, under every filter`, async () => {
        for (const filter of filters) {
          const f = { ...filter, sort, direction };
          const expected = reference(f);
          const viaReader = await everyPage((q) => disputeQueue(h.reader, q, now), f);
          expect(viaReader.map((d) => d.id), JSON.stringify(f)).toEqual(expected);
          // The same statement through Prisma's raw query (what a console without its own connection uses).
          const viaPrisma = await everyPage((q) => disputeQueue(new PrismaReader(h.db), q, now), f);
          expect(viaPrisma.map((d) => d.id)).toEqual(expected);
        }
      });
    }
  }

  it('keeps the search index in step with the disputes: new, changed and deleted text', async () => {
    const search = (term: string) => disputeQueue(h.reader, { search: term, limit: 200 }, now).then((p) => p.items.map((d) => d.id));
    const original = rows[3]!;
    expect(await search(original.searchText)).toContain(original.id);
    await h.db.dispute.update({ where: { id: original.id }, data: { searchText: 'renamed zebra crossing' } });
    expect(await search('zebra cross')).toEqual([original.id]);
    expect(await search(original.searchText)).not.toContain(original.id);
    await h.db.dispute.update({ where: { id: original.id }, data: { searchText: original.searchText } });
    expect(await search('zebra cross')).toEqual([]);
    expect(await search(original.searchText)).toContain(original.id);
    const extra = await h.db.dispute.create({ data: { ...(await h.db.dispute.findUniqueOrThrow({ where: { id: original.id } })), id: 'dsp_extra', milestoneId: `mst_${original.id}`, searchText: 'unicorn hatchery', version: 0 } });
    expect(await search('unicorn hatch')).toEqual([extra.id]);
    await h.db.dispute.delete({ where: { id: extra.id } });
    expect(await search('unicorn hatch')).toEqual([]);
  });

  it('joins each row to its parties, milestone, project and mediator', async () => {
    const page = await disputeQueue(h.reader, { assignee: 'op_a', sort: 'disputedMinor', direction: 'desc', limit: 200 }, now);
    expect(page.items.length).toBeGreaterThan(0);
    for (const item of page.items) {
      const r = rows.find((x) => x.id === item.id)!;
      const i = rows.indexOf(r);
      expect(item).toMatchObject({
        stage: r.stage, currency: r.currency, disputedMinor: r.disputedMinor, claimMinor: r.disputedMinor, filerRole: 'client',
        client: { id: `usr_${i % 10}`, name: `Person ${i % 10}` }, freelancer: { id: `usr_${(i + 1) % 10}`, name: `Person ${(i + 1) % 10}` },
        milestoneDescription: `Part ${i}`, projectTitle: i % 2 ? 'Shop redesign' : null,
        assignedMediatorId: 'op_a', assignedMediatorName: 'Mediator op_a', version: i % 4,
      });
      expect(item.openedAt).toEqual(r.openedAt);
      expect(item.deadlineAt).toEqual(r.deadlineAt);
    }
  });

  it('counts open, unassigned, mine, overdue and each stage in one pass, as the reference does', async () => {
    const open = rows.filter((r) => r.stage !== 'closed');
    const counts = await queueCounts(h.reader, now, 'op_b');
    expect(counts).toEqual({
      total: open.length,
      unassigned: open.filter((r) => r.assignedMediatorId === null).length,
      mine: open.filter((r) => r.assignedMediatorId === 'op_b').length,
      overdue: open.filter((r) => r.deadlineAt !== null && r.deadlineAt < now).length,
      byStage: Object.fromEntries(['filing', 'negotiation', 'arbitration', 'decision'].map((st) => [st, open.filter((r) => r.stage === st).length])),
    });
    expect(counts.overdue).toBeGreaterThan(0);
    expect(counts.mine).toBeGreaterThan(0);
  });

  it('refuses a cursor that is not one of its own, and changes nothing', async () => {
    await expect(disputeQueue(h.reader, { sort: 'disputedMinor', cursor: Buffer.from(JSON.stringify({ v: 'not a number', id: 'x' })).toString('base64url') }, now)).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(disputeQueue(h.reader, { sort: 'openedAt', cursor: 'garbage' }, now)).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
