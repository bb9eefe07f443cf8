import type { PartyRole, User } from './types.js';

/**
 * Completion rate and reputation, as pure functions of a user's counters, so that the effect of
 * any outcome can be previewed before it is taken.
 *
 * - A freelancer's completion rate: milestones completed (released, or a dispute won) over those
 *   completed, cancelled or lost in dispute. No-fault cancellations do not count.
 * - A client's payment rate: the same, from the client's side.
 * - Reputation score (0–1000): 60% the average review (pulled towards 3.5 stars by two phantom
 *   reviews so one review cannot make or break a newcomer), 40% completion rate.
 */

export type Stats = Pick<User, 'flCompleted' | 'flCancelled' | 'flLost' | 'flNoFault' | 'clCompleted' | 'clCancelled' | 'clLost' | 'reviewCount' | 'ratingSum'>;

export const EMPTY_STATS: Stats = { flCompleted: 0, flCancelled: 0, flLost: 0, flNoFault: 0, clCompleted: 0, clCancelled: 0, clLost: 0, reviewCount: 0, ratingSum: 0 };

export type StatsDelta = Partial<Stats>;

export function applyDelta(stats: Stats, delta: StatsDelta): Stats {
  const next = { ...stats };
  for (const [k, v] of Object.entries(delta) as [keyof Stats, number][]) next[k] += v;
  return next;
}

function rate(done: number, bad: number): number {
  const total = done + bad;
  return total === 0 ? 10_000 : Math.round((done * 10_000) / total);
}

export function completionRateBps(stats: Stats, role: PartyRole = 'freelancer'): number {
  return role === 'freelancer'
    ? rate(stats.flCompleted, stats.flCancelled + stats.flLost)
    : rate(stats.clCompleted, stats.clCancelled + stats.clLost);
}

export function reputationScore(stats: Stats, role: PartyRole = 'freelancer'): number {
  const averageMilli = Math.round((stats.ratingSum * 1000 + 2 * 3500) / (stats.reviewCount + 2));
  const ratingPart = Math.round((averageMilli - 1000) / 4);
  const completionPart = Math.round(completionRateBps(stats, role) / 10);
  return Math.round((ratingPart * 6 + completionPart * 4) / 10);
}

export type Standing = { completionRateBps: number; reputationScore: number };

export function standing(stats: Stats, role: PartyRole): Standing {
  return { completionRateBps: completionRateBps(stats, role), reputationScore: reputationScore(stats, role) };
}

/** What an outcome does to each party's counters. */
export type Outcome =
  | { kind: 'released' }
  | { kind: 'cancelled_by_freelancer' }
  | { kind: 'cancelled_by_staff'; noFault: boolean }
  | { kind: 'cancellation_reinstated'; noFault: boolean }
  | { kind: 'cancellation_marked_no_fault' }
  | { kind: 'dispute_split'; freelancerShareMinor: number; clientShareMinor: number; evenSplit?: boolean }
  | { kind: 'review'; rating: number; reviewee: PartyRole };

export type OutcomeDeltas = { freelancer: StatsDelta; client: StatsDelta };

export function outcomeDeltas(outcome: Outcome): OutcomeDeltas {
  switch (outcome.kind) {
    case 'released':
      return { freelancer: { flCompleted: 1 }, client: { clCompleted: 1 } };
    case 'cancelled_by_freelancer':
      return { freelancer: { flCancelled: 1 }, client: {} };
    case 'cancelled_by_staff':
      return { freelancer: outcome.noFault ? { flNoFault: 1 } : { flCancelled: 1 }, client: {} };
    case 'cancellation_reinstated':
      return { freelancer: outcome.noFault ? { flNoFault: -1 } : { flCancelled: -1 }, client: {} };
    case 'cancellation_marked_no_fault':
      return { freelancer: { flCancelled: -1, flNoFault: 1 }, client: {} };
    case 'dispute_split': {
      // The larger share wins; an exact half (or a small-claims even split) is nobody's loss.
      if (outcome.evenSplit) return { freelancer: {}, client: {} };
      if (outcome.freelancerShareMinor > outcome.clientShareMinor) return { freelancer: { flCompleted: 1 }, client: { clLost: 1 } };
      if (outcome.freelancerShareMinor < outcome.clientShareMinor) return { freelancer: { flLost: 1 }, client: {} };
      return { freelancer: {}, client: {} };
    }
    case 'review':
      return outcome.reviewee === 'freelancer'
        ? { freelancer: { reviewCount: 1, ratingSum: outcome.rating }, client: {} }
        : { freelancer: {}, client: { reviewCount: 1, ratingSum: outcome.rating } };
  }
}

export type OutcomePreview = {
  freelancer: { before: Standing; after: Standing };
  client: { before: Standing; after: Standing };
};

/** The change an outcome would make to both parties, computed without touching anything. */
export function previewOutcome(freelancer: Stats, client: Stats, outcome: Outcome): OutcomePreview {
  const d = outcomeDeltas(outcome);
  return {
    freelancer: { before: standing(freelancer, 'freelancer'), after: standing(applyDelta(freelancer, d.freelancer), 'freelancer') },
    client: { before: standing(client, 'client'), after: standing(applyDelta(client, d.client), 'client') },
  };
}
