import { createHash, randomBytes } from 'node:crypto';
import * as accountCommands from './commands/accounts.js';
import * as cancellationCommands from './commands/cancellations.js';
import * as disputeCommands from './commands/disputes.js';
import * as hourlyCommands from './commands/hourly.js';
import * as milestoneCommands from './commands/milestones.js';
import * as operatorCommands from './commands/operators.js';
import * as projectCommands from './commands/projects.js';
import * as reviewCommands from './commands/reviews.js';
import * as timerCommands from './commands/timers.js';
import { CommandContext } from './context.js';
import { fail } from './errors.js';
import { canonicalJson, chain } from './journal.js';
import type { EngineStore, EngineTx } from './ports.js';
import type { Actor, JournalEntry } from './types.js';

/** Every command the engine takes, by name. */
export const commands = {
  createMarketplace: accountCommands.createMarketplace,
  updateSettings: accountCommands.updateSettings,
  registerUser: accountCommands.registerUser,
  deposit: accountCommands.deposit,
  withdraw: accountCommands.withdraw,
  importDeposits: accountCommands.importDeposits,
  postProject: projectCommands.postProject,
  placeBid: projectCommands.placeBid,
  shortlistBid: projectCommands.shortlistBid,
  awardBid: projectCommands.awardBid,
  goLive: projectCommands.goLive,
  reserveFunds: projectCommands.reserveFunds,
  withdrawReservation: projectCommands.withdrawReservation,
  createMilestone: milestoneCommands.createMilestone,
  requestMilestone: milestoneCommands.requestMilestone,
  createDirectMilestone: milestoneCommands.createDirectMilestone,
  approveMilestone: milestoneCommands.approveMilestone,
  declineMilestone: milestoneCommands.declineMilestone,
  acceptRequest: milestoneCommands.acceptRequest,
  declineRequest: milestoneCommands.declineRequest,
  fundMilestone: milestoneCommands.fundMilestone,
  markComplete: milestoneCommands.markComplete,
  requestRevision: milestoneCommands.requestRevision,
  releaseMilestone: milestoneCommands.releaseMilestone,
  cancelMilestone: milestoneCommands.cancelMilestone,
  deleteMilestone: milestoneCommands.deleteMilestone,
  staffCancel: cancellationCommands.staffCancel,
  decideStaffCancellation: cancellationCommands.decideStaffCancellation,
  overrideStaffCancellation: cancellationCommands.overrideStaffCancellation,
  markCancellationNoFault: cancellationCommands.markCancellationNoFault,
  logTime: hourlyCommands.logTime,
  reviewTime: hourlyCommands.reviewTime,
  openDispute: disputeCommands.openDispute,
  respondToDispute: disputeCommands.respondToDispute,
  makeOffer: disputeCommands.makeOffer,
  acceptOffer: disputeCommands.acceptOffer,
  payArbitrationFee: disputeCommands.payArbitrationFee,
  submitEvidence: disputeCommands.submitEvidence,
  postMessage: disputeCommands.postMessage,
  withdrawDispute: disputeCommands.withdrawDispute,
  decideDispute: disputeCommands.decideDispute,
  decideSplitApproval: disputeCommands.decideSplitApproval,
  recordConflict: operatorCommands.recordConflict,
  recordExport: operatorCommands.recordExport,
  recordSettingChange: operatorCommands.recordSettingChange,
  closeSmallClaim: disputeCommands.closeSmallClaim,
  assignDispute: disputeCommands.assignDispute,
  leaveReview: reviewCommands.leaveReview,
  runTimers: timerCommands.runTimers,
  createOperator: operatorCommands.createOperator,
  updateOperator: operatorCommands.updateOperator,
  setOperatorPassword: operatorCommands.setOperatorPassword,
  createApiKey: operatorCommands.createApiKey,
  revokeApiKey: operatorCommands.revokeApiKey,
  recordSignIn: operatorCommands.recordSignIn,
  recordSignOut: operatorCommands.recordSignOut,
} as const;

export type CommandName = keyof typeof commands;
export type CommandInput<N extends CommandName> = Parameters<(typeof commands)[N]>[1];
export type CommandResult<N extends CommandName> = Awaited<ReturnType<(typeof commands)[N]>>;

export type EngineOptions = {
  clock?: () => Date;
  newId?: (prefix: string) => string;
  /** Told of each command's journal entries once they are committed (never for a refused one). */
  onCommitted?: (entries: readonly JournalEntry[]) => void;
};

export type BatchCommand = { [N in CommandName]: { name: N; actor: Actor; input: CommandInput<N>; idempotencyKey?: string } }[CommandName];

const MAX_BATCH = 10_000;

export type RunOptions = {
  /** A retry with the same key returns the first result and changes nothing again. */
  idempotencyKey?: string;
};

/**
 * Time-ordered ids: a prefix naming the kind, then milliseconds and randomness in base 36, so
 * that ids sort by creation and keyset pages over them follow time.
 */
export function timeOrderedId(prefix: string, at = Date.now()): string {
  return `${prefix}_${at.toString(36).padStart(9, '0')}${randomHex()}`;
}

// Random bytes are drawn 4 KiB at a time: one system call per 512 ids instead of one per id.
let pool = Buffer.alloc(0);
let poolAt = 0;
function randomHex(): string {
  if (poolAt + 8 > pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  poolAt += 8;
  return pool.toString('hex', poolAt - 8, poolAt);
}

export class Engine {
  private readonly clock: () => Date;
  private readonly newId: (prefix: string) => string;
  private readonly onCommitted: ((entries: readonly JournalEntry[]) => void) | undefined;

  constructor(private readonly store: EngineStore, options: EngineOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
    this.newId = options.newId ?? ((prefix) => timeOrderedId(prefix, this.clock().getTime()));
    this.onCommitted = options.onCommitted;
  }

  /**
   * Runs one command as one transaction: its checks, transfers, state changes and journal
   * entries land together or not at all.
   */
  async run<N extends CommandName>(name: N, actor: Actor, input: CommandInput<N>, options: RunOptions = {}): Promise<CommandResult<N>> {
    let committed: JournalEntry[] = [];
    const result = await this.store.transaction(async (tx) => {
      const done = await this.execute(tx, { name, actor, input, idempotencyKey: options.idempotencyKey });
      committed = done.entries;
      return done.result;
    });
    if (committed.length > 0) this.onCommitted?.(committed);
    return result;
  }

  /**
   * Runs many commands in one transaction, for bulk work (seeding, imports, batched releases):
   * all of them land or none does, and the batch costs one commit instead of one per command.
   */
  async runBatch(batch: readonly BatchCommand[]): Promise<unknown[]> {
    if (batch.length > MAX_BATCH) fail('VALIDATION', `a batch holds at most ${MAX_BATCH} commands`);
    let committed: JournalEntry[] = [];
    const results = await this.store.transaction(async (tx) => {
      const out: unknown[] = [];
      for (const command of batch) {
        const done = await this.execute(tx, command as { name: CommandName; actor: Actor; input: CommandInput<CommandName>; idempotencyKey?: string });
        committed = committed.concat(done.entries);
        out.push(done.result);
      }
      return out;
    });
    if (committed.length > 0) this.onCommitted?.(committed);
    return results;
  }

  private async execute<N extends CommandName>(tx: EngineTx, command: { name: N; actor: Actor; input: CommandInput<N>; idempotencyKey?: string | undefined }): Promise<{ result: CommandResult<N>; entries: JournalEntry[] }> {
    const { name, actor, input, idempotencyKey: key } = command;
    const handler = commands[name] as unknown as (ctx: CommandContext, input: unknown) => Promise<CommandResult<N>>;
    if (typeof handler !== 'function') fail('VALIDATION', `unknown command ${String(name)}`);
    const requestHash = key === undefined ? '' : createHash('sha256').update(canonicalJson({ name, actor, input })).digest('hex');
    if (key !== undefined) {
      const prior = await tx.getCommand(key);
      if (prior) {
        if (prior.requestHash !== requestHash) fail('IDEMPOTENCY_KEY_REUSED', 'this idempotency key was already used for a different request');
        return { result: JSON.parse(prior.result, reviveDates) as CommandResult<N>, entries: [] };
      }
    }
    const now = this.clock();
    const ctx = new CommandContext(tx, actor, now, key ?? this.newId('cmd'), this.newId);
    const result = (await handler(ctx, input ?? {})) as CommandResult<N>;
    const last = await tx.lastJournal();
    const entries = chain(last, ctx.journalContents());
    await tx.appendJournal(entries);
    await tx.insert('notification', ctx.notifications);
    if (key !== undefined) {
      await tx.putCommand({ key, action: name, requestHash, result: JSON.stringify(result), at: now });
    }
    return { result, entries };
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function reviveDates(_key: string, value: unknown): unknown {
  return typeof value === 'string' && ISO_DATE.test(value) ? new Date(value) : value;
}
