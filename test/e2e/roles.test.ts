import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_OPERATORS } from '../../server/demo/operators.js';
import { consoleUnderTest, newPage, shot, signIn } from './browser.js';

/**
 * Each demo role in a real browser: the screens its drawer offers, then the keyboard (queue selection,
 * Enter, the shortcuts help), the Ctrl+K palette finding a user, and the light/dark theme switch.
 */

/** What each role's drawer offers, written out rather than derived from nav.ts. */
const EXPECTED_NAV: Record<'admin' | 'mediator' | 'compliance' | 'staff', string[]> = {
  admin: ['/disputes', '/approvals', '/payments', '/users', '/audit', '/admin'],
  mediator: ['/disputes', '/approvals', '/payments', '/users'],
  compliance: ['/disputes', '/approvals', '/payments', '/users', '/audit'],
  staff: ['/disputes', '/payments', '/users'],
};

const operator = (role: keyof typeof EXPECTED_NAV) => DEMO_OPERATORS.find((o) => o.role === role)!;
const rows = (page: Page) => page.locator('[data-test=queue-table] [role=row][data-id]');
const selectedId = (page: Page) => page.locator('[data-test=queue-table] [role=row][data-selected=true]').getAttribute('data-id', { timeout: 2_000 }).catch(() => null);
const appBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.querySelector('.v-application')!).backgroundColor);

const LIGHT_BACKGROUND = 'rgb(245, 247, 250)';
const DARK_BACKGROUND = 'rgb(16, 22, 29)';

const env = consoleUnderTest({ scale: 3 });

describe('roles, keyboard, palette and theme', () => {
  for (const role of Object.keys(EXPECTED_NAV) as (keyof typeof EXPECTED_NAV)[]) {
    it(`shows the ${role} exactly the screens the role may open`, async () => {
      const { context, page, errors } = await newPage(env.browser);
      const op = operator(role);
      await signIn(page, env.server.url, op.email, op.password);
      // The demo admin is created by the first-run bootstrap, under a generic name; the role chip is shown for all.
      await expect.poll(() => page.locator('[data-test=operator]').textContent()).toContain(role === 'admin' ? 'Admin' : op.name);
      const links = await page.locator('.v-navigation-drawer a.v-list-item').evaluateAll((as) => as.map((a) => (a.getAttribute('href') ?? '').replace(/^#/, '')));
      expect(links).toEqual(EXPECTED_NAV[role]);
      // Take next is a mediator's (and admin's) action; the others do not see the button.
      expect(await page.locator('[data-test=take-next]').count()).toBe(role === 'mediator' || role === 'admin' ? 1 : 0);
      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);
  }

  it('moves the queue selection with the keyboard, opens a case with Enter, and goes back with Escape', async () => {
    const { context, page, errors } = await newPage(env.browser);
    const op = operator('mediator');
    await signIn(page, env.server.url, op.email, op.password);
    await expect.poll(() => rows(page).count()).toBeGreaterThan(2);
    // Focus on the page itself, not on a button left focused by the sign-in.
    await page.locator('h1').click();
    const ids = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));

    await page.keyboard.press('j');
    await expect.poll(() => selectedId(page)).toBe(ids[0]);
    await page.keyboard.press('j');
    await expect.poll(() => selectedId(page)).toBe(ids[1]);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => selectedId(page)).toBe(ids[2]);
    await page.keyboard.press('k');
    await expect.poll(() => selectedId(page)).toBe(ids[1]);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => selectedId(page)).toBe(ids[0]);

    // Typing in the search field never moves the selection: "/" focuses it, the letters go into it.
    await page.keyboard.press('/');
    await page.keyboard.type('jk');
    expect(await page.locator('[data-test=filter-search] input').inputValue()).toBe('jk');
    expect(await selectedId(page)).toBe(ids[0]);
    await page.locator('[data-test=filter-search] input').fill('');
    await page.locator('h1').click();
    // The search reloads the queue; wait until the unfiltered rows are back.
    await expect.poll(() => rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')).join())).toBe(ids.join());

    // The selection survived the reload (it is kept by id): one step down is the second row.
    await expect.poll(() => selectedId(page)).toBe(ids[0]);
    await page.keyboard.press('j');
    await expect.poll(() => selectedId(page)).toBe(ids[1]);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/disputes/${ids[1]}$`));
    await page.locator('[data-test=case-header]').waitFor();

    await page.keyboard.press('Escape');
    await page.waitForURL(/#\/disputes$/);
    await rows(page).first().waitFor();

    // The shortcuts help opens with "?".
    await page.keyboard.press('?');
    await page.locator('[data-test=shortcuts-help]').waitFor();
    await page.waitForTimeout(300);
    await shot(page, '3x-shortcuts-help', { fullPage: false });
    await page.keyboard.press('Escape');
    await page.locator('[data-test=shortcuts-help]').waitFor({ state: 'hidden' });
    expect(page.url()).toMatch(/#\/disputes$/);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('applies decision templates with 1/2/3 and focuses the reason with d', async () => {
    const { context, page, errors } = await newPage(env.browser);
    const op = operator('mediator');
    await signIn(page, env.server.url, op.email, op.password);
    const decisionRow = page.locator('[data-test=queue-table] [role=row][data-stage=decision]').first();
    await decisionRow.click();
    await page.locator('[data-test=decision-panel]').waitFor();
    await page.locator('[data-test=decision-panel] .text-title-medium').first().click();
    const shares = () => page.locator('[data-test=split-exact] [data-minor]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-minor'))));
    await page.keyboard.press('1');
    await expect.poll(async () => { const [f, c, total] = await shares(); return f === total && c === 0; }).toBe(true);
    await page.keyboard.press('2');
    await expect.poll(async () => { const [f, c, total] = await shares(); return f === 0 && c === total; }).toBe(true);
    await page.keyboard.press('3');
    await expect.poll(async () => { const [f, c] = await shares(); return Math.abs(f! - c!) <= 1; }).toBe(true);
    await page.keyboard.press('d');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-test=decision-reason]') !== null)).toBe(true);
    // In the reason field, "1" is text, not a template.
    await page.keyboard.type('1');
    expect(await page.locator('[data-test=decision-reason] textarea').inputValue()).toBe('1');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('finds a user by name with Ctrl+K and opens their page', async () => {
    const { context, page, errors } = await newPage(env.browser);
    const op = operator('staff');
    await signIn(page, env.server.url, op.email, op.password);
    await page.keyboard.press('Control+k');
    await page.locator('[data-test=palette]').waitFor();
    await page.keyboard.type('Priya');
    const userOption = page.locator('.v-overlay--active [data-value^="user:"]').first();
    await userOption.waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    await shot(page, '3x-palette', { fullPage: false });
    const userId = ((await userOption.getAttribute('data-value')) ?? '').slice('user:'.length);
    await userOption.click();
    await page.waitForURL(new RegExp(`#/users/${userId}$`));
    await expect.poll(() => page.locator('[data-test=user-header]').textContent()).toContain('Priya');
    await expect.poll(() => page.locator('[data-test=palette]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('switches to the dark theme from the app bar and remembers it', async () => {
    const { context, page, errors } = await newPage(env.browser);
    const op = operator('mediator');
    await signIn(page, env.server.url, op.email, op.password);
    await expect.poll(() => rows(page).count()).toBeGreaterThan(0);
    expect(await appBackground(page)).toBe(LIGHT_BACKGROUND);
    await page.locator('[data-test=toggle-theme]').click();
    await expect.poll(() => appBackground(page)).toBe(DARK_BACKGROUND);
    await page.locator('h1').click();
    await page.keyboard.press('j');
    await page.waitForTimeout(300);
    await shot(page, '3x-queue-dark', { fullPage: false });

    await page.reload();
    await rows(page).first().waitFor();
    expect(await appBackground(page)).toBe(DARK_BACKGROUND);
    await page.locator('[data-test=toggle-theme]').click();
    await expect.poll(() => appBackground(page)).toBe(LIGHT_BACKGROUND);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('starts dark when the system prefers a dark colour scheme', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', colorScheme: 'dark' });
    const page = await context.newPage();
    const op = operator('compliance');
    await signIn(page, env.server.url, op.email, op.password);
    expect(await appBackground(page)).toBe(DARK_BACKGROUND);
    await context.close();
  }, 60_000);
});
