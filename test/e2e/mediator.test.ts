import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_OPERATORS } from '../../server/demo/operators.js';
import { signedIn } from '../support/server.js';
import { consoleUnderTest, newPage, shot, signIn } from './browser.js';

/**
 * The mediator's console in a real browser against a real server over a demo database: sign in,
 * the queue, filters, a case file, a split decision, and another mediator's claim arriving live.
 */

const mediators = DEMO_OPERATORS.filter((o) => o.role === 'mediator');
const env = consoleUnderTest({ scale: 3 });

const rows = (page: Page) => page.locator('[data-test=queue-table] [role=row][data-id]');

describe('mediator console', () => {
  it('signs in, filters the queue, and decides a case with a 50/50 split', async () => {
    const { context, page, errors } = await newPage(env.browser);
    await signIn(page, env.server.url, mediators[0]!.email, mediators[0]!.password);
    await expect.poll(() => rows(page).count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-test=operator]').textContent()).toContain(mediators[0]!.name);
    await shot(page, '01-queue');

    // Filter by stage on the server: only 'decision' rows remain.
    await page.locator('[data-test=filter-stage]').click();
    await page.locator('.v-overlay--active .v-list-item', { hasText: 'Decision' }).click();
    await page.keyboard.press('Escape');
    await page.locator('.v-overlay--active .v-list').waitFor({ state: 'hidden' });
    await expect.poll(async () => {
      const stages = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-stage')));
      return stages.length > 0 && stages.every((s) => s === 'decision');
    }).toBe(true);
    await shot(page, '02-queue-decision-stage');

    // Take the next case: it opens, assigned to me.
    await page.locator('[data-test=take-next]').click();
    await page.waitForURL(/#\/disputes\/dsp_/);
    await page.locator('[data-test=case-header]').waitFor();
    await expect.poll(() => page.locator('[data-test=case-header] [data-assignee=me]').count()).toBe(1);
    await page.goBack();

    // Open a case in the decision stage.
    await rows(page).first().waitFor();
    const decisionRow = page.locator('[data-test=queue-table] [role=row][data-stage=decision]').first();
    const disputeId = await decisionRow.getAttribute('data-id');
    await decisionRow.click();
    await page.waitForURL(new RegExp(`#/disputes/${disputeId}`));
    await page.locator('[data-test=decision-panel]').waitFor();
    await page.locator('[data-test=timeline]').waitFor();
    await shot(page, '03-case-file');

    // 50/50: the two shares add up to the disputed amount, and the preview shows the transfers.
    await page.locator('[data-test=template-even]').click();
    await expect.poll(() => page.locator('[data-test=preview-transfer]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const exact = await page.locator('[data-test=split-exact] [data-minor]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-minor'))));
    expect(exact[0]! + exact[1]!).toBe(exact[2]);
    expect(Math.abs(exact[0]! - exact[1]!)).toBeLessThanOrEqual(1);
    await page.locator('[data-test=decision-panel]').scrollIntoViewIfNeeded();
    await shot(page, '04-split-preview');

    // What the screen previews is what the router plans; keep it to hold the outcome against.
    const { api } = await signedIn(env.server.url, 'mediator', 1);
    const file = await api.disputes.get.query({ disputeId: disputeId! });
    const preview = await api.disputes.previewSplit.query({ disputeId: disputeId!, freelancerShareMinor: exact[0]!, clientShareMinor: exact[1]! });
    expect(await page.locator('[data-test=preview-transfer]').count()).toBe(preview.transfers.length);

    await page.locator('[data-test=decision-reason] textarea').fill('Both parties share the delay; an even split is fair.');
    await page.locator('[data-test=commit-decision]').click();
    // Decided at once, or (above the marketplace's limit) proposed for a second approval.
    await expect.poll(async () => (await page.locator('[data-test=snackbar]').textContent()) ?? '', { timeout: 10_000 }).toMatch(/Decision committed|Split proposed/);
    const snackbar = (await page.locator('[data-test=snackbar]').textContent()) ?? '';
    if (/Decision committed/.test(snackbar)) {
      await page.locator('[data-test=decision-result]').waitFor();
      expect(await page.locator('[data-test=case-stage]').getAttribute('data-stage')).toBe('closed');
      // The ledger moved exactly as previewed, and the parties' figures changed as previewed.
      const posted = await env.server.services.db.transfer.findMany({ where: { disputeId: disputeId!, kind: { not: 'arbitration_fee' } } });
      const key = (t: { from: string; to: string; amountMinor: number; kind: string }) => `${t.kind}:${t.from}>${t.to}:${t.amountMinor}`;
      expect(posted.map((t) => key({ from: t.debitAccountId, to: t.creditAccountId, amountMinor: Number(t.amountMinor), kind: t.kind })).sort()).toEqual(preview.transfers.map(key).sort());
      const [freelancerNow, clientNow] = await Promise.all([api.users.get.query({ userId: file.freelancer.id }), api.users.get.query({ userId: file.client.id })]);
      expect(freelancerNow.asFreelancer).toEqual(preview.standing.freelancer.after);
      expect(clientNow.asClient).toEqual(preview.standing.client.after);
    }
    await shot(page, '05-decided');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows another mediator’s claim in the queue without a reload', async () => {
    const first = await newPage(env.browser);
    const second = await newPage(env.browser);
    await signIn(first.page, env.server.url, mediators[0]!.email, mediators[0]!.password);
    await signIn(second.page, env.server.url, mediators[1]!.email, mediators[1]!.password);

    const unassigned = first.page.locator('[data-test=queue-table] [role=row][data-id]:has([data-assignee=none])').first();
    await unassigned.waitFor();
    const disputeId = (await unassigned.getAttribute('data-id'))!;
    const row = (page: Page) => page.locator(`[data-test=queue-table] [role=row][data-id="${disputeId}"]`);

    await row(second.page).locator('[data-test=claim]').click();
    await row(second.page).locator('[data-assignee=me]').waitFor();

    // The first page never reloads: the subscription brings the claim in.
    await row(first.page).locator('[data-assignee=other]').waitFor({ timeout: 10_000 });
    expect(await row(first.page).locator('[data-test=claim]').count()).toBe(0);
    await shot(first.page, '06-live-claim-by-other');

    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);
    await first.context.close();
    await second.context.close();
  }, 120_000);

  it('sends the operator back to sign-in, saying why, when the session ends', async () => {
    const { context, page } = await newPage(env.browser);
    await signIn(page, env.server.url, mediators[0]!.email, mediators[0]!.password);
    // The queue has loaded all it asks for (rows, then counts) before the session ends.
    const chip = page.locator('[data-test=counts] .v-chip').first();
    await chip.waitFor();
    await context.clearCookies();
    await chip.click();
    await page.locator('[data-test=session-expired]').waitFor({ timeout: 10_000 });
    await shot(page, '07-session-expired');
    await signIn(page, env.server.url, mediators[0]!.email, mediators[0]!.password);
    await context.close();
  }, 60_000);
});
