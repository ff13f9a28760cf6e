import PQueue from 'p-queue';
import type { ResolvedSource } from '../../config/schema.js';
import { messageOf } from '../../errors.js';
import { PeriodicFlush } from '../../store/periodic-flush.js';
import { learnSourceChrome } from '../extract/index.js';
import { Politeness } from '../fetch/index.js';
import { FetchModes } from './fetch-mode.js';
import { Frontier } from './frontier.js';
import { crawlPage, type PageContext, type PageTask } from './page.js';
import { recordDiscovered } from './records.js';
import { Tally } from './tally.js';
import type { CrawlDeps, CrawlResult } from './types.js';

export type { CrawlDeps, CrawlEvent, CrawlResult, PageOutcome } from './types.js';

/** What the sources of one crawl share: the page context, the run's request queue and the periodic save. */
interface Run extends PageContext {
  global: PQueue;
  saver: PeriodicFlush;
}

/**
 * Crawl every source: fetch (conditionally), extract, compare with the stored version, and
 * store what is new. Per-page problems become `PageFailure`s; nothing here throws for a page.
 * Unchanged pages (304, or the same body hash) skip extraction entirely.
 */
export async function crawl(sources: readonly ResolvedSource[], deps: CrawlDeps): Promise<CrawlResult> {
  // robots.txt per source, one start gate and one queue per host: shared with the audit's link check.
  const politeness = new Politeness({
    userAgent: deps.userAgent,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.addressPolicy ? { addressPolicy: deps.addressPolicy } : {}),
  });
  const run: Run = {
    deps,
    politeness,
    modes: new FetchModes(deps, politeness),
    tally: new Tally(deps.onEvent),
    global: new PQueue({ concurrency: deps.concurrency }),
    // Saved every few seconds (the interval grows with the cost of a flush); a crash loses at most
    // one interval of pages, which the resumed run fetches again.
    saver: new PeriodicFlush(
      async () => {
        await deps.store.flush();
        deps.afterFlush?.();
      },
      { everyMs: deps.flushEveryMs ?? 2000 },
    ),
  };
  await Promise.all(sources.map((s) => crawlSource(run, s)));
  await deps.store.flush();
  const result = run.tally.result;
  result.changes.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  return result;
}

/**
 * One source: its frontier starts from the start URLs, its sitemaps and every page the store
 * knows (revalidated, linked or not: that is how removals are seen); each page's links join it.
 */
async function crawlSource(run: Run, source: ResolvedSource): Promise<void> {
  const { deps, tally } = run;
  const shard = await deps.store.shard(source.id);
  const frontier = new Frontier(source, Object.values(shard.pages));
  // The source's site-wide chrome, learned from the text it has in the store (issue 14): the same
  // store gives the same set, and every extraction of this run gets it.
  const chrome = await learnSourceChrome(Object.values(shard.pages), (h) => deps.store.blobs.get(h));
  const tasks: Promise<void>[] = [];

  const enqueue = (rawUrl: string, depth: number, isSeed: boolean): void => {
    const url = frontier.admit(rawUrl, isSeed);
    if (url === undefined) return;
    // Stored at once, so that the frontier survives a kill (see recordDiscovered).
    if (!shard.pages[url]) deps.store.addPage(recordDiscovered({ url, sourceId: source.id, depth }, deps.clock().toISOString()));
    tally.queue(url);
    const task: PageTask = { source, url, depth, frontier, chrome, enqueue };
    tasks.push(
      run.politeness
        .hostQueue(new URL(url).host, source.concurrency_per_host)
        .add(() => run.global.add(() => crawlPage(run, task)))
        .then(
          () => (deps.flushTrigger?.() ? run.saver.now() : run.saver.maybe()),
          (err: unknown) => tally.fail(source.id, url, 'store', 'internal', messageOf(err)),
        ),
    );
  };

  for (const u of source.start_urls) enqueue(u, 0, true);
  if (source.use_sitemap) {
    const onError = (url: string, err: unknown): void =>
      tally.failure({ url, sourceId: source.id, stage: 'fetch', code: 'sitemap', message: messageOf(err) });
    for (const u of await run.politeness.sitemapUrls(source, onError)) enqueue(u, 0, false);
  }
  for (const page of Object.values(shard.pages)) enqueue(page.url, page.depth, true);

  // Tasks enqueue more tasks (links); wait until the list stops growing.
  for (let i = 0; i < tasks.length; i++) await tasks[i];
}
