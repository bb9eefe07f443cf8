import type http from 'node:http';
import PDFDocument from 'pdfkit';
import { csvHeader, csvLine, EXPORT_KIND, jsonLine, type ExportHeader } from '../audit/export.js';
import type { SignedIn } from '../auth/sessions.js';
import type { Services } from '../app/services.js';
import { format } from '../engine/money.js';
import type { OperatorRole } from '../engine/types.js';
import { readJournal } from '../store/journal-reader.js';
import { caseFile, transfers } from '../store/queries.js';

/**
 * Downloads that do not fit a JSON response: journal exports with proof (JSON lines or CSV),
 * payment history as CSV, and a dispute's case report as PDF. Streamed, never built whole.
 */

const REVIEWERS: OperatorRole[] = ['compliance', 'admin'];
const READERS: OperatorRole[] = ['compliance', 'admin', 'mediator'];

function refuse(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
}

function attachment(res: http.ServerResponse, type: string, name: string): void {
  res.writeHead(200, { 'content-type': type, 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' });
}

async function journalExport(services: Services, params: URLSearchParams, res: http.ServerResponse, csv: boolean): Promise<void> {
  const total = await services.db.journalEntry.count();
  const fromSeq = Math.max(1, Number(params.get('fromSeq') ?? 1));
  const toSeq = Math.min(total, Number(params.get('toSeq') ?? total));
  if (!Number.isSafeInteger(fromSeq) || !Number.isSafeInteger(toSeq) || toSeq < fromSeq) return refuse(res, 400, 'fromSeq and toSeq must be whole numbers with fromSeq ≤ toSeq');
  const [anchor, last] = await Promise.all([
    fromSeq > 1 ? services.db.journalEntry.findUnique({ where: { seq: fromSeq - 1 }, select: { seq: true, hash: true } }) : null,
    services.db.journalEntry.findUnique({ where: { seq: toSeq }, select: { hash: true } }),
  ]);
  const header: ExportHeader = { kind: EXPORT_KIND, fromSeq, toSeq, count: toSeq - fromSeq + 1, anchor, lastHash: last?.hash ?? null, exportedAt: new Date().toISOString() };
  attachment(res, csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson', `journal-${fromSeq}-${toSeq}.${csv ? 'csv' : 'jsonl'}`);
  res.write(csv ? csvHeader(header) : `${JSON.stringify(header)}\n`);
  for await (const e of readJournal(services.db, { afterSeq: fromSeq - 1, untilSeq: toSeq })) {
    if (!res.write(csv ? csvLine(e) : `${jsonLine(e)}\n`)) await new Promise((r) => res.once('drain', r));
  }
  res.end();
}

async function paymentsCsv(services: Services, params: URLSearchParams, res: http.ServerResponse): Promise<void> {
  const filter = { userId: params.get('userId') ?? undefined, projectId: params.get('projectId') ?? undefined, milestoneId: params.get('milestoneId') ?? undefined, currency: params.get('currency') ?? undefined };
  if (!filter.userId && !filter.projectId && !filter.milestoneId) return refuse(res, 400, 'name a userId, projectId or milestoneId');
  attachment(res, 'text/csv; charset=utf-8', 'payments.csv');
  res.write('id,at,kind,from,to,amountMinor,currency,milestoneId,projectId,disputeId,direction,balanceAfterMinor\n');
  let cursor: string | null = null;
  do {
    const page = await transfers(services.reader, { ...filter, cursor, limit: 500 });
    for (const t of page.items) {
      res.write(`${[t.id, t.at.toISOString(), t.kind, t.debitAccountId, t.creditAccountId, t.amountMinor, t.currency, t.milestoneId ?? '', t.projectId ?? '', t.disputeId ?? '', t.direction ?? '', t.balanceAfterMinor ?? ''].join(',')}\n`);
    }
    cursor = page.nextCursor;
  } while (cursor);
  res.end();
}

async function caseReport(services: Services, disputeId: string, res: http.ServerResponse): Promise<void> {
  const file = await caseFile(services.db, disputeId).catch(() => null);
  if (!file) return refuse(res, 404, `no dispute ${disputeId}`);
  const history = await transfers(services.reader, { milestoneId: file.milestone.id, limit: 500 });
  const money = (minor: number | null) => (minor === null ? '—' : format({ amountMinor: minor, currency: file.dispute.currency }));
  attachment(res, 'application/pdf', `case-${disputeId}.pdf`);
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Case report ${disputeId}` } });
  doc.pipe(res);
  doc.fontSize(18).text(`Case report: dispute ${disputeId}`).moveDown(0.5);
  doc.fontSize(10).fillColor('#555').text(`Generated ${new Date().toISOString()}`).fillColor('#000').moveDown();
  doc.fontSize(12).text('The dispute', { underline: true }).fontSize(10);
  doc.text(`Project: ${file.project?.title ?? '(direct payment)'}`);
  doc.text(`Milestone: ${file.milestone.description}`);
  doc.text(`Client: ${file.client.name}    Freelancer: ${file.freelancer.name}`);
  doc.text(`Filed by the ${file.dispute.filerRole} on ${file.dispute.openedAt.toISOString()}: ${file.dispute.reason}`);
  doc.text(`In dispute: ${money(file.dispute.disputedMinor)}    Claimed: ${money(file.dispute.claimMinor)}    Stage: ${file.dispute.stage}`).moveDown();
  doc.fontSize(12).text('Decision', { underline: true }).fontSize(10);
  if (file.dispute.outcome) {
    doc.text(`Outcome: ${file.dispute.outcome} on ${file.dispute.closedAt?.toISOString() ?? ''}`);
    doc.text(`To the freelancer: ${money(file.dispute.freelancerShareMinor)}    To the client: ${money(file.dispute.clientShareMinor)}`);
    doc.text(`Reason: ${file.dispute.decisionReason ?? ''}`);
  } else doc.text('Not decided yet.');
  doc.moveDown().fontSize(12).text('Transfers', { underline: true }).fontSize(9);
  for (const t of [...history.items].reverse()) doc.text(`${t.at.toISOString()}  ${t.kind.padEnd(24)} ${money(t.amountMinor).padStart(16)}  ${t.debitAccountId} → ${t.creditAccountId}`);
  doc.moveDown().fontSize(12).text('Timeline (journal)', { underline: true }).fontSize(9);
  for (const e of file.timeline) doc.text(`#${e.seq}  ${e.at.toISOString()}  ${e.action}  by ${e.actorRole} ${e.actorId}${e.reason ? `: ${e.reason}` : ''}`);
  doc.moveDown().fontSize(8).fillColor('#555').text(`Journal hashes of the entries above can be checked with npm run verify-audit against an export of the same range.`);
  doc.end();
}

/** Routes /export/* requests; returns false when the URL is not an export. */
export async function handleExport(services: Services, session: SignedIn | null, req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith('/export/')) return false;
  if (!session) { refuse(res, 401, 'sign in to export'); return true; }
  const role = session.actor.role;
  const route = url.pathname.slice('/export/'.length);
  const allowed = route.startsWith('journal') ? REVIEWERS : READERS;
  if (!allowed.includes(role)) { refuse(res, 403, `exports of this kind need the ${allowed.join(' or ')} role`); return true; }
  await services.engine.run('recordExport', session.actor, { what: route.replace(/\.(csv|jsonl|pdf)$/, '').slice(0, 64), filter: Object.fromEntries(url.searchParams) });
  if (route === 'journal.jsonl' || route === 'journal.csv') await journalExport(services, url.searchParams, res, route.endsWith('.csv'));
  else if (route === 'payments.csv') await paymentsCsv(services, url.searchParams, res);
  else if (route.startsWith('case/') && route.endsWith('.pdf')) await caseReport(services, route.slice(5, -4), res);
  else refuse(res, 404, 'no such export');
  return true;
}
