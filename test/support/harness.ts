import { Engine, type CommandInput, type CommandName, type CommandResult } from '../../server/engine/engine.js';
import type { Actor, OperatorRole } from '../../server/engine/types.js';
import { SYSTEM } from '../../server/engine/types.js';
import type { SettingsPatch } from '../../server/engine/settings.js';
import type { Db } from '../../server/store/database.js';
import { openDatabase } from '../../server/store/open.js';
import { freshDatabase } from './databases.js';
import type { SqlReader } from '../../server/store/sql-reader.js';
import type { EngineStore } from '../../server/engine/ports.js';
import { checkLedger } from '../../server/store/ledger-health.js';
import { verifyJournal } from '../../server/store/journal-reader.js';

export const DAY_MS = 86_400_000;

/** A real database of its own (a SQLite file, or PostgreSQL in team mode), the real store and engine, and a clock the test moves. */
export class Harness {
  now = new Date('2026-01-05T09:00:00.000Z');
  readonly engine: Engine;
  marketplaceId = '';

  private constructor(readonly db: Db, store: EngineStore, private readonly release: () => Promise<void>, readonly url: string, readonly reader: SqlReader) {
    this.engine = new Engine(store, { clock: () => this.now });
  }

  static async create(settings: SettingsPatch = {}): Promise<Harness> {
    const database = await freshDatabase();
    const opened = await openDatabase(database.url);
    const h = new Harness(opened.db, opened.store, async () => {
      await opened.close();
      await database.drop();
    }, database.url, opened.reader);
    const { marketplaceId } = await h.engine.run('createMarketplace', SYSTEM, { name: 'Test market', settings });
    h.marketplaceId = marketplaceId;
    return h;
  }

  async close(): Promise<void> {
    await this.release();
  }

  advanceDays(days: number): void {
    this.now = new Date(this.now.getTime() + days * DAY_MS);
  }

  run<N extends CommandName>(name: N, actor: Actor, input: CommandInput<N>, idempotencyKey?: string): Promise<CommandResult<N>> {
    return this.engine.run(name, actor, input, idempotencyKey === undefined ? {} : { idempotencyKey });
  }

  async user(name: string, depositMinor = 0, currency = 'USD'): Promise<Actor & { kind: 'user' }> {
    const { userId } = await this.run('registerUser', SYSTEM, { marketplaceId: this.marketplaceId, name, email: `${name.toLowerCase()}@example.com` });
    if (depositMinor > 0) await this.run('deposit', SYSTEM, { userId, amountMinor: depositMinor, currency });
    return { kind: 'user', id: userId };
  }

  operator(role: OperatorRole, id = `op_${role}`): Actor {
    return { kind: 'operator', id, role };
  }

  balance(userId: string, currency = 'USD'): Promise<number> {
    return this.db.account.findUnique({ where: { id: `wallet:${userId}:${currency}` } }).then((a) => Number(a?.balanceMinor ?? 0));
  }

  async account(id: string): Promise<number> {
    const a = await this.db.account.findUnique({ where: { id } });
    return Number(a?.balanceMinor ?? 0);
  }

  milestone(id: string) {
    return this.db.milestone.findUniqueOrThrow({ where: { id } });
  }

  dispute(id: string) {
    return this.db.dispute.findUniqueOrThrow({ where: { id } });
  }

  /** Every ledger invariant and the whole journal chain; returns what is wrong, if anything. */
  async health(): Promise<{ problems: unknown[]; journalOk: boolean }> {
    const problems = await checkLedger(this.db);
    const journal = await verifyJournal(this.db);
    return { problems, journalOk: journal.ok };
  }

  /** A fixed-price project awarded and live, with the client funded. */
  async liveContract(opts: { budget?: number; clientFunds?: number; milestones?: { description: string; amountMinor: number }[] } = {}) {
    const client = await this.user('Clara', opts.clientFunds ?? 100_000);
    const freelancer = await this.user('Felix');
    const budget = opts.budget ?? 50_000;
    const { projectId } = await this.run('postProject', client, { title: 'Logo design', description: 'A logo', budgetMinor: budget, currency: 'USD' });
    const { bidId } = await this.run('placeBid', freelancer, { projectId, amountMinor: budget, proposal: 'I can do it', milestones: opts.milestones ?? [] });
    const { contractId, milestoneIds } = await this.run('awardBid', client, { bidId, acceptProposedMilestones: (opts.milestones ?? []).length > 0 });
    await this.run('goLive', client, { contractId });
    return { client, freelancer, projectId, bidId, contractId, milestoneIds };
  }
}

export async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    const actual = (error as { code?: string }).code;
    if (actual !== code) throw new Error(`expected error ${code}, got ${actual ?? String(error)}`);
    return;
  }
  throw new Error(`expected error ${code}, but the command succeeded`);
}
