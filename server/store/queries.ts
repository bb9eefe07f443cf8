import { OPEN_STAGES } from '../engine/dispute.js';
import { remainingMinor } from '../engine/milestone.js';
import { standing } from '../engine/reputation.js';
import type { Dispute, DisputeStage, JournalEntry, Milestone, User } from '../engine/types.js';
import type { Db } from './database.js';
import { decodeCursor, encodeCursor, integerCursor, pageOf, type Page } from './paging.js';
import { fromRow } from './prisma-store.js';
import { asDate, asNullableDate, asNumber, Statement, type SqlReader } from './sql-reader.js';
import { EngineError } from '../engine/errors.js';

/** The console's read side: bounded, keyset-paged queries that batch their lookups. */

export type PartySummary = { id: string; name: string; country: string; language: string; completionRateBps: number; reputationScore: number };

function party(u: User, role: 'client' | 'freelancer'): PartySummary {
  return { id: u.id, name: u.name, country: u.country, language: u.language, ...standing(u, role) };
}

async function usersById(db: Db, ids: string[]): Promise<Map<string, User>> {
  const rows = await db.user.findMany({ where: { id: { in: [...new Set(ids)] } } });
  return new Map(rows.map((r) => [r.id, fromRow<User>(r)]));
}

export type QueueFilter = {
  stages?: DisputeStage[];
  currency?: string;
  minAmountMinor?: number;
  maxAmountMinor?: number;
  /** An operator id, or 'unassigned'. */
  assignee?: string;
  overdue?: boolean;
  search?: string;
  sort?: 'openedAt' | 'disputedMinor' | 'deadlineAt';
  direction?: 'asc' | 'desc';
  cursor?: string | null;
  limit?: number;
};

export type QueueItem = {
  id: string;
  stage: DisputeStage;
  disputedMinor: number;
  claimMinor: number;
  currency: string;
  filerRole: string;
  client: { id: string; name: string };
  freelancer: { id: string; name: string };
  projectTitle: string | null;
  milestoneDescription: string;
  openedAt: Date;
  deadlineAt: Date | null;
  assignedMediatorId: string | null;
  assignedMediatorName: string | null;
  version: number;
};

async function operatorNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.operator.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}

const QUEUE_SORT = { openedAt: '"openedAt"', disputedMinor: '"disputedMinor"', deadlineAt: '"deadlineAt"' } as const;

/**
 * Up to this many disputes holding a search term, the queue reads them from the trigram index
 * (migration 0008 on SQLite, 0002 on PostgreSQL) and sorts them; beyond it the term is common
 * and the first page is found sooner by walking the sort order and checking each row.
 */
const SEARCH_RARE_MAX = 500;

/** An FTS5 string: the term as one phrase, which the trigram tokenizer matches as a substring. */
const ftsPhrase = (term: string) => `"${term.replaceAll('"', '""')}"`;
/** LIKE '%term%' with the term's own %, _ and \ taken literally. */
const likeSubstring = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The disputes (of any stage) holding the term, by the trigram index: SQLite rowids or
 * PostgreSQL ids, or null when there are more than SEARCH_RARE_MAX or the term is shorter than
 * the three characters a trigram needs.
 */
async function searchHits(reader: SqlReader, term: string): Promise<(string | number)[] | null> {
  if ([...term].length < 3) return null;
  const q = new Statement(reader.dialect);
  const rows = await reader.all<{ k: string | number }>(reader.dialect === 'sqlite'
    ? `SELECT rowid AS "k" FROM "DisputeSearch" WHERE "DisputeSearch" MATCH ${q.param(ftsPhrase(term))} LIMIT ${SEARCH_RARE_MAX + 1}`
    : `SELECT "id" AS "k" FROM "Dispute" WHERE "searchText" LIKE ${q.param(likeSubstring(term))} LIMIT ${SEARCH_RARE_MAX + 1}`, q.params);
  return rows.length > SEARCH_RARE_MAX ? null : rows.map((r) => r.k);
}

/**
 * The dispute queue as one statement. Ids are picked from the index on (stage, sort key, id)
 * first, one keyset branch per stage so each reads at most a page of index entries at any depth
 * (or, for a rare search term, from the trigram index), then only the page's rows are joined to
 * their parties, milestone, project and mediator.
 */
export async function disputeQueue(reader: SqlReader, f: QueueFilter, now: Date): Promise<Page<QueueItem>> {
  const limit = Math.min(f.limit ?? 50, 200);
  const sort = f.sort ?? 'openedAt';
  const direction = f.direction ?? 'asc';
  const cursor = decodeCursor(f.cursor);
  const stages = [...new Set(f.stages?.length ? f.stages : OPEN_STAGES)];
  const search = f.search?.trim().toLowerCase() || null;
  // A rare term is looked up in the trigram index; a common one is found soon enough walking the sort order.
  const hits = search === null ? null : await searchHits(reader, search);
  const indexed = hits !== null;
  const q = new Statement(reader.dialect);
  const key = QUEUE_SORT[sort];
  const dir = direction === 'asc' ? 'ASC' : 'DESC';
  const cmp = direction === 'asc' ? '>' : '<';
  const order = (prefix: string) => `${prefix}${key} ${dir}${sort === 'deadlineAt' ? ' NULLS LAST' : ''}, ${prefix}"id" ${dir}`;
  const cursorValue = () => {
    const v = sort === 'disputedMinor' ? Number(cursor!.v) : new Date(String(cursor!.v));
    if (typeof v === 'number' ? !Number.isSafeInteger(v) : Number.isNaN(v.getTime())) throw new EngineError('VALIDATION', 'the page cursor is not valid; start again from the first page');
    return v;
  };
  /** The filters every way of reading shares (stage and cursor apart). */
  const filters = (where: string[]) => {
    if (f.currency) where.push(`"currency" = ${q.param(f.currency)}`);
    // Past a cursor on the amount, an amount bound the cursor already implies is left out: given
    // two lower (or upper) bounds on one column, SQLite starts the index at the first one.
    const from = sort === 'disputedMinor' && cursor && cursor.v !== null && !indexed ? Number(cursor.v) : null;
    if (f.minAmountMinor !== undefined && !(from !== null && direction === 'asc' && from >= f.minAmountMinor)) where.push(`"disputedMinor" >= ${q.param(f.minAmountMinor)}`);
    if (f.maxAmountMinor !== undefined && !(from !== null && direction === 'desc' && from <= f.maxAmountMinor)) where.push(`"disputedMinor" <= ${q.param(f.maxAmountMinor)}`);
    if (f.assignee) where.push(f.assignee === 'unassigned' ? '"assignedMediatorId" IS NULL' : `"assignedMediatorId" = ${q.param(f.assignee)}`);
    if (f.overdue) where.push(`"deadlineAt" < ${q.param(now)}`);
    if (search !== null && !indexed) where.push(reader.dialect === 'sqlite' ? `instr("searchText", ${q.param(search)}) > 0` : `strpos("searchText", ${q.param(search)}) > 0`);
  };

  let ids: string;
  if (indexed) {
    // The few disputes holding the term, then filtered and sorted: at most SEARCH_RARE_MAX rows.
    // The stage's index is kept out of it (+"stage"), so the planner starts from the matches
    // rather than walking a stage in sort order checking each row against them.
    const where = reader.dialect === 'sqlite'
      ? [`"rowid" IN (SELECT "value" FROM json_each(${q.param(JSON.stringify(hits))}))`, `+"stage" IN (${stages.map((st) => q.param(st)).join(', ')})`]
      : [`"id" = ANY(${q.param(hits)}::text[])`, `"stage" IN (${stages.map((st) => q.param(st)).join(', ')})`];
    filters(where);
    if (cursor) {
      if (cursor.v === null) where.push(`${key} IS NULL AND "id" ${cmp} ${q.param(cursor.id)}`);
      else {
        const v = cursorValue();
        where.push(`(${key} ${cmp} ${q.param(v)} OR (${key} = ${q.param(v)} AND "id" ${cmp} ${q.param(cursor.id)})${sort === 'deadlineAt' ? ` OR ${key} IS NULL` : ''})`);
      }
    }
    ids = `SELECT "id" FROM "Dispute" WHERE ${where.join(' AND ')} ORDER BY ${order('')} LIMIT ${limit + 1}`;
  } else {
    // On the deadline, rows without one come last either way, which no index order gives: each
    // stage is read as two runs, those with a deadline by (deadline, id), then those without by id.
    const runs: ('all' | 'dated' | 'undated')[] = sort === 'deadlineAt' ? ['dated', 'undated'] : ['all'];
    const branch = (stage: string, run: 'all' | 'dated' | 'undated') => {
      // Past the last dated row already: only undated rows after the cursor's id remain.
      if (cursor?.v === null && run === 'dated') return null;
      const where = [`"stage" = ${q.param(stage)}`];
      filters(where);
      if (run === 'dated') where.push(`${key} IS NOT NULL`);
      if (run === 'undated') where.push(`${key} IS NULL`);
      if (cursor) {
        if (cursor.v === null) {
          where.push(`${run === 'all' ? `${key} IS NULL AND ` : ''}"id" ${cmp} ${q.param(cursor.id)}`);
        } else if (run !== 'undated') {
          const v = cursorValue();
          // The first bound alone is what lets the index start at the cursor: without it both
          // databases read the index from its start to the cursor, a cost growing with depth.
          where.push(`${key} ${cmp}= ${q.param(v)}`, `(${key} ${cmp} ${q.param(v)} OR (${key} = ${q.param(v)} AND "id" ${cmp} ${q.param(cursor.id)}))`);
        }
      }
      const runOrder = run === 'undated' ? `"id" ${dir}` : `${key} ${dir}, "id" ${dir}`;
      return `SELECT * FROM (SELECT "id", ${key} FROM "Dispute" WHERE ${where.join(' AND ')} ORDER BY ${runOrder} LIMIT ${limit + 1}) AS s`;
    };
    const union = stages.flatMap((stage) => runs.map((run) => branch(stage, run))).filter((b): b is string => b !== null).join(' UNION ALL ');
    ids = `SELECT "id" FROM (${union}) AS u ORDER BY ${order('')} LIMIT ${limit + 1}`;
  }
  const sql = `SELECT d."id", d."stage", d."disputedMinor", d."claimMinor", d."currency", d."filerRole", d."clientId", d."freelancerId",
      d."openedAt", d."deadlineAt", d."assignedMediatorId", d."version",
      cu."name" AS "clientName", fu."name" AS "freelancerName", m."description" AS "milestoneDescription", p."title" AS "projectTitle", o."name" AS "mediatorName"
    FROM (${ids}) AS page
    JOIN "Dispute" d ON d."id" = page."id"
    LEFT JOIN "User" cu ON cu."id" = d."clientId"
    LEFT JOIN "User" fu ON fu."id" = d."freelancerId"
    LEFT JOIN "Milestone" m ON m."id" = d."milestoneId"
    LEFT JOIN "Project" p ON p."id" = m."projectId"
    LEFT JOIN "Operator" o ON o."id" = d."assignedMediatorId"
    ORDER BY ${order('d.')}`;
  const rows = await reader.all<Record<string, unknown>>(sql, q.params);
  const items = rows.map((r): QueueItem => ({
    id: r.id as string, stage: r.stage as DisputeStage, disputedMinor: asNumber(r.disputedMinor), claimMinor: asNumber(r.claimMinor),
    currency: r.currency as string, filerRole: r.filerRole as string,
    client: { id: r.clientId as string, name: (r.clientName as string | null) ?? '?' }, freelancer: { id: r.freelancerId as string, name: (r.freelancerName as string | null) ?? '?' },
    projectTitle: (r.projectTitle as string | null) ?? null, milestoneDescription: (r.milestoneDescription as string | null) ?? '',
    openedAt: asDate(r.openedAt), deadlineAt: asNullableDate(r.deadlineAt), assignedMediatorId: (r.assignedMediatorId as string | null) ?? null,
    assignedMediatorName: (r.mediatorName as string | null) ?? null, version: asNumber(r.version),
  }));
  return pageOf(items, limit, (d) => (sort === 'disputedMinor' ? d.disputedMinor : sort === 'deadlineAt' ? d.deadlineAt : d.openedAt));
}

/** The queue's counters in one pass over the open disputes, instead of a count per chip. */
export async function queueCounts(reader: SqlReader, now: Date, operatorId: string) {
  const q = new Statement(reader.dialect);
  const mine = q.param(operatorId);
  const due = q.param(now);
  const rows = await reader.all<Record<string, unknown>>(
    `SELECT "stage", COUNT(*) AS "total",
       SUM(CASE WHEN "assignedMediatorId" IS NULL THEN 1 ELSE 0 END) AS "unassigned",
       SUM(CASE WHEN "assignedMediatorId" = ${mine} THEN 1 ELSE 0 END) AS "mine",
       SUM(CASE WHEN "deadlineAt" < ${due} THEN 1 ELSE 0 END) AS "overdue"
     FROM "Dispute" WHERE "stage" IN (${OPEN_STAGES.map((st) => q.param(st)).join(', ')}) GROUP BY "stage"`,
    q.params,
  );
  const sum = (k: string) => rows.reduce((s, r) => s + asNumber(r[k] ?? 0), 0);
  return {
    total: sum('total'), unassigned: sum('unassigned'), mine: sum('mine'), overdue: sum('overdue'),
    byStage: Object.fromEntries(rows.map((r) => [r.stage as string, asNumber(r.total)])) as Record<string, number>,
  };
}

export async function timeline(db: Db, entityIds: string[], limit = 500): Promise<JournalEntry[]> {
  return (await db.journalEntry.findMany({ where: { entityId: { in: entityIds } }, orderBy: { seq: 'asc' }, take: limit })) as JournalEntry[];
}

export async function caseFile(db: Db, disputeId: string) {
  const d = fromRow<Dispute>(await db.dispute.findUniqueOrThrow({ where: { id: disputeId } }));
  const m = fromRow<Milestone>(await db.milestone.findUniqueOrThrow({ where: { id: d.milestoneId } }));
  const [users, project, offers, messages, evidence, entries, fees] = await Promise.all([
    usersById(db, [d.clientId, d.freelancerId]),
    m.projectId ? db.project.findUnique({ where: { id: m.projectId } }) : null,
    db.disputeOffer.findMany({ where: { disputeId }, orderBy: { at: 'asc' }, take: 500 }),
    db.disputeMessage.findMany({ where: { disputeId }, orderBy: { at: 'asc' }, take: 500 }),
    db.evidence.findMany({ where: { disputeId }, orderBy: { at: 'asc' }, take: 500 }),
    timeline(db, [d.id, m.id]),
    db.account.findUnique({ where: { id: `dispute_fee:${d.id}` } }),
  ]);
  const client = users.get(d.clientId)!;
  const freelancer = users.get(d.freelancerId)!;
  const names = await operatorNames(db, [d.assignedMediatorId, d.decidedById, ...messages.map((m) => (m.authorKind === 'operator' ? m.authorId : null))]);
  return {
    dispute: d,
    operatorNames: Object.fromEntries(names),
    milestone: { ...m, remainingMinor: remainingMinor(m) },
    project: project ? { id: project.id, title: project.title, category: project.category, description: project.description } : null,
    client: { ...party(client, 'client'), stats: client },
    freelancer: { ...party(freelancer, 'freelancer'), stats: freelancer },
    offers: offers.map((o) => fromRow<{ id: string; byRole: string; byUserId: string; freelancerShareMinor: number; at: Date }>(o)),
    messages,
    evidence,
    timeline: entries,
    feesHeldMinor: Number(fees?.balanceMinor ?? 0),
  };
}

export type TransferFilter = { userId?: string; projectId?: string; milestoneId?: string; currency?: string; cursor?: string | null; limit?: number };

const TRANSFER_COLUMNS = '"id", "marketplaceId", "debitAccountId", "creditAccountId", "amountMinor", "currency", "kind", "milestoneId", "projectId", "disputeId", "commandId", "at"';

/**
 * Payment history, newest first, as one statement. For a user, each row also carries the
 * wallet's balance after it, computed from the current balance walking backwards so that no page
 * needs the whole past: the wallet's page is read from each side's (account, id) index and
 * merged (as one query with OR, the database gathered and sorted every transfer the wallet ever
 * had, for each page), and what moved since the page's start is summed by the database.
 */
export async function transfers(reader: SqlReader, f: TransferFilter) {
  const limit = Math.min(f.limit ?? 50, 500);
  const cursor = decodeCursor(f.cursor);
  const below = cursor ? integerCursor(cursor)! : null;
  const wallet = f.userId ? `wallet:${f.userId}:${f.currency ?? 'USD'}` : null;
  const q = new Statement(reader.dialect);
  const read = (side: string | null) => {
    const where = [
      ...(side ? [`"${side}" = ${q.param(wallet)}`] : []),
      ...(f.projectId ? [`"projectId" = ${q.param(f.projectId)}`] : []),
      ...(f.milestoneId ? [`"milestoneId" = ${q.param(f.milestoneId)}`] : []),
      ...(below !== null ? [`"id" < ${q.param(below)}`] : []),
    ];
    return `SELECT * FROM (SELECT ${TRANSFER_COLUMNS} FROM "Transfer"${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY "id" DESC LIMIT ${limit + 1}) AS s`;
  };
  // The balance just after the page's newest transfer is today's, less what came in and plus what
  // went out from the cursor on (the cursor is the previous page's last id; none lies between).
  const sinceSum = (side: string) => (below === null ? '0' : `(SELECT COALESCE(SUM("amountMinor"), 0) FROM "Transfer" WHERE "${side}" = ${q.param(wallet)} AND "id" >= ${q.param(below)})`);
  const sql = wallet
    ? `SELECT t.*, (SELECT "balanceMinor" FROM "Account" WHERE "id" = ${q.param(wallet)}) AS "nowMinor", ${sinceSum('creditAccountId')} AS "inSinceMinor", ${sinceSum('debitAccountId')} AS "outSinceMinor"
       FROM (${read('debitAccountId')} UNION ${read('creditAccountId')}) AS t ORDER BY t."id" DESC LIMIT ${limit + 1}`
    : `${read(null)} ORDER BY "id" DESC`;
  const rows = await reader.all<Record<string, unknown>>(sql, q.params);
  const items = rows.slice(0, limit).map((r) => ({
    id: Number(r.id), marketplaceId: r.marketplaceId as string, debitAccountId: r.debitAccountId as string, creditAccountId: r.creditAccountId as string,
    amountMinor: Number(r.amountMinor), currency: r.currency as string, kind: r.kind as string, milestoneId: (r.milestoneId as string | null) ?? null,
    projectId: (r.projectId as string | null) ?? null, disputeId: (r.disputeId as string | null) ?? null, commandId: r.commandId as string, at: asDate(r.at),
  }));
  // Sums come back as bigint, numeric text or number depending on the database and driver.
  let balance = rows[0] ? Number(rows[0].nowMinor ?? 0) - Number(rows[0].inSinceMinor ?? 0) + Number(rows[0].outSinceMinor ?? 0) : 0;
  const last = items[items.length - 1];
  return {
    items: items.map((t) => {
      const balanceAfterMinor = wallet ? balance : null;
      if (wallet) balance -= t.debitAccountId === wallet ? -t.amountMinor : t.amountMinor;
      return { ...t, balanceAfterMinor, direction: wallet ? (t.creditAccountId === wallet ? ('in' as const) : ('out' as const)) : null };
    }),
    nextCursor: rows.length > limit && last ? encodeCursor(null, String(last.id)) : null,
  };
}

export type JournalFilter = {
  actorId?: string; actorRole?: string; action?: string; entityType?: string; entityId?: string;
  from?: Date; to?: Date; cursor?: string | null; limit?: number;
  /** Newest first by default; oldest first reads a range in the order it was written. */
  direction?: 'asc' | 'desc';
};

/** The audit trail, newest first, with every filter a reviewer asks for. */
export async function journalPage(db: Db, f: JournalFilter) {
  const limit = Math.min(f.limit ?? 100, 1000);
  const cursor = decodeCursor(f.cursor);
  const rows = await db.journalEntry.findMany({
    where: {
      ...(f.actorId ? { actorId: f.actorId } : {}),
      ...(f.actorRole ? { actorRole: f.actorRole } : {}),
      ...(f.action ? { action: { startsWith: f.action } } : {}),
      ...(f.entityType ? { entityType: f.entityType } : {}),
      ...(f.entityId ? { entityId: f.entityId } : {}),
      ...(f.from || f.to ? { at: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } } : {}),
      ...(cursor ? { seq: { [f.direction === 'asc' ? 'gt' : 'lt']: integerCursor(cursor)! } } : {}),
    },
    orderBy: { seq: f.direction ?? 'desc' },
    take: limit + 1,
  });
  const items = rows.slice(0, limit) as JournalEntry[];
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(null, String(last.seq)) : null };
}

/**
 * A user's milestones, as client and as freelancer: the ids from each side's (party, id) index,
 * then those rows in the database's own order of ids (its collation, not JavaScript's). As one
 * query with OR, the database gathered every milestone the user ever had and sorted them.
 */
async function byParty(db: Db, userId: string, where: object, direction: 'asc' | 'desc', take: number) {
  const ids = (side: object) => db.milestone.findMany({ where: { ...where, ...side }, orderBy: { id: direction }, take, select: { id: true } });
  const [asClient, asFreelancer] = await Promise.all([ids({ clientId: userId }), ids({ freelancerId: userId })]);
  return db.milestone.findMany({ where: { id: { in: [...new Set([...asClient, ...asFreelancer].map((m) => m.id))] } }, orderBy: { id: direction }, take });
}

export async function userDetail(db: Db, userId: string) {
  const u = fromRow<User>(await db.user.findUniqueOrThrow({ where: { id: userId } }));
  const [events, wallets, milestones] = await Promise.all([
    db.reputationEvent.findMany({ where: { userId }, orderBy: { id: 'asc' }, take: 1000 }),
    db.account.findMany({ where: { kind: 'wallet', ownerId: userId } }),
    byParty(db, userId, {}, 'desc', 200),
  ]);
  return {
    user: u,
    asFreelancer: standing(u, 'freelancer'),
    asClient: standing(u, 'client'),
    events,
    balances: wallets.map((w) => ({ currency: w.currency, balanceMinor: Number(w.balanceMinor) })),
    milestones: milestones.map((m) => fromRow<Milestone>(m)),
  };
}

export async function listUsers(db: Db, f: { search?: string; cursor?: string | null; limit?: number; direction?: 'asc' | 'desc' }) {
  const limit = Math.min(f.limit ?? 50, 200);
  const cursor = decodeCursor(f.cursor);
  const rows = await db.user.findMany({
    where: { ...(f.search ? { name: { contains: f.search } } : {}), ...(cursor ? { id: { [f.direction === 'desc' ? 'lt' : 'gt']: cursor.id } } : {}) },
    orderBy: { id: f.direction ?? 'asc' },
    take: limit + 1,
  });
  const page = pageOf(rows.map((r) => fromRow<User>(r)), limit, () => null);
  return { nextCursor: page.nextCursor, items: page.items.map((u) => ({ id: u.id, name: u.name, email: u.email, country: u.country, freelancer: standing(u, 'freelancer'), client: standing(u, 'client') })) };
}

export async function listMilestones(db: Db, f: { state?: string; userId?: string; projectId?: string; cursor?: string | null; limit?: number; direction?: 'asc' | 'desc' }) {
  const limit = Math.min(f.limit ?? 50, 200);
  const cursor = decodeCursor(f.cursor);
  const where = {
    ...(f.state ? { state: f.state } : {}),
    ...(f.projectId ? { projectId: f.projectId } : {}),
    ...(cursor ? { id: { [f.direction === 'asc' ? 'gt' : 'lt']: cursor.id } } : {}),
  };
  const rows = f.userId
    ? await byParty(db, f.userId, where, f.direction ?? 'desc', limit + 1)
    : await db.milestone.findMany({ where, orderBy: { id: f.direction ?? 'desc' }, take: limit + 1 });
  return pageOf(rows.map((r) => { const m = fromRow<Milestone>(r); return { ...m, remainingMinor: remainingMinor(m) }; }), limit, () => null);
}

export async function staffCancellations(db: Db, f: { status?: string; cursor?: string | null; limit?: number; direction?: 'asc' | 'desc' }) {
  const limit = Math.min(f.limit ?? 50, 200);
  const cursor = decodeCursor(f.cursor);
  const rows = await db.staffCancellation.findMany({
    where: { ...(f.status ? { status: f.status } : {}), ...(cursor ? { id: { [f.direction === 'asc' ? 'gt' : 'lt']: cursor.id } } : {}) },
    orderBy: { id: f.direction ?? 'desc' },
    take: limit + 1,
  });
  return pageOf(rows.map((r) => fromRow<{ id: string; milestoneId: string; operatorId: string; reason: string; amountMinor: number; currency: string; status: string; createdAt: Date }>(r)), limit, () => null);
}

export type Precedents = {
  cases: { id: string; disputedMinor: number; freelancerShareMinor: number; freelancerShareBps: number; outcome: string; closedAt: Date | null }[];
  /** Ten buckets of the freelancer's share: 0–10%, 10–20% … 90–100%. */
  histogram: { fromBps: number; count: number }[];
  medianBps: number | null;
  p10Bps: number | null;
  p90Bps: number | null;
};

/**
 * Past disputes like this one: same category and currency, an amount within a factor of two,
 * ended by a decision or a settlement. Bounded to the most recent 200.
 */
export async function precedents(db: Db, disputeId: string): Promise<Precedents> {
  const d = await db.dispute.findUniqueOrThrow({ where: { id: disputeId } });
  const amount = Number(d.disputedMinor);
  const rows = await db.dispute.findMany({
    where: {
      id: { not: d.id }, category: d.category, currency: d.currency, outcome: { in: ['decided', 'settled', 'small_claims'] },
      disputedMinor: { gte: Math.floor(amount / 2), lte: amount * 2 },
    },
    orderBy: { closedAt: 'desc' },
    take: 200,
    select: { id: true, disputedMinor: true, freelancerShareMinor: true, outcome: true, closedAt: true },
  });
  const cases = rows.map((r) => {
    const disputed = Number(r.disputedMinor);
    const share = Number(r.freelancerShareMinor ?? 0);
    return { id: r.id, disputedMinor: disputed, freelancerShareMinor: share, freelancerShareBps: disputed === 0 ? 0 : Math.round((share * 10_000) / disputed), outcome: r.outcome ?? '', closedAt: r.closedAt };
  });
  const sorted = cases.map((c) => c.freelancerShareBps).sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  const histogram = Array.from({ length: 10 }, (_, i) => ({ fromBps: i * 1000, count: 0 }));
  for (const bps of sorted) histogram[Math.min(9, Math.floor(bps / 1000))]!.count += 1;
  return { cases, histogram, medianBps: at(0.5), p10Bps: at(0.1), p90Bps: at(0.9) };
}

export async function splitApprovals(db: Db, f: { status?: string; cursor?: string | null; limit?: number; direction?: 'asc' | 'desc' }) {
  const limit = Math.min(f.limit ?? 50, 200);
  const cursor = decodeCursor(f.cursor);
  const rows = await db.splitApproval.findMany({
    where: { ...(f.status ? { status: f.status } : {}), ...(cursor ? { id: { [f.direction === 'asc' ? 'gt' : 'lt']: cursor.id } } : {}) },
    orderBy: { id: f.direction ?? 'desc' },
    take: limit + 1,
  });
  const page = pageOf(rows.map((r) => fromRow<{ id: string; disputeId: string; proposedById: string; freelancerShareMinor: number; clientShareMinor: number; reason: string; status: string; createdAt: Date; decidedById: string | null }>(r)), limit, () => null);
  const [disputes, names] = await Promise.all([
    db.dispute.findMany({ where: { id: { in: page.items.map((a) => a.disputeId) } }, select: { id: true, currency: true, disputedMinor: true } }),
    operatorNames(db, page.items.flatMap((a) => [a.proposedById, a.decidedById])),
  ]);
  const byId = new Map(disputes.map((d) => [d.id, d]));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((a) => ({
      ...a,
      currency: byId.get(a.disputeId)?.currency ?? 'USD',
      disputedMinor: Number(byId.get(a.disputeId)?.disputedMinor ?? 0),
      proposedByName: names.get(a.proposedById) ?? null,
      decidedByName: a.decidedById ? names.get(a.decidedById) ?? null : null,
    })),
  };
}

/**
 * Routing for "take next case": never a case involving someone the mediator has a recorded
 * conflict with; among the oldest unassigned cases, those in the mediator's languages first.
 */
export async function nextCaseFor(db: Db, operator: { id: string; languages: string }, candidates = 100): Promise<{ id: string; version: number } | null> {
  const [conflicts, open] = await Promise.all([
    db.operatorConflict.findMany({ where: { operatorId: operator.id }, select: { userId: true } }),
    db.dispute.findMany({
      where: { stage: { in: [...OPEN_STAGES] }, assignedMediatorId: null },
      orderBy: [{ openedAt: 'asc' }, { id: 'asc' }],
      take: candidates,
      select: { id: true, version: true, clientId: true, freelancerId: true, languages: true },
    }),
  ]);
  const avoid = new Set(conflicts.map((c) => c.userId));
  const speaks = new Set(operator.languages.split(','));
  const allowed = open.filter((d) => !avoid.has(d.clientId) && !avoid.has(d.freelancerId));
  const preferred = allowed.find((d) => d.languages.split(',').some((l) => speaks.has(l)));
  const pick = preferred ?? allowed[0];
  return pick ? { id: pick.id, version: pick.version } : null;
}
