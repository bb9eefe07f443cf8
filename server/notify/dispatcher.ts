import type { Db } from '../store/database.js';
import { claimDue, markFailed, markRetry, markSent, recipients, type Claimed, type Recipient } from '../store/outbox.js';
import type { NotificationParams } from '../engine/types.js';
import { renderMail } from './render.js';
import { mailSettings, transportFor, type MailTransport } from './transport.js';

/**
 * Sends the outbox. Each batch: claim due rows (one transaction), send them one at a time, mark
 * each sent or failed as soon as its send returns. A failed send is retried with exponential
 * backoff, and after maxAttempts is left 'failed' with its last error, never deleted.
 *
 * Delivery is at least once, not exactly once: SMTP has no way to ask "did you get it?", so a
 * dispatcher killed after the server accepted a message and before the row was marked sent will
 * send that message again once the lease runs out. Messages are sent one at a time, so only the
 * one in flight can repeat, and it repeats with the same Message-ID, which lets the receiving side
 * recognise it.
 */

export type DispatcherOptions = {
  transport: MailTransport;
  from: string;
  /** Rows per claim; also how many a dead dispatcher can leave waiting for their lease to run out. */
  batchSize?: number;
  /** How long a claim holds its rows; longer than a whole batch can take to send. */
  leaseMs?: number;
  maxAttempts?: number;
  /** The wait after the first failure; each later failure doubles it, up to backoffMaxMs. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  clock?: () => Date;
  /** Told of problems the loop survives (a database briefly unreachable); console.error by default. */
  onError?: (error: unknown) => void;
};

export type BatchResult = { claimed: number; sent: number; retrying: number; failed: number };

const LIMITS = { batchSize: 200, maxAttempts: 50 };

export class Dispatcher {
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly clock: () => Date;
  private readonly onError: (error: unknown) => void;
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<unknown> | null = null;
  private stopping = false;

  constructor(private readonly db: Db, private readonly options: DispatcherOptions) {
    this.batchSize = bounded(options.batchSize ?? 20, 1, LIMITS.batchSize, 'batchSize');
    this.maxAttempts = bounded(options.maxAttempts ?? 8, 1, LIMITS.maxAttempts, 'maxAttempts');
    this.leaseMs = bounded(options.leaseMs ?? 10 * 60_000, 100, 24 * 3_600_000, 'leaseMs');
    this.backoffBaseMs = bounded(options.backoffBaseMs ?? 60_000, 1, 24 * 3_600_000, 'backoffBaseMs');
    this.backoffMaxMs = bounded(options.backoffMaxMs ?? 6 * 3_600_000, this.backoffBaseMs, 7 * 24 * 3_600_000, 'backoffMaxMs');
    this.clock = options.clock ?? (() => new Date());
    this.onError = options.onError ?? ((error) => console.error('notifications:', error));
  }

  /** The wait before attempt `attempts + 1`: base, 2·base, 4·base … capped. */
  backoffMs(attempts: number): number {
    return Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** Math.min(attempts - 1, 30));
  }

  /** Claims and sends one batch. */
  async runOnce(): Promise<BatchResult> {
    const claimed = await claimDue(this.db, this.clock(), this.leaseMs, this.batchSize);
    const result: BatchResult = { claimed: claimed.length, sent: 0, retrying: 0, failed: 0 };
    if (claimed.length === 0) return result;
    const people = await recipients(this.db, claimed.map((n) => n.userId));
    for (const n of claimed) result[await this.deliver(n, people.get(n.userId))]++;
    return result;
  }

  private async deliver(n: Claimed, to: Recipient | undefined): Promise<'sent' | 'retrying' | 'failed'> {
    let mail;
    try {
      if (!to) throw new Error(`no user ${n.userId}`);
      const rendered = renderMail(n.template, JSON.parse(n.paramsJson) as NotificationParams, to);
      mail = { notificationId: n.id, messageId: n.messageId, from: this.options.from, to: to.email, subject: rendered.subject, text: rendered.text, html: rendered.html };
    } catch (error) {
      // Nothing about this message will change by waiting: it fails now, kept with the reason.
      await markFailed(this.db, n, describe(error));
      return 'failed';
    }
    try {
      await this.options.transport.send(mail);
    } catch (error) {
      if (n.attempts >= this.maxAttempts) {
        await markFailed(this.db, n, describe(error));
        return 'failed';
      }
      await markRetry(this.db, n, new Date(this.clock().getTime() + this.backoffMs(n.attempts)), describe(error));
      return 'retrying';
    }
    await markSent(this.db, n, this.clock());
    return 'sent';
  }

  /** Runs batches every intervalMs; a full batch is followed by the next at once. */
  start(intervalMs: number): void {
    bounded(intervalMs, 10, 24 * 3_600_000, 'intervalMs');
    if (this.timer !== null || this.stopping) return;
    const tick = () => {
      this.timer = null;
      if (this.stopping) return;
      const batch = this.runOnce().then(
        (r) => (r.claimed === this.batchSize ? 0 : intervalMs),
        // The loop outlives a failed batch (a database restart, a lock timeout): its rows stay
        // claimed until their lease runs out and are picked up again then.
        (error: unknown) => {
          this.onError(error);
          return intervalMs;
        },
      );
      this.current = batch;
      void batch.then((wait) => {
        this.current = null;
        if (!this.stopping) this.timer = setTimeout(tick, wait);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops the loop; resolves once the batch being sent, if any, is finished and recorded. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.current;
    this.options.transport.close();
  }
}

export type DispatchSettings = Omit<DispatcherOptions, 'transport' | 'from'> & { smtpUrl?: string | null; from?: string | null; mailDir: string };

/** A dispatcher over the configured transport: SMTP if set (options, then AppSetting), else .eml files. */
export async function createDispatcher(db: Db, settings: DispatchSettings): Promise<Dispatcher> {
  const { smtpUrl, from, mailDir, ...options } = settings;
  const mail = await mailSettings(db, { smtpUrl, from, mailDir });
  return new Dispatcher(db, { ...options, transport: transportFor(mail), from: mail.from });
}

function bounded(value: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${what} must be a whole number from ${min} to ${max}`);
  return value;
}

const ERROR_MAX = 1000;

function describe(error: unknown): string {
  const e = error as { message?: string; responseCode?: number; code?: string };
  const text = [e?.code, e?.responseCode, e?.message ?? String(error)].filter((x) => x !== undefined && x !== '').join(' ');
  return text.slice(0, ERROR_MAX);
}
