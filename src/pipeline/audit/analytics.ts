import type { ResolvedSource } from '../../config/schema.js';
import type { RunRecord, ShardData } from '../../store/records.js';
import type { AuditSourceRow } from './audit.js';

/**
 * The analysts' figures beside the freshness audit: time from change to approval, LIX and cost
 * per source, pages that cannot be reached, a roll-up per owner, and what the last crawl skipped.
 * Pure: shards and the store's run records in, plain numbers out; the same input gives the same
 * output.
 */

/** Per source: what the freshness rows do not say. */
export interface SourceAnalytics {
  sourceId: string;
  /** Pages (not removed) whose last fetch failed without an answer: timeout, network, DNS, an unreachable robots.txt. */
  unreachable: number;
  /** Pages (not removed) whose last fetch was refused by robots.txt. */
  robotsBlocked: number;
  /** Items approved, and the median whole hours from the item's creation (the change) to its approval. */
  approvals: number;
  medianHoursToApproval?: number;
  /** Median LIX of the current summaries (those of items not superseded), and of their source pages. */
  summaryLix?: number;
  sourceLix?: number;
  /** Summaries with a LIX figure that the medians are taken over. */
  lixCount: number;
  /** Estimated cost of every stored summary of the source, USD (`summarize.prices`); 0 when none is priced. */
  costUsd: number;
}

/** One owner's sources added up. */
export interface OwnerRollup {
  owner: string;
  sources: number;
  pages: number;
  failing: number;
  unreachable: number;
  staleSources: number;
  pending: number;
  pendingOverdue: number;
  brokenLinks: number;
  costUsd: number;
}

/** What the newest finished crawl counted: pages skipped (robots.txt) and failed. */
export interface LastCrawl {
  finishedAt: string;
  skipped: number;
  failed: number;
}

export interface AuditAnalytics {
  sources: SourceAnalytics[];
  owners: OwnerRollup[];
  /** Pending review items (not pages) over the sources reported on. */
  pendingItems: number;
  /** Median hours from change to approval over every approval of those sources. */
  medianHoursToApproval?: number;
  lastCrawl?: LastCrawl;
}

const HOUR_MS = 3_600_000;
/** Fetch error codes that mean no answer came at all (the host or the network is down). */
const UNREACHABLE = /^(timeout|network|dns|robots-unreachable|host-)/;

/** The median of `xs` (the mean of the middle two for an even count); undefined for none. */
export function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round1 = (x: number | undefined): number | undefined => (x === undefined ? undefined : Math.round(x * 10) / 10);

function hoursToApproval(shard: ShardData | undefined): number[] {
  const out: number[] = [];
  for (const i of Object.values(shard?.reviews ?? {})) {
    if (i.status !== 'approved' || !i.decidedAt) continue;
    const h = (Date.parse(i.decidedAt) - Date.parse(i.createdAt)) / HOUR_MS;
    if (Number.isFinite(h)) out.push(Math.max(0, Math.round(h)));
  }
  return out;
}

function sourceAnalytics(source: ResolvedSource, shard: ShardData | undefined): SourceAnalytics {
  let unreachable = 0;
  let robotsBlocked = 0;
  for (const p of Object.values(shard?.pages ?? {})) {
    if (p.removedAt || p.duplicateOf || p.consecutiveFailures === 0 || !p.lastFailure) continue;
    if (p.lastFailure.code === 'robots-disallowed') robotsBlocked++;
    else if (UNREACHABLE.test(p.lastFailure.code)) unreachable++;
  }
  const hours = hoursToApproval(shard);
  const summaryLix: number[] = [];
  const sourceLix: number[] = [];
  for (const i of Object.values(shard?.reviews ?? {})) {
    if (i.status === 'superseded' || !i.summaryId) continue;
    const pl = shard?.summaries[i.summaryId]?.plainLanguage;
    if (!pl) continue;
    summaryLix.push(pl.summary.lix);
    sourceLix.push(pl.source.lix);
  }
  const cost = Object.values(shard?.summaries ?? {}).reduce((sum, s) => sum + (s.costUsd ?? 0), 0);
  const medianHours = median(hours);
  const sLix = round1(median(summaryLix));
  const pLix = round1(median(sourceLix));
  return {
    sourceId: source.id,
    unreachable,
    robotsBlocked,
    approvals: hours.length,
    ...(medianHours === undefined ? {} : { medianHoursToApproval: Math.round(medianHours) }),
    ...(sLix === undefined ? {} : { summaryLix: sLix }),
    ...(pLix === undefined ? {} : { sourceLix: pLix }),
    lixCount: summaryLix.length,
    costUsd: Math.round(cost * 10_000) / 10_000,
  };
}

/** Source rows added up per owner, owners in the order they first appear in sources.yaml. */
function rollup(rows: readonly AuditSourceRow[], extra: readonly SourceAnalytics[]): OwnerRollup[] {
  const out = new Map<string, OwnerRollup>();
  rows.forEach((r, i) => {
    const o = out.get(r.owner) ?? {
      owner: r.owner,
      sources: 0,
      pages: 0,
      failing: 0,
      unreachable: 0,
      staleSources: 0,
      pending: 0,
      pendingOverdue: 0,
      brokenLinks: 0,
      costUsd: 0,
    };
    o.sources++;
    o.pages += r.pages;
    o.failing += r.failing;
    o.unreachable += extra[i]?.unreachable ?? 0;
    if (r.isStale) o.staleSources++;
    o.pending += r.pending;
    o.pendingOverdue += r.pendingOverdue;
    o.brokenLinks += r.brokenLinks;
    o.costUsd = Math.round((o.costUsd + (extra[i]?.costUsd ?? 0)) * 10_000) / 10_000;
    out.set(r.owner, o);
  });
  return [...out.values()];
}

/**
 * The analytics for `sources` (rows as `audit()` made them, in the same order). `runs`: the
 * store's run records; the newest finished crawl gives `lastCrawl`.
 */
export function auditAnalytics(
  sources: readonly ResolvedSource[],
  rows: readonly AuditSourceRow[],
  shards: ReadonlyMap<string, ShardData>,
  runs: readonly RunRecord[] = [],
): AuditAnalytics {
  const per = sources.map((s) => sourceAnalytics(s, shards.get(s.id)));
  const allHours = sources.flatMap((s) => hoursToApproval(shards.get(s.id)));
  const pendingItems = sources.reduce(
    (n, s) => n + Object.values(shards.get(s.id)?.reviews ?? {}).filter((i) => i.status === 'pending').length,
    0,
  );
  const crawl = [...runs]
    .filter((r) => r.command === 'crawl' && r.finishedAt)
    .sort((a, b) => (a.finishedAt! < b.finishedAt! ? -1 : 1))
    .pop();
  const medianHours = median(allHours);
  return {
    sources: per,
    owners: rollup(rows, per),
    pendingItems,
    ...(medianHours === undefined ? {} : { medianHoursToApproval: Math.round(medianHours) }),
    ...(crawl
      ? { lastCrawl: { finishedAt: crawl.finishedAt!, skipped: crawl.counts.skipped ?? 0, failed: crawl.counts.failed ?? crawl.failures } }
      : {}),
  };
}
