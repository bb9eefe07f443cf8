import type { Notification, NotificationStatus } from '../engine/types.js';
import type { Db } from './database.js';
import { decodeCursor, pageOf, type Page } from './paging.js';

/**
 * The outbox's statements, for the dispatcher (server/notify/dispatcher.ts) and the console.
 * The engine writes the rows (Engine.run); everything here happens after the command committed.
 *
 * A claimed row is 'sending' with nextAttemptAt = the end of the claimer's lease. The claim
 * query is therefore one index range, (status, nextAttemptAt) <= now, over 'pending' rows that
 * are due and 'sending' rows whose dispatcher died (or stalled) past its lease.
 */

export type Claimed = Notification & { lease: Date };

const CLAIMABLE: NotificationStatus[] = ['pending', 'sending'];
const CLAIM_TRIES = 5;

function toNotification(row: Record<string, unknown>): Notification {
  return row as unknown as Notification;
}

/**
 * Claims up to `limit` due rows for this dispatcher, in one transaction. Serializable, so two
 * dispatchers claiming at once cannot both take a row: one of them is refused and tries again
 * (PostgreSQL reports a serialization failure; SQLite lets one writer at a time in anyway).
 * Counts the attempt at the claim, so that a message that crashes its sender still runs out of
 * attempts instead of being retried for ever.
 */
export async function claimDue(db: Db, now: Date, leaseMs: number, limit: number): Promise<Claimed[]> {
  const lease = new Date(now.getTime() + leaseMs);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const due = await tx.notification.findMany({
          where: { status: { in: CLAIMABLE }, nextAttemptAt: { lte: now } },
          orderBy: [{ nextAttemptAt: 'asc' }, { id: 'asc' }],
          take: limit,
        });
        if (due.length === 0) return [];
        const ids = due.map((n) => n.id);
        const { count } = await tx.notification.updateMany({
          where: { id: { in: ids }, status: { in: CLAIMABLE }, nextAttemptAt: { lte: now } },
          data: { status: 'sending', nextAttemptAt: lease, attempts: { increment: 1 } },
        });
        if (count !== ids.length) throw new ClaimRace();
        return due.map((n) => ({ ...toNotification(n), status: 'sending' as const, attempts: n.attempts + 1, nextAttemptAt: lease, lease }));
      }, { isolationLevel: 'Serializable', timeout: 30_000, maxWait: 30_000 });
    } catch (error) {
      if (attempt >= CLAIM_TRIES || !isClaimCollision(error)) throw error;
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * attempt));
    }
  }
}

class ClaimRace extends Error {
  constructor() {
    super('another dispatcher claimed some of these notifications at the same moment');
  }
}

function isClaimCollision(error: unknown): boolean {
  if (error instanceof ClaimRace) return true;
  const code = (error as { code?: unknown })?.code;
  const message = String((error as Error)?.message ?? '');
  return code === 'P2034' || /could not serialize|deadlock detected|40001|40P01|SQLITE_BUSY|database is locked/.test(message);
}

/**
 * The end states of one claim. Each applies only while the row is still this dispatcher's
 * (same lease): if the lease ran out and another dispatcher took the row, the later claimer's
 * outcome stands and this one is dropped.
 */
function ours(n: Claimed) {
  return { id: n.id, status: 'sending', nextAttemptAt: n.lease };
}

export async function markSent(db: Db, n: Claimed, at: Date): Promise<boolean> {
  const { count } = await db.notification.updateMany({ where: ours(n), data: { status: 'sent', sentAt: at } });
  return count === 1;
}

export async function markRetry(db: Db, n: Claimed, nextAttemptAt: Date, error: string): Promise<boolean> {
  const { count } = await db.notification.updateMany({ where: ours(n), data: { status: 'pending', nextAttemptAt, lastError: error } });
  return count === 1;
}

export async function markFailed(db: Db, n: Claimed, error: string): Promise<boolean> {
  const { count } = await db.notification.updateMany({ where: ours(n), data: { status: 'failed', lastError: error } });
  return count === 1;
}

export type Recipient = { id: string; name: string; email: string; language: string };

export async function recipients(db: Db, userIds: readonly string[]): Promise<Map<string, Recipient>> {
  const rows = await db.user.findMany({ where: { id: { in: [...new Set(userIds)] } }, select: { id: true, name: true, email: true, language: true } });
  return new Map(rows.map((r) => [r.id, r]));
}

export const NOTIFICATION_PAGE_MAX = 200;

/** Notifications of one milestone, dispute or user, newest first (ids are time-ordered), by keyset. */
export async function notificationPage(
  db: Db,
  input: { milestoneId?: string; disputeId?: string; userId?: string; status?: NotificationStatus; cursor?: string | null; limit?: number },
): Promise<Page<Notification>> {
  const limit = Math.min(input.limit ?? 50, NOTIFICATION_PAGE_MAX);
  const cursor = decodeCursor(input.cursor);
  const rows = await db.notification.findMany({
    where: {
      ...(input.milestoneId !== undefined ? { milestoneId: input.milestoneId } : {}),
      ...(input.disputeId !== undefined ? { disputeId: input.disputeId } : {}),
      ...(input.userId !== undefined ? { userId: input.userId } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(cursor ? { id: { lt: cursor.id } } : {}),
    },
    orderBy: { id: 'desc' },
    take: limit + 1,
  });
  return pageOf(rows.map(toNotification), limit, (n) => n.id);
}
