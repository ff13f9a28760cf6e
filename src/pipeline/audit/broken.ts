import type { ResolvedSource } from '../../config/schema.js';
import type { LinkCheckRecord, PageRecord } from '../../store/records.js';
import { normalizeUrl } from '../fetch/index.js';
import type { BrokenLink, LinkCheck } from './types.js';

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
export type Why = Pick<BrokenLink, 'via' | 'reason' | 'status' | 'removedAt' | 'error' | 'checkedAt'>;

export function brokenReason(
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
