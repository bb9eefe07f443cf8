import { fail } from './errors.js';

/**
 * A marketplace's settings. The defaults follow the seed material: freelancers create
 * milestones; Freelancer.com gives a freelancer 4 days and a client 14 to answer a dispute;
 * Upwork releases a milestone the client leaves unanswered for 14 days.
 */
export type Settings = {
  /** Who creates milestones on a contract. */
  milestoneCreator: 'freelancer' | 'client';
  /** Client-side options, meaningful when clients create milestones. */
  clientOptions: {
    /** The client creates and pays at once, and may approve without the freelancer marking it complete. */
    skipFreelancerApproval: boolean;
    /** Clients may delete their milestones at any time before they are paid. */
    allowDeleteBeforePaid: boolean;
    /** The client's payment is taken when the freelancer approves a milestone (live contracts only). */
    takePaymentOnFreelancerApproval: boolean;
  };
  /** Platform commission on every release to a freelancer, in basis points. */
  commissionBps: number;
  /** Arbitration fee each party pays to take a dispute to arbitration: a percentage with a floor. */
  arbitrationFee: { bps: number; minimumMinor: number };
  /** Days a respondent has to answer a dispute, by the respondent's role. */
  respondDays: { freelancer: number; client: number };
  /** Days the other party has to pay the arbitration fee once one has. */
  arbitrationPayDays: number;
  /** Days after a milestone is marked complete before it is released automatically; 0 turns it off. */
  autoReleaseDays: number;
  /** Days a client has to review billed hours before they are released. */
  hourlyReviewDays: number;
  /** Disputes over less than this can be closed as an even split without arbitration. */
  smallClaimsLimitMinor: number;
  /** Staff cancellations above this wait for an admin's approval (four eyes). */
  staffCancelApprovalAboveMinor: number;
  /** Dispute splits above this need a second mediator or an admin (four eyes, in the console). */
  splitApprovalAboveMinor: number;
};

export const DEFAULT_SETTINGS: Settings = {
  milestoneCreator: 'freelancer',
  clientOptions: {
    skipFreelancerApproval: false,
    allowDeleteBeforePaid: false,
    takePaymentOnFreelancerApproval: false,
  },
  commissionBps: 1000,
  arbitrationFee: { bps: 500, minimumMinor: 500 },
  respondDays: { freelancer: 4, client: 14 },
  arbitrationPayDays: 4,
  autoReleaseDays: 14,
  hourlyReviewDays: 5,
  smallClaimsLimitMinor: 5_000,
  staffCancelApprovalAboveMinor: 100_000,
  splitApprovalAboveMinor: 200_000,
};

type Patch<T> = { [K in keyof T]?: T[K] extends object ? Patch<T[K]> : T[K] };
export type SettingsPatch = Patch<Settings>;

/** Applies a partial change and checks the result whole, so no bad setting is ever stored. */
export function mergeSettings(base: Settings, patch: SettingsPatch): Settings {
  const merged: Settings = {
    ...base,
    ...patch,
    clientOptions: { ...base.clientOptions, ...patch.clientOptions },
    arbitrationFee: { ...base.arbitrationFee, ...patch.arbitrationFee },
    respondDays: { ...base.respondDays, ...patch.respondDays },
  } as Settings;
  return validateSettings(merged);
}

export function validateSettings(s: Settings): Settings {
  const whole = (v: unknown, max: number, name: string) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) {
      fail('VALIDATION', `setting ${name} must be a whole number from 0 to ${max}`);
    }
  };
  if (s.milestoneCreator !== 'freelancer' && s.milestoneCreator !== 'client') {
    fail('VALIDATION', 'setting milestoneCreator must be “freelancer” or “client”');
  }
  for (const [k, v] of Object.entries(s.clientOptions)) {
    if (typeof v !== 'boolean') fail('VALIDATION', `setting clientOptions.${k} must be true or false`);
  }
  whole(s.commissionBps, 5_000, 'commissionBps');
  whole(s.arbitrationFee.bps, 5_000, 'arbitrationFee.bps');
  whole(s.arbitrationFee.minimumMinor, 1e12, 'arbitrationFee.minimumMinor');
  whole(s.respondDays.freelancer, 365, 'respondDays.freelancer');
  whole(s.respondDays.client, 365, 'respondDays.client');
  whole(s.arbitrationPayDays, 365, 'arbitrationPayDays');
  whole(s.autoReleaseDays, 365, 'autoReleaseDays');
  whole(s.hourlyReviewDays, 365, 'hourlyReviewDays');
  whole(s.smallClaimsLimitMinor, 1e15, 'smallClaimsLimitMinor');
  whole(s.staffCancelApprovalAboveMinor, 1e15, 'staffCancelApprovalAboveMinor');
  whole(s.splitApprovalAboveMinor, 1e15, 'splitApprovalAboveMinor');
  return s;
}

export function parseSettings(json: string): Settings {
  return mergeSettings(DEFAULT_SETTINGS, JSON.parse(json) as SettingsPatch);
}
