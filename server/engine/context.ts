import { fail } from './errors.js';
import { accounts, netDeltas, type Leg } from './ledger.js';
import type { EngineTx } from './ports.js';
import { applyDelta, standing, type StatsDelta } from './reputation.js';
import { parseSettings, type Settings } from './settings.js';
import type { Actor, Entities, EntityName, Milestone, Notification, NotificationParams, NotificationTemplate, PartyRole, Transfer, User } from './types.js';
import type { JournalContent } from './journal.js';

export type JournalNote = {
  action: string;
  entityType: string;
  entityId: string;
  role: string;
  reason?: string | null;
  payload?: Record<string, unknown>;
};

/**
 * Everything one command works with: its transaction, who is acting, the one clock reading it
 * uses throughout, and what it has decided to write to the journal.
 */
export class CommandContext {
  readonly notes: JournalNote[] = [];
  /** Emails to send once this command commits; Engine.run writes them with the journal. */
  readonly notifications: Notification[] = [];
  private readonly milestoneSnapshots = new Map<string, Record<string, unknown>>();
  private readonly settingsCache = new Map<string, Settings>();
  private transferCount = 0;

  constructor(
    readonly tx: EngineTx,
    readonly actor: Actor,
    readonly now: Date,
    readonly commandId: string,
    private readonly newId: (prefix: string) => string,
  ) {}

  id(prefix: string): string {
    return this.newId(prefix);
  }

  async load<K extends EntityName>(kind: K, id: string, label: string = kind): Promise<Entities[K]> {
    const row = await this.tx.get(kind, id);
    if (!row) fail('NOT_FOUND', `no ${label} ${id}`, { kind, id });
    return row;
  }

  async settings(marketplaceId: string): Promise<Settings> {
    const cached = this.settingsCache.get(marketplaceId);
    if (cached) return cached;
    const m = await this.load('marketplace', marketplaceId);
    const s = parseSettings(m.settingsJson);
    this.settingsCache.set(marketplaceId, s);
    return s;
  }

  forgetSettings(marketplaceId: string): void {
    this.settingsCache.delete(marketplaceId);
  }

  /** The acting user; refuses operators and the system where only a marketplace user may act. */
  async actingUser(): Promise<User> {
    if (this.actor.kind !== 'user') fail('NOT_PERMITTED', 'only a client or freelancer can do this');
    return this.load('user', this.actor.id);
  }

  note(n: JournalNote): void {
    this.notes.push(n);
  }

  /**
   * Queues an email to a client or freelancer. It goes to the outbox in this command's
   * transaction: a refused command sends nothing, and a failed send loses nothing.
   */
  notify(userId: string, template: NotificationTemplate, refs: { milestoneId?: string | null; disputeId?: string | null }, params: NotificationParams): void {
    const id = this.newId('ntf');
    this.notifications.push({
      id, userId, template, paramsJson: JSON.stringify(params), milestoneId: refs.milestoneId ?? null, disputeId: refs.disputeId ?? null,
      status: 'pending', attempts: 0, nextAttemptAt: this.now, lastError: null, createdAt: this.now, sentAt: null,
      // Fixed now, so that a resend after a crash is recognisable downstream as the same message.
      messageId: `<${id}@escrow-console>`,
    });
  }

  journalContents(): JournalContent[] {
    const snapshots = this.milestoneSnapshots.size > 0 ? Object.fromEntries(this.milestoneSnapshots) : undefined;
    return this.notes.map((n, i) => ({
      seq: 0,
      at: this.now,
      actorKind: this.actor.kind,
      actorId: this.actor.id,
      actorRole: n.role,
      action: n.action,
      entityType: n.entityType,
      entityId: n.entityId,
      reason: n.reason ?? null,
      // The snapshots ride on the command's last entry: the state once the whole command is done.
      payload: JSON.stringify({ commandId: this.commandId, ...n.payload, ...(snapshots && i === this.notes.length - 1 ? { milestones: snapshots } : {}) }),
    }));
  }

  /** Posts balanced transfers in one currency; zero-amount legs are dropped. */
  async post(marketplaceId: string, currency: string, legs: readonly Leg[]): Promise<void> {
    const transfers: Transfer[] = legs
      .filter((l) => l.amountMinor > 0)
      .map((l) => ({
        id: 0,
        marketplaceId,
        debitAccountId: l.from,
        creditAccountId: l.to,
        amountMinor: l.amountMinor,
        currency,
        kind: l.kind,
        milestoneId: l.milestoneId ?? null,
        projectId: l.projectId ?? null,
        disputeId: l.disputeId ?? null,
        commandId: this.commandId,
        at: this.now,
      }));
    if (transfers.length === 0) return;
    this.transferCount += transfers.length;
    await this.tx.post(transfers, netDeltas(transfers));
  }

  get transfersPosted(): number {
    return this.transferCount;
  }

  /** Applies outcome counters to a party and records the new standing for the charts. */
  async adjustStats(userId: string, role: PartyRole, delta: StatsDelta, kind: string, refs: { milestoneId?: string; disputeId?: string }): Promise<void> {
    if (Object.keys(delta).length === 0) return;
    const user = await this.load('user', userId);
    const next = applyDelta(user, delta);
    await this.tx.update('user', user.id, user.version, next);
    const s = standing(next, role);
    await this.tx.addReputationEvents([
      { userId, at: this.now, kind, milestoneId: refs.milestoneId ?? null, disputeId: refs.disputeId ?? null, completionRateBps: s.completionRateBps, reputationScore: s.reputationScore },
    ]);
  }

  /** Updates a milestone under its version, keeping the caller's copy current. */
  async saveMilestone(m: Milestone, patch: Partial<Milestone>): Promise<Milestone> {
    await this.tx.update('milestone', m.id, m.version, { ...patch, updatedAt: this.now });
    const next = { ...m, ...patch, updatedAt: this.now, version: m.version + 1 };
    this.track(next);
    return next;
  }

  async insertMilestones(rows: readonly Milestone[]): Promise<void> {
    await this.tx.insert('milestone', rows);
    for (const m of rows) this.track(m);
  }

  /**
   * The journal keeps each milestone's state after every command that touched it, so that any
   * past moment can be rebuilt from the journal alone (time travel), without trusting the tables.
   */
  private track(m: Milestone): void {
    this.milestoneSnapshots.set(m.id, {
      state: m.state, priorState: m.priorState, amountMinor: m.amountMinor, currency: m.currency, freelancerId: m.freelancerId,
      fundedMinor: m.fundedMinor, releasedMinor: m.releasedMinor, refundedMinor: m.refundedMinor, feeMinor: m.feeMinor,
      autoReleaseAt: m.autoReleaseAt, cancelNoFault: m.cancelNoFault, version: m.version,
    });
  }

  walletOf(userId: string, currency: string): string {
    return accounts.wallet(userId, currency);
  }
}
