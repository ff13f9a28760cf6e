import type { ReviewItem } from '../pipeline/types.js';
import type { StoreApi } from './interface.js';
import type { PageRecord, VersionRecord } from './records.js';

/** What `eti gc` removed (or would remove, with `dryRun`). */
export interface GcResult {
  versionsPruned: number;
  summariesPruned: number;
  blobsDeleted: number;
  bytesFreed: number;
  /** Leftover temp files of interrupted blob writes, deleted. */
  tempFilesDeleted: number;
  versionsKept: number;
  blobsKept: number;
}

/**
 * Store upkeep: keep the newest `keep` versions of every page, and always every version a pending
 * or published item refers to (its content and the version its diff is against), and the version
 * a kept noise-only version stands in for. Summaries of pruned content go, except those an item
 * refers to; then every blob no kept version or page refers to is deleted. Review items and the
 * review log are the audit trail and are never pruned.
 *
 * Safe to kill at any moment: the index is flushed (atomically) before any blob is deleted, so a
 * killed gc leaves at worst orphan blobs for the next gc. Run it under the workspace lock.
 *
 * `publishedItems` is the pipeline's rule of what is published (pipeline/review.ts), passed in:
 * the store sits below the pipeline.
 */
export async function collectGarbage(
  store: StoreApi,
  opts: { keep: number; dryRun?: boolean; publishedItems: (items: readonly ReviewItem[]) => readonly ReviewItem[] },
): Promise<GcResult> {
  const result: GcResult = {
    versionsPruned: 0,
    summariesPruned: 0,
    blobsDeleted: 0,
    bytesFreed: 0,
    tempFilesDeleted: 0,
    versionsKept: 0,
    blobsKept: 0,
  };
  const referenced = new Set<string>();
  for (const shard of await store.allShards()) {
    const items = Object.values(shard.reviews);
    const pinned = pinnedHashes(items, opts.publishedItems);
    const keptContent = new Set<string>();
    for (const page of Object.values(shard.pages)) {
      const kept = keptVersions(page, opts.keep, pinned.get(page.url) ?? new Set());
      result.versionsPruned += page.versions.length - kept.length;
      result.versionsKept += kept.length;
      if (kept.length !== page.versions.length && !opts.dryRun) store.putPage({ ...page, versions: kept });
      for (const v of kept) {
        keptContent.add(v.contentHash);
        referenced.add(v.contentHash).add(v.markdownHash).add(v.rawHash);
      }
      if (page.rawHash) referenced.add(page.rawHash);
    }
    const itemSummaries = new Set(
      items.filter((i) => i.status === 'pending' || i.status === 'approved').flatMap((i) => (i.summaryId ? [i.summaryId] : [])),
    );
    for (const [id, summary] of Object.entries(await store.summaries(shard.sourceId))) {
      if (keptContent.has(summary.contentHash) || itemSummaries.has(id)) continue;
      result.summariesPruned++;
      if (!opts.dryRun) store.dropSummary(shard.sourceId, id);
    }
  }
  if (!opts.dryRun) await store.flush();
  const swept = await store.blobs.sweep(referenced, opts.dryRun ?? false);
  return { ...result, ...swept };
}

/** Per page, the content hashes that pending and published items refer to. */
function pinnedHashes(
  items: readonly ReviewItem[],
  publishedItems: (items: readonly ReviewItem[]) => readonly ReviewItem[],
): Map<string, Set<string>> {
  const pinned = new Map<string, Set<string>>();
  const pin = (url: string, hash: string | undefined): void => {
    if (!hash) return;
    const set = pinned.get(url) ?? new Set<string>();
    set.add(hash);
    pinned.set(url, set);
  };
  for (const item of [...items.filter((i) => i.status === 'pending'), ...publishedItems(items)]) {
    pin(item.url, item.contentHash);
    pin(item.url, item.baseHash);
  }
  return pinned;
}

/** The versions to keep, in their order: the newest `keep`, the pinned ones, and what kept noise versions stand for. */
function keptVersions(page: Readonly<PageRecord>, keep: number, pinned: ReadonlySet<string>): VersionRecord[] {
  const n = page.versions.length;
  const wanted = new Set<string>(pinned);
  page.versions.forEach((v, i) => {
    if (i >= n - keep) wanted.add(v.contentHash);
  });
  // A kept noise-only version stands in for an earlier one: keep that one too.
  for (const v of page.versions) if (wanted.has(v.contentHash) && v.noiseOf) wanted.add(v.noiseOf);
  return page.versions.filter((v, i) => i >= n - keep || wanted.has(v.contentHash));
}
