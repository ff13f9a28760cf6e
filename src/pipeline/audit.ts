import type { ResolvedSource } from '../config/schema.js';
import type { ShardData } from '../store/records.js';
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
  lastFetchedAt?: string;
  lastOkAt?: string;
  lastChangedAt?: string;
  /** The page's own "last updated" date, when it states one. */
  pageModified?: string;
  consecutiveFailures: number;
  lastFailure?: string;
  review: ReviewState;
  /** Days the oldest pending item of this page has waited. */
  pendingDays?: number;
  /** The published summary is of older content than the page has now. */
  isPublishedOutdated: boolean;
  versions: number;
}

export interface AuditSourceRow {
  sourceId: string;
  name: string;
  owner: string;
  pages: number;
  ok: number;
  failing: number;
  removed: number;
  pending: number;
  unreviewed: number;
  published: number;
  publishedOutdated: number;
  lastFetchedAt?: string;
  lastChangedAt?: string;
  /** Not fetched successfully within freshness_sla_days (or never). */
  isStale: boolean;
  oldestPendingDays?: number;
}

export interface Audit {
  generatedAt: string;
  sources: AuditSourceRow[];
  pages: AuditPageRow[];
}

const DAY_MS = 86_400_000;

function maxIso(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

/** Freshness and review state per source and page. Pure: give it shards and a clock. */
export function audit(sources: readonly ResolvedSource[], shards: ReadonlyMap<string, ShardData>, now: Date): Audit {
  const rows: AuditSourceRow[] = [];
  const pages: AuditPageRow[] = [];
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
      pending: 0,
      unreviewed: 0,
      published: published.size,
      publishedOutdated: 0,
      isStale: true,
    };
    let lastOk: string | undefined;
    for (const page of Object.values(shard?.pages ?? {}).sort((a, b) => (a.url < b.url ? -1 : 1))) {
      const current = page.versions[page.versions.length - 1];
      if (!current) continue;
      const own = itemsByUrl.get(page.url) ?? [];
      const forCurrent = own.filter((i) => i.contentHash === current.contentHash && i.status !== 'superseded');
      const pendingItems = own.filter((i) => i.status === 'pending');
      const review: ReviewState = pendingItems.length > 0
        ? 'pending'
        : forCurrent.some((i) => i.status === 'approved')
          ? 'approved'
          : forCurrent.some((i) => i.status === 'rejected')
            ? 'rejected'
            : 'unreviewed';
      const oldestPending = pendingItems.reduce<string | undefined>((m, i) => (m === undefined || i.createdAt < m ? i.createdAt : m), undefined);
      const pub = published.get(page.url);
      const health = page.removedAt ? 'removed' : page.consecutiveFailures > 0 ? 'failing' : 'ok';
      const pageRow: AuditPageRow = {
        sourceId: source.id,
        url: page.url,
        title: current.title,
        health,
        ...(page.lastStatus === undefined ? {} : { lastStatus: page.lastStatus }),
        ...(page.lastFetchedAt ? { lastFetchedAt: page.lastFetchedAt } : {}),
        ...(page.lastOkAt ? { lastOkAt: page.lastOkAt } : {}),
        ...(page.lastChangedAt ? { lastChangedAt: page.lastChangedAt } : {}),
        ...(current.dates.modified ? { pageModified: current.dates.modified } : {}),
        consecutiveFailures: page.consecutiveFailures,
        ...(page.lastFailure ? { lastFailure: `${page.lastFailure.code}: ${page.lastFailure.message}` } : {}),
        review,
        ...(oldestPending ? { pendingDays: Math.floor((now.getTime() - Date.parse(oldestPending)) / DAY_MS) } : {}),
        isPublishedOutdated: pub !== undefined && (pub.contentHash !== current.contentHash || page.removedAt !== undefined),
        versions: page.versions.length,
      };
      pages.push(pageRow);
      row.pages++;
      row[health]++;
      if (review === 'pending') row.pending++;
      if (review === 'unreviewed') row.unreviewed++;
      if (pageRow.isPublishedOutdated) row.publishedOutdated++;
      if (pageRow.pendingDays !== undefined) row.oldestPendingDays = Math.max(row.oldestPendingDays ?? 0, pageRow.pendingDays);
      row.lastFetchedAt = maxIso(row.lastFetchedAt, page.lastFetchedAt);
      row.lastChangedAt = maxIso(row.lastChangedAt, page.lastChangedAt);
      lastOk = maxIso(lastOk, page.lastOkAt);
    }
    const slaDays = source.freshness_sla_days;
    row.isStale = lastOk === undefined || (slaDays !== undefined && now.getTime() - Date.parse(lastOk) > slaDays * DAY_MS);
    if (row.lastFetchedAt === undefined) delete row.lastFetchedAt;
    if (row.lastChangedAt === undefined) delete row.lastChangedAt;
    rows.push(row);
  }
  return { generatedAt: now.toISOString(), sources: rows, pages };
}
