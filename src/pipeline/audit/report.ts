import type { SourceAnalytics } from './analytics.js';
import type { Audit, AuditPageRow, AuditSourceRow, BrokenLink } from './audit.js';

/**
 * Audit renderers for files and pipes: CSV (RFC 4180) and Markdown. Pure and deterministic: the
 * same audit gives byte-identical output. The HTML report is in `audit-html.ts`.
 */

type Cell = string | number | boolean | undefined;
interface Column<T> {
  name: string;
  get: (row: T) => Cell;
}

/** Source columns, shared by CSV and Markdown (snake_case names are the CSV header). */
export const SOURCE_COLUMNS: Column<AuditSourceRow>[] = [
  { name: 'source_id', get: (r) => r.sourceId },
  { name: 'name', get: (r) => r.name },
  { name: 'owner', get: (r) => r.owner },
  { name: 'pages', get: (r) => r.pages },
  { name: 'ok', get: (r) => r.ok },
  { name: 'failing', get: (r) => r.failing },
  { name: 'removed', get: (r) => r.removed },
  { name: 'stale_pages', get: (r) => r.stalePages },
  { name: 'pending', get: (r) => r.pending },
  { name: 'pending_overdue', get: (r) => r.pendingOverdue },
  { name: 'oldest_pending_days', get: (r) => r.oldestPendingDays },
  { name: 'unreviewed', get: (r) => r.unreviewed },
  { name: 'published', get: (r) => r.published },
  { name: 'published_outdated', get: (r) => r.publishedOutdated },
  { name: 'declared_outdated', get: (r) => r.declaredOutdated },
  { name: 'redirected', get: (r) => r.redirected },
  { name: 'duplicates', get: (r) => r.duplicates },
  { name: 'broken_links', get: (r) => r.brokenLinks },
  { name: 'changes', get: (r) => r.changes },
  { name: 'changes_last_30_days', get: (r) => r.changesLast30Days },
  { name: 'last_ok_at', get: (r) => r.lastOkAt },
  { name: 'last_fetched_at', get: (r) => r.lastFetchedAt },
  { name: 'last_changed_at', get: (r) => r.lastChangedAt },
  { name: 'days_since_ok', get: (r) => r.daysSinceOk },
  { name: 'days_since_change', get: (r) => r.daysSinceChange },
  { name: 'freshness_sla_days', get: (r) => r.freshnessSlaDays },
  { name: 'declared_max_age_days', get: (r) => r.declaredMaxAgeDays },
  { name: 'pending_sla_days', get: (r) => r.pendingSlaDays },
  { name: 'is_stale', get: (r) => r.isStale },
];

/** The analysts' columns of a source row (`Audit.analytics`), placed after `changes_last_30_days` in the CSV. */
export const SOURCE_ANALYTICS_COLUMNS: Column<SourceAnalytics | undefined>[] = [
  { name: 'unreachable', get: (a) => a?.unreachable },
  { name: 'robots_blocked', get: (a) => a?.robotsBlocked },
  { name: 'approvals', get: (a) => a?.approvals },
  { name: 'median_hours_to_approval', get: (a) => a?.medianHoursToApproval },
  { name: 'summary_lix', get: (a) => a?.summaryLix },
  { name: 'source_lix', get: (a) => a?.sourceLix },
  { name: 'cost_usd', get: (a) => a?.costUsd },
];

/** Source columns with the analytics ones spliced in after `changes_last_30_days`. */
function sourceCsvColumns(result: Audit): Column<AuditSourceRow>[] {
  const byId = new Map(result.analytics.sources.map((a) => [a.sourceId, a]));
  const at = SOURCE_COLUMNS.findIndex((c) => c.name === 'changes_last_30_days') + 1;
  const extra = SOURCE_ANALYTICS_COLUMNS.map((c): Column<AuditSourceRow> => ({ name: c.name, get: (r) => c.get(byId.get(r.sourceId)) }));
  return [...SOURCE_COLUMNS.slice(0, at), ...extra, ...SOURCE_COLUMNS.slice(at)];
}

export const PAGE_COLUMNS: Column<AuditPageRow>[] = [
  { name: 'source_id', get: (r) => r.sourceId },
  { name: 'url', get: (r) => r.url },
  { name: 'title', get: (r) => r.title },
  { name: 'health', get: (r) => r.health },
  { name: 'last_status', get: (r) => r.lastStatus },
  { name: 'final_url', get: (r) => r.finalUrl },
  { name: 'redirects', get: (r) => r.redirects },
  { name: 'first_seen_at', get: (r) => r.firstSeenAt },
  { name: 'last_fetched_at', get: (r) => r.lastFetchedAt },
  { name: 'last_ok_at', get: (r) => r.lastOkAt },
  { name: 'last_changed_at', get: (r) => r.lastChangedAt },
  { name: 'days_since_ok', get: (r) => r.daysSinceOk },
  { name: 'is_stale', get: (r) => r.isStale },
  { name: 'page_modified', get: (r) => r.pageModified },
  { name: 'page_published', get: (r) => r.pagePublished },
  { name: 'declared_age_days', get: (r) => r.declaredAgeDays },
  { name: 'is_declared_outdated', get: (r) => r.isDeclaredOutdated },
  { name: 'consecutive_failures', get: (r) => r.consecutiveFailures },
  { name: 'last_failure', get: (r) => r.lastFailure },
  { name: 'removed_at', get: (r) => r.removedAt },
  { name: 'review', get: (r) => r.review },
  { name: 'pending_days', get: (r) => r.pendingDays },
  { name: 'pending_item_id', get: (r) => r.pendingItemId },
  { name: 'is_pending_overdue', get: (r) => r.isPendingOverdue },
  { name: 'is_published_outdated', get: (r) => r.isPublishedOutdated },
  { name: 'versions', get: (r) => r.versions },
  { name: 'changes', get: (r) => r.changes },
  { name: 'mean_days_between_changes', get: (r) => r.meanDaysBetweenChanges },
  { name: 'broken_links', get: (r) => r.brokenLinks },
];

export const LINK_COLUMNS: Column<BrokenLink>[] = [
  { name: 'source_id', get: (r) => r.sourceId },
  { name: 'page_url', get: (r) => r.pageUrl },
  { name: 'page_title', get: (r) => r.pageTitle },
  { name: 'link', get: (r) => r.link },
  { name: 'via', get: (r) => r.via },
  { name: 'status', get: (r) => r.status },
  { name: 'reason', get: (r) => r.reason },
];

/** Field separators `--csv-separator` accepts: `;` (the default: Excel in Norway reads it), `,` and tab. */
export const CSV_SEPARATORS = [';', ',', '\t'] as const;
export type CsvSeparator = (typeof CSV_SEPARATORS)[number];

/**
 * One CSV field (RFC 4180): quoted when it holds the separator, a comma, a semicolon, a quote, CR
 * or LF, quotes doubled. Text starting with `=`, `+`, `-`, `@` or a tab gets a leading `'` so a
 * spreadsheet does not run a page title as a formula (CSV injection). Numbers and booleans are
 * written as they are.
 */
export function csvField(value: Cell, separator: CsvSeparator = ','): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\r\n]/.test(text) || text.includes(separator) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv<T>(columns: Column<T>[], rows: readonly T[], separator: CsvSeparator): string {
  const lines = [columns.map((c) => c.name), ...rows.map((r) => columns.map((c) => csvField(c.get(r), separator)))];
  // The BOM tells Excel the file is UTF-8 (without it "Fjordvik kommune – Ås" turns to mojibake).
  return `\uFEFF${lines.map((l) => l.join(separator)).join('\r\n')}\r\n`;
}

/** What `--csv` writes: one table; `pages` (one row per page), `links` (broken links) or sources. */
export type CsvTable = 'sources' | 'pages' | 'links';

/**
 * The audit as CSV: UTF-8 with a byte-order mark, CRLF line ends, a header row, fields separated
 * by `opts.separator` (default `;`, what Excel expects where the decimal mark is a comma).
 */
export function renderCsv(result: Audit, table: CsvTable = 'sources', opts: { separator?: CsvSeparator } = {}): string {
  const sep = opts.separator ?? ';';
  if (table === 'pages') return csv(PAGE_COLUMNS, result.pages, sep);
  if (table === 'links') return csv(LINK_COLUMNS, result.brokenLinks, sep);
  return csv(sourceCsvColumns(result), result.sources, sep);
}

/**
 * A Markdown table cell: pipes escaped, line breaks flattened, and `<`, `>`, `&` as entities so a
 * page title cannot inject HTML where the Markdown is rendered.
 */
export function markdownCell(value: Cell): string {
  if (value === undefined) return '';
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}

function markdownTable(header: string[], rows: Cell[][]): string {
  const line = (cells: Cell[]): string => `| ${cells.map(markdownCell).join(' | ')} |`;
  return [line(header), `|${header.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}

const day = (iso: string | undefined): string => (iso ? iso.slice(0, 10) : '-');

/** Flags of a page as short English words, for the terminal and Markdown. */
export function pageFlags(p: AuditPageRow): string[] {
  return [
    ...(p.isStale ? ['stale'] : []),
    ...(p.health === 'failing' ? [`failing (${p.lastFailure ?? p.lastStatus ?? '?'})`] : []),
    ...(p.health === 'removed' ? [`removed ${day(p.removedAt)}`] : []),
    ...(p.redirects > 0 ? [`redirected (${p.redirects})`] : []),
    ...(p.isDeclaredOutdated ? [`page date ${p.declaredAgeDays} days old`] : []),
    ...(p.isPendingOverdue ? [`pending ${p.pendingDays} days`] : []),
    ...(p.isPublishedOutdated ? ['published text outdated'] : []),
    ...(p.brokenLinks > 0 ? [`${p.brokenLinks} broken link${p.brokenLinks === 1 ? '' : 's'}`] : []),
  ];
}

/** Does a page need someone's attention (anything `pageFlags` would list)? */
export const needsAttention = (p: AuditPageRow): boolean => pageFlags(p).length > 0;

/** The audit as a Markdown report: sources, pages needing attention (or all with `allPages`), broken links. */
export function renderMarkdown(result: Audit, opts: { allPages?: boolean } = {}): string {
  const out = [`# Freshness audit`, '', `Generated ${result.generatedAt}.`, '', '## Sources', ''];
  out.push(
    markdownTable(
      [
        'Source',
        'Owner',
        'Pages',
        'OK',
        'Failing',
        'Removed',
        'Pending',
        'Overdue',
        'Oldest pending (days)',
        'Outdated date',
        'Broken links',
        'Last OK',
        'Last changed',
        'SLA (days)',
        'Stale',
      ],
      result.sources.map((s) => [
        s.name,
        s.owner,
        s.pages,
        s.ok,
        s.failing,
        s.removed,
        s.pending,
        s.pendingOverdue,
        s.oldestPendingDays ?? '-',
        s.declaredOutdated,
        s.brokenLinks,
        day(s.lastOkAt),
        day(s.lastChangedAt),
        s.freshnessSlaDays,
        s.isStale ? 'STALE' : '',
      ]),
    ),
  );
  const pages = opts.allPages ? result.pages : result.pages.filter(needsAttention);
  out.push('', opts.allPages ? '## Pages' : '## Pages needing attention', '');
  out.push(
    pages.length === 0
      ? 'None.'
      : markdownTable(
          ['Page', 'URL', 'Status', 'Last OK', 'Changed', 'Page date', 'Review', 'Flags'],
          pages.map((p) => [
            p.title,
            p.url,
            p.lastStatus ?? '-',
            day(p.lastOkAt),
            day(p.lastChangedAt),
            p.pageModified ?? p.pagePublished ?? '-',
            p.review,
            pageFlags(p).join(', '),
          ]),
        ),
  );
  out.push('', '## Broken links', '');
  out.push(
    result.brokenLinks.length === 0
      ? result.linksChecked !== undefined
        ? `None (${result.linksChecked} links checked).`
        : result.linksOnRecord !== undefined
          ? `None (${result.linksOnRecord} links checked by earlier --check-links runs).`
          : 'None known to the store (run with --check-links to check every link).'
      : markdownTable(
          ['On page', 'Link', 'Found by', 'Reason'],
          result.brokenLinks.map((l) => [l.pageUrl, l.link, l.via, l.reason]),
        ),
  );
  return `${out.join('\n')}\n`;
}
