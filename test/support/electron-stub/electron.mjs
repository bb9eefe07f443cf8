// A stand-in for the `electron` module, for starting the built main bundle in plain Node where
// the Electron binary cannot be installed. It records what the bundle asks of Electron.
import { EventEmitter } from 'node:events';

export const calls = [];
export const ipcHandlers = new Map();

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  enableSandbox: () => calls.push(['enableSandbox']),
  requestSingleInstanceLock: () => true,
  whenReady: async () => {},
  getPath: () => process.env.STUB_USER_DATA,
  getAppPath: () => process.cwd(),
  quit: () => calls.push(['quit']),
  exit: (code) => calls.push(['exit', code]),
});

class WebContents extends EventEmitter {
  id = 1;
  isDestroyed() { return false; }
  send(channel, event) { calls.push(['send', channel, event]); }
  setWindowOpenHandler(handler) { calls.push(['windowOpen', handler({ url: 'file:///etc/passwd' })]); }
}

export class BrowserWindow extends EventEmitter {
  static all = [];
  static getAllWindows() { return BrowserWindow.all; }
  constructor(options) {
    super();
    this.webContents = new WebContents();
    BrowserWindow.all.push(this);
    calls.push(['window', options]);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url) { calls.push(['loadURL', url]); return Promise.resolve(); }
  loadFile(file) { calls.push(['loadFile', file]); return Promise.resolve(); }
  isDestroyed() { return false; }
}

export const ipcMain = {
  handle: (channel, handler) => ipcHandlers.set(channel, handler),
  on: (channel, handler) => ipcHandlers.set(channel, handler),
  removeHandler: (channel) => ipcHandlers.delete(channel),
  off: (channel) => ipcHandlers.delete(channel),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler) => handler(null, 'media', (allowed) => calls.push(['permission', allowed])),
    setPermissionCheckHandler: () => {},
    webRequest: { onHeadersReceived: (handler) => handler({ responseHeaders: {} }, (answer) => calls.push(['headers', answer.responseHeaders])) },
  },
};

export const shell = { openExternal: (url) => calls.push(['openExternal', url]) };
