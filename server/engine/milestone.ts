import { fail } from './errors.js';
import type { Actor, Milestone, MilestoneState } from './types.js';

/**
 * The milestone state machine, read top to bottom: each command, who may take it, from which
 * states, and where it leads. Rules that depend on settings or amounts are applied by the
 * command itself after this table has said yes.
 *
 *   requested ──acceptRequest──▶ approved        (freelancer asked; client agrees)
 *   pending_approval ──approve──▶ approved       (client created; freelancer agrees)
 *   approved ──fund──▶ funded ──markComplete──▶ completed ──requestRevision──▶ funded
 *   funded|completed ──release (all)──▶ released   (a part: stays where it is)
 *   funded|completed ──cancel / staffCancel──▶ cancelled (or cancel_pending for four eyes)
 *   funded|completed ──openDispute──▶ disputed ──decision──▶ resolved
 */

export type Role = 'client' | 'freelancer' | 'outsider' | 'staff' | 'admin' | 'mediator' | 'compliance' | 'system';

export type MilestoneCommand =
  | 'approve'
  | 'decline'
  | 'acceptRequest'
  | 'declineRequest'
  | 'fund'
  | 'markComplete'
  | 'requestRevision'
  | 'release'
  | 'cancel'
  | 'staffCancel'
  | 'delete'
  | 'openDispute'
  | 'autoRelease';

type Rule = { by: readonly Role[]; from: readonly MilestoneState[]; verb: string };

const UNPAID: readonly MilestoneState[] = ['requested', 'pending_approval', 'declined', 'approved'];
const IN_ESCROW: readonly MilestoneState[] = ['funded', 'completed'];

export const MILESTONE_RULES: Readonly<Record<MilestoneCommand, Rule>> = {
  approve: { by: ['freelancer'], from: ['pending_approval'], verb: 'approve' },
  decline: { by: ['freelancer'], from: ['pending_approval'], verb: 'decline' },
  acceptRequest: { by: ['client'], from: ['requested'], verb: 'accept the request for' },
  declineRequest: { by: ['client'], from: ['requested'], verb: 'decline the request for' },
  fund: { by: ['client'], from: ['approved'], verb: 'pay' },
  markComplete: { by: ['freelancer'], from: ['funded'], verb: 'mark complete' },
  requestRevision: { by: ['client'], from: ['completed'], verb: 'ask for a revision of' },
  release: { by: ['client'], from: IN_ESCROW, verb: 'release' },
  cancel: { by: ['freelancer'], from: IN_ESCROW, verb: 'cancel' },
  staffCancel: { by: ['staff', 'admin'], from: IN_ESCROW, verb: 'cancel on behalf of the platform' },
  delete: { by: ['client', 'freelancer'], from: UNPAID, verb: 'delete' },
  openDispute: { by: ['client', 'freelancer'], from: IN_ESCROW, verb: 'dispute' },
  autoRelease: { by: ['system'], from: ['completed'], verb: 'release automatically' },
};

/** The part an actor plays for one milestone. */
export function roleOn(actor: Actor, milestone: Pick<Milestone, 'clientId' | 'freelancerId'>): Role {
  if (actor.kind === 'system') return 'system';
  if (actor.kind === 'operator') return actor.role;
  if (actor.id === milestone.clientId) return 'client';
  if (milestone.freelancerId !== null && actor.id === milestone.freelancerId) return 'freelancer';
  return 'outsider';
}

function whoMay(by: readonly Role[]): { code: 'ONLY_CLIENT' | 'ONLY_FREELANCER' | 'ONLY_PARTY' | 'ONLY_STAFF' | 'NOT_PERMITTED'; who: string } {
  if (by.length === 1 && by[0] === 'client') return { code: 'ONLY_CLIENT', who: 'the client' };
  if (by.length === 1 && by[0] === 'freelancer') return { code: 'ONLY_FREELANCER', who: 'the freelancer' };
  if (by.includes('client') && by.includes('freelancer')) return { code: 'ONLY_PARTY', who: 'the client or the freelancer' };
  if (by.includes('staff')) return { code: 'ONLY_STAFF', who: 'platform staff' };
  return { code: 'NOT_PERMITTED', who: 'the system' };
}

const STATE_WORDS: Record<MilestoneState, string> = {
  requested: 'requested',
  pending_approval: 'waiting for the freelancer’s approval',
  declined: 'declined',
  approved: 'approved but not paid',
  funded: 'paid into escrow',
  completed: 'marked complete',
  disputed: 'in dispute',
  cancel_pending: 'waiting for a cancellation to be approved',
  released: 'released',
  cancelled: 'cancelled',
  resolved: 'decided in a dispute',
  deleted: 'deleted',
};

export function describeState(state: MilestoneState): string {
  return STATE_WORDS[state];
}

/** Refuses with the exact reason, role first (who may), then state (when). */
export function guardMilestone(command: MilestoneCommand, role: Role, state: MilestoneState): Role {
  const rule = MILESTONE_RULES[command];
  if (!rule.by.includes(role)) {
    const { code, who } = whoMay(rule.by);
    fail(code, `only ${who} can ${rule.verb} this milestone`, { command, role });
  }
  if (!rule.from.includes(state)) {
    fail('INVALID_STATE', `a milestone that is ${describeState(state)} cannot be ${command === 'delete' ? 'deleted' : `acted on this way (${rule.verb})`}`, { command, state });
  }
  return role;
}

export function remainingMinor(m: Pick<Milestone, 'fundedMinor' | 'releasedMinor' | 'refundedMinor'>): number {
  return m.fundedMinor - m.releasedMinor - m.refundedMinor;
}
