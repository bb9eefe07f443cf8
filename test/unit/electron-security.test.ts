import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowPermission, CONTENT_SECURITY_POLICY, externalUrlToOpen, isAllowedNavigation, isTrustedSender, webPreferences, type AppOrigin } from '../../electron/main/security.js';
import { electronBinary } from '../../scripts/electron-binary.mjs';

/**
 * The desktop window's hardening, checked without Electron: the values in security.ts, the same
 * values in the built main bundle (when `npx electron-vite build` has run), and a live window
 * only where the Electron binary exists.
 */

const root = path.resolve(import.meta.dirname, '../..');
const rendererDir = path.join(root, 'out', 'renderer');
const built: AppOrigin = { rendererDir, devServerUrl: null };
const dev: AppOrigin = { rendererDir, devServerUrl: 'http://localhost:5173' };
const fileUrl = (...parts: string[]) => new URL(`file://${path.join(...parts)}`).toString();

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));
}

describe('the window settings', () => {
  it('isolates and sandboxes the renderer, with no Node and no insecure content', () => {
    const prefs = webPreferences('/app/out/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('has a policy that loads only our own code: default-src self, no eval, no inline script', () => {
    const csp = directives(CONTENT_SECURITY_POLICY);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src') ?? csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/\*|https?:|ws:/);
  });

  it('denies every permission request', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'unknown']) expect(allowPermission(p)).toBe(false);
  });
});

describe('navigation and IPC senders', () => {
  it('lets the window move only within the built console', () => {
    expect(isAllowedNavigation(fileUrl(rendererDir, 'index.html'), built)).toBe(true);
    expect(isAllowedNavigation(`${fileUrl(rendererDir, 'index.html')}#/disputes`, built)).toBe(true);
    expect(isAllowedNavigation(fileUrl(os.homedir(), '.ssh', 'id_rsa'), built)).toBe(false);
    expect(isAllowedNavigation(`${fileUrl(rendererDir)}/../../package.json`, built)).toBe(false);
    expect(isAllowedNavigation(fileUrl(`${rendererDir}-evil`, 'index.html'), built)).toBe(false);
    expect(isAllowedNavigation(`file://fileserver${rendererDir}/index.html`, built)).toBe(false);
    for (const url of ['https://example.com/', 'http://localhost:5173/', 'javascript:alert(1)', 'data:text/html,<p>x', 'about:blank', 'not a url']) {
      expect(isAllowedNavigation(url, built), url).toBe(false);
    }
  });

  it('allows the dev server origin in development only, and no other origin', () => {
    expect(isAllowedNavigation('http://localhost:5173/#/queue', dev)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/', dev)).toBe(false);
    expect(isAllowedNavigation('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isAllowedNavigation('https://localhost:5173/', dev)).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173/', built)).toBe(false);
  });

  it('trusts IPC only from our own console', () => {
    expect(isTrustedSender(fileUrl(rendererDir, 'index.html'), built)).toBe(true);
    expect(isTrustedSender('http://localhost:5173/', dev)).toBe(true);
    expect(isTrustedSender('https://evil.example/', dev)).toBe(false);
    expect(isTrustedSender(fileUrl(os.tmpdir(), 'index.html'), built)).toBe(false);
    expect(isTrustedSender('', built)).toBe(false);
    expect(isTrustedSender(null, built)).toBe(false);
    expect(isTrustedSender(undefined, built)).toBe(false);
  });

  it('opens only https links in the system browser', () => {
    expect(externalUrlToOpen('https://docs.example.com/help')).toBe('https://docs.example.com/help');
    for (const url of ['http://example.com/', 'file:///etc/passwd', 'smb://host/share', 'javascript:alert(1)', 'ms-settings:', 'nonsense']) {
      expect(externalUrlToOpen(url), url).toBeNull();
    }
  });
});

const mainBundle = path.join(root, 'out/main/index.js');
const preloadBundle = path.join(root, 'out/preload/index.cjs');
const hasBundles = fs.existsSync(mainBundle) && fs.existsSync(preloadBundle);

describe.skipIf(!hasBundles)('the built bundles (skipped until `npx electron-vite build` has run)', () => {
  it('carry the window settings and the handlers that enforce them', () => {
    const main = fs.readFileSync(mainBundle, 'utf8');
    for (const text of ['contextIsolation: true', 'sandbox: true', 'nodeIntegration: false', 'webSecurity: true', 'allowRunningInsecureContent: false', 'enableSandbox()', 'setWindowOpenHandler', 'action: "deny"', 'setPermissionRequestHandler', 'will-navigate', 'onHeadersReceived']) {
      expect(main, text).toContain(text);
    }
    expect(main).toContain(CONTENT_SECURITY_POLICY);
    expect(main).not.toMatch(/nodeIntegration: true|contextIsolation: false|sandbox: false|webSecurity: false/);
  });

  it('expose only the escrowIpc bridge from the preload', () => {
    const preload = fs.readFileSync(preloadBundle, 'utf8');
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).toContain('exposeInMainWorld("escrowIpc"');
    expect(preload).not.toMatch(/require\("(?!electron")/);
  });
  it('start in Node against a stand-in for Electron: database opened, window hardened, IPC for our console only', () => {
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'escrow-main-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, STUB_USER_DATA: userData };
      delete env['ESCROW_DB'];
      delete env['ELECTRON_RENDERER_URL'];
      const out = execFileSync(process.execPath, ['--import', './test/support/electron-stub/register.mjs', 'test/support/electron-stub/start-main.mjs'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
      const report = JSON.parse(out.trim().split('\n').at(-1)!) as { calls: [string, ...unknown[]][]; trusted: unknown; untrusted: string; subFrame: string };
      const call = (name: string) => report.calls.find((c) => c[0] === name)?.slice(1);
      expect(fs.existsSync(path.join(userData, 'escrow.db'))).toBe(true);
      expect(call('enableSandbox')).toEqual([]);
      expect(call('permission')).toEqual([false]);
      expect(call('headers')).toEqual([expect.objectContaining({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] })]);
      expect(call('window')).toEqual([expect.objectContaining({ webPreferences: webPreferences(path.join(root, 'out/preload/index.cjs')) })]);
      expect(call('windowOpen')).toEqual([{ action: 'deny' }]);
      expect(call('openExternal')).toBeUndefined();
      expect(call('loadFile')).toEqual([path.join(rendererDir, 'index.html')]);
      // An empty database: the console offers to create the first admin.
      expect(report.trusted).toEqual({ result: { json: true } });
      expect(report.untrusted).toBe('refused');
      expect(report.subFrame).toBe('refused');
    } finally {
      fs.rmSync(userData, { recursive: true, force: true });
    }
  });
});

const binary = electronBinary();
const rendererBuilt = fs.existsSync(path.join(rendererDir, 'index.html'));
const liveName = 'opens one hardened window: no Node in the page, the bridge only, no eval, no new windows, no navigation away';

describe('the live window', () => {
  const run = binary && hasBundles && rendererBuilt ? it : it.skip;
  const why = !binary ? 'skipped: the Electron binary is not installed on this machine' : !(hasBundles && rendererBuilt) ? 'skipped: run `npx electron-vite build` first' : '';
  run(why ? `${liveName} (${why})` : liveName, async () => {
    const { _electron } = await import('playwright-core');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escrow-electron-'));
    const app = await _electron.launch({ executablePath: binary!, args: [root], env: { ...process.env, ESCROW_DB: path.join(dir, 'escrow.db') } as Record<string, string> });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      const inPage = await page.evaluate(() => {
        let evalBlocked = false;
        try {
          // The policy has no 'unsafe-eval': this must throw.
          (0, eval)('1');
        } catch {
          evalBlocked = true;
        }
        return {
          require: typeof (globalThis as { require?: unknown }).require,
          process: typeof (globalThis as { process?: unknown }).process,
          bridge: Object.keys((globalThis as unknown as { escrowIpc: object }).escrowIpc).sort(),
          opened: window.open('https://example.com/') === null,
          evalBlocked,
        };
      });
      expect(inPage).toEqual({ require: 'undefined', process: 'undefined', bridge: ['onEvent', 'request', 'subscribe', 'unsubscribe'], opened: true, evalBlocked: true });
      const before = page.url();
      await page.evaluate(() => { window.location.href = 'https://example.com/'; });
      await new Promise((r) => setTimeout(r, 500));
      expect(page.url()).toBe(before);
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    } finally {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the policy a file:// window carries in its page', () => {
  const html = fs.existsSync(path.join(rendererDir, 'index.html')) ? path.join(rendererDir, 'index.html') : path.join(root, 'renderer', 'index.html');
  it('is the window policy less frame-ancestors, which browsers ignore in a meta tag', () => {
    const meta = fs.readFileSync(html, 'utf8').match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];
    const expected = CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ');
    expect(meta).toBe(expected);
  });
});
