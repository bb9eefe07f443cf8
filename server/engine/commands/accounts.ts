import type { CommandContext } from '../context.js';
import { fail } from '../errors.js';
import { accounts } from '../ledger.js';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../journal.js';
import { assertCurrency, assertPositive, sum } from '../money.js';
import { DEFAULT_SETTINGS, mergeSettings, type SettingsPatch } from '../settings.js';
import { EMPTY_STATS } from '../reputation.js';
import { LIMITS, text } from '../validate.js';

/** Marketplaces, their settings, users and their money in and out. */

function requireAdminOrSystem(ctx: CommandContext, what: string): string {
  if (ctx.actor.kind === 'system') return 'system';
  if (ctx.actor.kind === 'operator' && ctx.actor.role === 'admin') return 'admin';
  return fail('ONLY_ADMIN', `only an admin can ${what}`);
}

export async function createMarketplace(ctx: CommandContext, input: { name: string; settings?: SettingsPatch }) {
  const role = requireAdminOrSystem(ctx, 'create a marketplace');
  const settings = mergeSettings(DEFAULT_SETTINGS, input.settings ?? {});
  const id = ctx.id('mkt');
  await ctx.tx.insert('marketplace', [{ id, name: text(input.name, LIMITS.name, 'name'), settingsJson: JSON.stringify(settings), createdAt: ctx.now }]);
  ctx.note({ action: 'marketplace.create', entityType: 'marketplace', entityId: id, role, payload: { settings } });
  return { marketplaceId: id };
}

export async function updateSettings(ctx: CommandContext, input: { marketplaceId: string; patch: SettingsPatch; reason: string }) {
  const role = requireAdminOrSystem(ctx, 'change marketplace settings');
  const before = await ctx.settings(input.marketplaceId);
  const after = mergeSettings(before, input.patch);
  await ctx.tx.update('marketplace', input.marketplaceId, null, { settingsJson: JSON.stringify(after) });
  ctx.forgetSettings(input.marketplaceId);
  ctx.note({ action: 'settings.update', entityType: 'marketplace', entityId: input.marketplaceId, role, reason: text(input.reason, LIMITS.reason, 'reason'), payload: { before, after } });
  return { settings: after };
}

export async function registerUser(ctx: CommandContext, input: { marketplaceId: string; name: string; email: string; language?: string; country?: string }) {
  const role = requireAdminOrSystem(ctx, 'register users');
  await ctx.load('marketplace', input.marketplaceId);
  const email = text(input.email, LIMITS.name, 'email');
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) fail('VALIDATION', 'email must look like name@example.com');
  const language = input.language ?? 'en';
  if (!['en', 'es', 'pt'].includes(language)) fail('VALIDATION', 'language must be en, es or pt');
  const id = ctx.id('usr');
  await ctx.tx.insert('user', [
    {
      id,
      marketplaceId: input.marketplaceId,
      name: text(input.name, LIMITS.name, 'name'),
      email,
      language,
      country: text(input.country ?? 'US', 2, 'country'),
      createdAt: ctx.now,
      version: 0,
      ...EMPTY_STATS,
    },
  ]);
  ctx.note({ action: 'user.register', entityType: 'user', entityId: id, role, payload: { marketplaceId: input.marketplaceId } });
  return { userId: id };
}

/** A user, or the payment gateway acting as the system, moves money between the outside world and a wallet. */
async function walletMove(ctx: CommandContext, input: { userId: string; amountMinor: number; currency: string }, direction: 'deposit' | 'withdrawal') {
  if (!(ctx.actor.kind === 'system' || (ctx.actor.kind === 'user' && ctx.actor.id === input.userId))) {
    fail('NOT_PERMITTED', `only the account holder can make a ${direction}`);
  }
  const user = await ctx.load('user', input.userId);
  const currency = assertCurrency(input.currency);
  const amount = assertPositive(input.amountMinor);
  const wallet = accounts.wallet(user.id, currency);
  const external = accounts.external(user.marketplaceId, currency);
  const [from, to] = direction === 'deposit' ? [external, wallet] : [wallet, external];
  await ctx.post(user.marketplaceId, currency, [{ from, to, amountMinor: amount, kind: direction }]);
  ctx.note({ action: `wallet.${direction}`, entityType: 'user', entityId: user.id, role: ctx.actor.kind === 'system' ? 'system' : 'user', payload: { amountMinor: amount, currency } });
  return { balanceMinor: await ctx.tx.balance(wallet) };
}

export function deposit(ctx: CommandContext, input: { userId: string; amountMinor: number; currency: string }) {
  return walletMove(ctx, input, 'deposit');
}

export function withdraw(ctx: CommandContext, input: { userId: string; amountMinor: number; currency: string }) {
  return walletMove(ctx, input, 'withdrawal');
}

/**
 * A payment provider's settlement file, posted as one command: every deposit is its own
 * transfer, balances change once per wallet, and one journal entry carries the count, the total
 * and a hash of the whole list. This is the set-based path for imports.
 */
export async function importDeposits(ctx: CommandContext, input: { marketplaceId: string; currency: string; reference: string; deposits: { userId: string; amountMinor: number }[] }) {
  if (ctx.actor.kind !== 'system') fail('NOT_PERMITTED', 'only the payment provider’s import runs as the system');
  await ctx.load('marketplace', input.marketplaceId);
  const currency = assertCurrency(input.currency);
  const reference = text(input.reference, LIMITS.name, 'reference');
  if (input.deposits.length === 0 || input.deposits.length > LIMITS.importBatch) fail('VALIDATION', `an import holds from 1 to ${LIMITS.importBatch} deposits`);
  const amounts = input.deposits.map((d, i) => assertPositive(d.amountMinor, `deposit ${i + 1}`));
  const ids = [...new Set(input.deposits.map((d) => d.userId))];
  const known = await ctx.tx.find('user', { id: { in: ids }, marketplaceId: input.marketplaceId }, { take: ids.length });
  if (known.length !== ids.length) {
    const found = new Set(known.map((u) => u.id));
    fail('NOT_FOUND', `no user ${ids.find((id) => !found.has(id))} in this marketplace`);
  }
  const external = accounts.external(input.marketplaceId, currency);
  await ctx.post(input.marketplaceId, currency, input.deposits.map((d, i) => ({ from: external, to: accounts.wallet(d.userId, currency), amountMinor: amounts[i]!, kind: 'deposit' as const })));
  const total = sum(amounts);
  const listHash = createHash('sha256').update(canonicalJson(input.deposits)).digest('hex');
  ctx.note({ action: 'wallet.import_deposits', entityType: 'marketplace', entityId: input.marketplaceId, role: 'system', reason: reference, payload: { count: amounts.length, totalMinor: total, currency, listHash } });
  return { count: amounts.length, totalMinor: total };
}
