import PQueue from 'p-queue';
import type { ResolvedSource } from '../../config/schema.js';
import { messageOf } from '../../errors.js';
import type { PageRecord, VersionRecord } from '../../store/records.js';
import { sha256 } from '../../hash.js';
import { diffTexts } from '../diff/index.js';
import { isNoiseOnly } from '../diff/index.js';
import { extractInline } from '../extract/index.js';
import { extractDocument, extractOptionsFor } from '../extract/index.js';
import { comparable, learnSourceChrome } from '../extract/index.js';
import {
  FetchError,
  fetchWithRetry,
  isInScope,
  normalizeUrl,
  type BrowserFetchOptions,
  type RetryOptions,
  type RobotsRules,
} from '../fetch/index.js';
import { gateMarginMs, Politeness } from '../fetch/index.js';
import { PeriodicFlush } from '../../store/periodic-flush.js';
import {
  recordDiscovered,
  recordDuplicate,
  recordFailure as recordPageFailure,
  recordFetched,
  recordGone,
  recordSameContent,
  recordVersion,
  retryNotBefore,
  type PageSeed,
} from './records.js';
import type { Extracted, ExtractResult, Fetched, PageFailure } from '../types.js';

import type { CrawlDeps, CrawlEvent, CrawlResult, PageOutcome } from './types.js';

export type { CrawlDeps, CrawlEvent, CrawlResult, PageOutcome } from './types.js';

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
    counts: {
      new: 0,
      changed: 0,
      noise: 0,
      unchanged: 0,
      'not-modified': 0,
      'date-only': 0,
      removed: 0,
      gone: 0,
      duplicate: 0,
      resumed: 0,
      failed: 0,
      skipped: 0,
    },
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
    deps.onEvent?.({
      type: 'page',
      sourceId,
      url,
      outcome,
      done,
      queued,
      host,
      hostDone: h[0],
      hostQueued: Math.max(h[0], h[1]),
      ...extra,
    });
  };

  const fail = (source: ResolvedSource, url: string, stage: PageFailure['stage'], code: string, message: string): void => {
    result.failures.push({ url, sourceId: source.id, stage, code, message });
    report(source.id, url, 'failed', { code, message });
  };

  /** Per source: its learned chrome (see extract/learned.ts). */
  const chromes = new Map<string, ReadonlySet<string>>();

  async function crawlSource(source: ResolvedSource): Promise<void> {
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
    // The source's site-wide chrome, learned from the text it has in the store (issue 14): the same
    // store gives the same set, and every extraction of this run gets it.
    const chrome = await learnSourceChrome(Object.values(shard.pages), (h) => deps.store.blobs.get(h));
    chromes.set(source.id, chrome);

    const enqueue = (rawUrl: string, depth: number, isSeed: boolean): void => {
      const url = normalizeUrl(rawUrl, undefined, source.trailing_slash);
      if (url === null || seen.has(url)) return;
      const scope = { include: isSeed ? [] : source.includeRe, exclude: source.excludeRe, allowedHosts: source.allowed_hosts };
      if (!isInScope(url, scope)) return;
      if (budget <= 0) return;
      budget--;
      seen.add(url);
      if (!shard.pages[url]) deps.store.addPage(recordDiscovered({ url, sourceId: source.id, depth }, deps.clock().toISOString()));
      queued++;
      const host = new URL(url).host;
      const h = perHost.get(host) ?? [0, 0];
      h[1]++;
      perHost.set(host, h);
      tasks.push(
        politeness
          .hostQueue(host, source.concurrency_per_host)
          .add(() => global.add(() => crawlPage(source, url, depth, enqueue, owners)))
          .then(
            () => (deps.flushTrigger?.() ? saver.now() : saver.maybe()),
            (err: unknown) => fail(source, url, 'store', 'internal', messageOf(err)),
          ),
      );
    };

    for (const u of source.start_urls) enqueue(u, 0, true);
    if (source.use_sitemap) {
      const onError = (url: string, err: unknown): void =>
        void result.failures.push({ url, sourceId: source.id, stage: 'fetch', code: 'sitemap', message: messageOf(err) });
      for (const u of await politeness.sitemapUrls(source, onError)) enqueue(u, 0, false);
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
    const seed: PageSeed = { url, sourceId: source.id, depth };
    // The stored record is never changed in place: every outcome puts a new record in one step
    // (crawl-records.ts), so a periodic flush cannot save half of a page's update.
    const known = await deps.store.page(source.id, url);
    const notBefore = known ? retryNotBefore(known) : undefined;
    if (notBefore !== undefined && now < notBefore) {
      report(source.id, url, 'skipped', {
        code: 'retry-backoff',
        message: `${url}: failed ${known!.consecutiveFailures} times in a row (last: ${known!.lastFailure!.code}); next try after ${notBefore}`,
      });
      return;
    }
    const rules = await politeness.rulesFor(source, url);
    if (rules?.failure) {
      // RFC 9309 §2.3.1.3–4: robots.txt unreachable or 5xx means the host is failing, not that it said no.
      await recordFailure(source, known, seed, rules.failure.code, `${url}: ${rules.failure.message}`, now);
      return;
    }
    if (rules && !rules.isAllowed(url, deps.userAgent)) {
      // Honouring robots.txt is by design, not a failure: reported, never fetched.
      report(source.id, url, 'skipped', { code: 'robots-disallowed', message: `${url}: disallowed by robots.txt` });
      return;
    }
    if (
      deps.resumeAfter &&
      known &&
      !known.lastFailure &&
      (known.lastFetchedAt ?? '') >= deps.resumeAfter &&
      (known.versions.length > 0 || known.duplicateOf)
    ) {
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
    const gate = gateFor(source, rules);

    let fetched: Fetched;
    try {
      fetched =
        source.render === 'browser'
          ? await deps.browser().fetch(url, browserOptionsFor(source, gate))
          : await fetchWithRetry(url, {
              ...politeness.httpOptionsFor(source),
              // Validators only of a stored version: they are saved with it, so they describe it.
              ...(known && known.versions.length > 0 && !known.duplicateOf && (known.etag || known.lastModified)
                ? {
                    conditional: {
                      ...(known.etag ? { etag: known.etag } : {}),
                      ...(known.lastModified ? { lastModified: known.lastModified } : {}),
                    },
                  }
                : {}),
              ...retryOptions(),
              beforeRequest: gate,
            });
    } catch (err) {
      const code = err instanceof FetchError ? err.code : 'network';
      await recordFailure(source, known, seed, code, messageOf(err), now);
      return;
    }

    if (fetched.status === 404 || fetched.status === 410) {
      const { page, isNewlyRemoved } = recordGone(known, seed, fetched.status, source.gone_after_failures, now);
      deps.store.putPage(page);
      const last = page.versions[page.versions.length - 1];
      if (isNewlyRemoved && last) {
        result.changes.push(diffTexts({ url, sourceId: source.id, oldText: '', oldHash: last.contentHash }));
        report(source.id, url, 'removed', { status: fetched.status });
      } else if (page.removedAt) {
        // Removed before (or never stored and gone N times) and still gone: the expected state,
        // not a failure (checked each crawl so that a page that comes back is seen).
        report(source.id, url, 'gone', { status: fetched.status });
      } else fail(source, url, 'fetch', `http-${fetched.status}`, `${url}: HTTP ${fetched.status}`);
      return;
    }
    if (fetched.status >= 400 || (fetched.isNotModified && !known?.versions.length)) {
      await recordFailure(source, known, seed, `http-${fetched.status}`, `${url}: HTTP ${fetched.status}`, now, fetched.status);
      return;
    }

    const page = recordFetched(known, seed, fetched, now);
    const current = page.versions[page.versions.length - 1];
    if (fetched.isNotModified) {
      deps.store.putPage(page);
      report(source.id, url, 'not-modified', { status: 304, via: fetched.via });
      return;
    }
    const rawBody = fetched.raw ?? fetched.body;
    const rawHash = sha256(rawBody);
    if (page.duplicateOf && page.rawHash === rawHash) {
      deps.store.putPage(recordDuplicate(page, fetched, rawHash, page.duplicateOf));
      report(source.id, url, 'duplicate', { status: fetched.status, message: `same as ${page.duplicateOf.url}` });
      return;
    }
    if (current && page.rawHash === rawHash && current.via === fetched.via) {
      deps.store.putPage(recordSameContent(page, fetched, rawHash, now));
      report(source.id, url, 'unchanged', { status: fetched.status, via: fetched.via });
      return;
    }

    if (!fetched.raw && !/html|xml/.test(fetched.contentType)) {
      await recordFailure(
        source,
        known,
        seed,
        'unsupported-content-type',
        `${url}: ${fetched.contentType || 'unknown content type'} is not a type eti extracts (HTML or PDF)`,
        now,
        fetched.status,
        'extract',
      );
      return;
    }

    const first = await extractFrom(source, fetched);
    let extracted = first.ok ? first.page : undefined;
    const isThin = !fetched.raw && (!extracted || extracted.text.length < source.min_text_chars || JS_NOTICE.test(extracted.text));
    if (source.render === 'auto' && isThin) {
      try {
        // The document fetched above is rendered as it is: no second request for it.
        const rendered = await deps.browser().fetch(fetched.finalUrl, { ...browserOptionsFor(source, gate), document: fetched });
        const r = await extractFrom(source, rendered);
        const fromBrowser = r.ok ? r.page : undefined;
        if (fromBrowser && fromBrowser.text.length > (extracted?.text.length ?? 0)) {
          extracted = fromBrowser;
          fetched = rendered;
        }
      } catch (err) {
        if (!extracted) {
          await recordFailure(source, known, seed, err instanceof FetchError ? err.code : 'browser-failed', messageOf(err), now);
          return;
        }
        result.failures.push({ url, sourceId: source.id, stage: 'fetch', code: 'browser-failed', message: messageOf(err) });
      }
    }
    if (!extracted) {
      await recordFailure(
        source,
        known,
        seed,
        first.ok ? 'no-content' : first.code,
        `${url}: ${first.ok ? 'no readable content' : first.reason}`,
        now,
        fetched.status,
        'extract',
      );
      return;
    }

    for (const link of extracted.links) {
      if (depth < source.max_depth) enqueue(link, depth + 1, false);
    }

    // Duplicates: a canonical URL elsewhere, or the same text as a page stored first.
    const canonical = extracted.canonicalUrl ? normalizeUrl(extracted.canonicalUrl, undefined, source.trailing_slash) : null;
    const scope = { include: source.includeRe, exclude: source.excludeRe, allowedHosts: source.allowed_hosts };
    const owner = owners.get(extracted.contentHash);
    const dupOf: PageRecord['duplicateOf'] =
      canonical &&
      canonical !== url &&
      canonical !== normalizeUrl(fetched.finalUrl, undefined, source.trailing_slash) &&
      isInScope(canonical, scope)
        ? { url: canonical, reason: 'canonical' }
        : owner && owner !== url && !current
          ? { url: owner, reason: 'same-content' }
          : undefined;
    if (dupOf) {
      if (dupOf.reason === 'canonical') enqueue(dupOf.url, depth, false);
      deps.store.putPage(recordDuplicate(page, fetched, rawHash, dupOf));
      report(source.id, url, 'duplicate', { status: fetched.status, message: `same as ${dupOf.url}` });
      return;
    }
    if (!owner) owners.set(extracted.contentHash, url);
    if (current && current.contentHash === extracted.contentHash) {
      // Same text: at most the page's own date stamps changed. Keep them as metadata only.
      const isDateOnly = JSON.stringify(current.dateStamps) !== JSON.stringify(extracted.dateStamps);
      deps.store.putPage(recordSameContent(page, fetched, rawHash, now, extracted));
      if (isDateOnly) {
        result.changes.push({
          ...diffTexts({
            url,
            sourceId: source.id,
            oldText: extracted.text,
            newText: extracted.text,
            oldHash: current.contentHash,
            newHash: current.contentHash,
            isDateOnly: true,
          }),
        });
      }
      report(source.id, url, isDateOnly ? 'date-only' : 'unchanged', { status: fetched.status, via: fetched.via });
      return;
    }
    await storeVersion(source, page, current, fetched, extracted, rawBody, rawHash, now);
  }

  /** Store new content: its blobs first, then the record that refers to them (with its validators), in one put. */
  async function storeVersion(
    source: ResolvedSource,
    page: PageRecord,
    current: VersionRecord | undefined,
    fetched: Fetched,
    extracted: Extracted,
    rawBody: string | Uint8Array,
    rawHash: string,
    now: string,
  ): Promise<void> {
    const url = page.url;
    const [, markdownHash] = await Promise.all([
      deps.store.blobs.put(extracted.text),
      deps.store.blobs.put(extracted.markdown),
      deps.store.blobs.put(rawBody),
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
    // Lines learned as chrome since the old text was stored are not compared either (comparable()).
    const chrome = chromes.get(source.id);
    const isNoise =
      current !== undefined &&
      oldText !== undefined &&
      isNoiseOnly(comparable(oldText, current.ignoredLines, chrome), comparable(extracted.text, extracted.ignoredLines, chrome), {
        patterns: source.ignoreRe,
      });
    if (isNoise) version.noiseOf = current.noiseOf ?? current.contentHash;
    deps.store.putPage(recordVersion(page, fetched, version, now));
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

  /** The start gate of a URL's host with the source's delay: every request start waits for it, retries and browser requests included. */
  function gateFor(source: ResolvedSource, rules: RobotsRules | undefined): (url: string) => Promise<void> {
    const delay = politeness.delayMsFor(source, rules);
    // With a margin: the gaps the site sees must not fall below the delay (see gateMarginMs).
    const delayMs = delay > 0 ? delay + gateMarginMs(delay) : 0;
    return (u: string) => politeness.gate(new URL(u).host, delayMs);
  }

  function retryOptions(): RetryOptions {
    return { retries: deps.retries ?? 2, baseDelayMs: 500, maxDelayMs: 30_000, ...(deps.sleep ? { sleep: deps.sleep } : {}) };
  }

  function browserOptionsFor(source: ResolvedSource, gate: (url: string) => Promise<void>): BrowserFetchOptions {
    return {
      timeoutMs: source.timeout_ms,
      userAgent: deps.userAgent,
      allowPrivateNetwork: source.allow_private_network,
      http: { ...politeness.httpOptionsFor(source), ...retryOptions(), beforeRequest: gate },
    };
  }

  function extractFrom(source: ResolvedSource, fetched: Fetched): Promise<ExtractResult> {
    const chrome = chromes.get(source.id);
    const opts = extractOptionsFor(source, fetched.finalUrl);
    return extractDocument(fetched, chrome && chrome.size > 0 ? { ...opts, chrome } : opts, deps.extract);
  }

  /** A failed URL: stored with its failure (known or not), reported, and retried on a later run. */
  async function recordFailure(
    source: ResolvedSource,
    known: PageRecord | undefined,
    seed: PageSeed,
    code: string,
    message: string,
    now: string,
    status?: number,
    stage: PageFailure['stage'] = 'fetch',
  ): Promise<void> {
    // Transient errors count, but never mark a page removed: only 404/410 do (recordGone).
    deps.store.putPage(recordPageFailure(known, seed, { code, message, ...(status === undefined ? {} : { status }) }, now));
    fail(source, seed.url, stage, code, message);
  }

  await Promise.all(sources.map((s) => crawlSource(s)));
  await deps.store.flush();
  result.changes.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  return result;
}
