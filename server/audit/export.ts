import type { JournalEntry } from '../engine/types.js';

/**
 * Journal exports that prove themselves: every entry with its previous hash and hash, and a
 * header naming the anchor (the entry just before the range) and the last hash, so a reviewer
 * can check an export with the standalone verifier, without the database, and compare its
 * anchor and last hash with figures published elsewhere.
 */

export const EXPORT_KIND = 'escrow-journal-export/1';

export type ExportHeader = {
  kind: typeof EXPORT_KIND;
  fromSeq: number;
  toSeq: number;
  count: number;
  anchor: { seq: number; hash: string } | null;
  lastHash: string | null;
  exportedAt: string;
};

const COLUMNS = ['seq', 'at', 'actorKind', 'actorId', 'actorRole', 'action', 'entityType', 'entityId', 'reason', 'payload', 'prevHash', 'hash'] as const;

export function jsonLine(e: JournalEntry): string {
  return JSON.stringify({ ...e, at: e.at.toISOString() });
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(header: ExportHeader): string {
  // The header travels as the first line, a comment the verifier reads and spreadsheets show.
  return `# ${JSON.stringify(header)}\n${COLUMNS.join(',')}\n`;
}

export function csvLine(e: JournalEntry): string {
  return `${COLUMNS.map((c) => csvCell(e[c])).join(',')}\n`;
}

/** Parses CSV records, honouring quotes that may span lines. */
export function* parseCsv(text: string): Generator<string[]> {
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\n') { row.push(cell); yield row; row = []; cell = ''; }
    else if (ch !== '\r') cell += ch;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); yield row; }
}

export function entryFromCsv(cells: string[]): JournalEntry {
  const v = Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i] ?? ''])) as Record<(typeof COLUMNS)[number], string>;
  return { ...v, seq: Number(v.seq), at: new Date(v.at), reason: v.reason === '' ? null : v.reason, actorKind: v.actorKind as JournalEntry['actorKind'] };
}

export function entryFromJson(line: string): JournalEntry {
  const raw = JSON.parse(line) as Omit<JournalEntry, 'at'> & { at: string };
  return { ...raw, at: new Date(raw.at) };
}
