import type { ResolvedSource } from '../../config/schema.js';
import type { PageRecord, ShardData } from '../../store/records.js';
import { publishedItems } from '../review/index.js';
import type { ReviewItem } from '../types.js';
import { auditAnalytics } from './analytics.js';
import { brokenReason, inScopeLinks } from './broken.js';
import type { Audit, AuditOptions, AuditPageRow, AuditSourceRow, AuditWeek, BrokenLink, ReviewState } from './types.js';

export { inScopeLinks } from './broken.js';
export * from './types.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

function maxIso(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

const daysBetween = (from: string, now: Date): number => Math.floor((now.getTime() - Date.parse(from)) / DAY_MS);

/** The Monday (UTC) of the week `iso` falls in, as epoch ms. */
function weekStartMs(iso: string | Date): number {
  const d = new Date(iso);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return day - ((d.getUTCDay() + 6) % 7) * DAY_MS;
}

/**
 * Freshness, health, links and review state per source and page. Pure: give it the sources to
 * report on, the shards (those of other sources too, so links across sources resolve), links
 * per page and a clock. Rows are sorted by source order and URL; the same input gives the same
 * output.
 */
export function audit(
  sources: readonly ResolvedSource[],
  shards: ReadonlyMap<string, ShardData>,
  now: Date,
  opts: AuditOptions = {},
): Audit {
  const known = new Map<string, PageRecord>();
  for (const shard of shards.values()) for (const p of Object.values(shard.pages)) known.set(p.url, p);
  const rows: AuditSourceRow[] = [];
  const pages: AuditPageRow[] = [];
  const brokenLinks: BrokenLink[] = [];
  const weeks = new WeekCounter();
  for (const source of sources) {
    const shard = shards.get(source.id);
    const result = auditSource(source, shard, { known, now, opts, weeks });
    rows.push(result.row);
    pages.push(...result.pages);
    brokenLinks.push(...result.brokenLinks);
  }
  return {
    generatedAt: now.toISOString(),
    sources: rows,
    pages,
    brokenLinks,
    weeks: weekRange(weeks.counts, now, opts.historyWeeks ?? 26),
    ...(opts.linkChecks ? { linksChecked: opts.linkChecks.size } : {}),
    ...(opts.linksUnchecked === undefined ? {} : { linksUnchecked: opts.linksUnchecked }),
    ...(opts.storedLinkChecks && opts.storedLinkChecks.size > 0 ? { linksOnRecord: opts.storedLinkChecks.size } : {}),
    analytics: auditAnalytics(sources, rows, shards, opts.runs),
  };
}

/** New, changed and removed pages per week (keyed by the week's Monday, epoch ms). */
class WeekCounter {
  readonly counts = new Map<number, AuditWeek>();
  add(iso: string, key: 'new' | 'changed' | 'removed'): void {
    const ms = weekStartMs(iso);
    const w = this.counts.get(ms) ?? { week: new Date(ms).toISOString().slice(0, 10), new: 0, changed: 0, removed: 0 };
    w[key]++;
    this.counts.set(ms, w);
  }
}

interface AuditContext {
  known: ReadonlyMap<string, PageRecord>;
  now: Date;
  opts: AuditOptions;
  weeks: WeekCounter;
}

/** One source's row, its pages' rows and their broken links. */
function auditSource(
  source: ResolvedSource,
  shard: ShardData | undefined,
  ctx: AuditContext,
): { row: AuditSourceRow; pages: AuditPageRow[]; brokenLinks: BrokenLink[] } {
  const { now } = ctx;
  const items = shard ? Object.values(shard.reviews) : [];
  const published = new Map(publishedItems(items).map((i) => [i.url, i]));
  const itemsByUrl = new Map<string, ReviewItem[]>();
  for (const i of items) itemsByUrl.set(i.url, [...(itemsByUrl.get(i.url) ?? []), i]);
  const row = emptySourceRow(source, published.size);
  const pages: AuditPageRow[] = [];
  const brokenLinks: BrokenLink[] = [];
  let lastOk: string | undefined;
  for (const page of Object.values(shard?.pages ?? {}).sort((a, b) => (a.url < b.url ? -1 : 1))) {
    if (page.duplicateOf) {
      row.duplicates++;
      lastOk = maxIso(lastOk, page.lastOkAt);
      continue;
    }
    const current = page.versions[page.versions.length - 1];
    if (!current) {
      // Never fetched successfully but failing (a host that never answered): a failing, stale
      // page, not silently nothing, so an offline crawl does not audit as all well.
      if (!page.lastFailure || page.removedAt) continue;
      pages.push(neverFetchedRow(page));
      row.pages++;
      row.failing++;
      row.stalePages++;
      row.unreviewed++;
      row.lastFetchedAt = maxIso(row.lastFetchedAt, page.lastFetchedAt);
      continue;
    }
    const pageBroken = brokenLinksOf(source, page, current.title, ctx);
    const pageRow = pageRowOf(source, page, current, itemsByUrl.get(page.url) ?? [], published.get(page.url), now);
    pageRow.brokenLinks = pageBroken.length;
    pages.push(pageRow);
    brokenLinks.push(...pageBroken);
    countPage(row, pageRow, page, ctx);
    lastOk = maxIso(lastOk, page.lastOkAt);
  }
  finishSourceRow(row, lastOk, source, now);
  return { row, pages, brokenLinks };
}

function emptySourceRow(source: ResolvedSource, published: number): AuditSourceRow {
  return {
    sourceId: source.id,
    name: source.name,
    owner: source.owner,
    pages: 0,
    ok: 0,
    failing: 0,
    removed: 0,
    stalePages: 0,
    pending: 0,
    pendingOverdue: 0,
    unreviewed: 0,
    published,
    publishedOutdated: 0,
    declaredOutdated: 0,
    redirected: 0,
    duplicates: 0,
    brokenLinks: 0,
    changes: 0,
    changesLast30Days: 0,
    isStale: true,
    freshnessSlaDays: source.freshness_sla_days,
    declaredMaxAgeDays: source.declared_max_age_days,
    pendingSlaDays: source.pending_sla_days,
  };
}

/** Broken in-scope links of a page that is not removed. */
function brokenLinksOf(source: ResolvedSource, page: PageRecord, title: string, ctx: AuditContext): BrokenLink[] {
  if (page.removedAt) return [];
  const out: BrokenLink[] = [];
  for (const link of inScopeLinks(source, page.url, ctx.opts.links?.get(page.url) ?? [])) {
    const why = brokenReason(link, ctx.known, ctx.opts.linkChecks, ctx.opts.storedLinkChecks);
    if (why) out.push({ sourceId: source.id, pageUrl: page.url, pageTitle: title, link, ...why });
  }
  return out;
}

/** Review state of a page's current content, and its oldest pending item. */
function reviewOf(own: readonly ReviewItem[], contentHash: string): { review: ReviewState; oldest?: ReviewItem } {
  const forCurrent = own.filter((i) => i.contentHash === contentHash && i.status !== 'superseded');
  const pendingItems = own.filter((i) => i.status === 'pending');
  const review: ReviewState =
    pendingItems.length > 0
      ? 'pending'
      : forCurrent.some((i) => i.status === 'approved')
        ? 'approved'
        : forCurrent.some((i) => i.status === 'rejected')
          ? 'rejected'
          : 'unreviewed';
  const oldest = pendingItems.reduce<ReviewItem | undefined>((m, i) => (m === undefined || i.createdAt < m.createdAt ? i : m), undefined);
  return oldest === undefined ? { review } : { review, oldest };
}

type Version = PageRecord['versions'][number];

/** The audit row of a page with at least one stored version (`brokenLinks` filled in by the caller). */
function pageRowOf(
  source: ResolvedSource,
  page: PageRecord,
  current: Version,
  own: readonly ReviewItem[],
  pub: ReviewItem | undefined,
  now: Date,
): AuditPageRow {
  const { review, oldest } = reviewOf(own, current.contentHash);
  const pendingDays = oldest === undefined ? undefined : daysBetween(oldest.createdAt, now);
  const health = page.removedAt ? 'removed' : page.consecutiveFailures > 0 ? 'failing' : 'ok';
  const daysSinceOk = page.lastOkAt ? daysBetween(page.lastOkAt, now) : undefined;
  const declared = current.dates.modified ?? current.dates.published;
  const declaredAgeDays = declared && !Number.isNaN(Date.parse(declared)) ? daysBetween(declared, now) : undefined;
  const changes = page.versions.length - 1;
  const first = page.versions[0]!;
  return {
    sourceId: source.id,
    url: page.url,
    title: current.title,
    health,
    ...(page.lastStatus === undefined ? {} : { lastStatus: page.lastStatus }),
    ...(page.finalUrl && page.finalUrl !== page.url ? { finalUrl: page.finalUrl } : {}),
    redirects: page.redirects.length,
    firstSeenAt: page.firstSeenAt,
    ...(page.lastFetchedAt ? { lastFetchedAt: page.lastFetchedAt } : {}),
    ...(page.lastOkAt ? { lastOkAt: page.lastOkAt } : {}),
    ...(page.lastChangedAt ? { lastChangedAt: page.lastChangedAt } : {}),
    ...(daysSinceOk === undefined ? {} : { daysSinceOk }),
    isStale:
      health !== 'removed' &&
      (daysSinceOk === undefined || now.getTime() - Date.parse(page.lastOkAt!) > source.freshness_sla_days * DAY_MS),
    ...(current.dates.modified ? { pageModified: current.dates.modified } : {}),
    ...(current.dates.published ? { pagePublished: current.dates.published } : {}),
    ...(declaredAgeDays === undefined ? {} : { declaredAgeDays }),
    isDeclaredOutdated: health !== 'removed' && declaredAgeDays !== undefined && declaredAgeDays > source.declared_max_age_days,
    consecutiveFailures: page.consecutiveFailures,
    ...(page.lastFailure ? { lastFailure: `${page.lastFailure.code}: ${page.lastFailure.message}` } : {}),
    ...(page.removedAt ? { removedAt: page.removedAt } : {}),
    review,
    ...(pendingDays === undefined ? {} : { pendingDays }),
    ...(oldest === undefined ? {} : { pendingItemId: oldest.id }),
    isPendingOverdue: pendingDays !== undefined && pendingDays > source.pending_sla_days,
    isPublishedOutdated: pub !== undefined && (pub.contentHash !== current.contentHash || page.removedAt !== undefined),
    versions: page.versions.length,
    changes,
    ...(changes > 0
      ? { meanDaysBetweenChanges: Math.round((Date.parse(current.firstSeenAt) - Date.parse(first.firstSeenAt)) / DAY_MS / changes) }
      : {}),
    brokenLinks: 0,
  };
}

/** Adds a page's row to its source's row and its versions to the weekly counts. */
function countPage(row: AuditSourceRow, pageRow: AuditPageRow, page: PageRecord, ctx: AuditContext): void {
  const { now, weeks } = ctx;
  row.pages++;
  row[pageRow.health]++;
  if (pageRow.isStale) row.stalePages++;
  if (pageRow.review === 'pending') row.pending++;
  if (pageRow.isPendingOverdue) row.pendingOverdue++;
  if (pageRow.review === 'unreviewed') row.unreviewed++;
  if (pageRow.isPublishedOutdated) row.publishedOutdated++;
  if (pageRow.isDeclaredOutdated) row.declaredOutdated++;
  if (pageRow.redirects > 0) row.redirected++;
  row.brokenLinks += pageRow.brokenLinks;
  row.changes += pageRow.changes;
  page.versions.forEach((v, i) => {
    weeks.add(v.firstSeenAt, i === 0 ? 'new' : 'changed');
    if (i > 0 && now.getTime() - Date.parse(v.firstSeenAt) <= 30 * DAY_MS) row.changesLast30Days++;
  });
  if (page.removedAt) weeks.add(page.removedAt, 'removed');
  if (pageRow.pendingDays !== undefined) row.oldestPendingDays = Math.max(row.oldestPendingDays ?? 0, pageRow.pendingDays);
  row.lastFetchedAt = maxIso(row.lastFetchedAt, page.lastFetchedAt);
  row.lastChangedAt = maxIso(row.lastChangedAt, page.lastChangedAt);
}

function finishSourceRow(row: AuditSourceRow, lastOk: string | undefined, source: ResolvedSource, now: Date): void {
  row.isStale = lastOk === undefined || now.getTime() - Date.parse(lastOk) > source.freshness_sla_days * DAY_MS;
  if (lastOk !== undefined) {
    row.lastOkAt = lastOk;
    row.daysSinceOk = daysBetween(lastOk, now);
  }
  if (row.lastChangedAt !== undefined) row.daysSinceChange = daysBetween(row.lastChangedAt, now);
  if (row.lastFetchedAt === undefined) delete row.lastFetchedAt;
  if (row.lastChangedAt === undefined) delete row.lastChangedAt;
}

/** The row of a page that has failed every fetch so far: no content, no dates, nothing to review. */
function neverFetchedRow(page: PageRecord): AuditPageRow {
  return {
    sourceId: page.sourceId,
    url: page.url,
    title: '',
    health: 'failing',
    ...(page.lastStatus === undefined ? {} : { lastStatus: page.lastStatus }),
    redirects: page.redirects.length,
    firstSeenAt: page.firstSeenAt,
    ...(page.lastFetchedAt ? { lastFetchedAt: page.lastFetchedAt } : {}),
    isStale: true,
    isDeclaredOutdated: false,
    consecutiveFailures: page.consecutiveFailures,
    ...(page.lastFailure ? { lastFailure: `${page.lastFailure.code}: ${page.lastFailure.message}` } : {}),
    review: 'unreviewed',
    isPendingOverdue: false,
    isPublishedOutdated: false,
    versions: 0,
    changes: 0,
    brokenLinks: 0,
  };
}

/** Every week from the first with anything in it (at most `count` weeks back) to the current one. */
function weekRange(counts: ReadonlyMap<number, AuditWeek>, now: Date, count: number): AuditWeek[] {
  if (counts.size === 0) return [];
  const last = weekStartMs(now);
  const first = Math.max(Math.min(...counts.keys()), last - (count - 1) * WEEK_MS);
  const out: AuditWeek[] = [];
  for (let ms = first; ms <= last; ms += WEEK_MS) {
    out.push(counts.get(ms) ?? { week: new Date(ms).toISOString().slice(0, 10), new: 0, changed: 0, removed: 0 });
  }
  return out;
}

/** Conditions `eti audit --fail-on` can test. */
export const FAIL_CONDITIONS = ['stale', 'broken', 'pending'] as const;
export type FailCondition = (typeof FAIL_CONDITIONS)[number];

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const firstFew = (names: string[]): string => (names.length > 5 ? `${names.slice(0, 5).join(', ')}, …` : names.join(', '));

/**
 * The selected conditions that hold, each with a one-line reason. `stale`: a source or page not
 * fetched successfully within its `freshness_sla_days`; `broken`: a page whose last fetch failed,
 * or a broken in-page link; `pending`: a review item older than `pending_sla_days`.
 */
export function failedConditions(result: Audit, conditions: readonly FailCondition[]): { condition: FailCondition; reason: string }[] {
  const out: { condition: FailCondition; reason: string }[] = [];
  for (const condition of FAIL_CONDITIONS.filter((c) => conditions.includes(c))) {
    if (condition === 'stale') {
      const sources = result.sources.filter((s) => s.isStale);
      const pages = result.pages.filter((p) => p.isStale);
      if (sources.length === 0 && pages.length === 0) continue;
      const names = sources.map(
        (s) => `${s.sourceId} (${s.daysSinceOk === undefined ? 'never' : `${s.daysSinceOk} days`}, SLA ${s.freshnessSlaDays})`,
      );
      out.push({
        condition,
        reason: `${plural(sources.length, 'source', 'sources')} and ${plural(pages.length, 'page', 'pages')} not fetched successfully within the freshness SLA${names.length ? `: ${firstFew(names)}` : ''}`,
      });
    } else if (condition === 'broken') {
      const failing = result.pages.filter((p) => p.health === 'failing');
      if (failing.length === 0 && result.brokenLinks.length === 0) continue;
      out.push({
        condition,
        reason: `${plural(failing.length, 'page fails', 'pages fail')} to fetch and ${plural(result.brokenLinks.length, 'in-page link is', 'in-page links are')} broken${failing.length ? `: ${firstFew(failing.map((p) => p.url))}` : `: ${firstFew(result.brokenLinks.map((l) => l.link))}`}`,
      });
    } else {
      const overdue = result.pages.filter((p) => p.isPendingOverdue);
      if (overdue.length === 0) continue;
      const oldest = Math.max(...overdue.map((p) => p.pendingDays ?? 0));
      out.push({
        condition,
        reason: `${plural(overdue.length, 'page has', 'pages have')} review items pending longer than the SLA (oldest ${oldest} days)`,
      });
    }
  }
  return out;
}
