import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_OPERATORS } from '../../server/demo/operators.js';
import { refusal, signedIn } from '../support/server.js';
import { consoleUnderTest, newPage, ROOT, shot, signIn } from './browser.js';

/**
 * The compliance reviewer's and the admin's console in a real browser against a real server: the
 * hash chain verified and a tampered entry named, a journal export checked by the standalone
 * verifier, a reviewer who can change nothing, a staff cancellation overridden as previewed, and a
 * settings change that lands in the audit trail.
 */

const reviewer = DEMO_OPERATORS.find((o) => o.role === 'compliance')!;
const admin = DEMO_OPERATORS.find((o) => o.role === 'admin')!;
const env = consoleUnderTest({ scale: 2 });

const snackbar = (page: Page) => page.locator('[data-test=snackbar]');

/** Closes the sign-in toast so it does not cover what a screenshot is for. */
async function quiet(page: Page): Promise<void> {
  const dismiss = page.locator('[data-test=snackbar] button');
  if (await dismiss.isVisible().catch(() => false)) await dismiss.click();
}

describe('compliance reviewer', () => {
  it('verifies the chain, then names a journal entry edited in the database', async () => {
    const { context, page, errors } = await newPage(env.browser);
    await signIn(page, env.server.url, reviewer.email, reviewer.password);
    await quiet(page);
    await page.goto(`${env.server.url}/#/audit`);
    await page.locator('[data-test=journal-table] tbody tr[data-seq]').first().waitFor();

    await page.locator('[data-test=verify-run]').click();
    await page.locator('[data-test=verify-ok]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-test=verify-ok]').textContent()).toMatch(/Chain intact: [\d,]+ entries verified/);
    await page.locator('[data-test=health-run]').click();
    await page.locator('[data-test=health-ok]').waitFor();
    await shot(page, '10-audit-verified', { fullPage: false });

    const seq = 42;
    const original = await env.server.services.db.journalEntry.findUniqueOrThrow({ where: { seq } });
    await env.server.services.db.$executeRawUnsafe(`UPDATE "JournalEntry" SET "reason" = 'quietly edited' WHERE "seq" = ${seq}`);
    try {
      await page.locator('[data-test=verify-run]').click();
      const broken = page.locator('[data-test=verify-broken]');
      await broken.waitFor({ timeout: 30_000 });
      expect(await broken.getAttribute('data-seq')).toBe(String(seq));
      expect(await broken.textContent()).toContain(`Chain broken at entry #${seq}`);
      await shot(page, '11-audit-broken', { fullPage: false });

      // The link filters the trail to that entry: it is the first row, marked.
      await page.locator('[data-test=verify-show]').click();
      await page.waitForURL(new RegExp(`seq=${seq}`));
      await expect.poll(() => page.locator('[data-test=journal-table] tbody tr[data-seq]').first().getAttribute('data-seq')).toBe(String(seq));
      expect(await page.locator(`[data-test=journal-table] tr[data-seq="${seq}"]`).textContent()).toContain('quietly edited');
      await page.waitForTimeout(600); // the smooth scroll to the trail
      await shot(page, '12-audit-entry-shown', { fullPage: false });
    } finally {
      const reason = original.reason === null ? 'NULL' : `'${original.reason.replace(/'/g, "''")}'`;
      await env.server.services.db.$executeRawUnsafe(`UPDATE "JournalEntry" SET "reason" = ${reason} WHERE "seq" = ${seq}`);
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('downloads a JSON-lines export that the standalone verifier accepts', async () => {
    const { context, page, errors } = await newPage(env.browser);
    await signIn(page, env.server.url, reviewer.email, reviewer.password);
    await page.goto(`${env.server.url}/#/audit`);
    await page.locator('[data-test=export-jsonl]').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-jsonl]').click()]);
    expect(download.suggestedFilename()).toMatch(/^journal-1-\d+\.jsonl$/);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'escrow-export-')), download.suggestedFilename());
    await download.saveAs(file);

    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/verify-audit.ts', file], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('offers a reviewer nothing that changes data, and the router refuses them anyway', async () => {
    const { context, page, errors } = await newPage(env.browser);
    await signIn(page, env.server.url, reviewer.email, reviewer.password);
    await quiet(page);

    // The admin screen is not in the drawer, and opening it sends the reviewer elsewhere.
    expect(await page.locator('.v-navigation-drawer a[href="#/admin"]').count()).toBe(0);
    await page.goto(`${env.server.url}/#/admin?tab=cancellations`);
    await page.locator('[data-test=queue-table]').waitFor();
    expect(page.url()).not.toContain('/admin');

    // A user's page: standing charts, balances, milestones; nothing to press that moves money.
    const { api: reviewerApi, token } = await signedIn(env.server.url, 'compliance');
    const someone = (await reviewerApi.users.list.query({ limit: 20 })).items[0]!;
    await page.goto(`${env.server.url}/#/users/${someone.id}`);
    await page.locator('[data-test=user-header]').waitFor();
    await page.locator('[data-test=chart-reputation] canvas, [data-test=chart-reputation] .text-medium-emphasis').first().waitFor();
    await shot(page, '13-user-standing');

    await page.goto(`${env.server.url}/#/payments?userId=${someone.id}&currency=USD`);
    await page.locator('[data-test=payments-table] tbody tr').first().waitFor();
    await shot(page, '14-payments-user');

    for (const forbidden of ['settings-save', 'cancellation-approve', 'cancellation-reject', 'cancellation-override', 'commit-decision', 'case-claim', 'small-claim']) {
      expect(await page.locator(`[data-test=${forbidden}]`).count(), forbidden).toBe(0);
    }

    // A case file: the precedents chart and the PDF report, no decision controls.
    // Preferably one with precedents, so the chart has bars to show.
    const open = (await reviewerApi.disputes.queue.query({ limit: 40 })).items;
    let disputeId = open[0]!.id;
    for (const d of open) {
      if ((await reviewerApi.disputes.precedents.query({ disputeId: d.id })).cases.length > 0) { disputeId = d.id; break; }
    }
    await page.goto(`${env.server.url}/#/disputes/${disputeId}`);
    await page.locator('[data-test=precedents]').waitFor();
    await page.locator('[data-test=case-report]').waitFor();
    for (const forbidden of ['commit-decision', 'case-claim', 'small-claim']) expect(await page.locator(`[data-test=${forbidden}]`).count(), forbidden).toBe(0);
    await shot(page, '15-case-file-reviewer');

    // The router is the real gate: a reviewer's direct call is refused.
    const settings = (await reviewerApi.admin.marketplaces.query())[0]!;
    expect((await refusal(reviewerApi.admin.updateSettings.mutate({ marketplaceId: settings.id, patch: { autoReleaseDays: 3 }, reason: 'should not work' }))).code).toBe('FORBIDDEN');
    const someCancellation = await env.server.services.db.staffCancellation.findFirst();
    expect((await refusal(reviewerApi.admin.overrideCancellation.mutate({ cancellationId: someCancellation?.id ?? 'scx_none', reason: 'should not work' }))).code).toBe('FORBIDDEN');
    expect(token).toBeTruthy();
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});

describe('admin', () => {
  it('overrides a staff cancellation from the screen, with the effect the preview showed', async () => {
    // A staff member cancels a funded milestone small enough to apply at once (no four eyes).
    const staff = await signedIn(env.server.url, 'staff');
    const adminApi = (await signedIn(env.server.url, 'admin')).api;
    const settings = (await adminApi.admin.marketplaces.query())[0]!.settings;
    const funded = (await staff.api.milestones.list.query({ state: 'funded', limit: 200 })).items.find((m) => m.remainingMinor > 0 && m.remainingMinor <= settings.staffCancelApprovalAboveMinor)!;
    expect(funded).toBeTruthy();
    const cancelled = await staff.api.milestones.staffCancel.mutate({ milestoneId: funded.id, reason: 'The freelancer’s account was closed for fraud.' });
    expect(cancelled.status).toBe('applied');
    const walletOf = async () => (await adminApi.users.get.query({ userId: funded.clientId })).balances.find((b) => b.currency === funded.currency)!.balanceMinor;
    const balanceBefore = await walletOf();

    const { context, page, errors } = await newPage(env.browser);
    await signIn(page, env.server.url, admin.email, admin.password);
    await quiet(page);
    await page.goto(`${env.server.url}/#/admin?tab=cancellations`);
    await page.locator('[data-test=cancellation-status]').click();
    await page.locator('.v-overlay--active .v-list-item', { hasText: /^applied$/ }).click();
    const row = page.locator(`tr[data-id="${cancelled.cancellationId}"]`);
    await row.waitFor();
    await row.locator('[data-test=cancellation-override]').click();

    const effect = page.locator('[data-test=cancellation-effect]');
    await effect.waitFor();
    expect(Number(await effect.locator('[data-test=effect-amount]').getAttribute('data-minor'))).toBe(funded.remainingMinor);
    expect(Number(await effect.locator('[data-test=effect-balance]').getAttribute('data-minor'))).toBe(balanceBefore);
    expect(await effect.locator('[data-test=effect-state]').getAttribute('data-state')).toBe('funded');
    await page.locator('[data-test=cancellation-reason] textarea').fill('The closure was reversed on appeal; the work continues.');
    await shot(page, '16-cancellation-override-preview');
    await page.locator('[data-test=cancellation-confirm]').click();
    await expect.poll(async () => (await snackbar(page).textContent()) ?? '', { timeout: 10_000 }).toContain('Cancellation overridden');

    // As previewed: the amount left the client's wallet for escrow, and the milestone is funded again.
    const after = await adminApi.milestones.get.query({ milestoneId: funded.id });
    expect(after.milestone.state).toBe('funded');
    expect(after.milestone.remainingMinor).toBe(funded.remainingMinor);
    expect(await walletOf()).toBe(balanceBefore - funded.remainingMinor);

    // The milestone's page: its journal, the cancellation, and the state before the override.
    await page.goto(`${env.server.url}/#/milestones/${funded.id}`);
    await page.locator('[data-test=time-slider]').waitFor();
    expect(await page.locator('[data-test=time-state]').getAttribute('data-state')).toBe('funded');
    const slider = page.locator('[data-test=time-slider] .v-slider-thumb');
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.locator('[data-test=time-state]').getAttribute('data-state'), { timeout: 10_000 }).toBe('cancelled');
    await page.locator('[data-test=time-entry]').waitFor();
    await shot(page, '17-milestone-time-travel');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('changes a setting with a reason and finds the change in the audit trail', async () => {
    const { context, page, errors } = await newPage(env.browser);
    await signIn(page, env.server.url, admin.email, admin.password);
    await quiet(page);
    await page.goto(`${env.server.url}/#/admin?tab=settings`);
    const field = page.locator('[data-test="setting-autoReleaseDays"] input');
    await field.waitFor();
    const before = Number(await field.inputValue());
    await field.fill(String(before + 3));
    await page.locator('[data-test=settings-diff] tr[data-path=autoReleaseDays]').waitFor();
    expect(await page.locator('[data-test=settings-save]').isDisabled()).toBe(true);
    const reason = 'Clients asked for more time to review before payment is released.';
    await page.locator('[data-test=settings-reason] textarea').fill(reason);
    await shot(page, '18-settings-diff');
    await page.locator('[data-test=settings-save]').click();
    await expect.poll(async () => (await snackbar(page).textContent()) ?? '', { timeout: 10_000 }).toContain('Settings saved');
    await expect.poll(() => page.locator('[data-test=settings-diff] tr[data-path]').count()).toBe(0);

    await page.goto(`${env.server.url}/#/audit`);
    await page.locator('[data-test=filter-action] input').fill('settings.');
    await page.locator('[data-test=filter-apply]').click();
    const first = page.locator('[data-test=journal-table] tbody tr[data-seq]').first();
    await expect.poll(async () => (await first.textContent()) ?? '', { timeout: 10_000 }).toContain(reason);
    expect(await first.textContent()).toContain('Settings changed');
    await shot(page, '19-audit-settings-journaled');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
