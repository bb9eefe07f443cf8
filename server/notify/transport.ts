import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { sqlitePath, type Db } from '../store/database.js';
import { databaseKind } from '../store/open.js';

/**
 * Where emails go. With SMTP configured, to that server; without (the embedded default), each
 * message is written as an .eml file, named by its notification, so that nothing is lost and a
 * person can open it in any mail program.
 *
 * Settings, most specific first:
 *   1. the caller's options (server/cli/serve.ts and server/cli/dispatch.ts pass the environment:
 *      ESCROW_SMTP_URL, ESCROW_MAIL_FROM, ESCROW_MAIL_DIR);
 *   2. the AppSetting rows `mail.smtp_url` and `mail.from` (the admin screen will write these);
 *   3. no SMTP: .eml files in the mail folder (default: the data folder + /outbox-mail).
 * An SMTP URL is smtp://user:password@host:port (STARTTLS when offered) or smtps://… (TLS from
 * the start); user and password are URL-encoded.
 */

export type OutgoingMail = { notificationId: string; messageId: string; from: string; to: string; subject: string; text: string; html: string };

export interface MailTransport {
  readonly description: string;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export const DEFAULT_FROM = 'Escrow Console <no-reply@escrow-console.invalid>';

export const SETTING_SMTP_URL = 'mail.smtp_url';
export const SETTING_FROM = 'mail.from';

export type MailSettings = { smtpUrl: string | null; from: string; mailDir: string };

export async function mailSettings(db: Db, options: { smtpUrl?: string | null; from?: string | null; mailDir: string }): Promise<MailSettings> {
  const rows = await db.appSetting.findMany({ where: { key: { in: [SETTING_SMTP_URL, SETTING_FROM] } } });
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  return {
    smtpUrl: options.smtpUrl || stored.get(SETTING_SMTP_URL) || null,
    from: options.from || stored.get(SETTING_FROM) || DEFAULT_FROM,
    mailDir: options.mailDir,
  };
}

function message(mail: OutgoingMail) {
  // The Message-ID is the notification's, not a fresh one: a message sent again after a crash
  // is recognisably the same message to the receiving side.
  return { from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId };
}

/** Bounds on every wait, so one unresponsive server cannot hold a batch past its lease. */
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

export function smtpTransport(url: string): MailTransport {
  const u = new URL(url);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`the SMTP URL must start with smtp:// or smtps://, not ${u.protocol}//`);
  const secure = u.protocol === 'smtps:';
  const transporter = nodemailer.createTransport({
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
    ...SMTP_TIMEOUTS,
  });
  return {
    // Never the password: this string goes to logs.
    description: `SMTP ${u.hostname}:${u.port || (secure ? 465 : 587)}`,
    send: async (mail) => {
      await transporter.sendMail(message(mail));
    },
    close: () => transporter.close(),
  };
}

export function emlTransport(dir: string): MailTransport {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    description: `.eml files in ${dir}`,
    send: async (mail) => {
      const info = await builder.sendMail(message(mail));
      await fs.mkdir(dir, { recursive: true });
      const file = path.join(dir, `${mail.notificationId}.eml`);
      // Written whole or not at all: a reader never sees half a message, and a resend replaces it.
      const partial = `${file}.${process.pid}.tmp`;
      await fs.writeFile(partial, info.message as Buffer);
      await fs.rename(partial, file);
    },
    close: () => undefined,
  };
}

export function transportFor(settings: MailSettings): MailTransport {
  return settings.smtpUrl ? smtpTransport(settings.smtpUrl) : emlTransport(settings.mailDir);
}

/** The embedded default: beside the SQLite file; for PostgreSQL, in the given data folder. */
export function defaultMailDir(databaseUrl: string, dataDir: string): string {
  const base = databaseKind(databaseUrl) === 'sqlite' ? path.dirname(path.resolve(sqlitePath(databaseUrl))) : dataDir;
  return path.join(base, 'outbox-mail');
}
