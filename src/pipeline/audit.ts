import type { ResolvedSource } from '../config/schema.js';
import type { LinkCheckRecord, PageRecord, RunRecord, ShardData } from '../store/records.js';
import { auditAnalytics, type AuditAnalytics } from './audit-analytics.js';
import { normalizeUrl } from './fetch/url.js';
import { publishedItems } from './review.js';
import type { ReviewItem } from './types.js';

/** Review state of a page's current content. */
export type ReviewState = 'approved' | 'pending' | 'rejected' | 'unreviewed';

export interface AuditPageRow {
  sourceId: string;
  url: string;
  title: string;
  /** ok: fetched fine last time; failing: the last fetch failed; removed: gone (404/410). */
  health: 'ok' | 'failing' | 'removed';
  lastStatus?: number;
  /** Where the URL ended up after redirects, when that differs from `url`. */
  finalUrl?: string;
  /** Redirect hops on the last successful fetch (0: none). */
  redirects: number;
  firstSeenAt: string;
  lastFetchedAt?: string;
  lastOkAt?: string;
  lastChangedAt?: string;
  /** Whole days since the last successful fetch; absent when never fetched successfully. */
  daysSinceOk?: number;
  /** Not removed, and not fetched successfully within the source's `freshness_sla_days`. */
  isStale: boolean;
  /** The page's own "last updated" date (`YYYY-MM-DD`), when it states one. */
  pageModified?: string;
  /** The page's own publication date, when it states one. */
  pagePublished?: string;
  /** Whole days since the page's own date (modified, else published). */
  declaredAgeDays?: number;
  /** The page's own date is older than `declared_max_age_days`: "content may be outdated". */
  isDeclaredOutdated: boolean;
  consecutiveFailures: number;
  lastFailure?: string;
  removedAt?: string;
  review: ReviewState;
  /** Days the oldest pending item of this page has waited. */
  pendingDays?: number;
  /** Id of that oldest pending item (for `eti review show` and the review page). */
  pendingItemId?: string;
  /** Pending for longer than the source's `pending_sla_days`. */
  isPendingOverdue: boolean;
  /** The published summary is of older content than the page has now (or the page is gone). */
  isPublishedOutdated: boolean;
  versions: number;
  /** Content changes over the stored history (`versions - 1`). */
  changes: number;
  /** Mean whole days between content changes (first to last version); absent without changes. */
  meanDaysBetweenChanges?: number;
  /** In-page links to allowed hosts that are broken (see `Audit.brokenLinks`). */
  brokenLinks: number;
}

export interface AuditSourceRow {
  sourceId: string;
  name: string;
  owner: string;
  pages: number;
  ok: number;
  failing: number;
  removed: number;
  /** Pages marked `isStale`. */
  stalePages: number;
  pending: number;
  /** Pages whose oldest pending item is older than `pending_sla_days`. */
  pendingOverdue: number;
  unreviewed: number;
  published: number;
  publishedOutdated: number;
  /** Pages whose own date is older than `declared_max_age_days`. */
  declaredOutdated: number;
  /** Pages whose last fetch was redirected. */
  redirected: number;
  /** URLs that show another page's content (`rel=canonical` or the same text): no page rows of their own. */
  duplicates: number;
  brokenLinks: number;
  /** Content changes over the stored history, and those first seen in the last 30 days. */
  changes: number;
  changesLast30Days: number;
  lastFetchedAt?: string;
  lastOkAt?: string;
  lastChangedAt?: string;
  daysSinceOk?: number;
  daysSinceChange?: number;
  /** Not fetched successfully within freshness_sla_days (or never). */
  isStale: boolean;
  oldestPendingDays?: number;
  freshnessSlaDays: number;
  declaredMaxAgeDays: number;
  pendingSlaDays: number;
}

/** An in-page link to an allowed host that does not lead to a live page. */
export interface BrokenLink {
  sourceId: string;
  /** The page the link is on. */
  pageUrl: string;
  pageTitle: string;
  /** The link target (normalised). */
  link: string;
  /** `store`: the store knows the target is removed or answering 4xx; `check`: `--check-links` found it (this run or, with `checkedAt`, an earlier one). */
  via: 'store' | 'check';
  /** When an earlier `--check-links` found it (absent for this run's checks and the store's). */
  checkedAt?: string;
  /** What was found, in English: `removed 2026-01-19 (HTTP 404)`, `HTTP 404`, `timeout: …`. */
  reason: string;
  /** The same as data, for other languages: the status, when the target was removed, the fetch error. */
  status?: number;
  removedAt?: string;
  error?: string;
}

/** Versions first seen, pages removed, per ISO week (weeks start on Monday, UTC). */
export interface AuditWeek {
  /** The Monday, `YYYY-MM-DD`. */
  week: string;
  /** Pages seen for the first time. */
  new: number;
  /** Content changes (a version after the first). */
  changed: number;
  removed: number;
}

/** What `--check-links` found for one URL: an HTTP status, or why there is none. */
export interface LinkCheck {
  status?: number;
  /** `code: message` of a fetch error. */
  error?: string;
}

export interface AuditOptions {
  /** Links on each page's current content, by page URL (absolute URLs as written). */
  links?: ReadonlyMap<string, readonly string[]>;
  /** `--check-links` results of this run by normalised link URL; they win over what the store knows. */
  linkChecks?: ReadonlyMap<string, LinkCheck>;
  /**
   * Results of earlier `--check-links` runs (`Store.linkChecks()`), for links this run did not
   * check; one wins over the store's page record unless the crawl fetched that page after it.
   */
  storedLinkChecks?: ReadonlyMap<string, LinkCheckRecord>;
  /** Links `--check-links` left for a later run (`--max-links`); reported as `linksUnchecked`. */
  linksUnchecked?: number;
  /** Weeks shown in the change history (default 26), ending with the current week. */
  historyWeeks?: number;
  /** The store's run records: the newest finished crawl's skipped and failed counts are reported. */
  runs?: readonly RunRecord[];
}

export interface Audit {
  generatedAt: string;
  sources: AuditSourceRow[];
  pages: AuditPageRow[];
  /** In source order, then by page URL and link (the order they are found in). */
  brokenLinks: BrokenLink[];
  /** Contiguous, oldest first; empty when nothing was ever stored. */
  weeks: AuditWeek[];
  /** Links checked with `--check-links`; absent without it. */
  linksChecked?: number;
  /** In-scope links `--check-links` left for a later run (`--max-links`); absent without it. */
  linksUnchecked?: number;
  /** Link results kept from earlier `--check-links` runs (`.eti/link-checks.json`); absent when none. */
  linksOnRecord?: number;
  /** Time to approval, LIX, cost, unreachable pages per source; a roll-up per owner; the last crawl's skips. */
  analytics: AuditAnalytics;
}

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

/** Links on `page` to the source's allowed hosts, normalised, deduplicated, sorted, without the page itself. */
export function inScopeLinks(source: ResolvedSource, pageUrl: string, links: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of links) {
    const url = normalizeUrl(raw, undefined, source.trailing_slash);
    if (url === null || url === pageUrl) continue;
    if (!source.allowed_hosts.includes(new URL(url).hostname.toLowerCase())) continue;
    out.add(url);
  }
  return [...out].sort();
}

/** Why a link target is broken according to a check or the store; undefined when it is not. */
type Why = Pick<BrokenLink, 'via' | 'reason' | 'status' | 'removedAt' | 'error' | 'checkedAt'>;

function brokenReason(
  target: string,
  known: ReadonlyMap<string, PageRecord>,
  checks: ReadonlyMap<string, LinkCheck> | undefined,
  stored: ReadonlyMap<string, LinkCheckRecord> | undefined,
): Why | undefined {
  const page = known.get(target);
  const fresh = checks?.get(target);
  // An earlier check counts when it made a request and the crawl has not fetched the target since.
  const earlier = fresh === undefined ? stored?.get(target) : undefined;
  const isEarlierUsable =
    earlier !== undefined &&
    earlier.skipped === undefined &&
    !(page?.lastFetchedAt !== undefined && page.lastFetchedAt > earlier.checkedAt);
  const check = fresh ?? (isEarlierUsable ? earlier : undefined);
  if (check) {
    const when = isEarlierUsable ? { checkedAt: earlier.checkedAt } : {};
    const suffix = isEarlierUsable ? ` (checked ${earlier.checkedAt.slice(0, 10)})` : '';
    if (check.error !== undefined) return { via: 'check', reason: check.error + suffix, error: check.error, ...when };
    if (check.status !== undefined && check.status >= 400)
      return { via: 'check', reason: `HTTP ${check.status}${suffix}`, status: check.status, ...when };
    return undefined;
  }
  if (!page) return undefined;
  const status = page.lastStatus === undefined ? {} : { status: page.lastStatus };
  if (page.removedAt) {
    return {
      via: 'store',
      reason: `removed ${page.removedAt.slice(0, 10)}${page.lastStatus === undefined ? '' : ` (HTTP ${page.lastStatus})`}`,
      ...status,
      removedAt: page.removedAt,
    };
  }
  // 4xx only: a 5xx is the server's bad day, and the page may well be there tomorrow.
  if (page.consecutiveFailures > 0 && page.lastStatus !== undefined && page.lastStatus >= 400 && page.lastStatus < 500) {
    return { via: 'store', reason: `HTTP ${page.lastStatus}`, ...status };
  }
  return undefined;
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
  const weekCounts = new Map<number, AuditWeek>();
  const countWeek = (iso: string, key: 'new' | 'changed' | 'removed'): void => {
    const ms = weekStartMs(iso);
    const w = weekCounts.get(ms) ?? { week: new Date(ms).toISOString().slice(0, 10), new: 0, changed: 0, removed: 0 };
    w[key]++;
    weekCounts.set(ms, w);
  };
  for (const source of sources) {
    const shard = shards.get(source.id);
    const items = shard ? Object.values(shard.reviews) : [];
    const published = new Map(publishedItems(items).map((i) => [i.url, i]));
    const itemsByUrl = new Map<string, ReviewItem[]>();
    for (const i of items) itemsByUrl.set(i.url, [...(itemsByUrl.get(i.url) ?? []), i]);
    const row: AuditSourceRow = {
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
      published: published.size,
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
      const own = itemsByUrl.get(page.url) ?? [];
      const forCurrent = own.filter((i) => i.contentHash === current.contentHash && i.status !== 'superseded');
      const pendingItems = own.filter((i) => i.status === 'pending');
      const review: ReviewState =
        pendingItems.length > 0
          ? 'pending'
          : forCurrent.some((i) => i.status === 'approved')
            ? 'approved'
            : forCurrent.some((i) => i.status === 'rejected')
              ? 'rejected'
              : 'unreviewed';
      const oldest = pendingItems.reduce<ReviewItem | undefined>(
        (m, i) => (m === undefined || i.createdAt < m.createdAt ? i : m),
        undefined,
      );
      const pendingDays = oldest === undefined ? undefined : daysBetween(oldest.createdAt, now);
      const pub = published.get(page.url);
      const health = page.removedAt ? 'removed' : page.consecutiveFailures > 0 ? 'failing' : 'ok';
      const daysSinceOk = page.lastOkAt ? daysBetween(page.lastOkAt, now) : undefined;
      const declared = current.dates.modified ?? current.dates.published;
      const declaredAgeDays = declared && !Number.isNaN(Date.parse(declared)) ? daysBetween(declared, now) : undefined;
      const changes = page.versions.length - 1;
      const first = page.versions[0]!;
      const pageBroken: BrokenLink[] = [];
      if (health !== 'removed') {
        for (const link of inScopeLinks(source, page.url, opts.links?.get(page.url) ?? [])) {
          const why = brokenReason(link, known, opts.linkChecks, opts.storedLinkChecks);
          if (why) pageBroken.push({ sourceId: source.id, pageUrl: page.url, pageTitle: current.title, link, ...why });
        }
      }
      const pageRow: AuditPageRow = {
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
        brokenLinks: pageBroken.length,
      };
      pages.push(pageRow);
      brokenLinks.push(...pageBroken);
      row.pages++;
      row[health]++;
      if (pageRow.isStale) row.stalePages++;
      if (review === 'pending') row.pending++;
      if (pageRow.isPendingOverdue) row.pendingOverdue++;
      if (review === 'unreviewed') row.unreviewed++;
      if (pageRow.isPublishedOutdated) row.publishedOutdated++;
      if (pageRow.isDeclaredOutdated) row.declaredOutdated++;
      if (pageRow.redirects > 0) row.redirected++;
      row.brokenLinks += pageBroken.length;
      row.changes += changes;
      page.versions.forEach((v, i) => {
        countWeek(v.firstSeenAt, i === 0 ? 'new' : 'changed');
        if (i > 0 && now.getTime() - Date.parse(v.firstSeenAt) <= 30 * DAY_MS) row.changesLast30Days++;
      });
      if (page.removedAt) countWeek(page.removedAt, 'removed');
      if (pendingDays !== undefined) row.oldestPendingDays = Math.max(row.oldestPendingDays ?? 0, pendingDays);
      row.lastFetchedAt = maxIso(row.lastFetchedAt, page.lastFetchedAt);
      row.lastChangedAt = maxIso(row.lastChangedAt, page.lastChangedAt);
      lastOk = maxIso(lastOk, page.lastOkAt);
    }
    row.isStale = lastOk === undefined || now.getTime() - Date.parse(lastOk) > source.freshness_sla_days * DAY_MS;
    if (lastOk !== undefined) {
      row.lastOkAt = lastOk;
      row.daysSinceOk = daysBetween(lastOk, now);
    }
    if (row.lastChangedAt !== undefined) row.daysSinceChange = daysBetween(row.lastChangedAt, now);
    if (row.lastFetchedAt === undefined) delete row.lastFetchedAt;
    if (row.lastChangedAt === undefined) delete row.lastChangedAt;
    rows.push(row);
  }
  return {
    generatedAt: now.toISOString(),
    sources: rows,
    pages,
    brokenLinks,
    weeks: weekRange(weekCounts, now, opts.historyWeeks ?? 26),
    ...(opts.linkChecks ? { linksChecked: opts.linkChecks.size } : {}),
    ...(opts.linksUnchecked === undefined ? {} : { linksUnchecked: opts.linksUnchecked }),
    ...(opts.storedLinkChecks && opts.storedLinkChecks.size > 0 ? { linksOnRecord: opts.storedLinkChecks.size } : {}),
    analytics: auditAnalytics(sources, rows, shards, opts.runs),
  };
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
