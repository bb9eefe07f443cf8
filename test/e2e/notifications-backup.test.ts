import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_OPERATORS } from '../../server/demo/operators.js';
import { TEST_DATABASE } from '../support/databases.js';
import { signedIn } from '../support/server.js';
import { consoleUnderTest, newPage, shot, signIn } from './browser.js';

/**
 * The admin's backups and email server, and the notifications a milestone and a user were sent,
 * in a real browser against a real server: a backup whose file is where and as large as the
 * screen says, a released milestone's emails with their delivery state, and an SMTP URL saved
 * with a reason that the audit trail then shows (its password nowhere on screen or in the journal).
 */

const admin = DEMO_OPERATORS.find((o) => o.role === 'admin')!;
const env = consoleUnderTest();

const snackbar = (page: Page) => page.locator('[data-test=snackbar]');

async function quiet(page: Page): Promise<void> {
  const dismiss = page.locator('[data-test=snackbar] button');
  if (await dismiss.isVisible().catch(() => false)) await dismiss.click();
}

describe('admin backups', () => {
  it('takes a backup from the console; the file exists with the size shown', async () => {
    const { context, page, errors } = await newPage(env.browser);
    await signIn(page, env.server.url, admin.email, admin.password);
    await quiet(page);
    await page.goto(`${env.server.url}/#/admin?tab=backups`);
    await page.locator('[data-test=backup-run]').click();
    if (TEST_DATABASE === 'postgresql') {
      const refused = page.locator('[data-test=backup-refused]');
      await refused.waitFor({ timeout: 30_000 });
      expect(await refused.textContent()).toContain('pg_dump');
      await shot(page, '4x-backup-refused');
    } else {
      const result = page.locator('[data-test=backup-result]');
      await result.waitFor({ timeout: 60_000 });
      const file = (await result.getAttribute('data-path'))!;
      const size = Number(await result.getAttribute('data-size'));
      expect(await result.locator('[data-test=backup-path]').textContent()).toBe(file);
      expect(fs.existsSync(file)).toBe(true);
      expect(fs.statSync(file).size).toBe(size);
      expect(size).toBeGreaterThan(0);
      // The journal length and last hash are the live journal's at the moment of the backup.
      const last = await env.server.services.db.journalEntry.findFirstOrThrow({ orderBy: { seq: 'desc' } });
      expect(Number((await result.locator('[data-test=backup-journal]').textContent())!.replace(/\D/g, ''))).toBeLessThanOrEqual(last.seq);
      expect(await result.locator('[data-test=backup-hash] code').getAttribute('title')).toMatch(/^[0-9a-f]{64}$/);
      await expect.poll(async () => (await snackbar(page).textContent()) ?? '').toContain('Backup taken');
      await quiet(page);
      await shot(page, '4x-backup-taken');
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});

describe('notifications', () => {
  it('lists the emails about a released milestone, with each one’s delivery state', async () => {
    const { api } = await signedIn(env.server.url, 'admin');
    const released = (await api.milestones.list.query({ state: 'released', limit: 100 })).items;
    let milestoneId: string | null = null;
    for (const m of released) {
      if ((await api.notifications.list.query({ milestoneId: m.id, limit: 1 })).items.length > 0) { milestoneId = m.id; break; }
    }
    expect(milestoneId).not.toBeNull();
    const sent = await api.notifications.list.query({ milestoneId: milestoneId!, limit: 100 });
    expect(sent.items.some((n) => n.template === 'milestone_released')).toBe(true);

    // No dispatcher runs in this server, so everything is pending: give two of them a delivery
    // history (one sent, one failed after retries) to see each state drawn.
    const [newest, second] = sent.items;
    const db = env.server.services.db;
    await db.notification.update({ where: { id: newest!.id }, data: { status: 'sent', attempts: 1, sentAt: new Date() } });
    if (second) await db.notification.update({ where: { id: second.id }, data: { status: 'failed', attempts: 50, lastError: 'EENVELOPE 550 5.1.1 mailbox unavailable' } });

    const { context, page, errors } = await newPage(env.browser);
    await signIn(page, env.server.url, admin.email, admin.password);
    await quiet(page);
    await page.goto(`${env.server.url}/#/milestones/${milestoneId}`);
    const panel = page.locator('[data-test=notifications]');
    await panel.locator('[data-test=notification-row]').first().waitFor();
    const rows = panel.locator('[data-test=notification-row]');
    expect(await rows.count()).toBe(Math.min(sent.items.length, 20));
    // Newest first, as the router pages them.
    expect(await rows.first().getAttribute('data-id')).toBe(newest!.id);
    expect(await rows.first().getAttribute('data-status')).toBe('sent');
    expect(await panel.textContent()).toContain('Payment released');
    if (second) {
      const failed = panel.locator(`[data-test=notification-row][data-id="${second.id}"]`);
      expect(await failed.locator('[data-test=notification-status]').textContent()).toContain('failed');
      expect(await failed.locator('[data-test=notification-error]').textContent()).toContain('mailbox unavailable');
      expect(await failed.textContent()).toContain('attempts: 50');
    }
    await panel.scrollIntoViewIfNeeded();
    await shot(page, '4x-milestone-notifications', { fullPage: false });

    // The recipient's own page lists the same email among theirs.
    await page.goto(`${env.server.url}/#/users/${newest!.userId}`);
    // The milestone page lists the same email: wait for the user's page before looking for it.
    await page.locator('[data-test=user-header]').waitFor();
    await page.locator(`[data-test=notifications] [data-test=notification-row][data-id="${newest!.id}"]`).waitFor();
    await page.locator('[data-test=notifications]').scrollIntoViewIfNeeded();
    await shot(page, '4x-user-notifications', { fullPage: false });
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});

describe('admin email settings', () => {
  it('saves an SMTP URL with a reason, never shows its password, and the audit trail has settings.mail', async () => {
    const password = 'n0t-f0r-y0ur-eyes';
    const url = `smtp://mailer:${password}@smtp.example.test:587`;
    const reason = 'Send emails through the company relay from now on.';
    const { context, page, errors } = await newPage(env.browser);
    await signIn(page, env.server.url, admin.email, admin.password);
    await quiet(page);
    await page.goto(`${env.server.url}/#/admin?tab=settings`);
    const card = page.locator('[data-test=mail-settings]');
    await card.locator('[data-test=mail-current]').waitFor();
    expect(await card.locator('[data-test=mail-current]').getAttribute('data-configured')).toBe('false');

    // A wrong scheme is caught before it is sent.
    await card.locator('[data-test=mail-url] input').fill('http://smtp.example.test');
    await card.locator('[data-test=mail-reason] textarea').fill(reason);
    expect(await card.locator('[data-test=mail-save]').isDisabled()).toBe(true);
    expect(await card.textContent()).toContain('Must start with smtp:// or smtps://');
    await card.locator('[data-test=mail-url] input').fill(url);
    expect(await card.locator('[data-test=mail-url] input').getAttribute('type')).toBe('password');
    await card.scrollIntoViewIfNeeded();
    await shot(page, '4x-mail-settings-form', { fullPage: false });
    await card.locator('[data-test=mail-save]').click();
    await expect.poll(async () => (await snackbar(page).textContent()) ?? '', { timeout: 10_000 }).toContain('Mail server saved');
    await expect.poll(() => card.locator('[data-test=mail-current]').getAttribute('data-configured')).toBe('true');
    expect(await card.locator('[data-test=mail-masked]').textContent()).toContain('smtp.example.test:587');
    expect(await card.locator('[data-test=mail-url] input').inputValue()).toBe('');
    expect(await page.content()).not.toContain(password);
    await quiet(page);
    await shot(page, '4x-mail-settings-saved', { fullPage: false });

    // Stored for the dispatcher; the router and the journal say only whether and where.
    expect((await env.server.services.db.appSetting.findUniqueOrThrow({ where: { key: 'mail.smtp_url' } })).value).toBe(url);
    const { api } = await signedIn(env.server.url, 'admin');
    expect(await api.admin.mailSettings.query()).toEqual({ configured: true, host: 'smtp.example.test:587', fromEnvironment: false });
    const entry = await env.server.services.db.journalEntry.findFirstOrThrow({ where: { action: 'settings.mail' }, orderBy: { seq: 'desc' } });
    expect(entry.entityType).toBe('app_setting');
    expect(entry.entityId).toBe('mail.smtp_url');
    expect(entry.reason).toBe(reason);
    expect(JSON.parse(entry.payload)).toMatchObject({ configured: true, host: 'smtp.example.test:587' });
    expect(JSON.stringify(entry)).not.toContain(password);

    await page.goto(`${env.server.url}/#/audit`);
    await page.locator('[data-test=filter-action] input').fill('settings.mail');
    await page.locator('[data-test=filter-apply]').click();
    const first = page.locator('[data-test=journal-table] tbody tr[data-seq]').first();
    await expect.poll(async () => (await first.textContent()) ?? '', { timeout: 10_000 }).toContain(reason);
    expect(await first.getAttribute('data-seq')).toBe(String(entry.seq));
    expect(await first.textContent()).toContain('Email server changed');
    expect(await page.content()).not.toContain(password);
    await shot(page, '4x-audit-mail-journaled', { fullPage: false });
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
