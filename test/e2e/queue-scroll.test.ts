import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../server/api/routers/auth.js';
import { startServer } from '../../server/http/server.js';
import { buildQueueDatabase } from '../bench/queue-fixture.js';
import { ensureRendererBuilt, launch, RENDERER_OUT, shot } from './browser.js';

/**
 * A long queue (the benchmark's fixture: 600 open disputes, one minute apart) read by scrolling:
 * the console draws only the rows near the window, so what is drawn must always be the right
 * rows, in order, each once, covering the window; and the keyboard's selection reaches rows that
 * are not drawn yet.
 */

const DISPUTES = 600;
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Awaited<ReturnType<typeof launch>>;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escrow-queue-scroll-'));
  const file = path.join(dir, 'queue.db');
  await buildQueueDatabase(file, DISPUTES);
  ensureRendererBuilt();
  server = await startServer({ databaseUrl: file, timerIntervalMs: 0, rendererDir: RENDERER_OUT });
  await server.services.auth.bootstrapAdmin('admin@localhost', 'scroll-password-123');
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function openQueue(): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const { token } = await server.services.auth.signIn('admin@localhost', 'scroll-password-123');
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  await context.addCookies([{ name: SESSION_COOKIE, value: token, url: server.url, httpOnly: true, sameSite: 'Strict' }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${server.url}/#/disputes`);
  await page.locator('[data-test=queue-table] [role=row][data-id]').first().waitFor();
  return { page, errors, close: () => context.close() };
}

/** The rows drawn, top to bottom on screen, with their row index, and the window's bounds. */
function drawn(page: Page) {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll<HTMLElement>('[data-test=queue-table] [role=row][data-id]')]
      .map((r) => ({ id: r.dataset.id!, index: Number(r.getAttribute('aria-rowindex')), top: r.getBoundingClientRect().top, bottom: r.getBoundingClientRect().bottom }))
      .sort((a, b) => a.top - b.top);
    const body = document.querySelector('[data-test=queue-table] [role=rowgroup]:last-child')!.getBoundingClientRect();
    return { rows, viewTop: Math.max(0, body.top), viewBottom: Math.min(window.innerHeight, body.bottom), loaded: Number(document.querySelector<HTMLElement>('[data-test=queue-card]')!.dataset.loaded) };
  });
}

/** What any drawn window of the queue must be: contiguous rows, in the server's order, covering what is on screen. */
async function expectConsistent(page: Page): Promise<void> {
  const { rows, viewTop, viewBottom, loaded } = await drawn(page);
  expect(rows.length).toBeGreaterThan(0);
  // Far fewer than loaded: only the window and a margin either side.
  expect(rows.length).toBeLessThanOrEqual(60);
  for (const [i, r] of rows.entries()) {
    // The fixture's disputes sorted by opening time are dsp_000000000, dsp_000000001, …: row index n (header = 1) is dispute n - 2.
    expect(r.id).toBe(`dsp_${String(r.index - 2).padStart(9, '0')}`);
    if (i > 0) {
      expect(r.index).toBe(rows[i - 1]!.index + 1);
      expect(Math.abs(r.top - rows[i - 1]!.bottom)).toBeLessThan(1);
    }
  }
  expect(rows[0]!.top).toBeLessThanOrEqual(viewTop + 1);
  expect(rows[rows.length - 1]!.bottom).toBeGreaterThanOrEqual(viewBottom - 1);
  expect(rows[rows.length - 1]!.index - 1).toBeLessThanOrEqual(loaded);
}

describe('a long queue, scrolled', () => {
  it('draws only the rows near the window, always the right ones in order, loading pages ahead as one reads', async () => {
    const { page, errors, close } = await openQueue();
    await expectConsistent(page);
    // aria-rowcount -1: more rows than those loaded exist (WAI-ARIA), so screen readers do not announce 50.
    expect(await page.locator('[data-test=queue-table]').getAttribute('aria-rowcount')).toBe('-1');
    const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    // Read down the page a screen at a time: the next pages come before their rows are reached, nobody presses "Load more".
    for (let y = 600; (await drawn(page)).loaded < 200; y += 600) {
      await page.evaluate((to) => window.scrollTo(0, to), y);
      await frames();
      await expectConsistent(page);
      const { rows, loaded } = await drawn(page);
      expect(loaded - (rows.at(-1)!.index - 1)).toBeGreaterThan(0);
      expect(y).toBeLessThan(20_000);
    }
    // Scrolled anywhere, down and back up, the drawn rows always match the window.
    for (const y of [0, 1_000, 2_345, 4_000, 6_500, 3_000, 500]) {
      await page.evaluate((to) => window.scrollTo(0, to), y);
      await frames();
      await expectConsistent(page);
    }
    // A window made taller (or shorter) draws what it now shows.
    for (const height of [1_400, 700, 900]) {
      await page.setViewportSize({ width: 1440, height });
      await frames();
      await expectConsistent(page);
    }
    await page.evaluate(() => window.scrollTo(0, 4_000));
    await frames();
    await shot(page, 'queue-scrolled', { fullPage: false });
    // To the very end: every page loads, the last row is drawn, and the table's row count is exact.
    await expect.poll(async () => {
      await page.evaluate(() => window.scrollTo(0, document.scrollingElement!.scrollHeight));
      await frames();
      return (await drawn(page)).rows.at(-1)?.id;
    }, { timeout: 30_000 }).toBe(`dsp_${String(DISPUTES - 1).padStart(9, '0')}`);
    await expectConsistent(page);
    expect(await page.locator('[data-test=queue-table]').getAttribute('aria-rowcount')).toBe(String(DISPUTES + 1));
    expect(await page.locator('[data-test=load-more]').count()).toBe(0);
    expect(errors).toEqual([]);
    await close();
  }, 120_000);

  it('moves the keyboard selection to rows that were not drawn, bringing them on screen', async () => {
    const { page, errors, close } = await openQueue();
    await page.locator('h1').click();
    const selected = () => page.evaluate(() => {
      const row = document.querySelector<HTMLElement>('[data-test=queue-table] [role=row][data-selected=true]');
      if (!row) return null;
      const box = row.getBoundingClientRect();
      // On screen means below the fixed app bar too, within a pixel's rounding.
      const bar = document.querySelector('.v-app-bar')?.getBoundingClientRect().bottom ?? 0;
      return { id: row.dataset.id, onScreen: box.top >= bar - 1 && box.bottom <= window.innerHeight + 1 };
    });
    // 45 rows down: far past the 20 or so on screen at first, and past those drawn below them.
    for (let i = 0; i < 45; i++) await page.keyboard.press('j');
    await expect.poll(selected).toEqual({ id: 'dsp_000000044', onScreen: true });
    await expectConsistent(page);
    // And back to the top with k.
    for (let i = 0; i < 44; i++) await page.keyboard.press('k');
    await expect.poll(selected).toEqual({ id: 'dsp_000000000', onScreen: true });
    await expectConsistent(page);
    expect(errors).toEqual([]);
    await close();
  }, 120_000);
});
