import type { Engine } from '../engine/engine.js';
import { SYSTEM, type Actor } from '../engine/types.js';

/**
 * A believable marketplace, built only through the engine's own commands so that every row,
 * transfer and journal entry is one the engine could have produced: clients and freelancers in
 * three languages, projects with bids, milestones in every state, and disputes at every stage.
 */

const CLIENTS = [
  ['Northwind Traders', 'en', 'US'], ['Ana Lima Estúdio', 'pt', 'BR'], ['Café Barcelona SL', 'es', 'ES'], ['Hartley & Sons', 'en', 'GB'],
  ['Vega Logistics', 'es', 'MX'], ['Pixel Harbor', 'en', 'CA'],
] as const;
const FREELANCERS = [
  ['Priya Raman', 'en', 'IN'], ['João Pereira', 'pt', 'PT'], ['Lucía Fernández', 'es', 'AR'], ['Marcus Webb', 'en', 'US'],
  ['Camila Rocha', 'pt', 'BR'], ['Diego Morales', 'es', 'CO'], ['Yuki Tanaka', 'en', 'JP'], ['Sofia Rossi', 'en', 'IT'],
] as const;
const WORK = [
  ['Logo and brand kit', 'design', ['Moodboard', 'Three logo concepts', 'Final files and guide']],
  ['Shopify store setup', 'web', ['Theme setup', 'Product import', 'Payments and launch']],
  ['Mobile app MVP', 'mobile', ['Wireframes', 'Core screens', 'API integration', 'Store release']],
  ['Translate product docs to Spanish', 'writing', ['First half', 'Second half']],
  ['Data pipeline in Python', 'data', ['Ingestion', 'Transformations', 'Dashboards']],
  ['Explainer video', 'video', ['Script', 'Storyboard', 'Animation']],
] as const;

/** How far the story's clock moves: at most this many days per project, WORK.length projects a round. */
export const DAYS_PER_PROJECT = 5;
export const PROJECTS_PER_ROUND = WORK.length;

export type DemoSummary = { marketplaceId: string; users: number; milestones: number; disputes: number };

type Clock = { advance(days: number): void };

export async function seedDemo(engine: Engine, clock: Clock, scale = 1): Promise<DemoSummary> {
  const { marketplaceId } = await engine.run('createMarketplace', SYSTEM, { name: 'Demo Marketplace' });
  const register = async ([name, language, country]: readonly [string, string, string]) => {
    const email = `${name.toLowerCase().normalize('NFD').replace(/[^a-z]+/g, '.').replace(/^\.|\.$/g, '')}@example.com`;
    const { userId } = await engine.run('registerUser', SYSTEM, { marketplaceId, name, email, language, country });
    return { kind: 'user', id: userId } as Actor & { kind: 'user' };
  };
  const clients = [];
  for (const c of CLIENTS) clients.push(await register(c));
  const freelancers = [];
  for (const f of FREELANCERS) freelancers.push(await register(f));
  for (const c of clients) await engine.run('deposit', SYSTEM, { userId: c.id, amountMinor: 5_000_000 * scale, currency: 'USD' });
  for (const f of freelancers) await engine.run('deposit', SYSTEM, { userId: f.id, amountMinor: 20_000, currency: 'USD' });

  let milestones = 0;
  let disputes = 0;
  const mediator: Actor = { kind: 'operator', id: 'demo-mediator', role: 'mediator' };
  const staff: Actor = { kind: 'operator', id: 'demo-staff', role: 'staff' };

  for (let round = 0; round < scale; round++) {
    for (const [p, [title, category, parts]] of WORK.entries()) {
      const client = clients[(p + round) % clients.length]!;
      const freelancer = freelancers[(p * 3 + round) % freelancers.length]!;
      const rival = freelancers[(p * 3 + round + 1) % freelancers.length]!;
      const each = 25_000 + ((p * 7_919 + round * 104_729) % 40) * 2_500;
      const budget = each * parts.length;
      clock.advance(1);
      const { projectId } = await engine.run('postProject', client, { title, description: `${title}: see the attached brief.`, category, budgetMinor: budget, currency: 'USD' });
      if (p === 0) await engine.run('reserveFunds', client, { projectId, amountMinor: each, description: 'Deposit to show commitment' });
      const proposed = parts.map((d, i) => ({ description: d, amountMinor: each, deadlineAt: new Date(Date.now() + (i + 1) * 7 * 86_400_000) }));
      const { bidId } = await engine.run('placeBid', freelancer, { projectId, amountMinor: budget, proposal: 'I have done this many times; see my portfolio.', milestones: proposed });
      await engine.run('placeBid', rival, { projectId, amountMinor: budget + 10_000, proposal: 'Experienced and available now.' });
      await engine.run('shortlistBid', client, { bidId });
      const { contractId, milestoneIds } = await engine.run('awardBid', client, { bidId, acceptProposedMilestones: true });
      await engine.run('goLive', client, { contractId });
      milestones += milestoneIds.length;
      // Each project takes its milestones to a different point, so every state appears.
      const variant = (p + round) % 6;
      await playOut(engine, clock, { contractId, client, freelancer, mediator, staff, milestoneIds, variant });
      disputes += variant >= 3 ? 1 : 0;
      // Past disputes settled at many different splits give mediators precedents to compare
      // with, and give reputations a history that moves.
      const third = milestoneIds[2];
      if (third && variant !== 2) {
        clock.advance(1);
        await engine.run('fundMilestone', client, { milestoneId: third });
        const share = Math.round((each * ((p * 37 + round * 11) % 101)) / 100);
        const { disputeId } = await engine.run('openDispute', client, { milestoneId: third, reason: 'Quality below what the brief asked for.', claimMinor: each - share });
        await engine.run('respondToDispute', freelancer, { disputeId, message: 'The brief changed twice; I delivered what was agreed.' });
        await engine.run('makeOffer', client, { disputeId, freelancerShareMinor: share });
        clock.advance(1);
        await engine.run('acceptOffer', freelancer, { disputeId });
        if (variant !== 0) await engine.run('leaveReview', client, { contractId, rating: 2 + ((p + round) % 4), comment: 'Mixed experience; communication could be better.' });
      }
    }
  }
  return { marketplaceId, users: clients.length + freelancers.length, milestones, disputes };
}

type Cast = { contractId: string; client: Actor; freelancer: Actor; mediator: Actor; staff: Actor; milestoneIds: string[]; variant: number };

async function playOut(engine: Engine, clock: Clock, c: Cast): Promise<void> {
  const [first, second, third] = c.milestoneIds as [string, string, string | undefined];
  await engine.run('fundMilestone', c.client, { milestoneId: first });
  await engine.run('markComplete', c.freelancer, { milestoneId: first });
  await engine.run('releaseMilestone', c.client, { milestoneId: first });
  await engine.run('fundMilestone', c.client, { milestoneId: second });
  clock.advance(2);
  switch (c.variant) {
    case 0: // a partial release, the rest still in escrow; a review
      await engine.run('releaseMilestone', c.client, { milestoneId: second, amountMinor: 10_000 });
      await engine.run('leaveReview', c.client, { contractId: c.contractId, rating: 5, comment: 'Great work, on time.' });
      await engine.run('createMilestone', c.freelancer, { contractId: c.contractId, description: 'Extra revisions round', amountMinor: 15_000 });
      break;
    case 1: // marked complete, waiting for the client
      await engine.run('markComplete', c.freelancer, { milestoneId: second });
      await engine.run('requestMilestone', c.freelancer, { contractId: c.contractId, description: 'Rush delivery fee', amountMinor: 5_000 });
      break;
    case 2: // returned by the freelancer; one cancelled by staff
      await engine.run('cancelMilestone', c.freelancer, { milestoneId: second, reason: 'Client asked to postpone this phase' });
      if (third) {
        await engine.run('fundMilestone', c.client, { milestoneId: third });
        await engine.run('staffCancel', c.staff, { milestoneId: third, reason: 'Duplicate payment reported by the client' });
      }
      break;
    case 3: { // a dispute waiting for the respondent
      await engine.run('openDispute', c.client, { milestoneId: second, reason: 'The delivered files do not match the brief.', claimMinor: 15_000 });
      break;
    }
    case 4: { // a dispute in negotiation with offers on both sides
      const { disputeId } = await engine.run('openDispute', c.freelancer, { milestoneId: second, reason: 'Work delivered and accepted in chat, but not released.', claimMinor: 20_000 });
      await engine.run('respondToDispute', c.client, { disputeId, message: 'Two of the screens were missing.' });
      await engine.run('makeOffer', c.client, { disputeId, freelancerShareMinor: 8_000 });
      await engine.run('makeOffer', c.freelancer, { disputeId, freelancerShareMinor: 18_000 });
      await engine.run('submitEvidence', c.freelancer, { disputeId, fileName: 'delivery.zip', mediaType: 'application/zip', sizeBytes: 1_482_113, sha256: 'a3f1'.repeat(16), note: 'Everything delivered on the 3rd' });
      break;
    }
    default: { // a dispute awaiting a mediator's decision (both fees paid)
      const { disputeId } = await engine.run('openDispute', c.client, { milestoneId: second, reason: 'Deadline missed by two weeks.', claimMinor: 20_000 });
      await engine.run('makeOffer', c.freelancer, { disputeId, freelancerShareMinor: 15_000 });
      await engine.run('payArbitrationFee', c.client, { disputeId });
      await engine.run('payArbitrationFee', c.freelancer, { disputeId });
      await engine.run('postMessage', c.mediator, { disputeId, body: 'Both fees paid; reviewing the evidence.', internal: true });
      break;
    }
  }
}
