import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The window's security settings as plain values and pure checks, so that a test in Node can read
 * them without Electron. The main process applies them; nothing here decides a business rule.
 */

/** Where the console comes from: the built renderer folder, or the dev server while developing. */
export type AppOrigin = {
  /** Absolute path of out/renderer. */
  rendererDir: string;
  /** The electron-vite dev server's URL (ELECTRON_RENDERER_URL), only in development. */
  devServerUrl: string | null;
  /** A team server the window shows instead of the built-in console (its origin only). */
  serverUrl?: string | null;
};

/**
 * The renderer talks to nothing but the preload bridge: no Node, no remote content, isolated from
 * the preload, and OS-sandboxed (the preload then only gets `electron`'s renderer modules).
 */
export function webPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  } as const;
}

/** The policy and headers the team server sends with the console; the window gets the same ones. */
export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../server/http/policy.js';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a URL of our own console: a file inside the renderer folder, or a page of the dev server. */
export function isAppUrl(url: string, origin: AppOrigin): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (parsed.protocol === 'file:') {
    // A file:// URL with a host is a network share, never ours.
    if (parsed.host !== '') return false;
    const file = path.resolve(fileURLToPath(parsed));
    const root = path.resolve(origin.rendererDir);
    return file.startsWith(root + path.sep);
  }
  for (const allowed of [origin.devServerUrl, origin.serverUrl ?? null]) {
    const site = allowed ? parse(allowed) : null;
    if (site !== null && (site.protocol === 'http:' || site.protocol === 'https:') && parsed.origin === site.origin) return true;
  }
  return false;
}

/** The window may reload or move within the console; any other navigation is refused. */
export function isAllowedNavigation(url: string, origin: AppOrigin): boolean {
  return isAppUrl(url, origin);
}

/**
 * IPC is answered only for our console's main frame: a sub-frame or a page that somehow got
 * loaded from elsewhere gets nothing (the caller also checks that the frame is the main frame).
 */
export function isTrustedSender(frameUrl: string | null | undefined, origin: AppOrigin): boolean {
  return typeof frameUrl === 'string' && isAppUrl(frameUrl, origin);
}

/**
 * A link leaving the console opens in the system browser, and only over https: other schemes
 * (file:, smb:, custom protocol handlers) can start programs on the operator's machine.
 */
export function externalUrlToOpen(url: string): string | null {
  const parsed = parse(url);
  return parsed && parsed.protocol === 'https:' ? parsed.toString() : null;
}

/** Camera, notifications, clipboard reads, geolocation...: the console needs none of them. */
export function allowPermission(_permission: string): boolean {
  return false;
}
