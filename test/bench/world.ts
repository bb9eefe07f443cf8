import { Engine } from '../../server/engine/engine.js';
import { SYSTEM, type Actor } from '../../server/engine/types.js';
import { openDatabase, type OpenedDatabase } from '../../server/store/open.js';

export type World = { opened: OpenedDatabase; engine: Engine; client: Actor; freelancer: Actor; contractId: string; marketplaceId: string };

/** A database (SQLite file or PostgreSQL URL) with a funded client and a live contract to pay on, for the money benchmarks. */
export async function benchWorld(url: string): Promise<World> {
  const opened = await openDatabase(url);
  const engine = new Engine(opened.store);
  const { marketplaceId } = await engine.run('createMarketplace', SYSTEM, { name: 'bench' });
  const user = async (name: string) => ({ kind: 'user' as const, id: (await engine.run('registerUser', SYSTEM, { marketplaceId, name, email: `${name}@bench.test` })).userId });
  const client = await user('client');
  const freelancer = await user('freelancer');
  await engine.run('deposit', SYSTEM, { userId: client.id, amountMinor: 1e12, currency: 'USD' });
  const { projectId } = await engine.run('postProject', client, { title: 'bench', description: '', budgetMinor: 1_000_000, currency: 'USD' });
  const { bidId } = await engine.run('placeBid', freelancer, { projectId, amountMinor: 1_000_000, proposal: 'bench' });
  const { contractId } = await engine.run('awardBid', client, { bidId });
  await engine.run('goLive', client, { contractId });
  return { opened, engine, client, freelancer, contractId, marketplaceId };
}
