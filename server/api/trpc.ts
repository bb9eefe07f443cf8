import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError, z } from 'zod';
import type { MarketplaceCaller, SignedIn } from '../auth/sessions.js';
import { EngineError, isEngineError, type ErrorCode } from '../engine/errors.js';
import type { OperatorRole } from '../engine/types.js';
import type { Services } from '../app/services.js';

/**
 * The router's building blocks: a context carrying the services and who is calling, and a few
 * base procedures (public, signed-in operator by role, marketplace backend by API key).
 */

export type Context = {
  services: Services;
  /** The session token, when the caller sent one (cookie, header or IPC). */
  token: string | undefined;
  session: SignedIn | null;
  marketplace: MarketplaceCaller | null;
  /** Lets sign-in and sign-out set the browser's session cookie; absent over IPC. */
  setCookie?: (value: string) => void;
};

const HTTP_CODE: Partial<Record<ErrorCode, TRPCError['code']>> = {
  VALIDATION: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  IDEMPOTENCY_KEY_REUSED: 'CONFLICT',
  ALREADY_EXISTS: 'CONFLICT',
  ONLY_CLIENT: 'FORBIDDEN',
  ONLY_FREELANCER: 'FORBIDDEN',
  ONLY_PARTY: 'FORBIDDEN',
  ONLY_STAFF: 'FORBIDDEN',
  ONLY_ADMIN: 'FORBIDDEN',
  ONLY_MEDIATOR: 'FORBIDDEN',
  ONLY_FILER: 'FORBIDDEN',
  ONLY_RESPONDENT: 'FORBIDDEN',
  NOT_PERMITTED: 'FORBIDDEN',
  // Not the caller's fault, yet not a crash either: the console names the cause from engineCode.
  // (tRPC's SERVICE_UNAVAILABLE shares INTERNAL_SERVER_ERROR's JSON-RPC number, so clients could not tell them apart.)
  STORAGE_FULL: 'PRECONDITION_FAILED',
  STORAGE_READ_ONLY: 'PRECONDITION_FAILED',
  STORAGE_FAILED: 'PRECONDITION_FAILED',
};

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const engineCode = isEngineError(cause) ? cause.code : error.code === 'UNAUTHORIZED' ? 'UNAUTHENTICATED' : cause instanceof ZodError ? 'VALIDATION' : null;
    return {
      ...shape,
      // Never leak internals: an unexpected error is reported by its code only.
      message: error.code === 'INTERNAL_SERVER_ERROR' && !isEngineError(cause) ? 'something went wrong on the server; nothing was changed' : shape.message,
      data: {
        ...shape.data,
        stack: undefined,
        engineCode,
        details: isEngineError(cause) ? cause.details ?? null : null,
        issues: cause instanceof ZodError ? cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : null,
      },
    };
  },
});

/** Turns the engine's refusals into tRPC errors that keep the engine's stable code. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isEngineError(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: HTTP_CODE[cause.code] ?? 'UNPROCESSABLE_CONTENT', message: cause.message, cause });
  }
  return result;
});

/** True when a string anywhere in the input (values or keys, to a sane depth) holds a NUL character. */
function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => containsNul(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v, depth + 1));
}

/**
 * NUL has no place in any text here, and PostgreSQL cannot store it (it fails the whole
 * statement): refuse it at the door, for every procedure, as the invalid input it is.
 */
const refuseNul = t.middleware(async ({ getRawInput, next }) => {
  if (containsNul(await getRawInput())) throw new EngineError('VALIDATION', 'text may not contain the NUL character (U+0000)');
  return next();
});

export const router = t.router;
export const publicProcedure = t.procedure.use(mapErrors).use(refuseNul);

export const operatorProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in to continue; your session may have expired' });
  return next({ ctx: { ...ctx, session: ctx.session, actor: ctx.session.actor } });
});

/** A procedure for some roles only: the router refuses everyone else, whatever the screen shows. */
export function roleProcedure(...roles: OperatorRole[]) {
  return operatorProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.session.actor.role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `this needs the ${roles.join(' or ')} role; you are signed in as ${ctx.session.actor.role}` });
    }
    return next();
  });
}

/** Every console role may read; compliance reviewers only ever read. */
export const readProcedure = roleProcedure('mediator', 'compliance', 'admin', 'staff');

/**
 * The marketplace's own backend, by API key, acting for one of its users named in `actAs`:
 * a key can never act for a user of another marketplace.
 */
export const marketplaceProcedure = publicProcedure
  .input(z.object({ actAs: z.string().min(1).max(64) }))
  .use(async ({ ctx, input, next }) => {
    if (!ctx.marketplace) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'a valid API key is required' });
    const user = await ctx.services.db.user.findUnique({ where: { id: input.actAs }, select: { marketplaceId: true } });
    if (!user || user.marketplaceId !== ctx.marketplace.marketplaceId) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'this API key cannot act for that user' });
    }
    return next({ ctx: { ...ctx, marketplace: ctx.marketplace, actor: { kind: 'user' as const, id: input.actAs } } });
  });

export const id = z.string().min(1).max(64);
export const amountMinor = z.number().int().nonnegative().max(1_000_000_000_000_000);
export const positiveMinor = amountMinor.min(1);
export const currency = z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO currency code');
export const reason = z.string().trim().min(1).max(2000);
export const cursor = z.string().max(512).nullish();
export const limit = z.number().int().min(1).max(200).optional();
export const idempotencyKey = z.string().min(8).max(128).optional();
