import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, session, shell, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { Services } from '../../server/app/services.js';
import { SYSTEM } from '../../server/engine/types.js';
import { openDatabase } from '../../server/store/open.js';
import { registerIpc } from './ipc.js';
import { chosenServerUrl, loadWindowState, saveWindowState } from './window-state.js';
import { allowPermission, externalUrlToOpen, isAllowedNavigation, isTrustedSender, SECURITY_HEADERS, webPreferences, type AppOrigin } from './security.js';

/**
 * The desktop app: one window over the console, the router and the database in this process.
 * Everything the console does goes through the router over IPC; this file only starts things,
 * hardens the window and stops things.
 */

const TIMER_INTERVAL_MS = 60_000;
const here = path.dirname(fileURLToPath(import.meta.url));
const origin: AppOrigin = {
  rendererDir: path.join(here, '../renderer'),
  // electron-vite sets this in `dev` only; a packaged app never loads from a server.
  devServerUrl: !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] ?? null : null,
};
const windows = new Set<WebContents>();

/** ESCROW_DB names the database file (tests, a second profile); by default it lives in the user's data folder. */
function databaseFile(): string {
  return process.env['ESCROW_DB'] || path.join(app.getPath('userData'), 'escrow.db');
}

/** IPC is answered for the main frame of our own window showing our own console, and nothing else. */
function isTrustedEvent(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && windows.has(event.sender) && isTrustedSender(frame.url, origin);
}

function openExternally(url: string): void {
  const https = externalUrlToOpen(url);
  if (https) void shell.openExternal(https);
}

/** Applies to every webContents Electron creates, so nothing can slip past by opening a new one. */
function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  const stayInApp = (event: { preventDefault: () => void }, url: string) => {
    if (isAllowedNavigation(url, origin)) return;
    event.preventDefault();
    openExternally(url);
  };
  contents.on('will-navigate', (event) => stayInApp(event, event.url));
  contents.on('will-redirect', (event) => stayInApp(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * The policy travels as response headers where there are headers (the dev server). Electron
 * does not fire header events for file:// loads, so the built console carries the same policy
 * in a <meta> tag of renderer/index.html; both come from the one string in security.ts.
 */
function hardenSession(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_contents, permission, callback) => callback(allowPermission(permission)));
  s.setPermissionCheckHandler((_contents, permission) => allowPermission(permission));
  s.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, ...Object.fromEntries(Object.entries(SECURITY_HEADERS).map(([k, v]) => [k, [v]])) } });
  });
}

function stateFile(): string {
  return path.join(app.getPath('userData'), 'window-state.json');
}

function createWindow(): BrowserWindow {
  const saved = loadWindowState(stateFile());
  const win = new BrowserWindow({
    ...saved,
    minWidth: 1024,
    minHeight: 640,
    title: 'Escrow Console',
    show: false,
    webPreferences: webPreferences(path.join(here, '../preload/index.cjs')),
  });
  const contents = win.webContents;
  windows.add(contents);
  contents.once('destroyed', () => windows.delete(contents));
  win.once('ready-to-show', () => {
    if (saved.maximized) win.maximize();
    win.show();
  });
  win.on('close', () => saveWindowState(stateFile(), { ...win.getNormalBounds(), maximized: win.isMaximized() }));
  // A team server serves the console itself; the page then talks to it over HTTP, not IPC.
  if (origin.serverUrl) void win.loadURL(origin.serverUrl);
  else if (origin.devServerUrl) void win.loadURL(origin.devServerUrl);
  else void win.loadFile(path.join(origin.rendererDir, 'index.html'));
  return win;
}

async function start(): Promise<void> {
  // Every renderer runs in the OS sandbox, whatever a window's options say.
  app.enableSandbox();
  // Two copies on one database would run the timers twice; the second one shows the first instead.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  await app.whenReady();
  hardenSession();
  // The committed SQL migrations ship inside the app (electron.builder.yml); say where, rather than
  // rely on where the bundler put this file.
  process.env['ESCROW_MIGRATIONS_DIR'] ??= path.join(app.getAppPath(), 'prisma/migrations/sqlite');

  origin.serverUrl = chosenServerUrl(path.join(app.getPath('userData'), 'console-settings.json'), process.env['ESCROW_SERVER_URL']);
  // Connected to a team server, this app holds no database and runs no timers: the server does.
  const opened = origin.serverUrl ? null : await openDatabase(databaseFile());
  const services = opened ? new Services(opened.db, undefined, opened.store, null, opened.reader) : null;
  const disposeIpc = services ? registerIpc(ipcMain, services, isTrustedEvent) : () => undefined;
  // Automatic releases and dispute defaults fall due while the app is closed too: catch up at start.
  const runTimers = () => services?.engine.run('runTimers', SYSTEM, {}).catch((error: unknown) => console.error('timers:', error));
  void runTimers();
  const timer = setInterval(runTimers, TIMER_INTERVAL_MS);

  let main = createWindow();
  app.on('second-instance', () => {
    if (main.isDestroyed()) main = createWindow();
    if (main.isMinimized()) main.restore();
    main.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) main = createWindow();
  });
  // The database and the scheduler belong to the open console: closing the window ends the app, on macOS too.
  app.on('window-all-closed', () => app.quit());

  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    clearInterval(timer);
    disposeIpc();
    void (opened ? opened.close() : Promise.resolve()).finally(() => {
      closed = true;
      app.quit();
    });
  });
}

start().catch((error: unknown) => {
  console.error('the console could not start:', error);
  app.exit(1);
});
