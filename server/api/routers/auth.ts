import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { SESSION_HOURS } from '../../auth/sessions.js';
import { operatorProcedure, publicProcedure, router } from '../trpc.js';

const COOKIE = 'escrow_session';

export const authRouter = router({
  signIn: publicProcedure
    .input(z.object({ email: z.string().trim().min(3).max(200), password: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const { token, session } = await ctx.services.auth.signIn(input.email, input.password);
      ctx.setCookie?.(`${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_HOURS * 3600}`);
      return { token, operator: session.operator, expiresAt: session.expiresAt };
    }),
  signOut: operatorProcedure.mutation(async ({ ctx }) => {
    if (ctx.token) await ctx.services.auth.signOut(ctx.token, ctx.session);
    ctx.setCookie?.(`${COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    return { ok: true };
  }),
  /** True only on an empty database: the console then offers to create the first admin. */
  needsBootstrap: publicProcedure.query(async ({ ctx }) => (await ctx.services.db.operator.count()) === 0),
  bootstrap: publicProcedure
    .input(z.object({ email: z.string().trim().email().max(200), password: z.string().min(12).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const created = await ctx.services.auth.bootstrapAdmin(input.email, input.password);
      if (!created) throw new TRPCError({ code: 'FORBIDDEN', message: 'this console already has operators; sign in instead' });
      const { token, session } = await ctx.services.auth.signIn(input.email, input.password);
      ctx.setCookie?.(`${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_HOURS * 3600}`);
      return { token, operator: session.operator, expiresAt: session.expiresAt };
    }),
  me: publicProcedure.query(({ ctx }) => (ctx.session ? { operator: ctx.session.operator, expiresAt: ctx.session.expiresAt } : null)),
  changePassword: operatorProcedure
    .input(z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(12).max(200) }))
    .mutation(async ({ ctx, input }) => {
      // Re-checking the current password stops a borrowed, unlocked console from taking the account.
      await ctx.services.auth.signIn(ctx.session.operator.email, input.currentPassword);
      await ctx.services.auth.setPassword(ctx.session.actor, ctx.session.actor.id, input.newPassword);
      return { ok: true };
    }),
});

export const SESSION_COOKIE = COOKIE;
