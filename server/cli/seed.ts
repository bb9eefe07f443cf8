import path from 'node:path';
import { Engine, type BatchCommand } from '../engine/engine.js';
import { SYSTEM, type Actor } from '../engine/types.js';
import { openDatabase } from '../store/open.js';
import { hashPassword } from '../auth/secrets.js';

/**
 * `npm run seed -- --milestones 1000000 [--db FILE|postgres://…] [--batch 2000]`: fills a database
 * with a believable marketplace at scale through the engine's own commands, in batched
 * transactions: projects, bids with proposed milestones, awards, payments, releases, and about
 * one dispute in ten milestones, at every open stage, a third of them taken by one of six seeded
 * mediators (on a fresh database; their password is seed-operator-pass). Shows progress and the rate as it goes.
 */
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const target = Number(arg('milestones', '10000'));
const url = arg('db', process.env.ESCROW_DB ?? path.resolve('data', `seed-${target}.db`));
const batchSize = Number(arg('batch', '2000'));
if (!Number.isSafeInteger(target) || target < 10 || target > 10_000_000) {
  console.error('seed: --milestones must be a whole number from 10 to 10,000,000');
  process.exit(2);
}

const database = await openDatabase(url);
const engine = new Engine(database.store);
const started = Date.now();
let done = 0;
let commands = 0;

function progress(final = false): void {
  const seconds = (Date.now() - started) / 1000;
  const share = Math.min(1, done / target);
  const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '-');
  const rate = Math.round(done / Math.max(seconds, 0.001));
  const eta = rate > 0 ? Math.round((target - done) / rate) : 0;
  process.stdout.write(`\rseed: [${bar}] ${(share * 100).toFixed(1)}% ${done.toLocaleString('en')}/${target.toLocaleString('en')} milestones, ${rate.toLocaleString('en')}/s, ${Math.round(commands / Math.max(seconds, 0.001)).toLocaleString('en')} commands/s${final ? '' : `, about ${eta}s left`}   ${final ? '\n' : ''}`);
}

async function batch(commandsInBatch: BatchCommand[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < commandsInBatch.length; i += batchSize) {
    out.push(...(await engine.runBatch(commandsInBatch.slice(i, i + batchSize))));
    commands += Math.min(batchSize, commandsInBatch.length - i);
  }
  return out;
}

const user = (id: string): Actor => ({ kind: 'user', id });
const { marketplaceId } = await engine.run('createMarketplace', SYSTEM, { name: `Seeded marketplace (${target} milestones)` });
const people = Math.max(20, Math.round(target / 25));
const registered = (await batch(Array.from({ length: people }, (_, i) => ({
  name: 'registerUser' as const, actor: SYSTEM,
  input: { marketplaceId, name: `${i % 2 ? 'Freelancer' : 'Client'} ${i}`, email: `user${i}@seed.test`, language: ['en', 'es', 'pt'][i % 3]! },
})))) as { userId: string }[];
const clients = registered.filter((_, i) => i % 2 === 0).map((r) => user(r.userId));
const freelancers = registered.filter((_, i) => i % 2 === 1).map((r) => user(r.userId));
await batch(clients.map((c) => ({ name: 'deposit' as const, actor: SYSTEM, input: { userId: c.id, amountMinor: 1_000_000_000, currency: 'USD' } })));
await batch(freelancers.map((f) => ({ name: 'deposit' as const, actor: SYSTEM, input: { userId: f.id, amountMinor: 1_000_000, currency: 'USD' } })));

// Mediators to take some of the cases: created only on a database without operators (a fresh one).
let admin: Actor | null = null;
const mediators: string[] = [];
if ((await database.db.operator.count()) === 0) {
  const passwordHash = await hashPassword('seed-operator-pass');
  const { operatorId } = await engine.run('createOperator', SYSTEM, { email: 'admin@seed.test', name: 'Seed admin', role: 'admin', passwordHash });
  admin = { kind: 'operator', id: operatorId, role: 'admin' };
  for (let i = 0; i < 6; i++) {
    mediators.push((await engine.run('createOperator', admin, { email: `mediator${i}@seed.test`, name: `Mediator ${i}`, role: 'mediator', passwordHash, languages: [['en'], ['es', 'en'], ['pt']][i % 3]! })).operatorId);
  }
}

const PER_PROJECT = 5;
const CATEGORIES = ['design', 'web', 'mobile', 'writing', 'data', 'video'];
let project = 0;
while (done < target) {
  const chunk = Math.min(200, Math.ceil((target - done) / PER_PROJECT));
  const idx = Array.from({ length: chunk }, (_, i) => project + i);
  project += chunk;
  const clientOf = (p: number) => clients[p % clients.length]!;
  const freelancerOf = (p: number) => freelancers[(p * 7) % freelancers.length]!;
  const amount = (p: number, k: number) => 5_000 + ((p * 131 + k * 977) % 200) * 500;
  const projects = (await batch(idx.map((p) => ({
    name: 'postProject' as const, actor: clientOf(p),
    input: { title: `Project ${p}`, description: 'Seeded work', category: CATEGORIES[p % CATEGORIES.length]!, budgetMinor: Array.from({ length: PER_PROJECT }, (_, k) => amount(p, k)).reduce((a, b) => a + b, 0), currency: 'USD' },
  })))) as { projectId: string }[];
  const bids = (await batch(idx.map((p, i) => ({
    name: 'placeBid' as const, actor: freelancerOf(p),
    input: {
      projectId: projects[i]!.projectId, proposal: 'Seeded bid',
      amountMinor: Array.from({ length: PER_PROJECT }, (_, k) => amount(p, k)).reduce((a, b) => a + b, 0),
      milestones: Array.from({ length: PER_PROJECT }, (_, k) => ({ description: `Part ${k + 1}`, amountMinor: amount(p, k) })),
    },
  })))) as { bidId: string }[];
  const awards = (await batch(idx.map((p, i) => ({ name: 'awardBid' as const, actor: clientOf(p), input: { bidId: bids[i]!.bidId, acceptProposedMilestones: true } })))) as { contractId: string; milestoneIds: string[] }[];
  await batch(idx.map((p, i) => ({ name: 'goLive' as const, actor: clientOf(p), input: { contractId: awards[i]!.contractId } })));
  // Milestone k of each project goes as far as k says: 0 released, 1 complete, 2 funded, 3 unfunded, 4 disputed (half the projects).
  const step: BatchCommand[] = [];
  idx.forEach((p, i) => {
    const [m0, m1, m2, , m4] = awards[i]!.milestoneIds;
    for (const m of [m0, m1, m2, ...(p % 2 === 0 ? [m4] : [])]) step.push({ name: 'fundMilestone', actor: clientOf(p), input: { milestoneId: m! } });
  });
  await batch(step);
  const step2: BatchCommand[] = [];
  idx.forEach((p, i) => {
    const [m0, m1, , , m4] = awards[i]!.milestoneIds;
    step2.push({ name: 'markComplete', actor: freelancerOf(p), input: { milestoneId: m0! } });
    step2.push({ name: 'markComplete', actor: freelancerOf(p), input: { milestoneId: m1! } });
    step2.push({ name: 'releaseMilestone', actor: clientOf(p), input: { milestoneId: m0!, amountMinor: Math.floor(amount(p, 0) / 2) } });
    if (p % 2 === 0) step2.push({ name: 'openDispute', actor: p % 4 === 0 ? clientOf(p) : freelancerOf(p), input: { milestoneId: m4!, reason: 'Seeded disagreement', claimMinor: Math.floor(amount(p, 4) / 2) } });
  });
  const results2 = await batch(step2);
  // Disputes move on at different paces, so the queue holds every open stage and some are taken.
  const disputeIds = step2.flatMap((c, k) => (c.name === 'openDispute' ? [(results2[k] as { disputeId: string }).disputeId] : []));
  const opened = idx.filter((p) => p % 2 === 0).map((p, k) => ({ p, disputeId: disputeIds[k]! }));
  const pace = (p: number) => (p / 2) % 8;
  const respondent = (p: number) => (p % 4 === 0 ? freelancerOf(p) : clientOf(p));
  const answered = opened.filter(({ p }) => pace(p) >= 3);
  await batch(answered.map(({ p, disputeId }) => ({ name: 'respondToDispute' as const, actor: respondent(p), input: { disputeId, message: 'Seeded answer' } })));
  await batch(answered.filter(({ p }) => pace(p) >= 5).map(({ p, disputeId }) => ({ name: 'payArbitrationFee' as const, actor: clientOf(p), input: { disputeId } })));
  await batch(answered.filter(({ p }) => pace(p) === 7).map(({ p, disputeId }) => ({ name: 'payArbitrationFee' as const, actor: freelancerOf(p), input: { disputeId } })));
  if (admin && mediators.length > 0) {
    await batch(opened.filter(({ p }) => (p / 2) % 3 === 0).map(({ p, disputeId }) => ({ name: 'assignDispute' as const, actor: admin!, input: { disputeId, mediatorId: mediators[p % mediators.length]! } })));
  }
  done += chunk * PER_PROJECT;
  progress();
}
progress(true);
const seconds = (Date.now() - started) / 1000;
console.log(`seed: ${url}: ${done.toLocaleString('en')} milestones, ${commands.toLocaleString('en')} commands in ${seconds.toFixed(1)} s`);
await database.close();
