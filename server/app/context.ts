import type { IncomingMessage } from 'node:http';
import type { Context } from '../api/trpc.js';
import { SESSION_COOKIE } from '../api/routers/auth.js';
import type { Services } from './services.js';

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=') || undefined;
  }
  return undefined;
}

/** Who is calling over HTTP: a console by session (cookie or bearer token), or a marketplace backend by API key. */
export async function httpContext(services: Services, req: IncomingMessage, setCookie: (value: string) => void): Promise<Context> {
  const bearer = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const token = bearer ?? cookie(req.headers.cookie, SESSION_COOKIE);
  const apiKey = typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'] : undefined;
  const [session, marketplace] = await Promise.all([services.auth.resolve(token), services.auth.resolveApiKey(apiKey)]);
  return { services, token, session, marketplace, setCookie };
}
