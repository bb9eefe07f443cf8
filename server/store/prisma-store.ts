import { EngineError, fail } from '../engine/errors.js';
import type { BalanceDelta, CommandRecord, EngineStore, EngineTx, Filter, FindOptions } from '../engine/ports.js';
import type { Entities, EntityName, JournalEntry, ReputationEvent, Transfer } from '../engine/types.js';
import type { Db } from './database.js';
import type { Prisma } from './generated/client.js';

type Tx = Prisma.TransactionClient;

/** Prisma hands BigInt columns back as bigint; the engine works in safe-integer numbers. */
export function fromRow<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === 'bigint') {
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new Error(`${k} is outside the exact range`);
      out[k] = Number(v);
    } else {
      out[k] = v;
    }
  }
  return out as T;
}

// The model delegates share a shape that Prisma's types cannot express generically.
type Delegate = {
  findUnique(args: unknown): Promise<Record<string, unknown> | null>;
  findMany(args: unknown): Promise<Record<string, unknown>[]>;
  createMany(args: unknown): Promise<{ count: number }>;
  updateMany(args: unknown): Promise<{ count: number }>;
  count(args: unknown): Promise<number>;
};

function delegate(tx: Tx, kind: EntityName): Delegate {
  return (tx as unknown as Record<string, Delegate>)[kind] as Delegate;
}

class PrismaTx implements EngineTx {
  constructor(private readonly tx: Tx) {}

  async get<K extends EntityName>(kind: K, id: string): Promise<Entities[K] | null> {
    const row = await delegate(this.tx, kind).findUnique({ where: { id } });
    return row ? fromRow<Entities[K]>(row) : null;
  }

  async find<K extends EntityName>(kind: K, where: Filter<Entities[K]>, options: FindOptions<Entities[K]>): Promise<Entities[K][]> {
    const rows = await delegate(this.tx, kind).findMany({
      where,
      take: options.take,
      ...(options.orderBy ? { orderBy: { [options.orderBy.field]: options.orderBy.direction } } : {}),
    });
    return rows.map((r) => fromRow<Entities[K]>(r));
  }

  async insert<K extends EntityName>(kind: K, rows: readonly Entities[K][]): Promise<void> {
    if (rows.length === 0) return;
    await delegate(this.tx, kind).createMany({ data: rows });
  }

  async update<K extends EntityName>(kind: K, id: string, expectedVersion: number | null, patch: Partial<Entities[K]>): Promise<void> {
    const { id: _id, version: _version, ...data } = patch as Record<string, unknown>;
    const where = expectedVersion === null ? { id } : { id, version: expectedVersion };
    const update = expectedVersion === null ? data : { ...data, version: { increment: 1 } };
    const { count } = await delegate(this.tx, kind).updateMany({ where, data: update });
    if (count === 1) return;
    const exists = await delegate(this.tx, kind).count({ where: { id } });
    if (exists === 0) fail('NOT_FOUND', `no ${kind} ${id}`);
    fail('CONFLICT', `this ${kind} was changed by someone else at the same moment; look again and retry`, { kind, id });
  }

  async post(transfers: readonly Transfer[], deltas: readonly BalanceDelta[]): Promise<void> {
    await this.tx.transfer.createMany({ data: transfers.map(({ id: _id, ...t }) => t) });
    for (const d of deltas) {
      // One statement per account: create on first use, add the delta, and read the result back
      // to refuse an overdraft inside the same transaction.
      const rows = await this.tx.$queryRaw<{ balanceMinor: bigint }[]>`
        INSERT INTO "Account" ("id", "kind", "ownerId", "currency", "balanceMinor")
        VALUES (${d.accountId}, ${d.kind}, ${d.ownerId}, ${d.currency}, CAST(${d.deltaMinor} AS BIGINT))
        ON CONFLICT ("id") DO UPDATE SET "balanceMinor" = "Account"."balanceMinor" + CAST(${d.deltaMinor} AS BIGINT)
        RETURNING "balanceMinor"`;
      const balance = Number(rows[0]?.balanceMinor ?? 0);
      if (!d.mayGoNegative && balance < 0) {
        fail('INSUFFICIENT_FUNDS', `account ${d.accountId} would be overdrawn by ${-balance}`, { accountId: d.accountId });
      }
    }
  }

  async balance(accountId: string): Promise<number> {
    const row = await this.tx.account.findUnique({ where: { id: accountId }, select: { balanceMinor: true } });
    return row ? Number(row.balanceMinor) : 0;
  }

  async lastJournal(): Promise<Pick<JournalEntry, 'seq' | 'hash'> | null> {
    return this.tx.journalEntry.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
  }

  async appendJournal(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.tx.journalEntry.createMany({ data: [...entries] });
  }

  async addReputationEvents(events: readonly Omit<ReputationEvent, 'id'>[]): Promise<void> {
    if (events.length === 0) return;
    await this.tx.reputationEvent.createMany({ data: [...events] });
  }

  async putAppSetting(key: string, value: string | null, at: Date): Promise<void> {
    if (value === null) await this.tx.appSetting.deleteMany({ where: { key } });
    else await this.tx.appSetting.upsert({ where: { key }, create: { key, value, updatedAt: at }, update: { value, updatedAt: at } });
  }

  getCommand(key: string): Promise<CommandRecord | null> {
    return this.tx.commandLog.findUnique({ where: { key } });
  }

  async putCommand(record: CommandRecord): Promise<void> {
    await this.tx.commandLog.create({ data: record });
  }
}

const MAX_ATTEMPTS = 8;

export class PrismaStore implements EngineStore {
  constructor(readonly db: Db) {}

  /**
   * Runs one command's transaction. Collisions that say nothing about the command itself (two
   * commands taking the same journal sequence number, a deadlock, a serialization failure) are
   * retried from the start: the transaction rolled back whole, so a retry is safe. A conflict on
   * the command's own records is the engine's CONFLICT and goes back to the caller.
   */
  async transaction<T>(fn: (tx: EngineTx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.$transaction((tx) => fn(new PrismaTx(tx)), { timeout: 30_000, maxWait: 30_000 });
      } catch (error) {
        if (attempt < MAX_ATTEMPTS && isRetryable(error)) {
          await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
          continue;
        }
        throw translate(error);
      }
    }
  }
}

function prismaCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('P') ? code : undefined;
}

function isRetryable(error: unknown): boolean {
  if (error instanceof EngineError) return false;
  const code = prismaCode(error);
  const target = JSON.stringify((error as { meta?: unknown }).meta ?? '');
  // P2002 on the journal's sequence or the idempotency log: another command appended first.
  if (code === 'P2002' && /JournalEntry|seq|CommandLog|key/.test(target)) return true;
  if (code === 'P2034') return true;
  const message = String((error as Error)?.message ?? '');
  return /deadlock detected|could not serialize|40P01|40001/.test(message);
}

/** Storage-level failures that mean "someone else got there first" become the engine's CONFLICT. */
function translate(error: unknown): unknown {
  if (error instanceof EngineError) return error;
  if (prismaCode(error) === 'P2002') {
    return new EngineError('CONFLICT', 'another command changed the same record at the same moment; retry', { prismaCode: 'P2002' });
  }
  return error;
}
