// Starts out/main/index.js against the stand-in, sends it two IPC requests (one from our
// console, one from elsewhere) and prints what happened as one JSON line.
import { BrowserWindow, calls, ipcHandlers } from 'electron';

await import(new URL('../../../out/main/index.js', import.meta.url).href);
for (let i = 0; i < 200 && !ipcHandlers.has('trpc:request'); i++) await new Promise((r) => setTimeout(r, 25));
const handler = ipcHandlers.get('trpc:request');
// Electron turns a handler's throw into a rejected invoke; so does this.
const request = (event, message) => Promise.resolve().then(() => handler(event, message));
const sender = BrowserWindow.all[0].webContents;
const op = { type: 'query', path: 'auth.needsBootstrap' };
const trusted = await request({ sender, senderFrame: { parent: null, url: new URL('../../../out/renderer/index.html', import.meta.url).href } }, op);
const untrusted = await (request({ sender, senderFrame: { parent: null, url: 'https://evil.example/' } }, op)).then(() => 'answered', (e) => e.message);
const subFrame = await (request({ sender, senderFrame: { parent: {}, url: new URL('../../../out/renderer/index.html', import.meta.url).href } }, op)).then(() => 'answered', (e) => e.message);
console.log(JSON.stringify({ calls, trusted, untrusted, subFrame }));
process.exit(0);
