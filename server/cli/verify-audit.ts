import fs from 'node:fs';
import { EXPORT_KIND, entryFromCsv, entryFromJson, parseCsv, type ExportHeader } from '../audit/export.js';
import { verifyChain } from '../engine/journal.js';
import type { JournalEntry } from '../engine/types.js';

/**
 * `npm run verify-audit -- FILE [--anchor-hash H] [--last-hash H]`: checks a journal export
 * (.jsonl or .csv) with no database: the chain inside it, its link to the anchor it names, and
 * optionally that the anchor and last hash match figures obtained elsewhere.
 * Exit codes: 0 verified, 1 tampered or inconsistent, 2 unusable input.
 */
function usage(message: string): never {
  console.error(`verify-audit: ${message}\nusage: npm run verify-audit -- FILE [--anchor-hash HASH] [--last-hash HASH]`);
  process.exit(2);
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const file = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
if (!file) usage('name the export file to check');
if (!fs.existsSync(file)) usage(`no file ${file}`);

let header: ExportHeader;
let entries: JournalEntry[];
try {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.csv')) {
    const firstLine = text.slice(0, text.indexOf('\n'));
    if (!firstLine.startsWith('# ')) usage('a CSV export starts with a “# {header}” line');
    header = JSON.parse(firstLine.slice(2)) as ExportHeader;
    const rows = [...parseCsv(text.slice(text.indexOf('\n') + 1))];
    entries = rows.slice(1).filter((r) => r.length > 1).map(entryFromCsv);
  } else {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    header = JSON.parse(lines[0] ?? '{}') as ExportHeader;
    entries = lines.slice(1).map(entryFromJson);
  }
} catch (error) {
  usage(`cannot read ${file}: ${(error as Error).message}`);
}
if (header.kind !== EXPORT_KIND) usage(`not a journal export (kind ${String(header.kind)})`);

const problems: string[] = [];
if (entries.length !== header.count) problems.push(`the header says ${header.count} entries, the file has ${entries.length}`);
const anchorHash = option('--anchor-hash');
if (anchorHash && anchorHash !== (header.anchor?.hash ?? '0'.repeat(64))) problems.push('the anchor hash does not match the one given');
const result = await verifyChain(entries, header.anchor);
if (!result.ok) problems.push(`entry ${result.firstBad.seq}: ${result.firstBad.problem.replace('_', ' ')} (${result.firstBad.detail})`);
else {
  if (header.lastHash && result.checked > 0 && result.lastHash !== header.lastHash) problems.push('the last hash does not match the header');
  const lastHash = option('--last-hash');
  if (lastHash && result.lastHash !== lastHash) problems.push('the last hash does not match the one given');
}

if (problems.length > 0) {
  console.log(`verify-audit: ${file}: NOT VERIFIED`);
  for (const p of problems) console.log(`  - ${p}`);
  process.exit(1);
}
console.log(`verify-audit: ${file}: verified ${entries.length} entries, ${header.fromSeq}–${header.toSeq}; last hash ${result.ok ? result.lastHash : ''}`);
