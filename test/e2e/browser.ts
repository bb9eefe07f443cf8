import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { demoServer } from '../support/server.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const RENDERER_OUT = path.join(ROOT, 'out/renderer');
export const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the renderer when out/renderer is missing or older than any renderer source. */
export function ensureRendererBuilt(): void {
  const index = path.join(RENDERER_OUT, 'index.html');
  const sources = Math.max(newestMtime(path.join(ROOT, 'renderer')), fs.statSync(path.join(ROOT, 'server/api')).mtimeMs);
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * Playwright's launch() always starts Chromium with a fresh temporary --user-data-dir of its own
 * (and refuses one passed in args); two contexts in it have separate cookie jars, as two operators need.
 */
export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { context, page, errors };
}

/** The whole page by default; `fullPage: false` keeps the viewport where the page is, for long tables. */
export async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const fullPage = options.fullPage ?? true;
  // From the top, so the fixed app bar and drawer are drawn where they belong in a full-page image.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/#/sign-in`);
  const button = page.locator('[data-test=sign-in]');
  // The form renders once the router has asked the server whether anyone is signed in; a fill
  // that lands on a form about to be replaced is simply repeated.
  for (let attempt = 0; attempt < 5 && !(await button.isEnabled().catch(() => false)); attempt++) {
    await button.waitFor();
    await page.locator('input[type=email]').fill(email);
    await page.locator('input[type=password]').fill(password);
    if (!(await button.isEnabled())) await page.waitForTimeout(200);
  }
  await button.click();
  await page.locator('[data-test=queue-table]').waitFor();
}

export type ConsoleUnderTest = { server: Awaited<ReturnType<typeof demoServer>>; browser: Browser };

/** A demo server serving the built console, and Chromium: started before a file's tests, stopped after them. */
export function consoleUnderTest(options: { scale?: number } = {}): ConsoleUnderTest {
  const env = {} as ConsoleUnderTest;
  beforeAll(async () => {
    ensureRendererBuilt();
    env.server = await demoServer({ rendererDir: RENDERER_OUT, scale: options.scale });
    env.browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
