import { EventEmitter } from 'node:events';
import { Auth } from '../auth/sessions.js';
import { Engine } from '../engine/engine.js';
import type { JournalEntry } from '../engine/types.js';
import type { Db } from '../store/database.js';
import { PrismaStore } from '../store/prisma-store.js';

/** What changed, as the console's live views hear of it: enough to refetch, no data. */
export type ChangeEvent = { seq: number; action: string; entityType: string; entityId: string; actorId: string; at: Date };

/**
 * Everything the router needs, built once per process: the database, the engine over it, the
 * sign-in service, and the bus that tells subscribers of committed changes.
 */
export class Services {
  readonly engine: Engine;
  readonly auth: Auth;
  readonly changes = new EventEmitter();

  constructor(readonly db: Db, readonly clock: () => Date = () => new Date()) {
    // Every open console subscribes; the default limit of 10 listeners is for leak detection, not us.
    this.changes.setMaxListeners(0);
    this.engine = new Engine(new PrismaStore(db), { clock, onCommitted: (entries) => this.publish(entries) });
    this.auth = new Auth(db, this.engine, clock);
  }

  publish(entries: readonly JournalEntry[]): void {
    for (const e of entries) {
      const event: ChangeEvent = { seq: e.seq, action: e.action, entityType: e.entityType, entityId: e.entityId, actorId: e.actorId, at: e.at };
      this.changes.emit('change', event);
    }
  }
}
