import type { PageRecord, VersionRecord } from '../../store/records.js';
import { latestApproved, reviewItemId } from '../review/index.js';
import type { ReviewItem } from '../types.js';

/**
 * What the review queue does with one page, decided from the page and its review items alone
 * (no store, no clock, no LLM):
 * - `skip`: nothing to do (no version, already handled, or a removal nobody needs to decide);
 * - `supersede`: the content is back to the approved version: pending items are superseded, no new item;
 * - `removal`: a removal item;
 * - `summarize`: a new or changed item with a summary (from the cache or the LLM).
 */
export type ItemPlan =
  | { action: 'skip'; reason: 'no-version' | 'handled' | 'unpublished-removal' }
  | { action: 'supersede'; kind: ReviewItem['kind']; current: VersionRecord }
  | {
      action: 'removal' | 'summarize';
      kind: ReviewItem['kind'];
      current: VersionRecord;
      /** The page is back after its removal was published: reviewed as new. */
      isBack: boolean;
      /** The id of the new item (its occurrence counted past ids the page already has). */
      id: string;
      /** The content the item is compared against (approved, else the previous version), if any. */
      baseHash: string | undefined;
      /** The base the change summary is made against (changed items only): part of the cache key. */
      changeBase: string | undefined;
    };

/** The queue's decision for `page` given its review `items` (see `ItemPlan`). */
export function planItem(page: PageRecord, items: readonly ReviewItem[]): ItemPlan {
  // A version that differs from an earlier one only by noise stands for that one: same item,
  // same summary, nothing new to review (see pipeline/diff/noise.ts).
  const current = effectiveVersion(page.versions);
  if (!current) return { action: 'skip', reason: 'no-version' };
  // The same approval the bundle publishes (ties of decidedAt broken alike).
  const approved = latestApproved(items);
  // A page back after its removal was published is new to the bundle again: reviewed as a new
  // page (material), not as a change against its own last text.
  const isBack = !page.removedAt && approved?.kind === 'removed';
  const kind = itemKind(page, current, approved, isBack);
  // Already handled when the page's newest item is for this content. An older item for it does
  // not count: content that comes back after another version (A → B → A, or a page removed
  // twice) is a new step to review, or the bundle would keep publishing B.
  const newest = newestItem(items);
  if (newest && newest.contentHash === current.contentHash && newest.kind === kind) return { action: 'skip', reason: 'handled' };
  const id = occurrenceId(page.url, current.contentHash, kind, items);
  // Back to the content already approved (and published): nothing to review.
  if (kind !== 'removed' && approved?.kind !== 'removed' && approved?.contentHash === current.contentHash)
    return { action: 'supersede', kind, current };
  // A removed page that was never published and has nothing pending needs no decision.
  if (kind === 'removed' && !approved && !items.some((i) => i.status === 'pending'))
    return { action: 'skip', reason: 'unpublished-removal' };
  const baseHash = isBack ? undefined : (approved?.contentHash ?? previousVersion(page.versions, current)?.contentHash);
  // The change summary depends on what the content is compared against: that is in the key.
  const changeBase = kind === 'changed' ? baseHash : undefined;
  return { action: kind === 'removed' ? 'removal' : 'summarize', kind, current, isBack, id, baseHash, changeBase };
}

function itemKind(page: PageRecord, current: VersionRecord, approved: ReviewItem | undefined, isBack: boolean): ReviewItem['kind'] {
  if (page.removedAt) return 'removed';
  if (isBack) return 'new';
  return approved || previousVersion(page.versions, current) ? 'changed' : 'new';
}

/** The item created last (the first of equal `createdAt`). */
export function newestItem(items: readonly ReviewItem[]): ReviewItem | undefined {
  return items.reduce<ReviewItem | undefined>((a, i) => (!a || i.createdAt > a.createdAt ? i : a), undefined);
}

/** The item id for this content and kind, counting occurrences past the ids `items` already use. */
export function occurrenceId(url: string, contentHash: string, kind: ReviewItem['kind'], items: readonly ReviewItem[]): string {
  let id = reviewItemId(url, contentHash, kind);
  for (let n = 2; items.some((i) => i.id === id); n++) id = reviewItemId(url, contentHash, kind, n);
  return id;
}

/** The current version, or the earlier one it repeats but for noise (`noiseOf`). */
export function effectiveVersion(versions: readonly VersionRecord[]): VersionRecord | undefined {
  const current = versions[versions.length - 1];
  if (!current?.noiseOf) return current;
  for (let i = versions.length - 2; i >= 0; i--) if (versions[i]!.contentHash === current.noiseOf) return versions[i];
  return current;
}

/** The version before `version` that is not the same content but for noise. */
export function previousVersion(versions: readonly VersionRecord[], version: VersionRecord): VersionRecord | undefined {
  for (let i = versions.length - 1; i >= 0; i--) {
    const v = versions[i]!;
    if (v === version || v.contentHash === version.contentHash || v.noiseOf === version.contentHash) continue;
    return v.noiseOf ? (versions.find((w) => w.contentHash === v.noiseOf) ?? v) : v;
  }
  return undefined;
}
