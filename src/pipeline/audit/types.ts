import type { LinkCheckRecord, RunRecord } from '../../store/records.js';
import type { AuditAnalytics } from './analytics.js';

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
