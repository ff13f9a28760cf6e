import PQueue from 'p-queue';
import type { ResolvedSource } from '../config/schema.js';
import { messageOf } from '../errors.js';
import type { PageRecord, VersionRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { sha256 } from '../store/blobs.js';
import { diffTexts } from './diff.js';
import { isNoiseOnly } from './noise.js';
import { extractInline, type Extractor } from './extract-pool.js';
import { extractDocument, extractOptionsFor } from './extract/document.js';
import {
  FetchError,
  fetchWithRetry,
  isInScope,
  normalizeUrl,
  parseSitemap,
  type RobotsCache,
  type BrowserFetcher,
} from './fetch/index.js';
import { Politeness } from './fetch/politeness.js';
import { PeriodicFlush } from '../store/periodic-flush.js';
import type { Change, ExtractResult, Fetched, PageFailure } from './types.js';

/** What happened to one URL in a crawl; one event per URL, for progress and `--json`. */
export type PageOutcome = 'new' | 'changed' | 'noise' | 'unchanged' | 'not-modified' | 'date-only' | 'removed' | 'gone' | 'duplicate' | 'resumed' | 'failed' | 'skipped';

export interface CrawlEvent {
  type: 'page';
  sourceId: string;
  url: string;
  outcome: PageOutcome;
  status?: number;
  via?: 'http' | 'browser';
  code?: string;
  message?: string;
  /** URLs done and known so far in this crawl (all sources). */
  done: number;
  queued: number;
  /** The URL's host, and URLs done and known so far for that host. */
  host: string;
  hostDone: number;
  hostQueued: number;
}

export interface CrawlDeps {
  store: Store;
  clock: () => Date;
  userAgent: string;
  /** Requests in flight at once across all hosts. */
  concurrency: number;
  /** Extraction (a worker pool in the CLI); default: on this thread. */
  extract?: Extractor;
  /** Lazily-launched browser, shared by the run; the caller closes it. */
  browser: () => BrowserFetcher;
  onEvent?: (e: CrawlEvent) => void;
  /** Write the store at most this often during a crawl (ms; longer when a flush is slow: at most ~5 % of the time). Default 2000. */
  flushEveryMs?: number;
  /** Called after each periodic flush; the CLI collects garbage there (see src/memory.ts). */
  afterFlush?: () => void;
  /** Retries for transient failures. Default 2 (tests may set 0). */
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Resume an interrupted crawl: pages fetched successfully at or after this time (ISO) are not
   * fetched again (outcome `resumed`); their stored HTML still yields their links.
   */
  resumeAfter?: string;
}

export interface CrawlResult {
  changes: Change[];
  failures: PageFailure[];
  counts: Record<PageOutcome, number>;
}

/** Phrases of a page that needs JavaScript: with render auto, they send it to the browser. */
const JS_NOTICE = /(aktiver(e)?|slå på|skru på|enable)\s+javascript|javascript (er|is) (deaktivert|disabled|required)/i;

/**
 * Crawl every source: fetch (conditionally), extract, compare with the stored version, and
 * store what is new. Per-page problems become `PageFailure`s; nothing here throws for a page.
 * Unchanged pages (304, or the same body hash) skip extraction entirely.
 */
export async function crawl(sources: readonly ResolvedSource[], deps: CrawlDeps): Promise<CrawlResult> {
  const result: CrawlResult = {
    changes: [],
    failures: [],
    counts: { new: 0, changed: 0, noise: 0, unchanged: 0, 'not-modified': 0, 'date-only': 0, removed: 0, gone: 0, duplicate: 0, resumed: 0, failed: 0, skipped: 0 },
  };
  const global = new PQueue({ concurrency: deps.concurrency });
  // robots.txt per source, one start gate and one queue per host: shared with the audit's link check.
  const politeness = new Politeness({ userAgent: deps.userAgent, ...(deps.sleep ? { sleep: deps.sleep } : {}) });
  let done = 0;
  let queued = 0;
  // Saved every few seconds (the interval grows with the cost of a flush); a crash loses at most
  // one interval of pages, which the resumed run fetches again.
  const saver = new PeriodicFlush(
    async () => {
      await deps.store.flush();
      deps.afterFlush?.();
    },
    { everyMs: deps.flushEveryMs ?? 2000 },
  );

  /** Per host: [done, queued]. */
  const perHost = new Map<string, [number, number]>();
  const hostOf = (url: string): string => {
    try {
      return new URL(url).host;
    } catch {
      return '';
    }
  };

  const report = (sourceId: string, url: string, outcome: PageOutcome, extra: Partial<CrawlEvent> = {}): void => {
    result.counts[outcome]++;
    done++;
    const host = hostOf(url);
    const h = perHost.get(host) ?? [0, 0];
    h[0]++;
    perHost.set(host, h);
    deps.onEvent?.({ type: 'page', sourceId, url, outcome, done, queued, host, hostDone: h[0], hostQueued: Math.max(h[0], h[1]), ...extra });
  };

  const fail = (source: ResolvedSource, url: string, stage: PageFailure['stage'], code: string, message: string): void => {
    result.failures.push({ url, sourceId: source.id, stage, code, message });
    report(source.id, url, 'failed', { code, message });
  };

  async function crawlSource(source: ResolvedSource): Promise<void> {
    const robots = politeness.robotsFor(source);
    const shard = await deps.store.shard(source.id);
    const seen = new Set<string>();
    let budget = source.max_pages;
    /** Content hash → the URL that owns it (the page stored first): identical pages are duplicates. */
    const owners = new Map<string, string>();
    for (const p of Object.values(shard.pages)) {
      const last = p.versions[p.versions.length - 1];
      if (last && !p.removedAt && !p.duplicateOf && !owners.has(last.contentHash)) owners.set(last.contentHash, p.url);
    }
    const tasks: Promise<void>[] = [];

    const enqueue = (rawUrl: string, depth: number, isSeed: boolean): void => {
      const url = normalizeUrl(rawUrl, undefined, source.trailing_slash);
      if (url === null || seen.has(url)) return;
      const scope = { include: isSeed ? [] : source.includeRe, exclude: source.excludeRe, allowedHosts: source.allowed_hosts };
      if (!isInScope(url, scope)) return;
      if (budget <= 0) return;
      budget--;
      seen.add(url);
      queued++;
      const host = new URL(url).host;
      const h = perHost.get(host) ?? [0, 0];
      h[1]++;
      perHost.set(host, h);
      tasks.push(
        politeness.hostQueue(host, source.concurrency_per_host).add(() => global.add(() => crawlPage(source, url, depth, enqueue, owners))).then(
          () => saver.maybe(),
          (err: unknown) => fail(source, url, 'store', 'internal', messageOf(err)),
        ),
      );
    };

    for (const u of source.start_urls) enqueue(u, 0, true);
    if (source.use_sitemap) {
      for (const u of await sitemapUrls(source, robots)) enqueue(u, 0, false);
    }
    // Every page the store knows is revalidated, linked or not: that is how removals are seen.
    for (const page of Object.values(shard.pages)) enqueue(page.url, page.depth, true);

    // Tasks enqueue more tasks (links); wait until the list stops growing.
    for (let i = 0; i < tasks.length; i++) await tasks[i];
  }

  async function crawlPage(
    source: ResolvedSource,
    url: string,
    depth: number,
    enqueue: (url: string, depth: number, isSeed: boolean) => void,
    owners: Map<string, string>,
  ): Promise<void> {
    const now = deps.clock().toISOString();
    const known = await deps.store.page(source.id, url);
    const rules = await politeness.rulesFor(source, url);
    if (rules && !rules.isAllowed(url, deps.userAgent)) {
      // Honouring robots.txt is by design, not a failure: reported, never fetched.
      report(source.id, url, 'skipped', { code: 'robots-disallowed', message: `${url}: disallowed by robots.txt` });
      return;
    }
    if (deps.resumeAfter && known && !known.lastFailure && (known.lastFetchedAt ?? '') >= deps.resumeAfter && (known.versions.length > 0 || known.duplicateOf)) {
      // Its links come from the stored HTML; when that is not stored (a body whose text did not
      // change is not kept), the page is fetched again instead, so discovery stays complete.
      const needsLinks = depth < source.max_depth;
      const raw = needsLinks && known.rawHash ? await deps.store.blobs.get(known.rawHash) : undefined;
      if (!needsLinks || raw !== undefined) {
        const r = raw !== undefined ? await (deps.extract ?? extractInline)(raw, { url: known.finalUrl }) : undefined;
        if (r?.ok) for (const link of r.page.links) enqueue(link, depth + 1, false);
        report(source.id, url, 'resumed');
        return;
      }
    }
    // Politeness: requests to one host start at least delay_ms apart (robots.txt Crawl-delay wins when longer).
    await politeness.gate(new URL(url).host, politeness.delayMsFor(source, rules));

    let fetched: Fetched;
    try {
      fetched =
        source.render === 'browser'
          ? await deps.browser().fetch(url, { timeoutMs: source.timeout_ms, userAgent: deps.userAgent, allowPrivateNetwork: source.allow_private_network })
          : await fetchWithRetry(url, {
              ...politeness.httpOptionsFor(source),
              ...(known?.etag || known?.lastModified
                ? { conditional: { ...(known.etag ? { etag: known.etag } : {}), ...(known.lastModified ? { lastModified: known.lastModified } : {}) } }
                : {}),
              retries: deps.retries ?? 2,
              baseDelayMs: 500,
              maxDelayMs: 30_000,
              ...(deps.sleep ? { sleep: deps.sleep } : {}),
            });
    } catch (err) {
      const code = err instanceof FetchError ? err.code : 'network';
      recordFailure(source, known, url, code, messageOf(err), now);
      return;
    }

    if (fetched.status === 404 || fetched.status === 410) {
      if (known && known.versions.length > 0) {
        // Only consecutive "gone" answers count towards removal: a 503 before them does not.
        const wasGone = /^http-(404|410)$/.test(known.lastFailure?.code ?? '');
        known.consecutiveFailures = wasGone ? known.consecutiveFailures + 1 : 1;
        known.lastFetchedAt = now;
        known.lastStatus = fetched.status;
        known.lastFailure = { code: `http-${fetched.status}`, message: `HTTP ${fetched.status}`, at: now };
        if (!known.removedAt && known.consecutiveFailures >= source.gone_after_failures) {
          known.removedAt = now;
          const last = known.versions[known.versions.length - 1]!;
          result.changes.push(diffTexts({ url, sourceId: source.id, oldText: '', oldHash: last.contentHash }));
          await deps.store.putPage(known);
          report(source.id, url, 'removed', { status: fetched.status });
          return;
        }
        await deps.store.putPage(known);
        // Removed before and still gone: the expected state, not a failure (it is checked each
        // crawl so that a page that comes back is seen).
        if (known.removedAt) {
          report(source.id, url, 'gone', { status: fetched.status });
          return;
        }
      }
      fail(source, url, 'fetch', `http-${fetched.status}`, `${url}: HTTP ${fetched.status}`);
      return;
    }
    if (fetched.status >= 400) {
      recordFailure(source, known, url, `http-${fetched.status}`, `${url}: HTTP ${fetched.status}`, now);
      return;
    }

    const page: PageRecord = known ?? {
      url,
      sourceId: source.id,
      finalUrl: fetched.finalUrl,
      redirects: fetched.redirects,
      depth,
      firstSeenAt: now,
      consecutiveFailures: 0,
      versions: [],
    };
    page.lastFetchedAt = now;
    page.lastOkAt = now;
    page.lastStatus = fetched.status;
    page.consecutiveFailures = 0;
    delete page.lastFailure;
    if (page.removedAt) delete page.removedAt; // it came back
    const current = page.versions[page.versions.length - 1];

    if (fetched.isNotModified && current) {
      current.lastSeenAt = now;
      await deps.store.putPage(page);
      report(source.id, url, 'not-modified', { status: 304, via: fetched.via });
      return;
    }
    page.finalUrl = fetched.finalUrl;
    page.redirects = fetched.redirects;
    page.contentType = fetched.contentType;
    setValidators(page, fetched);

    const rawHash = sha256(fetched.raw ?? fetched.body);
    if (page.duplicateOf && page.rawHash === rawHash) {
      await deps.store.putPage(page);
      report(source.id, url, 'duplicate', { status: fetched.status, message: `same as ${page.duplicateOf.url}` });
      return;
    }
    if (current && page.rawHash === rawHash && current.via === fetched.via) {
      current.lastSeenAt = now;
      await deps.store.putPage(page);
      report(source.id, url, 'unchanged', { status: fetched.status, via: fetched.via });
      return;
    }

    if (!fetched.raw && !/html|xml/.test(fetched.contentType)) {
      await deps.store.putPage(page);
      fail(source, url, 'extract', 'unsupported-content-type', `${url}: ${fetched.contentType || 'unknown content type'} is not a type eti extracts (HTML or PDF)`);
      return;
    }

    const first = await extractFrom(source, fetched);
    let extracted = first.ok ? first.page : undefined;
    const isThin = !fetched.raw && (!extracted || extracted.text.length < source.min_text_chars || JS_NOTICE.test(extracted.text));
    if (source.render === 'auto' && isThin) {
      try {
        const rendered = await deps.browser().fetch(fetched.finalUrl, {
          timeoutMs: source.timeout_ms,
          userAgent: deps.userAgent,
          allowPrivateNetwork: source.allow_private_network,
        });
        const r = await extractFrom(source, rendered);
        const fromBrowser = r.ok ? r.page : undefined;
        if (fromBrowser && fromBrowser.text.length > (extracted?.text.length ?? 0)) {
          extracted = fromBrowser;
          fetched = rendered;
        }
      } catch (err) {
        if (!extracted) {
          await deps.store.putPage(page);
          fail(source, url, 'fetch', err instanceof FetchError ? err.code : 'browser-failed', messageOf(err));
          return;
        }
        result.failures.push({ url, sourceId: source.id, stage: 'fetch', code: 'browser-failed', message: messageOf(err) });
      }
    }
    if (!extracted) {
      await deps.store.putPage(page);
      fail(source, url, 'extract', first.ok ? 'no-content' : first.code, `${url}: ${first.ok ? 'no readable content' : first.reason}`);
      return;
    }

    for (const link of extracted.links) {
      if (depth < source.max_depth) enqueue(link, depth + 1, false);
    }

    page.rawHash = rawHash;
    // Duplicates: a canonical URL elsewhere, or the same text as a page stored first.
    const canonical = extracted.canonicalUrl ? normalizeUrl(extracted.canonicalUrl, undefined, source.trailing_slash) : null;
    const scope = { include: source.includeRe, exclude: source.excludeRe, allowedHosts: source.allowed_hosts };
    const owner = owners.get(extracted.contentHash);
    const dupOf: PageRecord['duplicateOf'] =
      canonical && canonical !== url && canonical !== normalizeUrl(fetched.finalUrl, undefined, source.trailing_slash) && isInScope(canonical, scope)
        ? { url: canonical, reason: 'canonical' }
        : owner && owner !== url && !current
          ? { url: owner, reason: 'same-content' }
          : undefined;
    if (dupOf) {
      if (dupOf.reason === 'canonical') enqueue(dupOf.url, depth, false);
      page.duplicateOf = dupOf;
      await deps.store.putPage(page);
      report(source.id, url, 'duplicate', { status: fetched.status, message: `same as ${dupOf.url}` });
      return;
    }
    delete page.duplicateOf;
    if (!owner) owners.set(extracted.contentHash, url);
    if (current && current.contentHash === extracted.contentHash) {
      // Same text: at most the page's own date stamps changed. Keep them as metadata only.
      const isDateOnly = JSON.stringify(current.dateStamps) !== JSON.stringify(extracted.dateStamps);
      current.lastSeenAt = now;
      current.dates = extracted.dates;
      current.dateStamps = extracted.dateStamps;
      await deps.store.putPage(page);
      if (isDateOnly) {
        result.changes.push({ ...diffTexts({ url, sourceId: source.id, oldText: extracted.text, newText: extracted.text, oldHash: current.contentHash, newHash: current.contentHash, isDateOnly: true }) });
      }
      report(source.id, url, isDateOnly ? 'date-only' : 'unchanged', { status: fetched.status, via: fetched.via });
      return;
    }

    const [, markdownHash] = await Promise.all([
      deps.store.blobs.put(extracted.text),
      deps.store.blobs.put(extracted.markdown),
      deps.store.blobs.put(fetched.raw ?? fetched.body),
    ]);
    const version: VersionRecord = {
      contentHash: extracted.contentHash,
      markdownHash,
      rawHash,
      title: extracted.title,
      lang: extracted.lang,
      ...(extracted.description ? { description: extracted.description } : {}),
      ...(extracted.publisher ? { publisher: extracted.publisher } : {}),
      ...(extracted.canonicalUrl ? { canonicalUrl: extracted.canonicalUrl } : {}),
      dates: extracted.dates,
      dateStamps: extracted.dateStamps,
      method: extracted.method,
      via: fetched.via,
      ...(extracted.ignoredLines ? { ignoredLines: extracted.ignoredLines } : {}),
      firstSeenAt: now,
      lastSeenAt: now,
    };
    const oldText = current ? await deps.store.blobs.get(current.contentHash) : undefined;
    // Only noise changed (a counter, a moved block, the source's ignore rules): the new text is
    // kept, standing in for the content it repeats, and nothing goes to review.
    const isNoise =
      current !== undefined &&
      oldText !== undefined &&
      isNoiseOnly({ text: oldText, ...(current.ignoredLines ? { ignoredLines: current.ignoredLines } : {}) }, extracted, { patterns: source.ignoreRe });
    if (isNoise) version.noiseOf = current.noiseOf ?? current.contentHash;
    page.versions.push(version);
    page.lastChangedAt = now;
    await deps.store.putPage(page);
    const change = diffTexts({
      url,
      sourceId: source.id,
      newText: extracted.text,
      newHash: extracted.contentHash,
      ...(current ? { oldText: oldText ?? '', oldHash: current.contentHash } : {}),
    });
    result.changes.push(isNoise ? { ...change, isNoise: true } : change);
    report(source.id, url, isNoise ? 'noise' : current ? 'changed' : 'new', { status: fetched.status, via: fetched.via });
  }

  function extractFrom(source: ResolvedSource, fetched: Fetched): Promise<ExtractResult> {
    return extractDocument(fetched, extractOptionsFor(source, fetched.finalUrl), deps.extract);
  }

  function recordFailure(source: ResolvedSource, known: PageRecord | undefined, url: string, code: string, message: string, now: string): void {
    if (known) {
      // Transient errors count, but never mark a page removed: only 404/410 do.
      known.consecutiveFailures++;
      known.lastFetchedAt = now;
      known.lastFailure = { code, message, at: now };
      void deps.store.putPage(known);
    }
    fail(source, url, 'fetch', code, message);
  }

  async function sitemapUrls(source: ResolvedSource, robots: RobotsCache): Promise<string[]> {
    const out: string[] = [];
    for (const origin of new Set(source.start_urls.map((u) => new URL(u).origin))) {
      const rules = await robots.get(origin);
      const queue = rules.sitemaps().length > 0 ? [...rules.sitemaps()] : [`${origin}/sitemap.xml`];
      for (let i = 0; i < queue.length && i < 50; i++) {
        try {
          const f = await fetchWithRetry(queue[i]!, { ...politeness.httpOptionsFor(source), retries: 1, baseDelayMs: 500, maxDelayMs: 5000 });
          if (f.status !== 200) continue;
          const sm = parseSitemap(f.body);
          out.push(...sm.urls.map((u) => u.loc));
          queue.push(...sm.sitemaps);
        } catch (err) {
          result.failures.push({ url: queue[i]!, sourceId: source.id, stage: 'fetch', code: 'sitemap', message: messageOf(err) });
        }
      }
    }
    return out;
  }

  await Promise.all(sources.map((s) => crawlSource(s)));
  await deps.store.flush();
  result.changes.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  return result;
}

function setValidators(page: PageRecord, fetched: Fetched): void {
  const etag = fetched.headers['etag'];
  const lastModified = fetched.headers['last-modified'];
  if (etag) page.etag = etag;
  else delete page.etag;
  if (lastModified) page.lastModified = lastModified;
  else delete page.lastModified;
}
