import type { JournalEntry } from '../engine/types.js';
import type { Db } from './database.js';

export type MilestoneAt = {
  at: Date;
  /** The state after the last command before `at`, or null if the milestone did not exist yet. */
  snapshot: Record<string, unknown> | null;
  /** The journal entry that state comes from. */
  entry: Pick<JournalEntry, 'seq' | 'at' | 'action' | 'actorId' | 'actorRole'> | null;
  /** Every entry up to `at` that touched the milestone, oldest first. */
  history: Pick<JournalEntry, 'seq' | 'at' | 'action' | 'actorId' | 'actorRole'>[];
};

/**
 * A milestone as it was at a chosen moment, rebuilt from the journal alone: every command that
 * touched a milestone left that milestone's state in its last journal entry. Several commands
 * can share a millisecond, so a moment can also be named exactly by a journal sequence number.
 */
export async function milestoneAt(db: Db, milestoneId: string, at: Date, untilSeq?: number): Promise<MilestoneAt> {
  const m = await db.milestone.findUniqueOrThrow({ where: { id: milestoneId }, select: { id: true, contractId: true, projectId: true } });
  const [disputes, project] = await Promise.all([
    db.dispute.findMany({ where: { milestoneId }, select: { id: true } }),
    m.projectId ? db.project.findUnique({ where: { id: m.projectId }, select: { awardedBidId: true } }) : null,
  ]);
  // The entities whose commands can change a milestone: itself, its disputes, contract, project and award.
  const entities = [m.id, ...disputes.map((d) => d.id), m.contractId, m.projectId, project?.awardedBidId].filter((x): x is string => !!x);
  const entries = await db.journalEntry.findMany({
    where: { entityId: { in: entities }, at: { lte: at }, ...(untilSeq !== undefined ? { seq: { lte: untilSeq } } : {}), payload: { contains: `"${milestoneId}"` } },
    orderBy: { seq: 'asc' },
    take: 5_000,
  });
  let snapshot: Record<string, unknown> | null = null;
  let entry: MilestoneAt['entry'] = null;
  const history: MilestoneAt['history'] = [];
  for (const e of entries) {
    const payload = JSON.parse(e.payload) as { milestones?: Record<string, Record<string, unknown>> };
    const found = payload.milestones?.[milestoneId];
    history.push({ seq: e.seq, at: e.at, action: e.action, actorId: e.actorId, actorRole: e.actorRole });
    if (found) {
      snapshot = found;
      entry = { seq: e.seq, at: e.at, action: e.action, actorId: e.actorId, actorRole: e.actorRole };
    }
  }
  return { at, snapshot, entry, history };
}
