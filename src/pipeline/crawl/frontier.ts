/**
 * The frontier of one source in one crawl: which URLs are crawled (scope, once each, within
 * `max_pages`), how deep links are followed, which page owns a text (so that another page showing
 * it is a duplicate), and which pages an interrupted crawl already did (resume). The decisions are
 * pure; the crawl loop (`crawl.ts`) does the I/O around them.
 */
import type { ResolvedSource } from '../../config/schema.js';
import type { PageRecord } from '../../store/records.js';
import { isInScope, normalizeUrl } from '../fetch/index.js';

export class Frontier {
  private readonly seen = new Set<string>();
  private budget: number;
  /** Content hash → the URL that owns it (the page stored first): identical pages are duplicates. */
  private readonly owners = new Map<string, string>();

  /** `stored`: the source's pages in the store, whose current texts have owners already. */
  constructor(
    readonly source: ResolvedSource,
    stored: Iterable<PageRecord>,
  ) {
    this.budget = source.max_pages;
    for (const p of stored) {
      const last = p.versions[p.versions.length - 1];
      if (last && !p.removedAt && !p.duplicateOf && !this.owners.has(last.contentHash)) this.owners.set(last.contentHash, p.url);
    }
  }

  /**
   * The normalised URL when it is to be crawled now, else undefined: not a URL, seen before in this
   * crawl, out of scope, or over the source's page budget. Seeds (start URLs, stored pages) skip
   * the `include` patterns; `exclude` and the allowed hosts apply to every URL. A URL admitted
   * takes one page of the budget.
   */
  admit(rawUrl: string, isSeed: boolean): string | undefined {
    const source = this.source;
    const url = normalizeUrl(rawUrl, undefined, source.trailing_slash);
    if (url === null || this.seen.has(url)) return undefined;
    const scope = { include: isSeed ? [] : source.includeRe, exclude: source.excludeRe, allowedHosts: source.allowed_hosts };
    if (!isInScope(url, scope)) return undefined;
    if (this.budget <= 0) return undefined;
    this.budget--;
    this.seen.add(url);
    return url;
  }

  /** The links of a page at `depth` that are followed: none at the source's `max_depth`. */
  linksToFollow(links: readonly string[], depth: number): readonly string[] {
    return depth < this.source.max_depth ? links : [];
  }

  /**
   * Whether the page is another page's duplicate: its canonical URL names another page in scope, or
   * its text is one a page owns already while it has no stored version of its own.
   */
  duplicateOf(page: {
    url: string;
    finalUrl: string;
    canonicalUrl?: string | undefined;
    contentHash: string;
    hasVersion: boolean;
  }): PageRecord['duplicateOf'] {
    const source = this.source;
    const canonical = page.canonicalUrl ? normalizeUrl(page.canonicalUrl, undefined, source.trailing_slash) : null;
    const scope = { include: source.includeRe, exclude: source.excludeRe, allowedHosts: source.allowed_hosts };
    if (
      canonical &&
      canonical !== page.url &&
      canonical !== normalizeUrl(page.finalUrl, undefined, source.trailing_slash) &&
      isInScope(canonical, scope)
    ) {
      return { url: canonical, reason: 'canonical' };
    }
    const owner = this.owners.get(page.contentHash);
    return owner && owner !== page.url && !page.hasVersion ? { url: owner, reason: 'same-content' } : undefined;
  }

  /** `url` owns the text `contentHash` unless another page does already. */
  claim(contentHash: string, url: string): void {
    if (!this.owners.has(contentHash)) this.owners.set(contentHash, url);
  }
}

/**
 * Whether an interrupted crawl already did the page (`resumeAfter`: when it started, ISO): fetched
 * successfully since then, with a version or as a duplicate. Such a page is not fetched again.
 */
export function isDoneBefore(known: PageRecord | undefined, resumeAfter: string | undefined): known is PageRecord {
  return (
    resumeAfter !== undefined &&
    known !== undefined &&
    !known.lastFailure &&
    (known.lastFetchedAt ?? '') >= resumeAfter &&
    (known.versions.length > 0 || known.duplicateOf !== undefined)
  );
}
