import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { appRouter } from '../api/root.js';
import { httpContext } from '../app/context.js';
import { handleExport } from './exports.js';
import { SECURITY_HEADERS } from './policy.js';
import { PostgresChangeFeed } from '../app/change-feed.js';
import { Services } from '../app/services.js';
import { SYSTEM } from '../engine/types.js';
import { createDispatcher, type Dispatcher } from '../notify/dispatcher.js';
import { sqlitePath } from '../store/database.js';
import { openDatabase, type DatabaseKind } from '../store/open.js';

export type ServerOptions = {
  /** A SQLite file path (the default) or a postgres:// URL. */
  databaseUrl: string;
  host?: string;
  port?: number;
  /** The built renderer to serve; omitted, only the API is served. */
  rendererDir?: string | null;
  /** Runs automatic releases and dispute defaults this often; 0 turns the scheduler off. */
  timerIntervalMs?: number;
  clock?: () => Date;
  /** Sends the email outbox from this process (server/notify); omitted, mail waits in the outbox. */
  dispatcher?: { intervalMs: number; smtpUrl?: string | null; from?: string | null; mailDir: string };
};

export type RunningServer = { url: string; services: Services; database: DatabaseKind; close: () => Promise<void> };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.eot': 'application/vnd.ms-fontobject', '.json': 'application/json', '.ico': 'image/x-icon',
};


function serveStatic(root: string, url: string, res: http.ServerResponse): void {
  const clean = decodeURIComponent(url.split('?')[0] ?? '/');
  let file = path.resolve(root, `.${clean}`);
  // Anything outside the folder, or any route of the single-page app, gets index.html.
  if (!file.startsWith(path.resolve(root)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  const immutable = file.includes(`${path.sep}assets${path.sep}`);
  res.writeHead(200, { 'content-type': type, 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache', ...SECURITY_HEADERS });
  fs.createReadStream(file).pipe(res);
}

/**
 * The team server: the API and the built console on one port. Closing stops new connections,
 * lets requests in flight finish, ends live-update streams, then closes the database.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const opened = await openDatabase(options.databaseUrl);
  const { db, kind } = opened;
  const services = new Services(db, options.clock, opened.store, kind === 'sqlite' ? sqlitePath(options.databaseUrl) : null, opened.reader);
  const feed = kind === 'postgresql' ? await PostgresChangeFeed.start(options.databaseUrl, services.changes) : null;
  if (feed) services.useSink(feed);
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    // Refusals are normal; only an unexpected failure is worth a line in the server's log.
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`trpc ${path ?? '?'}:`, error.cause ?? error);
    },
    createContext: ({ req, res }) => httpContext(services, req, (value) => res.appendHeader('set-cookie', value)),
  });
  const inFlight = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, database: kind }));
      return;
    }
    if (url.startsWith('/export/')) {
      void httpContext(services, req, () => undefined)
        .then((ctx) => handleExport(services, ctx.session, req, res))
        .catch((error: unknown) => {
          console.error('export:', error);
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('the export failed; nothing was changed');
        });
      return;
    }
    if (url.startsWith('/trpc/')) {
      inFlight.add(res);
      res.on('close', () => inFlight.delete(res));
      void trpc(req, res);
      return;
    }
    if (options.rendererDir && req.method === 'GET') return serveStatic(options.rendererDir, url, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });

  let timer: NodeJS.Timeout | null = null;
  if ((options.timerIntervalMs ?? 60_000) > 0) {
    timer = setInterval(() => {
      services.engine.run('runTimers', SYSTEM, {}).catch((error: unknown) => console.error('timers:', error));
    }, options.timerIntervalMs ?? 60_000);
    timer.unref();
  }

  let dispatcher: Dispatcher | null = null;
  if (options.dispatcher) {
    dispatcher = await createDispatcher(db, { ...options.dispatcher, clock: options.clock });
    dispatcher.start(options.dispatcher.intervalMs);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      if (timer) clearInterval(timer);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Live-update streams never end by themselves; ordinary requests get ten seconds to finish.
      const deadline = Date.now() + 10_000;
      while ([...inFlight].some((r) => !r.getHeader('content-type')?.toString().includes('event-stream')) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
      }
      for (const s of sockets) s.destroy();
      await stopped;
      // The batch being sent is finished and recorded before the database closes.
      await dispatcher?.stop();
      await feed?.close();
      await opened.close();
    })();
    return closing;
  };
  return { url: `http://${address.address}:${address.port}`, services, database: kind, close };
}
