import type { Entities, EntityName, JournalEntry, ReputationEvent, Transfer } from './types.js';

/**
 * What the engine needs from storage, and nothing more. The engine owns the rules; a store
 * (server/store) owns the statements. Every method runs inside the one transaction a command
 * is given, so a refused command leaves no trace.
 */

export type Filter<T> = {
  [K in keyof T]?: T[K] | { in: readonly T[K][] } | { lte: T[K] } | { not: T[K] };
};

export type FindOptions<T> = {
  orderBy?: { field: keyof T & string; direction: 'asc' | 'desc' };
  /** Every find is bounded: the engine never reads an unbounded set on a command's path. */
  take: number;
};

export type NewTransfer = Omit<Transfer, 'id' | 'at' | 'commandId' | 'marketplaceId'>;

/** A balance change to apply; the store refuses the command if a guarded account would go negative. */
export type BalanceDelta = { accountId: string; kind: string; ownerId: string; currency: string; deltaMinor: number; mayGoNegative: boolean };

export type CommandRecord = { key: string; action: string; requestHash: string; result: string; at: Date };

export interface EngineTx {
  get<K extends EntityName>(kind: K, id: string): Promise<Entities[K] | null>;
  find<K extends EntityName>(kind: K, where: Filter<Entities[K]>, options: FindOptions<Entities[K]>): Promise<Entities[K][]>;
  insert<K extends EntityName>(kind: K, rows: readonly Entities[K][]): Promise<void>;
  /**
   * Optimistic update: applies the patch only if the row still has expectedVersion, and bumps
   * the version. Throws CONFLICT when another command got there first. Rows without a version
   * column pass expectedVersion null.
   */
  update<K extends EntityName>(kind: K, id: string, expectedVersion: number | null, patch: Partial<Entities[K]>): Promise<void>;
  /** Writes the transfers and applies the balance deltas, all or nothing. */
  post(transfers: readonly Transfer[], deltas: readonly BalanceDelta[]): Promise<void>;
  balance(accountId: string): Promise<number>;
  lastJournal(): Promise<Pick<JournalEntry, 'seq' | 'hash'> | null>;
  appendJournal(entries: readonly JournalEntry[]): Promise<void>;
  addReputationEvents(events: readonly Omit<ReputationEvent, 'id'>[]): Promise<void>;
  /** Writes (or, with null, removes) an installation setting in the command's transaction. */
  putAppSetting(key: string, value: string | null, at: Date): Promise<void>;
  getCommand(key: string): Promise<CommandRecord | null>;
  putCommand(record: CommandRecord): Promise<void>;
}

export interface EngineStore {
  /** Runs fn in one database transaction: commits if it returns, rolls back if it throws. */
  transaction<T>(fn: (tx: EngineTx) => Promise<T>): Promise<T>;
}
