import type { EventEmitter } from 'node:events';
import pg from 'pg';
import type { ChangeEvent } from './services.js';

/**
 * Carries committed changes to every server process on one PostgreSQL database, so a case one
 * mediator takes shows as taken on every console at once, whichever replica serves it.
 * Notifications are sent after commit; each process (the sender too) hears them through LISTEN
 * and re-emits them on its local bus.
 */
const CHANNEL = 'escrow_changes';

export class PostgresChangeFeed {
  private readonly listener: pg.Client;
  private readonly sender: pg.Pool;

  private constructor(url: string, private readonly bus: EventEmitter) {
    this.listener = new pg.Client({ connectionString: url });
    this.sender = new pg.Pool({ connectionString: url, max: 2 });
  }

  static async start(url: string, bus: EventEmitter): Promise<PostgresChangeFeed> {
    const feed = new PostgresChangeFeed(url, bus);
    // A dropped connection is logged, not fatal: consoles fall back to refreshing on their own actions.
    feed.listener.on('error', (error) => console.error('change feed:', error.message));
    feed.sender.on('error', (error) => console.error('change feed:', error.message));
    await feed.listener.connect();
    feed.listener.on('notification', (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      const e = JSON.parse(n.payload) as ChangeEvent & { at: string };
      feed.bus.emit('change', { ...e, at: new Date(e.at) });
    });
    await feed.listener.query(`LISTEN ${CHANNEL}`);
    return feed;
  }

  publish(events: readonly ChangeEvent[]): void {
    for (const e of events) {
      this.sender.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(e)]).catch((error: unknown) => console.error('change feed:', error));
    }
  }

  async close(): Promise<void> {
    await this.listener.end().catch(() => undefined);
    await this.sender.end().catch(() => undefined);
  }
}
