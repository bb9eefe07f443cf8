import type { CommandContext } from '../context.js';
import { fail } from '../errors.js';
import type { Operator, OperatorRole } from '../types.js';
import { LIMITS, text } from '../validate.js';

/**
 * Console accounts and marketplace API keys. Secrets arrive already hashed (the engine never
 * sees a password or a key); every change is journaled with who made it.
 */

export const OPERATOR_ROLES: readonly OperatorRole[] = ['mediator', 'compliance', 'admin', 'staff'];
const LANGUAGES = ['en', 'es', 'pt'];

function requireAdmin(ctx: CommandContext, what: string): string {
  if (ctx.actor.kind === 'operator' && ctx.actor.role === 'admin') return 'admin';
  return fail('ONLY_ADMIN', `only an admin can ${what}`);
}

function role(value: string): OperatorRole {
  if (!OPERATOR_ROLES.includes(value as OperatorRole)) fail('VALIDATION', `role must be one of ${OPERATOR_ROLES.join(', ')}`);
  return value as OperatorRole;
}

function languages(values: readonly string[]): string {
  if (values.length === 0 || values.some((l) => !LANGUAGES.includes(l))) fail('VALIDATION', `languages must be some of ${LANGUAGES.join(', ')}`);
  return [...new Set(values)].join(',');
}

function hash(value: string): string {
  if (!/^[A-Za-z0-9$+/=.:_-]{20,512}$/.test(value)) fail('VALIDATION', 'a secret must be stored hashed');
  return value;
}

/**
 * Creates a console account. The very first one, on an empty database, is created by the
 * system at first start and must be an admin; after that only admins create operators.
 */
export async function createOperator(ctx: CommandContext, input: { email: string; name: string; role: string; passwordHash: string; languages?: string[] }) {
  let actorRole: string;
  if (ctx.actor.kind === 'system') {
    const existing = await ctx.tx.find('operator', {}, { take: 1 });
    if (existing.length > 0) fail('NOT_PERMITTED', 'the system creates only the first admin; ask an admin');
    if (input.role !== 'admin') fail('VALIDATION', 'the first operator must be an admin');
    actorRole = 'system';
  } else {
    actorRole = requireAdmin(ctx, 'create operators');
  }
  const email = text(input.email, LIMITS.name, 'email').toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) fail('VALIDATION', 'email must look like name@example.com');
  const taken = await ctx.tx.find('operator', { email }, { take: 1 });
  if (taken.length > 0) fail('ALREADY_EXISTS', `an operator with the email ${email} already exists`);
  const op: Operator = {
    id: ctx.id('op'), email, name: text(input.name, LIMITS.name, 'name'), role: role(input.role), passwordHash: hash(input.passwordHash),
    disabled: false, languages: languages(input.languages ?? ['en']), failedSignIns: 0, lockedUntil: null, createdAt: ctx.now, version: 0,
  };
  await ctx.tx.insert('operator', [op]);
  ctx.note({ action: 'operator.create', entityType: 'operator', entityId: op.id, role: actorRole, payload: { email, role: op.role } });
  return { operatorId: op.id };
}

export async function updateOperator(ctx: CommandContext, input: { operatorId: string; role?: string; disabled?: boolean; name?: string; languages?: string[] }) {
  const actorRole = requireAdmin(ctx, 'change operators');
  const op = await ctx.load('operator', input.operatorId, 'operator');
  if (op.id === ctx.actor.id && (input.disabled === true || (input.role !== undefined && input.role !== 'admin'))) {
    fail('NOT_PERMITTED', 'you cannot disable yourself or remove your own admin role; ask another admin');
  }
  const patch: Partial<Operator> = {
    ...(input.role !== undefined ? { role: role(input.role) } : {}),
    ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
    ...(input.name !== undefined ? { name: text(input.name, LIMITS.name, 'name') } : {}),
    ...(input.languages !== undefined ? { languages: languages(input.languages) } : {}),
  };
  await ctx.tx.update('operator', op.id, op.version, patch);
  ctx.note({ action: 'operator.update', entityType: 'operator', entityId: op.id, role: actorRole, payload: { before: { role: op.role, disabled: op.disabled }, change: patch } });
  return { operatorId: op.id };
}

/** An admin resets anyone's password; an operator may change their own. */
export async function setOperatorPassword(ctx: CommandContext, input: { operatorId: string; passwordHash: string }) {
  const self = ctx.actor.kind === 'operator' && ctx.actor.id === input.operatorId;
  const actorRole = self ? (ctx.actor as { role: string }).role : requireAdmin(ctx, 'reset another operator’s password');
  const op = await ctx.load('operator', input.operatorId, 'operator');
  await ctx.tx.update('operator', op.id, op.version, { passwordHash: hash(input.passwordHash), failedSignIns: 0, lockedUntil: null });
  ctx.note({ action: self ? 'operator.change_password' : 'operator.reset_password', entityType: 'operator', entityId: op.id, role: actorRole });
  return { operatorId: op.id };
}

export async function createApiKey(ctx: CommandContext, input: { marketplaceId: string; name: string; prefix: string; keyHash: string }) {
  const actorRole = requireAdmin(ctx, 'create API keys');
  await ctx.load('marketplace', input.marketplaceId, 'marketplace');
  const id = ctx.id('key');
  await ctx.tx.insert('apiKey', [{ id, marketplaceId: input.marketplaceId, name: text(input.name, LIMITS.name, 'name'), prefix: text(input.prefix, 16, 'prefix'), keyHash: hash(input.keyHash), createdAt: ctx.now, revokedAt: null, version: 0 }]);
  ctx.note({ action: 'api_key.create', entityType: 'api_key', entityId: id, role: actorRole, payload: { marketplaceId: input.marketplaceId, prefix: input.prefix } });
  return { apiKeyId: id };
}

export async function revokeApiKey(ctx: CommandContext, input: { apiKeyId: string }) {
  const actorRole = requireAdmin(ctx, 'revoke API keys');
  const key = await ctx.load('apiKey', input.apiKeyId, 'API key');
  if (key.revokedAt !== null) fail('INVALID_STATE', 'this API key is already revoked');
  await ctx.tx.update('apiKey', key.id, key.version, { revokedAt: ctx.now });
  ctx.note({ action: 'api_key.revoke', entityType: 'api_key', entityId: key.id, role: actorRole });
  return { apiKeyId: key.id };
}

/**
 * Records a sign-in attempt. Failures count towards a lockout that doubles with each further
 * failure (from 30 seconds after the fifth), so guessing a password takes years, not minutes.
 */
export async function recordSignIn(ctx: CommandContext, input: { operatorId: string; success: boolean }) {
  if (ctx.actor.kind !== 'system') fail('NOT_PERMITTED', 'only the sign-in service records sign-ins');
  const op = await ctx.load('operator', input.operatorId, 'operator');
  const failed = input.success ? 0 : op.failedSignIns + 1;
  const lockSeconds = failed >= 5 ? Math.min(30 * 2 ** (failed - 5), 24 * 3600) : 0;
  const lockedUntil = lockSeconds > 0 ? new Date(ctx.now.getTime() + lockSeconds * 1000) : null;
  await ctx.tx.update('operator', op.id, op.version, { failedSignIns: failed, lockedUntil });
  ctx.note({ action: input.success ? 'auth.sign_in' : 'auth.sign_in_failed', entityType: 'operator', entityId: op.id, role: op.role, payload: { failedSignIns: failed, lockedUntil } });
  return { lockedUntil };
}

export async function recordSignOut(ctx: CommandContext, _input: Record<string, never>) {
  if (ctx.actor.kind !== 'operator') fail('NOT_PERMITTED', 'only a signed-in operator can sign out');
  ctx.note({ action: 'auth.sign_out', entityType: 'operator', entityId: ctx.actor.id, role: ctx.actor.role });
  return { ok: true as const };
}

/** Records that a mediator must never be routed cases involving a user (a relative, a former client). */
export async function recordConflict(ctx: CommandContext, input: { operatorId: string; userId: string; reason: string }) {
  const actorRole = requireAdmin(ctx, 'record conflicts of interest');
  await ctx.load('operator', input.operatorId, 'operator');
  await ctx.load('user', input.userId, 'user');
  const existing = await ctx.tx.find('operatorConflict', { operatorId: input.operatorId, userId: input.userId }, { take: 1 });
  if (existing.length > 0) fail('ALREADY_EXISTS', 'this conflict is already recorded');
  const id = ctx.id('cfl');
  await ctx.tx.insert('operatorConflict', [{ id, operatorId: input.operatorId, userId: input.userId, reason: text(input.reason, LIMITS.reason, 'reason'), createdAt: ctx.now }]);
  ctx.note({ action: 'operator.conflict', entityType: 'operator', entityId: input.operatorId, role: actorRole, reason: input.reason, payload: { userId: input.userId } });
  return { conflictId: id };
}

/** Exports are reads, but a reviewer's export of the journal or of payments is itself on the record. */
export async function recordExport(ctx: CommandContext, input: { what: string; filter: Record<string, unknown> }) {
  if (ctx.actor.kind !== 'operator') fail('NOT_PERMITTED', 'only an operator exports');
  ctx.note({ action: 'audit.export', entityType: 'export', entityId: text(input.what, 64, 'what'), role: ctx.actor.role, payload: { filter: input.filter } });
  return { ok: true as const };
}

/**
 * An installation-wide setting changed (today: the SMTP server for email). The value itself is
 * written by the caller; the journal records who changed it, why, and what it now is in words a
 * reader may see, never a secret.
 */
/**
 * Sets the mail server in the same transaction as its journal entry. The URL may hold a
 * password: it is stored, never journaled; the journal keeps whether one is set and its host.
 */
export async function recordSettingChange(ctx: CommandContext, input: { key: 'mail.smtp_url'; reason: string; value: string | null }) {
  const actorRole = requireAdmin(ctx, 'change the installation’s settings');
  if (input.key !== 'mail.smtp_url') fail('VALIDATION', 'unknown setting');
  let host: string | null = null;
  if (input.value !== null) {
    let url: URL;
    try {
      url = new URL(input.value);
    } catch {
      return fail('VALIDATION', 'the mail server must be a URL like smtp://user:password@host:587');
    }
    if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) fail('VALIDATION', 'the mail server must be an smtp:// or smtps:// URL with a host');
    host = text(url.port ? `${url.hostname}:${url.port}` : url.hostname, 255, 'host');
  }
  const reason = text(input.reason, LIMITS.reason, 'reason');
  await ctx.tx.putAppSetting(input.key, input.value, ctx.now);
  ctx.note({ action: 'settings.mail', entityType: 'app_setting', entityId: input.key, role: actorRole, reason, payload: { configured: input.value !== null, host } });
  return { configured: input.value !== null, host };
}
