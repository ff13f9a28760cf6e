import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { writeFileAtomic } from '../atomic-file.js';
import { UsageError, ExitCode, messageOf } from '../errors.js';
import { audit, FAIL_CONDITIONS, failedConditions, type Audit, type FailCondition, type LinkCheck } from '../pipeline/audit/index.js';
import { checkAndRecordLinks, DEFAULT_MAX_LINKS, linksOfMarkdown, linkTargets } from '../pipeline/audit/index.js';
import { appendHistory, historyEntry, readHistory, weeklyTrend, type TrendWeek } from '../pipeline/audit/index.js';
import { renderHtml } from '../pipeline/audit/index.js';
import { CSV_SEPARATORS, pageFlags, renderCsv, renderMarkdown, type CsvSeparator, type CsvTable } from '../pipeline/audit/index.js';
import { storeDirOf } from '../store/store.js';
import type { ResolvedSource } from '../config/schema.js';
import type { LinkCheckRecord, ShardData } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { Context } from '../steps/context.js';
import { collect, examples, intFlag, selectSources } from '../steps/shared.js';

interface AuditFlags {
  source?: string[];
  pages?: boolean;
  csv?: CsvTable | true;
  markdown?: boolean;
  html?: string;
  failOn?: FailCondition[];
  checkLinks?: boolean;
  maxLinks?: number;
  csvSeparator?: CsvSeparator;
  trend?: boolean;
  reviewUrl?: string;
  /** False with `--no-history`: this run is not added to `.eti/audit-history.jsonl`. */
  history?: boolean;
}

function parseReviewUrl(value: string): string {
  if (!/^https?:\/\/[^/\s]+/i.test(value))
    throw new UsageError(`--review-url: expected the http(s) address eti review --serve printed, got "${value}"`);
  return value;
}

function parseSeparator(value: string): CsvSeparator {
  const sep = value === 'tab' ? '\t' : value;
  if ((CSV_SEPARATORS as readonly string[]).includes(sep)) return sep as CsvSeparator;
  throw new UsageError(`--csv-separator: expected ";", "," or "tab", got "${value}"`);
}

/** `audit --trend` as a terminal table, one row per week. */
function printTrend(ctx: Context, weeks: readonly TrendWeek[]): void {
  if (weeks.length === 0) {
    ctx.info('No audit history yet: each whole-workspace audit adds a line to .eti/audit-history.jsonl.');
    return;
  }
  ctx.info(
    table([
      [
        'WEEK',
        'AUDITED',
        'PENDING',
        'OVERDUE',
        'FAILING',
        'UNREACHABLE',
        'STALE SOURCES',
        'NEW',
        'CHANGED',
        'REMOVED',
        'MEDIAN H TO APPROVAL',
      ],
      ...weeks.map((w) => [
        w.week,
        day(w.at),
        String(w.pending),
        String(w.pendingOverdue),
        String(w.failing),
        String(w.unreachable),
        String(w.staleSources),
        String(w.new),
        String(w.changed),
        String(w.removed),
        w.medianHoursToApproval === undefined ? '-' : String(w.medianHoursToApproval),
      ]),
    ]),
  );
}

/** Parse `--fail-on stale,broken`: known names only, at least one. */
export function parseFailOn(value: string): FailCondition[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const bad = names.find((n) => !(FAIL_CONDITIONS as readonly string[]).includes(n));
  if (bad !== undefined || names.length === 0) {
    throw new UsageError(`--fail-on: expected a comma list of ${FAIL_CONDITIONS.join(', ')}, got "${value}"`);
  }
  return [...new Set(names as FailCondition[])];
}

function parseCsvTable(value: string): CsvTable {
  if (value === 'sources' || value === 'pages' || value === 'links') return value;
  throw new UsageError(`--csv: expected "sources", "pages" or "links", got "${value}"`);
}

const day = (iso: string | undefined): string => (iso ? iso.slice(0, 10) : '-');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Links on the current content of every page of `sources` (from the stored Markdown), by page URL. */
async function pageLinks(
  store: Store,
  shards: ReadonlyMap<string, ShardData>,
  sources: readonly ResolvedSource[],
): Promise<Map<string, string[]>> {
  const jobs: [string, string][] = [];
  for (const s of sources) {
    for (const page of Object.values(shards.get(s.id)?.pages ?? {})) {
      const current = page.versions[page.versions.length - 1];
      if (current && !page.removedAt) jobs.push([page.url, current.markdownHash]);
    }
  }
  const out = new Map<string, string[]>();
  // A few blob reads at a time: enough to hide disk latency, few enough to keep memory flat.
  for (let i = 0; i < jobs.length; i += 16) {
    await Promise.all(
      jobs.slice(i, i + 16).map(async ([url, hash]) => {
        const markdown = await store.blobs.get(hash);
        if (markdown !== undefined) out.set(url, linksOfMarkdown(markdown));
      }),
    );
  }
  return out;
}

/** Write `file` atomically; a path that cannot be written (a folder, no permission) is a one-line usage error. */
async function writeAtomic(file: string, text: string, flag: string): Promise<void> {
  try {
    await writeFileAtomic(file, text);
  } catch (err) {
    throw new UsageError(`${flag}: cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? messageOf(err)})`);
  }
}

function printTable(ctx: Context, result: Audit, allPages: boolean): void {
  ctx.info(
    table([
      [
        'SOURCE',
        'PAGES',
        'OK',
        'FAILING',
        'REMOVED',
        'PENDING',
        'OVERDUE',
        'OLDEST',
        'PUBLISHED',
        'OUTDATED',
        'OLD DATE',
        'BROKEN',
        'LAST OK',
        'LAST CHANGED',
        'STALE',
      ],
      ...result.sources.map((r) => [
        r.sourceId,
        String(r.pages),
        String(r.ok),
        String(r.failing),
        String(r.removed),
        String(r.pending),
        String(r.pendingOverdue),
        r.oldestPendingDays === undefined ? '-' : `${r.oldestPendingDays}d`,
        String(r.published),
        String(r.publishedOutdated),
        String(r.declaredOutdated),
        String(r.brokenLinks),
        day(r.lastOkAt),
        day(r.lastChangedAt),
        r.isStale ? `STALE (SLA ${r.freshnessSlaDays}d)` : '',
      ]),
    ]),
  );
  const a = result.analytics;
  ctx.info('');
  ctx.info(
    `Pending review items: ${a.pendingItems}; median time from change to approval: ${a.medianHoursToApproval === undefined ? '-' : `${a.medianHoursToApproval} h`}; ` +
      `unreachable pages: ${a.sources.reduce((n, s) => n + s.unreachable, 0)}` +
      (a.lastCrawl
        ? `; last crawl (${day(a.lastCrawl.finishedAt)}): ${a.lastCrawl.skipped} skipped (robots.txt), ${a.lastCrawl.failed} failed`
        : ''),
  );
  if (allPages) {
    ctx.info('');
    ctx.info(
      table([
        ['URL', 'HEALTH', 'STATUS', 'LAST OK', 'CHANGED', 'PAGE DATE', 'REVIEW', 'FLAGS'],
        ...result.pages.map((p) => [
          p.url,
          p.health,
          String(p.lastStatus ?? '-'),
          day(p.lastOkAt),
          day(p.lastChangedAt),
          p.pageModified ?? p.pagePublished ?? '-',
          p.review,
          pageFlags(p).join(', '),
        ]),
      ]),
    );
  }
  if (result.brokenLinks.length > 0) {
    ctx.info('');
    ctx.info(`Broken links (${result.brokenLinks.length}):`);
    for (const l of result.brokenLinks) ctx.info(`  ${l.link}  ${l.reason}  (on ${l.pageUrl})`);
  }
}

/**
 * Freshness, health, links and review state per source (and page with --pages), as a table,
 * JSON, CSV or Markdown on stdout, and optionally an HTML report file. Returns the audit and
 * the exit code: `checkFailed` when a `--fail-on` condition holds (one stderr line per condition).
 */
export async function runAudit(ctx: Context, flags: AuditFlags): Promise<{ result: Audit; exitCode: number }> {
  const formats = checkAuditFlags(ctx, flags);
  const sources = await selectSources(ctx, flags.source);
  const { sources: all, config } = await ctx.config();
  const store = await ctx.store();
  const now = ctx.clock();
  // Every source's shard, so a link from one source to another's removed page is found.
  const shards = new Map<string, ShardData>();
  for (const s of all) shards.set(s.id, { ...(await store.shard(s.id)), summaries: await store.summaries(s.id) });
  const links = await pageLinks(store, shards, sources);
  let linkChecks: Map<string, LinkCheck> | undefined;
  let linksUnchecked: number | undefined;
  let storedLinkChecks: Map<string, LinkCheckRecord> | undefined;
  if (flags.checkLinks) {
    const maxLinks = flags.maxLinks ?? DEFAULT_MAX_LINKS;
    ({
      checks: linkChecks,
      unchecked: linksUnchecked,
      stored: storedLinkChecks,
    } = await checkAndRecordLinks(linkTargets(sources, shards, links), {
      store,
      clock: ctx.clock,
      sources,
      maxLinks,
      userAgent: await ctx.userAgent(),
      concurrency: config.crawl.concurrency,
      onChecked: (done, total) => ctx.progress(`Checking links: ${done}/${total}`),
    }));
    ctx.endProgress();
    if (linksUnchecked > 0)
      ctx.warn(`--check-links: ${linksUnchecked} links left unchecked (--max-links ${maxLinks}); the next run checks them first`);
  }
  // Earlier --check-links results stand in for links not checked now (with --check-links, the file
  // as this run left it).
  storedLinkChecks ??= await store.linkChecks();
  const result = audit(sources, shards, now, {
    links,
    storedLinkChecks,
    ...(linkChecks ? { linkChecks } : {}),
    ...(linksUnchecked === undefined ? {} : { linksUnchecked }),
    runs: store.runs,
  });
  const failures = failedConditions(result, flags.failOn ?? []);
  // Whole-workspace audits only (a --source audit would mix scopes), and never creating a store.
  const storeDir = storeDirOf(ctx.workspace);
  const isKept = flags.history !== false && flags.source === undefined && existsSync(storeDir);
  const history = isKept ? await appendHistory(storeDir, historyEntry(result)) : await readHistory(storeDir);
  const trend = weeklyTrend(history);

  await printAudit(ctx, flags, { result, trend, failures, formatCount: formats.length });
  for (const f of failures) ctx.io.stderr(`eti: audit --fail-on ${f.condition}: ${f.reason}\n`);
  return { result, exitCode: failures.length > 0 ? ExitCode.checkFailed : ExitCode.ok };
}

/** The output flags that do not go together, as usage errors; returns the output formats asked for. */
function checkAuditFlags(ctx: Context, flags: AuditFlags): string[] {
  const formats = [ctx.isJson && '--json', flags.csv !== undefined && '--csv', flags.markdown && '--markdown'].filter(
    (f): f is string => typeof f === 'string',
  );
  // --trend is what to show; --json may say how.
  if (flags.trend && (flags.csv !== undefined || flags.markdown))
    throw new UsageError(`--trend and ${flags.markdown ? '--markdown' : '--csv'}: choose one output format`);
  if (flags.csvSeparator !== undefined && flags.csv === undefined) throw new UsageError('--csv-separator: only with --csv');
  if (flags.reviewUrl !== undefined && flags.html === undefined) throw new UsageError('--review-url: only with --html');
  if (formats.length > 1) throw new UsageError(`${formats.join(' and ')}: choose one output format`);
  if (flags.maxLinks !== undefined && !flags.checkLinks) throw new UsageError('--max-links: only with --check-links');
  return formats;
}

/** Writes the audit in the form the flags ask for: HTML file, trend, JSON, CSV, Markdown or the table. */
async function printAudit(
  ctx: Context,
  flags: AuditFlags,
  out: { result: Audit; trend: ReturnType<typeof weeklyTrend>; failures: ReturnType<typeof failedConditions>; formatCount: number },
): Promise<void> {
  const { result, trend, failures } = out;
  if (flags.html !== undefined) {
    const file = path.resolve(ctx.io.cwd, flags.html);
    await writeAtomic(
      file,
      renderHtml(result, { allPages: flags.pages === true, trend, ...(flags.reviewUrl ? { reviewUrl: flags.reviewUrl } : {}) }),
      '--html',
    );
    if (out.formatCount === 0) ctx.info(`Wrote the HTML report to ${path.relative(ctx.io.cwd, file) || file}`);
  }
  if (flags.trend) {
    if (ctx.isJson) ctx.jsonLine({ type: 'audit-trend', weeks: trend });
    else printTrend(ctx, trend);
  } else if (ctx.isJson) {
    const { pages, ...rest } = result;
    ctx.jsonLine({
      type: 'audit',
      ...rest,
      ...(flags.pages ? { pages } : {}),
      ...(flags.failOn ? { failed: failures.map((f) => f.condition) } : {}),
    });
  } else if (flags.csv !== undefined) {
    ctx.io.stdout(
      renderCsv(result, flags.csv === true ? (flags.pages ? 'pages' : 'sources') : flags.csv, { separator: flags.csvSeparator ?? ';' }),
    );
  } else if (flags.markdown) {
    ctx.io.stdout(renderMarkdown(result, { allPages: flags.pages === true }));
  } else if (flags.html === undefined) {
    // With --html alone the report is the output; the table would only repeat it.
    printTable(ctx, result, flags.pages === true);
  }
}

export function auditCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('audit')
    .description(
      'Freshness audit: per source and page, when it was fetched and changed, the date the page states, what is failing, redirected, removed, linked but broken, or waiting for review.',
    )
    .option('-s, --source <id>', 'only this source (repeatable)', collect)
    .option('--pages', 'list every page (the table, CSV and the reports; otherwise reports list only pages needing attention)')
    .option(
      '--csv [table]',
      'CSV on stdout (UTF-8 with BOM, ";" between fields, for Excel in Norway): "sources" (default), "pages" (default with --pages) or "links"',
      parseCsvTable,
    )
    .option('--csv-separator <sep>', 'with --csv: ";" (default), "," or "tab"', parseSeparator)
    .option('--markdown', 'a Markdown report on stdout')
    .option(
      '--html <file>',
      'write a self-contained HTML report (charts, tables, trends; Norwegian) to this file; no table on stdout unless another format is asked for',
    )
    .option(
      '--review-url <url>',
      'with --html: the address of eti review --serve, so pending pages link to their review item',
      parseReviewUrl,
    )
    .option(
      '--trend',
      'per week from the audit history (.eti/audit-history.jsonl): pending, failing, new/changed/removed, median hours to approval',
    )
    .option('--no-history', 'do not add this run to the audit history (whole-workspace audits are added by default)')
    .option(
      '--check-links',
      "GET in-page links to a source's allowed hosts (politely, as the crawl) instead of trusting the store; results are stored for later audits",
    )
    .option(
      '--max-links <n>',
      `with --check-links: check at most n links, those never checked or checked longest ago first (default ${DEFAULT_MAX_LINKS})`,
      intFlag('--max-links', 1),
    )
    .option('--fail-on <conditions>', 'exit 1 when any holds: stale, broken, pending (comma list)', parseFailOn)
    .addHelpText(
      'after',
      examples([
        'eti audit',
        'eti audit --pages --source nav-satser',
        'eti audit --html rapport.html --check-links',
        'eti audit --check-links --max-links 500   # nightly: 500 links a night, oldest checks first',
        'eti audit --csv pages > sider.csv',
        'eti audit --csv --csv-separator , > sources.csv   # comma-separated, for other tools',
        'eti audit --trend',
        'eti audit --fail-on stale,broken   # in CI: exit 1 with a reason per condition',
        'eti audit --json | jq .sources',
      ]),
    )
    .action(async (flags: AuditFlags) => {
      const { exitCode } = await runAudit(ctx(), flags);
      done(exitCode);
    });
}
