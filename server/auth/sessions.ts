import type { Engine } from '../engine/engine.js';
import { EngineError } from '../engine/errors.js';
import { SYSTEM, type Actor, type Operator, type OperatorRole } from '../engine/types.js';
import type { Db } from '../store/database.js';
import { asBoolean, asDate, PrismaReader, Statement, type SqlReader } from '../store/sql-reader.js';
import { hashPassword, newSecret, passwordProblem, sha256, verifyPassword } from './secrets.js';

export const SESSION_HOURS = 12;
const IDLE_MINUTES = 60;
/**
 * How long a session read from the database is trusted before it is read again. Sign-out,
 * password changes and an admin's disabling or demotion drop it at once in every process (see
 * `forget`); this bounds how long a revocation whose news was lost (a dropped LISTEN connection,
 * or a command-line tool writing the embedded file) can go unseen.
 */
const SESSION_CACHE_MS = 5_000;
const SESSION_CACHE_MAX = 10_000;
/** Journal actions after which an operator's sessions may have ended or lost powers. */
export const SESSION_REVOKING_ACTIONS: ReadonlySet<string> = new Set(['auth.sign_out', 'operator.update', 'operator.change_password', 'operator.reset_password']);

type SessionRow = { operator: { id: string; email: string; name: string; role: string; languages: string }; disabled: boolean; expiresAt: Date; lastSeenAt: Date };

export type SignedIn = { operator: Pick<Operator, 'id' | 'email' | 'name' | 'role' | 'languages'>; actor: Actor & { kind: 'operator' }; expiresAt: Date };
export type MarketplaceCaller = { apiKeyId: string; marketplaceId: string };

/**
 * Sign-in, sessions and API keys. Sessions expire after SESSION_HOURS, or after an hour without
 * use; a locked account refuses even the right password until its lock ends.
 */
export class Auth {
  /** Sessions read lately, by token hash: on PostgreSQL the lookup was a round trip before every request. */
  private readonly sessions = new Map<string, { row: SessionRow; readAt: number }>();
  /** Operators whose sessions changed lately (performance.now()): theirs are read afresh, not kept, for a while. */
  private readonly revoked = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
    private readonly clock: () => Date = () => new Date(),
    private readonly reader: SqlReader = new PrismaReader(db),
  ) {}

  async signIn(email: string, password: string): Promise<{ token: string; session: SignedIn }> {
    const op = await this.db.operator.findUnique({ where: { email: email.trim().toLowerCase() } });
    // Hash even for an unknown email, so response time does not reveal which emails exist.
    const ok = op ? await verifyPassword(password, op.passwordHash) : (await hashPassword(password), false);
    const refuse = () => new EngineError('NOT_PERMITTED', 'wrong email or password, or the account is disabled or locked');
    if (!op || op.disabled) throw refuse();
    const now = this.clock();
    if (op.lockedUntil && op.lockedUntil > now) {
      throw new EngineError('NOT_PERMITTED', `too many failed attempts: try again after ${op.lockedUntil.toISOString()}`, { lockedUntil: op.lockedUntil });
    }
    await this.engine.run('recordSignIn', SYSTEM, { operatorId: op.id, success: ok });
    if (!ok) throw refuse();
    const token = newSecret('ses');
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
    await this.db.session.create({ data: { tokenHash: sha256(token), operatorId: op.id, createdAt: now, expiresAt, lastSeenAt: now } });
    return { token, session: this.toSignedIn(op, expiresAt) };
  }

  /**
   * Runs before every request a console makes: the session and its operator in one statement,
   * then kept for a few seconds (SESSION_CACHE_MS). Expiry, idleness and the once-a-minute touch
   * are checked on every request all the same.
   */
  async resolve(token: string | undefined): Promise<SignedIn | null> {
    if (!token) return null;
    const hash = sha256(token);
    const readAt = performance.now();
    let cached = this.sessions.get(hash);
    if (!cached || readAt - cached.readAt > SESSION_CACHE_MS) {
      this.sessions.delete(hash);
      const row = await this.readSession(hash);
      if (!row) return null;
      cached = { row, readAt };
      // Not kept if the operator's sessions changed since just before the read began: the read may predate the change.
      const changed = this.revoked.get(row.operator.id);
      if (changed === undefined || readAt - changed > SESSION_CACHE_MS) {
        if (this.sessions.size >= SESSION_CACHE_MAX) this.sessions.delete(this.sessions.keys().next().value!);
        this.sessions.set(hash, cached);
      }
    }
    const { row } = cached;
    const now = this.clock();
    if (row.expiresAt <= now || now.getTime() - row.lastSeenAt.getTime() > IDLE_MINUTES * 60_000 || row.disabled) {
      this.sessions.delete(hash);
      return null;
    }
    // Touch at most once a minute: a busy console should not write on every request.
    if (now.getTime() - row.lastSeenAt.getTime() > 60_000) {
      row.lastSeenAt = now;
      // Gone meanwhile (signed out elsewhere, and the news not here yet): then it is not a session.
      const { count } = await this.db.session.updateMany({ where: { tokenHash: hash }, data: { lastSeenAt: now } });
      if (count === 0) {
        this.sessions.delete(hash);
        return null;
      }
    }
    return this.toSignedIn(row.operator, row.expiresAt);
  }

  private async readSession(tokenHash: string): Promise<SessionRow | null> {
    const q = new Statement(this.reader.dialect);
    const [row] = await this.reader.all<Record<string, unknown>>(
      `SELECT s."expiresAt", s."lastSeenAt", o."id", o."email", o."name", o."role", o."languages", o."disabled"
       FROM "Session" s JOIN "Operator" o ON o."id" = s."operatorId" WHERE s."tokenHash" = ${q.param(tokenHash)}`,
      q.params,
    );
    if (!row) return null;
    return {
      operator: { id: row.id as string, email: row.email as string, name: row.name as string, role: row.role as string, languages: row.languages as string },
      disabled: asBoolean(row.disabled),
      expiresAt: asDate(row.expiresAt),
      lastSeenAt: asDate(row.lastSeenAt),
    };
  }

  /**
   * Drops what this process keeps of an operator's sessions, and keeps none for a while: called
   * here after a revocation, and by every process when the change feed tells of one (services.ts).
   */
  forget(operatorId: string): void {
    const now = performance.now();
    this.revoked.set(operatorId, now);
    for (const [hash, cached] of this.sessions) if (cached.row.operator.id === operatorId) this.sessions.delete(hash);
    for (const [id, at] of this.revoked) if (now - at > SESSION_CACHE_MS) this.revoked.delete(id);
  }

  /** Ends every session of an operator (disabled, demoted, or given a new password). */
  async revokeSessions(operatorId: string): Promise<void> {
    await this.db.session.deleteMany({ where: { operatorId } });
    this.forget(operatorId);
  }

  async signOut(token: string, session: SignedIn): Promise<void> {
    await this.db.session.deleteMany({ where: { tokenHash: sha256(token) } });
    this.forget(session.actor.id);
    await this.engine.run('recordSignOut', session.actor, {});
  }

  async resolveApiKey(key: string | undefined): Promise<MarketplaceCaller | null> {
    if (!key) return null;
    const row = await this.db.apiKey.findUnique({ where: { keyHash: sha256(key) } });
    if (!row || row.revokedAt) return null;
    return { apiKeyId: row.id, marketplaceId: row.marketplaceId };
  }

  /** Creates an operator from a plain password; the password is hashed here and never stored or logged. */
  async createOperator(by: Actor, input: { email: string; name: string; role: OperatorRole; password: string; languages?: string[] }) {
    const problem = passwordProblem(input.password);
    if (problem) throw new EngineError('VALIDATION', problem);
    const { password, ...rest } = input;
    return this.engine.run('createOperator', by, { ...rest, passwordHash: await hashPassword(password) });
  }

  async setPassword(by: Actor, operatorId: string, password: string) {
    const problem = passwordProblem(password);
    if (problem) throw new EngineError('VALIDATION', problem);
    await this.revokeSessions(operatorId);
    return this.engine.run('setOperatorPassword', by, { operatorId, passwordHash: await hashPassword(password) });
  }

  /** Returns the key itself once; only its hash is kept. */
  async createApiKey(by: Actor, marketplaceId: string, name: string): Promise<{ apiKeyId: string; key: string }> {
    const key = newSecret('esk');
    const { apiKeyId } = await this.engine.run('createApiKey', by, { marketplaceId, name, prefix: key.slice(0, 12), keyHash: sha256(key) });
    return { apiKeyId, key };
  }

  /** On an empty database, the first start creates the first admin. */
  async bootstrapAdmin(email: string, password: string): Promise<boolean> {
    if ((await this.db.operator.count()) > 0) return false;
    await this.createOperator(SYSTEM, { email, name: 'Administrator', role: 'admin', password });
    return true;
  }

  private toSignedIn(op: Pick<Operator, 'id' | 'email' | 'name' | 'languages'> & { role: string }, expiresAt: Date): SignedIn {
    const role = op.role as OperatorRole;
    return { operator: { id: op.id, email: op.email, name: op.name, role, languages: op.languages }, actor: { kind: 'operator', id: op.id, role }, expiresAt };
  }
}
