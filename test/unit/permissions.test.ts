import { describe, expect, it } from 'vitest';
import { guardMilestone, type MilestoneCommand, type Role } from '../../server/engine/milestone.js';
import type { MilestoneState } from '../../server/engine/types.js';

/**
 * Who may do what in which state, written out by hand from the seed rules (not derived from the
 * engine's table): every actor × state × command either passes or fails with this exact code.
 */

const ROLES: Role[] = ['client', 'freelancer', 'outsider', 'staff', 'admin', 'mediator', 'compliance', 'system'];
const STATES: MilestoneState[] = ['requested', 'pending_approval', 'declined', 'approved', 'funded', 'completed', 'disputed', 'cancel_pending', 'released', 'cancelled', 'resolved', 'deleted'];

type Expectation = { who: Role[]; roleError: string; when: MilestoneState[] };

const EXPECTED: Record<MilestoneCommand, Expectation> = {
  approve: { who: ['freelancer'], roleError: 'ONLY_FREELANCER', when: ['pending_approval'] },
  decline: { who: ['freelancer'], roleError: 'ONLY_FREELANCER', when: ['pending_approval'] },
  acceptRequest: { who: ['client'], roleError: 'ONLY_CLIENT', when: ['requested'] },
  declineRequest: { who: ['client'], roleError: 'ONLY_CLIENT', when: ['requested'] },
  fund: { who: ['client'], roleError: 'ONLY_CLIENT', when: ['approved'] },
  markComplete: { who: ['freelancer'], roleError: 'ONLY_FREELANCER', when: ['funded'] },
  requestRevision: { who: ['client'], roleError: 'ONLY_CLIENT', when: ['completed'] },
  // Only the client releases; only the freelancer (or staff) cancels: each side holds half the control.
  release: { who: ['client'], roleError: 'ONLY_CLIENT', when: ['funded', 'completed'] },
  cancel: { who: ['freelancer'], roleError: 'ONLY_FREELANCER', when: ['funded', 'completed'] },
  staffCancel: { who: ['staff', 'admin'], roleError: 'ONLY_STAFF', when: ['funded', 'completed'] },
  delete: { who: ['client', 'freelancer'], roleError: 'ONLY_PARTY', when: ['requested', 'pending_approval', 'declined', 'approved'] },
  openDispute: { who: ['client', 'freelancer'], roleError: 'ONLY_PARTY', when: ['funded', 'completed'] },
  autoRelease: { who: ['system'], roleError: 'NOT_PERMITTED', when: ['completed'] },
};

function outcome(command: MilestoneCommand, role: Role, state: MilestoneState): string {
  try {
    guardMilestone(command, role, state);
    return 'allowed';
  } catch (error) {
    return (error as { code: string }).code;
  }
}

const cases = (Object.keys(EXPECTED) as MilestoneCommand[]).flatMap((command) =>
  ROLES.flatMap((role) => STATES.map((state) => {
    const e = EXPECTED[command];
    const expected = !e.who.includes(role) ? e.roleError : !e.when.includes(state) ? 'INVALID_STATE' : 'allowed';
    return { command, role, state, expected };
  })),
);

describe('milestone permissions: actor × state × command', () => {
  it(`covers ${cases.length} combinations`, () => {
    expect(cases.length).toBe(13 * ROLES.length * STATES.length);
  });

  it.each(cases)('$command by $role in $state → $expected', ({ command, role, state, expected }) => {
    expect(outcome(command, role, state)).toBe(expected);
  });

  it('explains a refusal in words a person understands', () => {
    expect(() => guardMilestone('release', 'freelancer', 'funded')).toThrow('only the client can release this milestone');
    expect(() => guardMilestone('cancel', 'client', 'funded')).toThrow('only the freelancer can cancel this milestone');
  });
});
