import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_OPERATORS } from '../../server/demo/operators.js';
import { consoleUnderTest, newPage, shot, signIn } from './browser.js';

/**
 * The console in Spanish and Portuguese: the app-bar menu switches the words, Vuetify's own words,
 * the document's lang and the way amounts are written; the choice survives a reload and sign-out.
 */

const mediator = DEMO_OPERATORS.find((o) => o.role === 'mediator')!;
const env = consoleUnderTest({ scale: 3 });

/** Whitespace as plain spaces: Intl puts a no-break space between the currency and the figure. */
const plain = (s: string | null) => (s ?? '').replace(/\s/g, ' ').trim();

/** Minor units of USD written by hand, so the test does not trust the Intl it is checking. */
function usd(minor: number, group: string, decimal: string, prefix: string): string {
  const whole = Math.floor(Math.abs(minor) / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${minor < 0 ? '-' : ''}${prefix}${whole}${decimal}${String(Math.abs(minor) % 100).padStart(2, '0')}`;
}

async function chooseLanguage(page: Page, lang: 'en' | 'es' | 'pt') {
  await page.locator('[data-test=language-menu]').first().click();
  await page.locator(`.v-overlay--active [data-test=language-${lang}]`).click();
  await page.locator('.v-overlay--active .v-list').waitFor({ state: 'hidden' });
  // The menu fades out: wait until its box is gone too, so no screenshot catches it half-drawn.
  await expect.poll(() => page.locator('.v-menu .v-overlay__content').count()).toBe(0);
}

async function firstUsd(page: Page): Promise<{ minor: number; text: string }> {
  const money = page.locator('[data-test=queue-table] [data-currency=USD]').first();
  await money.waitFor();
  return { minor: Number(await money.getAttribute('data-minor')), text: plain(await money.textContent()) };
}

const rows = (page: Page) => page.locator('[data-test=queue-table] [role=row][data-id]');

describe('languages', () => {
  it('switches to Español and Português, formats amounts for each, and remembers the choice', async () => {
    const { context, page, errors } = await newPage(env.browser);
    await signIn(page, env.server.url, mediator.email, mediator.password);
    await expect.poll(() => rows(page).count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-US');
    const en = await firstUsd(page);
    expect(en.text).toBe(usd(en.minor, ',', '.', '$'));

    // Español (Latinoamérica).
    await chooseLanguage(page, 'es');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('es-419');
    await expect.poll(() => page.locator('.v-navigation-drawer').textContent()).toContain('Disputas');
    await expect.poll(() => page.locator('body').textContent()).toContain('Cola de disputas');
    expect(plain(await page.locator('[data-test=sign-out]').textContent())).toBe('Cerrar sesión');
    expect(await page.title()).toBe('Consola de depósitos en garantía');
    const es = await firstUsd(page);
    expect(es.text).toBe(usd(es.minor, ',', '.', 'USD '));
    await shot(page, '20-queue-es');

    await rows(page).first().click();
    await page.locator('[data-test=timeline]').waitFor();
    await expect.poll(() => page.locator('body').textContent()).toContain('Cronología');
    await shot(page, '21-case-file-es');
    await page.goBack();
    await rows(page).first().waitFor();

    // Português (Brasil): US$ 1.125,00.
    await chooseLanguage(page, 'pt');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('pt-BR');
    await expect.poll(() => page.locator('body').textContent()).toContain('Fila de disputas');
    expect(plain(await page.locator('[data-test=sign-out]').textContent())).toBe('Sair');
    const pt = await firstUsd(page);
    expect(pt.text).toBe(usd(pt.minor, '.', ',', 'US$ '));
    expect(pt.text).toMatch(/^US\$ \d{1,3}(\.\d{3})*,\d{2}$/);
    await shot(page, '22-queue-pt');

    // The choice survives a reload, and Vuetify's own words follow it.
    await page.reload();
    await rows(page).first().waitFor();
    expect(await page.evaluate(() => localStorage.getItem('escrow-console.language'))).toBe('pt');
    await expect.poll(() => page.locator('body').textContent()).toContain('Fila de disputas');
    const decisionRow = page.locator('[data-test=queue-table] [role=row][data-stage=decision]').first();
    await (await decisionRow.count() ? decisionRow : rows(page).first()).click();
    await page.locator('[data-test=timeline]').waitFor();
    await expect.poll(() => page.locator('body').textContent()).toContain('Linha do tempo');
    await expect.poll(async () => plain(await page.locator('[data-test=case-header]').textContent())).toMatch(/US\$ [\d.]+,\d{2}|[A-Z]{3}/);
    await shot(page, '23-case-file-pt');

    // Signed out, the sign-in screen is still in Portuguese.
    const errorsBeforeSignOut = errors.length;
    await page.locator('[data-test=sign-out]').click();
    await page.locator('[data-test=sign-in]').waitFor();
    expect(plain(await page.locator('[data-test=sign-in]').textContent())).toBe('Entrar');
    await shot(page, '24-sign-in-pt');

    // And back to English.
    await chooseLanguage(page, 'en');
    expect(plain(await page.locator('[data-test=sign-in]').textContent())).toBe('Sign in');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-US');

    // A request still in flight when the session ends is answered 401, which the env.browser logs;
    // nothing else may go wrong, before or after.
    expect(errors.slice(0, errorsBeforeSignOut)).toEqual([]);
    expect(errors.slice(errorsBeforeSignOut).filter((e) => !/status of 401/.test(e))).toEqual([]);
    await context.close();
  });

  it('starts in Portuguese when the env.browser says pt-BR and nothing was chosen yet', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'pt-BR' });
    const page = await context.newPage();
    await page.goto(`${env.server.url}/#/sign-in`);
    await page.locator('[data-test=sign-in]').waitFor();
    expect(plain(await page.locator('[data-test=sign-in]').textContent())).toBe('Entrar');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('pt-BR');
    await context.close();
  });
});
