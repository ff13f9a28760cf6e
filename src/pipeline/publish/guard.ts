/**
 * The publish guard: a bundle that would wipe or halve what is published is not written unless
 * asked for on purpose. A nightly run with nothing approved (a new workspace, or a store restored
 * from nothing) would otherwise replace the site with an empty one. Pure.
 */
import { CheckFailedError } from '../../errors.js';
import { latestApproved } from '../review/index.js';
import type { ReviewItem } from '../types.js';
import type { Bundle } from './bundle.js';

/** A bundle may drop at most this share of the pages the previous one published (approved removals not counted). */
export const MAX_DROPPED_SHARE = 0.5;

/** Why a bundle was not written. */
export type PublishRefusal =
  /** The new bundle would have no pages and no topic pages. */
  | { kind: 'nothing-approved'; previousId?: string; previousPages: number }
  /** The new bundle would drop more than half of the previous bundle's pages without approved removals. */
  | { kind: 'shrink'; previousId: string; previousPages: number; pages: number; dropped: string[] };

export interface GuardOptions {
  /** `--allow-empty`: publish a bundle without pages and topics on purpose. */
  isEmptyAllowed?: boolean;
  /** `--allow-shrink`: publish a bundle that drops most of the published pages on purpose. */
  isShrinkAllowed?: boolean;
}

/**
 * Whether the bundle of `pageUrls` and `topicCount` topic pages may replace `previous`. A page of
 * the previous bundle that is gone counts as dropped unless its latest approved item (in `items`)
 * is a removal: a page removed upstream and reviewed as removed is legitimately unpublished.
 */
export function publishGuard(
  previous: Bundle | undefined,
  next: { pageUrls: readonly string[]; topicCount: number },
  items: readonly ReviewItem[],
  opts: GuardOptions = {},
): PublishRefusal | undefined {
  const previousPages = previous?.pages.length ?? 0;
  if (next.pageUrls.length === 0 && next.topicCount === 0) {
    if (opts.isEmptyAllowed) return undefined;
    return { kind: 'nothing-approved', ...(previous ? { previousId: previous.id } : {}), previousPages };
  }
  if (!previous || opts.isShrinkAllowed) return undefined;
  const kept = new Set(next.pageUrls);
  const byUrl = new Map<string, ReviewItem[]>();
  for (const item of items) byUrl.set(item.url, [...(byUrl.get(item.url) ?? []), item]);
  const dropped = previous.pages
    .map((p) => p.url)
    .filter((url) => !kept.has(url) && latestApproved(byUrl.get(url) ?? [])?.kind !== 'removed')
    .sort();
  if (dropped.length === 0 || dropped.length <= previousPages * MAX_DROPPED_SHARE) return undefined;
  return { kind: 'shrink', previousId: previous.id, previousPages, pages: next.pageUrls.length, dropped };
}

/** A refused publish: exit 1 ("a check failed"), nothing written, LATEST left as it was. */
export class PublishRefusedError extends CheckFailedError {
  readonly refusal: PublishRefusal;
  constructor(refusal: PublishRefusal, message: string, hint: string) {
    super(refusal.kind === 'shrink' ? 'bundle-shrink' : 'nothing-approved', message, hint);
    this.refusal = refusal;
  }
}

/** The refusal as an error naming the workspace and the LATEST file left alone (`latest`: as shown to the user). */
export function refusalError(refusal: PublishRefusal, workspace: string, latest: string): PublishRefusedError {
  const kept = refusal.previousId ? `${latest} still names ${refusal.previousId}` : `${latest} left as it was`;
  if (refusal.kind === 'nothing-approved') {
    return new PublishRefusedError(
      refusal,
      `nothing to publish: nothing approved yet in ${workspace} (no pages, no topic pages); no bundle written, ${kept}`,
      'Approve items first: "eti review list", then "eti review approve ID"; --allow-empty publishes an empty bundle on purpose.',
    );
  }
  const shown = refusal.dropped.slice(0, 3).join(', ') + (refusal.dropped.length > 3 ? `, … (${refusal.dropped.length - 3} more)` : '');
  return new PublishRefusedError(
    refusal,
    `not published: the new bundle would drop ${refusal.dropped.length} of the ${refusal.previousPages} pages of ${refusal.previousId} without an approved removal (${shown}); no bundle written, ${kept}`,
    'A source taken out of sources.yaml or a store restored from an old copy does this; check them. --allow-shrink publishes the smaller bundle on purpose.',
  );
}
