import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { parseSettings } from '../../engine/settings.js';
import { SYSTEM } from '../../engine/types.js';
import { SETTING_SMTP_URL } from '../../notify/transport.js';
import { backupSqlite } from '../../store/backup.js';
import { staffCancellations } from '../../store/queries.js';
import { cursor, id, limit, reason, roleProcedure, router } from '../trpc.js';

const adminProcedure = roleProcedure('admin');
const role = z.enum(['mediator', 'compliance', 'admin', 'staff']);
const languages = z.array(z.enum(['en', 'es', 'pt'])).min(1).max(3);

const settingsPatch = z.object({
  milestoneCreator: z.enum(['freelancer', 'client']).optional(),
  clientOptions: z.object({
    skipFreelancerApproval: z.boolean().optional(),
    allowDeleteBeforePaid: z.boolean().optional(),
    takePaymentOnFreelancerApproval: z.boolean().optional(),
  }).strict().optional(),
  commissionBps: z.number().int().min(0).max(5000).optional(),
  arbitrationFee: z.object({ bps: z.number().int().min(0).max(5000).optional(), minimumMinor: z.number().int().min(0).optional() }).strict().optional(),
  respondDays: z.object({ freelancer: z.number().int().min(0).max(365).optional(), client: z.number().int().min(0).max(365).optional() }).strict().optional(),
  arbitrationPayDays: z.number().int().min(0).max(365).optional(),
  autoReleaseDays: z.number().int().min(0).max(365).optional(),
  hourlyReviewDays: z.number().int().min(0).max(365).optional(),
  smallClaimsLimitMinor: z.number().int().min(0).optional(),
  staffCancelApprovalAboveMinor: z.number().int().min(0).optional(),
  splitApprovalAboveMinor: z.number().int().min(0).optional(),
}).strict();

/** An SMTP URL as the dispatcher reads it: smtp://user:password@host:port or smtps://…, with a host. */
const smtpUrl = z.string().trim().min(1).max(2000).refine((value) => {
  try {
    const u = new URL(value);
    return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '';
  } catch {
    return false;
  }
}, { message: 'the SMTP URL must look like smtp://user:password@host:port or smtps://user:password@host:port' });

/** Where mail goes, in words safe to show and to journal: host and port, never user or password. */
function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.port ? `${u.hostname}:${u.port}` : u.hostname;
  } catch {
    return null;
  }
}

export const adminRouter = router({
  marketplaces: roleProcedure('admin', 'compliance', 'mediator', 'staff').query(async ({ ctx }) => {
    const rows = await ctx.services.db.marketplace.findMany({ orderBy: { createdAt: 'asc' }, take: 100 });
    return rows.map((m) => ({ id: m.id, name: m.name, settings: parseSettings(m.settingsJson) }));
  }),
  updateSettings: adminProcedure
    .input(z.object({ marketplaceId: id, patch: settingsPatch, reason }))
    .mutation(({ ctx, input }) => ctx.services.engine.run('updateSettings', ctx.actor, input)),

  operators: roleProcedure('admin').query(async ({ ctx }) =>
    ctx.services.db.operator.findMany({ orderBy: { createdAt: 'asc' }, select: { id: true, email: true, name: true, role: true, disabled: true, languages: true, lockedUntil: true, createdAt: true } })),
  createOperator: adminProcedure
    .input(z.object({ email: z.string().trim().email().max(200), name: z.string().trim().min(1).max(120), role, password: z.string().min(12).max(200), languages: languages.optional() }))
    .mutation(({ ctx, input }) => ctx.services.auth.createOperator(ctx.actor, input)),
  updateOperator: adminProcedure
    .input(z.object({ operatorId: id, role: role.optional(), disabled: z.boolean().optional(), name: z.string().trim().min(1).max(120).optional(), languages: languages.optional() }))
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.services.engine.run('updateOperator', ctx.actor, input);
      // A disabled or demoted operator must not keep a session with the old powers.
      if (input.disabled || input.role) await ctx.services.auth.revokeSessions(input.operatorId);
      return result;
    }),
  resetPassword: adminProcedure
    .input(z.object({ operatorId: id, password: z.string().min(12).max(200) }))
    .mutation(({ ctx, input }) => ctx.services.auth.setPassword(ctx.actor, input.operatorId, input.password)),

  apiKeys: adminProcedure.query(({ ctx }) =>
    ctx.services.db.apiKey.findMany({ orderBy: { createdAt: 'desc' }, select: { id: true, marketplaceId: true, name: true, prefix: true, createdAt: true, revokedAt: true } })),
  /** The key is in this response and nowhere else, ever: only its hash is stored. */
  createApiKey: adminProcedure
    .input(z.object({ marketplaceId: id, name: z.string().trim().min(1).max(120) }))
    .mutation(({ ctx, input }) => ctx.services.auth.createApiKey(ctx.actor, input.marketplaceId, input.name)),
  revokeApiKey: adminProcedure.input(z.object({ apiKeyId: id })).mutation(({ ctx, input }) => ctx.services.engine.run('revokeApiKey', ctx.actor, input)),

  cancellations: roleProcedure('admin', 'compliance', 'staff')
    .input(z.object({ status: z.enum(['pending_approval', 'applied', 'rejected', 'overridden']).optional(), cursor, limit, direction: z.enum(['asc', 'desc']).optional() }))
    .query(({ ctx, input }) => staffCancellations(ctx.services.db, input)),
  decideCancellation: adminProcedure
    .input(z.object({ cancellationId: id, approve: z.boolean(), reason }))
    .mutation(({ ctx, input }) => ctx.services.engine.run('decideStaffCancellation', ctx.actor, input)),
  overrideCancellation: adminProcedure
    .input(z.object({ cancellationId: id, reason }))
    .mutation(({ ctx, input }) => ctx.services.engine.run('overrideStaffCancellation', ctx.actor, input)),

  conflicts: adminProcedure.query(({ ctx }) => ctx.services.db.operatorConflict.findMany({ orderBy: { createdAt: 'desc' }, take: 500 })),
  recordConflict: adminProcedure
    .input(z.object({ operatorId: id, userId: id, reason }))
    .mutation(({ ctx, input }) => ctx.services.engine.run('recordConflict', ctx.actor, input)),

  /**
   * An online, consistent backup of the embedded database into the backups folder next to it,
   * safe while commands run. Restore with `npm run restore -- FILE` (which verifies it first).
   */
  backup: adminProcedure.mutation(async ({ ctx }) => {
    const file = ctx.services.databaseFile;
    if (!file) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'backups here are for the embedded database; back PostgreSQL up with pg_dump' });
    const b = await backupSqlite(file, ctx.services.clock());
    return { path: b.path, sizeBytes: b.sizeBytes, journalLength: b.journalLength, lastSeq: b.lastSeq, lastHash: b.lastHash, takenAt: b.takenAt };
  }),

  /**
   * The SMTP server email goes through, as far as a screen may know it: never the password. The
   * environment's ESCROW_SMTP_URL, when set, wins over the stored setting (server/notify/transport.ts).
   */
  mailSettings: adminProcedure.query(async ({ ctx }) => {
    const fromEnvironment = Boolean(process.env.ESCROW_SMTP_URL);
    const stored = await ctx.services.db.appSetting.findUnique({ where: { key: SETTING_SMTP_URL } });
    const effective = fromEnvironment ? process.env.ESCROW_SMTP_URL! : stored?.value || null;
    return { configured: effective !== null, host: hostOf(effective), fromEnvironment };
  }),
  /** Sets (or, with null, clears) the stored SMTP URL, and journals who did it and why, without the secret. */
  updateMailSettings: adminProcedure
    .input(z.object({ smtpUrl: smtpUrl.nullable(), reason }))
    .mutation(async ({ ctx, input }) => {
      // The setting and its journal entry land in one transaction, or neither does.
      return ctx.services.engine.run('recordSettingChange', ctx.actor, { key: SETTING_SMTP_URL, reason: input.reason, value: input.smtpUrl });
    }),

  /** Runs due automatic releases and dispute defaults now, rather than waiting for the scheduler. */
  runTimers: adminProcedure.mutation(({ ctx }) => ctx.services.engine.run('runTimers', SYSTEM, {})),
});
