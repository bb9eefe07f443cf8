import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../server/api/routers/auth.js';
import { startServer } from '../../server/http/server.js';
import { ensureRendererBuilt, launch, RENDERER_OUT, SCREENSHOTS } from '../e2e/browser.js';
import { buildQueueDatabase } from './queue-fixture.js';

/**
 * The console in Chromium over a queue of open disputes: how long from navigation to the queue's
 * first rows on screen, and whether scrolling through several pages of the queue drops frames.
 * Every time is taken by the browser's own clock (performance.now(), relative to the navigation's
 * timeOrigin; requestAnimationFrame timestamps; long-animation-frame entries), never by Node's.
 */

const NAVIGATIONS = 10;
/** Pages of 50 rows scrolled through, each after the first appended with the queue's "Load more". */
const SCROLL_PAGES = 8;
/** Pixels per frame: a brisk, steady scroll (about 2,400 px/s at 60 Hz). */
const SCROLL_STEP = 40;

type Probe = {
  /** The first queue row exists in the DOM (MutationObserver). */
  domMs: number | null;
  /** The frame holding that row has been painted: the task right after its rendering update. */
  paintedMs: number | null;
  /** The renderer's own mark, set when the queue's first rows are committed. */
  markMs: number | null;
};

/**
 * Runs in the page before any of its scripts: watches for the first queue row and notes, on the
 * page's clock, when it entered the DOM and when the frame that shows it had been painted.
 */
function installProbe(): void {
  const w = window as unknown as { __firstRows: Probe };
  w.__firstRows = { domMs: null, paintedMs: null, markMs: null };
  const seen = () => document.querySelector('[data-test=queue-table] [role=row][data-id]') !== null;
  const observer = new MutationObserver(() => {
    if (w.__firstRows.domMs !== null || !seen()) return;
    w.__firstRows.domMs = performance.now();
    observer.disconnect();
    // rAF callbacks run just before the frame's style, layout and paint; a message posted from
    // there is handled after that rendering update, i.e. once the rows have been painted.
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        w.__firstRows.paintedMs = performance.now();
        w.__firstRows.markMs = performance.getEntriesByName('queue:first-rows')[0]?.startTime ?? null;
      };
      channel.port2.postMessage(null);
    });
  });
  observer.observe(document, { childList: true, subtree: true });
}

type Navigation = Probe & {
  apiCalls: number;
  /** When the queue's first page had arrived from the API: what follows is the renderer's own work. */
  pageArrivedMs: number | null;
  /** Where a navigation's time went, on the same clock: the document, scripts and each API call. */
  timeline: { what: string; startMs: number; endMs: number; bytes: number }[];
};

async function navigate(page: Page, url: string): Promise<Navigation> {
  await page.goto('about:blank');
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __firstRows: Probe }).__firstRows.paintedMs !== null, null, { timeout: 60_000, polling: 50 });
  return page.evaluate(() => {
    const probe = (window as unknown as { __firstRows: Probe }).__firstRows;
    const until = probe.paintedMs!;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const resources = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => r.startTime <= until);
    const round = (x: number) => Math.round(x * 10) / 10;
    const timeline = [
      ...(nav ? [
        // Before the request: unloading the previous page, starting a renderer process, connecting.
        { what: 'navigation to request', startMs: 0, endMs: round(nav.requestStart), bytes: 0 },
        { what: 'document', startMs: round(nav.requestStart), endMs: round(nav.responseEnd), bytes: nav.transferSize },
      ] : []),
      { what: 'DOMContentLoaded', startMs: round(nav?.domContentLoadedEventStart ?? 0), endMs: round(nav?.domContentLoadedEventEnd ?? 0), bytes: 0 },
      ...resources.map((r) => ({ what: new URL(r.name).pathname.replace(/^\/trpc\//, 'api ').slice(0, 120), startMs: round(r.startTime), endMs: round(r.responseEnd), bytes: r.transferSize || r.encodedBodySize })),
    ];
    const page = resources.find((r) => r.name.includes('disputes.queue'));
    return { ...probe, apiCalls: resources.filter((r) => r.name.includes('/trpc/')).length, pageArrivedMs: page ? page.responseEnd : null, timeline };
  });
}

type ScrollStats = {
  pages: number; rows: number; renderedRows: number; scrollsInside: boolean; scrolledPx: number; seconds: number;
  frames: number; medianFrameMs: number; droppedFrames: number; droppedWhileScrolling: number; droppedWhileAppending: number;
  longestFrameMs: number; longAnimationFrames: number; longAnimationFramesBeforeScroll: number; longAnimationFramesKind: string; longestAnimationFrameMs: number;
  worstLongFrames: { atMs: number; ms: number; scriptMs: number; renderMs: number; top: string[] }[];
  /** Diagnostics: each dropped frame as "ms@n", n = frames since the last page arrived (0 = the frame that drew it). */
  droppedDetail: string[];
};

/**
 * Scrolls the queue as a user reads it: steadily down the page; at the bottom, "Load more" and on
 * into the new rows, until `pages` pages have gone by. Every frame's interval is recorded from
 * requestAnimationFrame, long frames from the browser's long-animation-frame (or longtask) entries.
 */
async function scrollQueue(page: Page, pages: number, step: number): Promise<ScrollStats> {
  return page.evaluate(async ({ pages, step }) => {
    const kind = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame') ? 'long-animation-frame' : 'longtask';
    type Loaf = PerformanceEntry & { renderStart?: number; scripts?: { duration: number; invoker: string; sourceFunctionName: string }[] };
    const long: { startTime: number; duration: number; scriptMs: number; renderMs: number; top: string[] }[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries() as Loaf[]) {
        const scripts = [...(e.scripts ?? [])].sort((a, b) => b.duration - a.duration);
        long.push({
          startTime: e.startTime,
          duration: e.duration,
          scriptMs: scripts.reduce((sum, x) => sum + x.duration, 0),
          // From the start of style and layout to the end of the frame: the browser's own rendering work.
          renderMs: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
          top: scripts.slice(0, 2).map((x) => `${x.invoker} ${x.sourceFunctionName} ${Math.round(x.duration)}ms`),
        });
      }
    });
    observer.observe({ type: kind });
    const rows = () => document.querySelectorAll('[data-test=queue-table] [role=row][data-id]').length;
    // Rows loaded so far: the console says on its card, as a virtual table keeps only some in the DOM.
    const loadedRows = () => Number(document.querySelector<HTMLElement>('[data-test=queue-card]')?.dataset.loaded ?? rows());
    // Whatever scrolls the queue: its own box when the table scrolls inside one, else the page.
    // A table that draws only the rows on screen says so by its aria-rowcount (WAI-ARIA's way to tell of rows not in the DOM).
    const virtual = document.querySelector('[data-test=queue-table][aria-rowcount]') !== null;
    const box = document.querySelector<HTMLElement>('[data-test=queue-table]');
    const scroller = box && box.scrollHeight > box.clientHeight && getComputedStyle(box).overflowY !== 'visible' ? box : (document.scrollingElement as HTMLElement);
    const viewport = () => (scroller === document.scrollingElement ? window.innerHeight : scroller.clientHeight);
    scroller.scrollTop = 0;
    const target = pages * 50;
    const deltas: { ms: number; appending: boolean; sinceAppend: number }[] = [];
    let sinceAppend = 999;
    let scrolled = 0;
    await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    const started = performance.now();
    await new Promise<void>((resolve) => {
      let last = -1;
      let seen = loadedRows();
      let clicked = 0;
      const frame = (t: number) => {
        // A frame that follows the arrival of a page is the one that had to draw it.
        const now = loadedRows();
        sinceAppend = now !== seen ? 0 : sinceAppend + 1;
        if (last >= 0) deltas.push({ ms: t - last, appending: now !== seen, sinceAppend });
        seen = now;
        last = t;
        const atBottom = scroller.scrollTop + viewport() >= scroller.scrollHeight - 2;
        const more = document.querySelector<HTMLButtonElement>('[data-test=load-more]');
        // A queue that loads ahead as one reads is never at its bottom: there, reading ends once the target's last row is on screen.
        const targetRow = document.querySelector('[data-test=queue-table] [role=row][aria-rowindex="' + (target + 1) + '"]');
        const readTarget = now >= target && targetRow !== null && targetRow.getBoundingClientRect().bottom <= window.innerHeight;
        if (readTarget) {
          resolve();
          return;
        }
        if (!atBottom) {
          const before = scroller.scrollTop;
          scroller.scrollTop = before + step;
          scrolled += scroller.scrollTop - before;
        } else if (now < target && more) {
          // At the end of what is loaded, a user presses "Load more" (once) and waits for it.
          if (clicked < now) { clicked = now; more.click(); }
        } else if (rows() >= now || virtual) {
          // Done only when every loaded row is drawn, so rows drawn a few per frame are measured too
          // (a virtual table draws the rows on screen: at the bottom, those are the last ones).
          resolve();
          return;
        }
        if (performance.now() - started > 120_000) { resolve(); return; }
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    const loaded = loadedRows();
    const seconds = (performance.now() - started) / 1000;
    // Entries for the last frames are delivered after them; give the observer a moment.
    await new Promise((r) => setTimeout(r, 200));
    observer.disconnect();
    const sorted = deltas.map((d) => d.ms).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const dropped = deltas.filter((d) => d.ms > 1.5 * median);
    const during = long.filter((l) => l.startTime + l.duration > started);
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      pages: Math.ceil(loaded / 50), rows: loaded, renderedRows: rows(), scrollsInside: scroller !== document.scrollingElement, scrolledPx: Math.round(scrolled), seconds: round(seconds),
      frames: deltas.length, medianFrameMs: round(median),
      droppedFrames: dropped.length, droppedWhileScrolling: dropped.filter((d) => !d.appending).length, droppedWhileAppending: dropped.filter((d) => d.appending).length,
      longestFrameMs: round(sorted[sorted.length - 1] ?? 0),
      // The observer also hears frames that ended just before the scroll began (the page settling
      // after its navigation): those are counted apart, so the figures are the scroll's own.
      longAnimationFrames: during.length, longAnimationFramesBeforeScroll: long.length - during.length, longAnimationFramesKind: kind,
      longestAnimationFrameMs: round(Math.max(0, ...during.map((l) => l.duration))),
      droppedDetail: dropped.map((d) => `${round(d.ms)}@${d.sinceAppend}`),
      worstLongFrames: long.sort((a, b) => b.duration - a.duration).slice(0, 5).map((l) => ({ atMs: round(l.startTime - started), ms: round(l.duration), scriptMs: round(l.scriptMs), renderMs: round(l.renderMs), top: l.top })),
    };
  }, { pages, step });
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export async function consoleBench(results: Record<string, unknown>, sized: (full: number, floor: number) => number): Promise<void> {
  const disputes = sized(100_000, 2_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escrow-console-bench-'));
  const file = path.join(dir, 'console.db');
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  let browser: Awaited<ReturnType<typeof launch>> | null = null;
  try {
    await buildQueueDatabase(file, disputes);
    ensureRendererBuilt();
    server = await startServer({ databaseUrl: file, timerIntervalMs: 0, rendererDir: RENDERER_OUT });
    // A mediator: the queue is their screen, with the claim buttons and counts they see.
    await server.services.auth.bootstrapAdmin('bench-admin@localhost', 'bench-password-123');
    const admin = await server.services.auth.signIn('bench-admin@localhost', 'bench-password-123');
    await server.services.auth.createOperator(admin.session.actor, { email: 'bench-mediator@localhost', name: 'Bench Mediator', role: 'mediator', password: 'bench-password-123' });
    const { token } = await server.services.auth.signIn('bench-mediator@localhost', 'bench-password-123');

    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    // The console keeps its session in an HttpOnly cookie set by auth.signIn; setting the same
    // cookie makes every navigation start signed in, as a returning operator's does.
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url: server.url, httpOnly: true, sameSite: 'Strict' }]);
    // tsx compiles with esbuild's keepNames, which wraps nested functions in __name(); the
    // functions handed to the page carry those calls, so the page needs a __name of its own.
    await context.addInitScript({ content: 'globalThis.__name ??= (f) => f;' });
    await context.addInitScript(installProbe);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

    const runs: Navigation[] = [];
    for (let i = 0; i < NAVIGATIONS; i++) runs.push(await navigate(page, `${server.url}/#/disputes`));
    const painted = runs.map((r) => r.paintedMs!);
    const sorted = [...painted].sort((a, b) => a - b);
    const warm = painted.slice(1).sort((a, b) => a - b);
    const firstRows = {
      coldMs: round1(painted[0]!),
      p50Ms: round1(sorted[Math.floor(sorted.length / 2)]!),
      maxMs: round1(sorted[sorted.length - 1]!),
      warmP50Ms: round1(warm[Math.floor(warm.length / 2)] ?? 0),
      navigations: runs.length,
      samplesMs: painted.map(round1),
      pageArrivedMs: runs.map((r) => (r.pageArrivedMs === null ? null : round1(r.pageArrivedMs))),
      inDomMs: runs.map((r) => round1(r.domMs!)),
      rendererMarkMs: runs.map((r) => (r.markMs === null ? null : round1(r.markMs))),
      apiCallsBeforeRows: runs[runs.length - 1]!.apiCalls,
      coldTimeline: runs[0]!.timeline,
      warmTimeline: runs[runs.length - 1]!.timeline,
    };

    // Diagnostics (BENCH_TRACE=file): a devtools timeline trace of the scroll, to see where long frames go.
    if (process.env.BENCH_TRACE) await browser.startTracing(page, { path: process.env.BENCH_TRACE, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    const scroll = await scrollQueue(page, SCROLL_PAGES, SCROLL_STEP);
    if (process.env.BENCH_TRACE) await browser.stopTracing();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.evaluate(() => { window.scrollTo(0, 0); document.querySelector('[data-test=queue-table]')?.scrollTo(0, 0); });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'bench-console-queue.png') });
    await context.close();

    results.consoleQueue = {
      goal: 'first rows ≤ 1 s at 100,000 open disputes; scrolling without dropped frames',
      disputes,
      firstRows,
      scroll,
      pageErrors: errors,
    };
    console.log(`bench: console (${disputes} disputes, Chromium): first rows cold ${firstRows.coldMs} ms, p50 ${firstRows.p50Ms} ms, max ${firstRows.maxMs} ms; scrolling ${scroll.pages} pages: ${scroll.frames} frames, ${scroll.droppedFrames} dropped, longest ${scroll.longestFrameMs} ms, ${scroll.longAnimationFrames} long animation frames`);
  } finally {
    await browser?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
