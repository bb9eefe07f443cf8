import { EventEmitter } from 'node:events';
import { Auth, SESSION_REVOKING_ACTIONS } from '../auth/sessions.js';
import { Engine } from '../engine/engine.js';
import type { JournalEntry } from '../engine/types.js';
import type { Db } from '../store/database.js';
import type { EngineStore } from '../engine/ports.js';
import { PrismaStore } from '../store/prisma-store.js';
import { PrismaReader, type SqlReader } from '../store/sql-reader.js';

/** What changed, as the console's live views hear of it: enough to refetch, no data. */
export type ChangeEvent = { seq: number; action: string; entityType: string; entityId: string; actorId: string; at: Date };

/**
 * Everything the router needs, built once per process: the database, the engine over it, the
 * sign-in service, and the bus that tells subscribers of committed changes.
 */
/** Where committed changes go: straight to this process's bus, or through PostgreSQL to every process's. */
export type ChangeSink = { publish(events: readonly ChangeEvent[]): void };

export class Services {
  readonly engine: Engine;
  readonly auth: Auth;
  readonly changes = new EventEmitter();
  private sink: ChangeSink | null = null;

  /** `databaseFile` is the embedded database's file (for backups); null on PostgreSQL. */
  /** `reader` serves the hottest reads in one statement each; by default through Prisma's raw queries. */
  constructor(
    readonly db: Db,
    readonly clock: () => Date = () => new Date(),
    store: EngineStore = new PrismaStore(db),
    readonly databaseFile: string | null = null,
    readonly reader: SqlReader = new PrismaReader(db),
  ) {
    // Every open console subscribes; the default limit of 10 listeners is for leak detection, not us.
    this.changes.setMaxListeners(0);
    this.engine = new Engine(store, { clock, onCommitted: (entries) => this.publish(entries) });
    this.auth = new Auth(db, this.engine, clock, reader);
    // Every process hears of every revocation (through PostgreSQL's change feed in a team) and stops trusting what it kept.
    this.changes.on('change', (e: ChangeEvent) => { if (e.entityType === 'operator' && SESSION_REVOKING_ACTIONS.has(e.action)) this.auth.forget(e.entityId); });
  }

  useSink(sink: ChangeSink): void {
    this.sink = sink;
  }

  publish(entries: readonly JournalEntry[]): void {
    const events = entries.map((e): ChangeEvent => ({ seq: e.seq, action: e.action, entityType: e.entityType, entityId: e.entityId, actorId: e.actorId, at: e.at }));
    if (this.sink) this.sink.publish(events);
    else for (const event of events) this.changes.emit('change', event);
  }
}
