import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/security.js';
import { startServer, type RunningServer } from '../../server/http/server.js';
import { freshDatabase } from '../support/databases.js';

let server: RunningServer;
let dir: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escrow-static-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>console</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
  const database = await freshDatabase();
  drop = database.drop;
  server = await startServer({ databaseUrl: database.url, rendererDir: dir, timerIntervalMs: 0 });
});

afterAll(async () => {
  await server?.close();
  await drop?.();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the server shell serving the console', () => {
  it('sends the same policy the desktop window carries, with the other security headers', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('serves hashed assets as immutable, and any other path as the app, never a file outside its folder', async () => {
    expect((await fetch(`${server.url}/assets/app-1234.js`)).headers.get('cache-control')).toContain('immutable');
    const outside = await fetch(`${server.url}/..%2f..%2fetc%2fpasswd`);
    expect(await outside.text()).toContain('<title>console</title>');
  });
});
