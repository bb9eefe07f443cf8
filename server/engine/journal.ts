import { hash } from 'node:crypto';
import type { JournalEntry } from './types.js';

/**
 * The tamper-evident journal. Each entry's hash covers its content and the previous entry's
 * hash, so editing, deleting, inserting or reordering any row breaks the chain at that row.
 * Sequence numbers are dense (1, 2, 3 …), which is what lets a gap or a swap be located.
 */

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth and Dates as ISO strings: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}

export type JournalContent = Omit<JournalEntry, 'hash' | 'prevHash'>;

export function hashEntry(content: JournalContent, prevHash: string): string {
  // The one-shot hash: verification runs this once per entry, and a Hash object per call costs more than the digest.
  return hash('sha256', `${prevHash}\n${entryBody(content)}`, 'hex');
}

/**
 * The canonical text of an entry: exactly canonicalJson of its ten fields, written out in key
 * order by hand because verification runs it once per entry and the generic encoder's sorting
 * would cost more than the hash itself (a property test holds the two equal). Its parts skip
 * JSON.stringify where the answer is known without it: a call costs about as much as the hash.
 */
export function entryBody(c: JournalContent): string {
  return `{"action":${str(c.action)},"actorId":${str(c.actorId)},"actorKind":${str(c.actorKind)},"actorRole":${str(c.actorRole)},"at":"${isoTime(c.at)}","entityId":${str(c.entityId)},"entityType":${str(c.entityType)},"payload":${JSON.stringify(c.payload)},"reason":${c.reason === null || c.reason === undefined ? 'null' : str(c.reason)},"seq":${Number.isSafeInteger(c.seq) ? String(c.seq) : JSON.stringify(c.seq)}}`;
}

/** What JSON.stringify escapes: quotes, backslashes, control characters and lone surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function str(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/** Date.prototype.toISOString for years 0–9999, built from its fields (about four times faster). */
function isoTime(d: Date): string {
  const y = d.getUTCFullYear();
  if (!(y >= 1000 && y <= 9999)) return d.toISOString();
  return `${y}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${three(d.getUTCMilliseconds())}Z`;
}

/** The same text through the generic encoder: the definition entryBody must match. */
export function entryBodyCanonical(c: JournalContent): string {
  return canonicalJson({
    seq: c.seq, at: c.at, actorKind: c.actorKind, actorId: c.actorId, actorRole: c.actorRole, action: c.action,
    entityType: c.entityType, entityId: c.entityId, reason: c.reason, payload: c.payload,
  });
}

export function chain(prev: Pick<JournalEntry, 'seq' | 'hash'> | null, contents: readonly JournalContent[]): JournalEntry[] {
  let prevHash = prev?.hash ?? GENESIS_HASH;
  let seq = prev?.seq ?? 0;
  return contents.map((c) => {
    seq += 1;
    const content = { ...c, seq };
    const hash = hashEntry(content, prevHash);
    const entry: JournalEntry = { ...content, prevHash, hash };
    prevHash = hash;
    return entry;
  });
}

export type VerifyProblem = 'hash_mismatch' | 'broken_link' | 'sequence_gap';

export type VerifyResult =
  | { ok: true; checked: number; lastSeq: number; lastHash: string }
  | { ok: false; checked: number; firstBad: { seq: number; problem: VerifyProblem; detail: string } };

/**
 * Checks entries in sequence order. `from` is the entry just before the range (null for the
 * start of the journal), which is how a range or an export is verified on its own.
 */
export async function verifyChain(
  entries: AsyncIterable<JournalEntry> | Iterable<JournalEntry>,
  from: Pick<JournalEntry, 'seq' | 'hash'> | null = null,
  onProgress?: (checked: number) => void,
): Promise<VerifyResult> {
  let prevHash = from?.hash ?? GENESIS_HASH;
  let expectedSeq = (from?.seq ?? 0) + 1;
  let checked = 0;
  for await (const e of entries) {
    if (e.seq !== expectedSeq) {
      return { ok: false, checked, firstBad: { seq: e.seq, problem: 'sequence_gap', detail: `expected entry ${expectedSeq}, found ${e.seq}` } };
    }
    if (e.prevHash !== prevHash) {
      return { ok: false, checked, firstBad: { seq: e.seq, problem: 'broken_link', detail: 'its previous-hash does not match the entry before it' } };
    }
    if (hashEntry(e, e.prevHash) !== e.hash) {
      return { ok: false, checked, firstBad: { seq: e.seq, problem: 'hash_mismatch', detail: 'its content does not match its hash' } };
    }
    prevHash = e.hash;
    expectedSeq += 1;
    checked += 1;
    if (onProgress && checked % 10_000 === 0) onProgress(checked);
  }
  return { ok: true, checked, lastSeq: expectedSeq - 1, lastHash: prevHash };
}
