import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on 127.0.0.1 (random port) for the notification tests, with just enough
 * MIME decoding to read what arrived: the headers, the subject and the plain-text part.
 */

export type ReceivedMail = { rcptTo: string[]; to: string; subject: string; messageId: string; text: string; raw: string };

/** What the server does with each message once it has read it whole. */
export type Behaviour = (index: number) => { accept: true; delayMs?: number } | { accept: false; code: number; message: string };

export type TestSmtp = { url: string; port: number; received: ReceivedMail[]; behaviour: Behaviour; close: () => Promise<void> };

export async function startSmtp(behaviour: Behaviour = () => ({ accept: true })): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  let count = 0;
  const state: TestSmtp = { url: '', port: 0, received, behaviour, close: async () => undefined };
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: no self-signed certificate for the client to reject.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 100,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const decision = state.behaviour(count++);
        if (!decision.accept) {
          const error = Object.assign(new Error(decision.message), { responseCode: decision.code });
          callback(error);
          return;
        }
        // Recorded as soon as the whole message is here: a client killed while waiting for the
        // answer has still delivered it, which is exactly how a duplicate happens in life.
        received.push(parse(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address)));
        if (decision.delayMs) setTimeout(() => callback(), decision.delayMs);
        else callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  state.port = port;
  state.url = `smtp://127.0.0.1:${port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

function headers(block: string): Map<string, string> {
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  const map = new Map<string, string>();
  for (const line of unfolded.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) map.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  return map;
}

function decodeQp(s: string): string {
  const bytes: number[] = [];
  const soft = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words, as nodemailer writes non-ASCII subjects. */
function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_m, enc: string, data: string) =>
      enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQp(data.replace(/_/g, ' ')));
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding?.toLowerCase() === 'quoted-printable') return decodeQp(body);
  if (encoding?.toLowerCase() === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

/** The text/plain part of a message (nodemailer sends text and HTML as multipart/alternative). */
function plainText(raw: string): string {
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  for (const part of parts) {
    const split = part.search(/\r?\n\r?\n/);
    const h = headers(part.slice(0, split));
    if ((h.get('content-type') ?? '').startsWith('text/plain')) return decodeBody(part.slice(split).replace(/^\r?\n\r?\n/, ''), h.get('content-transfer-encoding'));
  }
  return '';
}

export function parse(raw: string, rcptTo: string[]): ReceivedMail {
  const split = raw.search(/\r?\n\r?\n/);
  const h = headers(raw.slice(0, split));
  return { rcptTo, to: h.get('to') ?? '', subject: decodeWords(h.get('subject') ?? ''), messageId: h.get('message-id') ?? '', text: plainText(raw), raw };
}
