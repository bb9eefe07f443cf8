import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoServer, signedIn } from '../support/server.js';

let server: Awaited<ReturnType<typeof demoServer>>;
let dir: string;
beforeAll(async () => {
  server = await demoServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escrow-export-'));
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function download(token: string, pathAndQuery: string): Promise<{ status: number; body: Buffer }> {
  const res = await fetch(`${server.url}${pathAndQuery}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

function verify(file: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/verify-audit.ts', file, ...args], { encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('exports with proof, checked without the database', () => {
  it('verifies a JSON-lines export of a range, and names the entry a forger edited', async () => {
    const { token } = await signedIn(server.url, 'compliance');
    const { status, body } = await download(token, '/export/journal.jsonl?fromSeq=5&toSeq=60');
    expect(status).toBe(200);
    const file = path.join(dir, 'range.jsonl');
    fs.writeFileSync(file, body);
    expect(verify(file)).toMatchObject({ code: 0 });
    const lines = body.toString().split('\n');
    const header = JSON.parse(lines[0]!) as { anchor: { seq: number; hash: string } };
    expect(header.anchor.seq).toBe(4);
    expect(verify(file, '--anchor-hash', 'f'.repeat(64)).code).toBe(1);
    lines[10] = lines[10]!.replace(/"actorRole":"\w+"/, '"actorRole":"admin"');
    const forged = path.join(dir, 'forged.jsonl');
    fs.writeFileSync(forged, lines.join('\n'));
    const r = verify(forged);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/entry 14: hash mismatch/);
  });

  it('verifies a CSV export whose payloads hold commas, quotes and newlines', async () => {
    const { token } = await signedIn(server.url, 'admin');
    const { body } = await download(token, '/export/journal.csv');
    const file = path.join(dir, 'all.csv');
    fs.writeFileSync(file, body);
    expect(verify(file)).toMatchObject({ code: 0 });
    fs.writeFileSync(file, body.toString().replace(/\n[^\n]*\n$/, '\n'));
    expect(verify(file).code).toBe(1);
  });

  it('keeps exports of the journal to reviewers and admins, and journals each export', async () => {
    const staff = await signedIn(server.url, 'staff');
    expect((await download(staff.token, '/export/journal.jsonl')).status).toBe(403);
    expect((await fetch(`${server.url}/export/journal.jsonl`)).status).toBe(401);
    const reviewer = await signedIn(server.url, 'compliance');
    await download(reviewer.token, '/export/journal.csv?fromSeq=1&toSeq=3');
    const last = await reviewer.api.audit.journal.query({ action: 'audit.export', limit: 1 });
    expect(last.items[0]).toMatchObject({ actorId: reviewer.operator.id, actorRole: 'compliance', entityId: 'journal' });
  });
});

describe('the compliance reviewer’s other views', () => {
  it('finds a journal row edited in the database, and names it', async () => {
    const { api } = await signedIn(server.url, 'compliance');
    expect((await api.audit.verify.mutate({})).result.ok).toBe(true);
    await server.services.db.$executeRawUnsafe(`UPDATE "JournalEntry" SET "reason" = 'edited' WHERE "seq" = 42`);
    const { result } = await api.audit.verify.mutate({});
    expect(result).toMatchObject({ ok: false, firstBad: { seq: 42, problem: 'hash_mismatch' } });
    // Put it back for the other tests: verification must be trustworthy in both directions.
    await server.services.db.$executeRawUnsafe(`UPDATE "JournalEntry" SET "reason" = NULL WHERE "seq" = 42`);
    const row = await server.services.db.journalEntry.findUniqueOrThrow({ where: { seq: 42 } });
    if (row.reason === null) expect((await api.audit.verify.mutate({})).result.ok).toBe(true);
  });

  it('rebuilds a milestone as it was at an earlier moment from the journal', async () => {
    const { api } = await signedIn(server.url, 'compliance');
    const released = (await api.milestones.list.query({ state: 'released', limit: 1 })).items[0]!;
    const now = await api.milestones.asOf.query({ milestoneId: released.id, at: new Date() });
    expect(now.snapshot).toMatchObject({ state: 'released', releasedMinor: released.releasedMinor });
    const fundedEntry = now.history.find((h) => h.action === 'milestone.fund')!;
    const then = await api.milestones.asOf.query({ milestoneId: released.id, at: fundedEntry.at, untilSeq: fundedEntry.seq });
    expect(then.snapshot).toMatchObject({ state: 'funded', fundedMinor: released.amountMinor, releasedMinor: 0 });
    const before = await api.milestones.asOf.query({ milestoneId: released.id, at: new Date(released.createdAt.getTime() - 1) });
    expect(before.snapshot).toBeNull();
  });

  it('exports a user’s payment history as CSV with running balances, and a case report as PDF', async () => {
    const { api, token } = await signedIn(server.url, 'compliance');
    const user = (await api.users.list.query({ search: 'Northwind' })).items[0]!;
    const csv = (await download(token, `/export/payments.csv?userId=${user.id}`)).body.toString().trim().split('\n');
    expect(csv[0]).toMatch(/^id,at,kind/);
    const detail = await api.users.get.query({ userId: user.id });
    expect(Number(csv[1]!.split(',').at(-1))).toBe(detail.balances.find((b) => b.currency === 'USD')!.balanceMinor);
    const decided = (await api.disputes.queue.query({ stages: ['decision'] })).items[0]!;
    const pdf = await download(token, `/export/case/${decided.id}.pdf`);
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
