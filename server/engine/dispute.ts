import { fail } from './errors.js';
import { basisPoints } from './money.js';
import type { Settings } from './settings.js';
import type { Actor, Dispute, DisputeStage, PartyRole } from './types.js';

/**
 * Dispute stages, after Freelancer.com's Dispute Resolution Service:
 *
 *   filing       the filer has stated a reason and a claim; the respondent must answer by the
 *                deadline (4 days for a freelancer, 14 for a client by default) or lose by default
 *   negotiation  offers back and forth; either side may accept the other's last offer
 *   arbitration  one side has paid the arbitration fee; the other must pay by the deadline or lose
 *   decision     both have paid; a mediator decides the split; the winner's fee is refunded
 *   closed       settled, decided, defaulted, closed as a small claim, or withdrawn
 *
 * Offers and splits are stated as the amount the freelancer receives; the client receives the
 * rest of what was in escrow when the dispute opened.
 */

export const OPEN_STAGES: readonly DisputeStage[] = ['filing', 'negotiation', 'arbitration', 'decision'];

export function partyRole(actor: Actor, d: Pick<Dispute, 'filerId' | 'filerRole' | 'respondentId'>): PartyRole | null {
  if (actor.kind !== 'user') return null;
  const other: PartyRole = d.filerRole === 'client' ? 'freelancer' : 'client';
  if (actor.id === d.filerId) return d.filerRole;
  if (actor.id === d.respondentId) return other;
  return null;
}

export function requireParty(actor: Actor, d: Dispute): PartyRole {
  const role = partyRole(actor, d);
  if (role === null) fail('ONLY_PARTY', 'only the client or the freelancer of this dispute can do this');
  return role;
}

export function requireStage(d: Dispute, stages: readonly DisputeStage[], what: string): void {
  if (!stages.includes(d.stage)) fail('INVALID_STATE', `${what} is not possible while the dispute is at the ${d.stage} stage`, { stage: d.stage });
}

export function requireMediator(actor: Actor, what: string): 'mediator' | 'admin' {
  if (actor.kind === 'operator' && (actor.role === 'mediator' || actor.role === 'admin')) return actor.role;
  return fail('ONLY_MEDIATOR', `only a mediator can ${what}`);
}

export function arbitrationFee(disputedMinor: number, settings: Settings): number {
  return Math.max(basisPoints(disputedMinor, settings.arbitrationFee.bps), settings.arbitrationFee.minimumMinor);
}

/** The freelancer's share if the filer gets what they claimed. */
export function filerWinsShare(d: Pick<Dispute, 'filerRole' | 'claimMinor' | 'disputedMinor'>): number {
  return d.filerRole === 'freelancer' ? d.claimMinor : d.disputedMinor - d.claimMinor;
}

/** The small-claims even split; an odd minor unit goes to the freelancer, whose work is at stake. */
export function evenSplit(disputedMinor: number): { freelancerMinor: number; clientMinor: number } {
  const clientMinor = Math.floor(disputedMinor / 2);
  return { freelancerMinor: disputedMinor - clientMinor, clientMinor };
}

export type FeeWinner = PartyRole | 'tie';

export function splitWinner(freelancerMinor: number, clientMinor: number): FeeWinner {
  if (freelancerMinor > clientMinor) return 'freelancer';
  if (freelancerMinor < clientMinor) return 'client';
  return 'tie';
}

export type PlannedTransfer = { from: string; to: string; amountMinor: number; kind: string };

/**
 * What a split decision would post, computed without touching anything: the console shows it
 * before the mediator commits. Mirrors payOut and the fee refunds exactly.
 */
export function planDecision(
  d: Pick<Dispute, 'id' | 'marketplaceId' | 'milestoneId' | 'clientId' | 'freelancerId' | 'currency' | 'disputedMinor' | 'arbitrationFeeMinor' | 'clientFeePaid' | 'freelancerFeePaid'>,
  split: { freelancerMinor: number; clientMinor: number },
  settings: Settings,
): { transfers: PlannedTransfer[]; commissionMinor: number; winner: FeeWinner } {
  if (split.freelancerMinor + split.clientMinor !== d.disputedMinor) {
    fail('SPLIT_MISMATCH', `the split adds up to ${split.freelancerMinor + split.clientMinor} but ${d.disputedMinor} is in escrow`);
  }
  const commission = basisPoints(split.freelancerMinor, settings.commissionBps);
  const escrow = `escrow:${d.milestoneId}`;
  const winner = splitWinner(split.freelancerMinor, split.clientMinor);
  const transfers: PlannedTransfer[] = [
    { from: escrow, to: `wallet:${d.freelancerId}:${d.currency}`, amountMinor: split.freelancerMinor - commission, kind: 'release' },
    { from: escrow, to: `fees:${d.marketplaceId}:${d.currency}`, amountMinor: commission, kind: 'commission' },
    { from: escrow, to: `wallet:${d.clientId}:${d.currency}`, amountMinor: split.clientMinor, kind: 'refund' },
  ];
  for (const party of ['client', 'freelancer'] as const) {
    const paid = party === 'client' ? d.clientFeePaid : d.freelancerFeePaid;
    if (!paid) continue;
    const refunded = winner === 'tie' || winner === party;
    transfers.push({
      from: `dispute_fee:${d.id}`,
      to: refunded ? `wallet:${party === 'client' ? d.clientId : d.freelancerId}:${d.currency}` : `fees:${d.marketplaceId}:${d.currency}`,
      amountMinor: d.arbitrationFeeMinor,
      kind: refunded ? 'arbitration_fee_refund' : 'arbitration_fee_forfeit',
    });
  }
  return { transfers: transfers.filter((t) => t.amountMinor > 0), commissionMinor: commission, winner };
}
