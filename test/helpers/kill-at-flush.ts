/**
 * The kill-at-every-flush check shared by test/pipeline/crawl-kill.test.ts (http) and
 * crawl-kill-browser.test.ts (browser, issue 15). What a SIGKILL leaves on disk is the store as of
 * the last flush (shards are written atomically, blobs before the records that name them). So the
 * crawl's `afterFlush` copies the store at each flush of a crawl of a site that changes while it is
 * crawled, and every copy must reach the site's text with the next complete crawl, and with a resumed
 * crawl then the next one: 0 lost updates. (A kill inside a flush leaves each shard as before or as
 * after it: test/store/json-file.test.ts.)
 */
import { cpSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkStore, type MutatingSite } from '../../bench/mutating-site.js';
import { parseConfig } from '../../src/config/load.js';
import type { ResolvedSource } from '../../src/config/schema.js';
import { crawl, type CrawlDeps } from '../../src/pipeline/crawl/crawl.js';
import type { BrowserFetcher } from '../../src/pipeline/fetch/index.js';
import { Store } from '../../src/store/store.js';

export interface KillAtFlushOptions {
  render: 'http' | 'browser';
  /** Pages on the site; half change between the two crawls. */
  pages: number;
  concurrency: number;
  /** The browser for render: browser (a function, so it can be made in a beforeAll). */
  browser?: () => BrowserFetcher;
}

function sourcesFor(origin: string, render: string): ResolvedSource[] {
  return parseConfig(
    `version: 1
contact: test@example.org
defaults: { delay_ms: 0, allow_private_network: true, render: ${render}, use_sitemap: false, respect_robots: false }
sources:
  - { id: endres, name: Endres, owner: Test, start_urls: ['${origin}/'], include: ['^${origin.replace(/\./g, '\\.')}/side/'], max_depth: 1 }
`,
    'sources.yaml',
  ).sources;
}

/** A clock that moves one second per reading, so "fetched since" comparisons are meaningful. */
function steppingClock(startIso: string): () => Date {
  let t = Date.parse(startIso);
  return () => new Date((t += 1000));
}

/**
 * Crawls the site twice (the second time after half its pages changed) with a flush after every
 * page, copying the store at each flush; then, from every copy, a complete crawl and a resumed crawl
 * followed by a complete one. Returns the number of flush points and what any copy lost.
 */
export async function killAtEveryFlush(site: MutatingSite, opts: KillAtFlushOptions): Promise<{ snapshots: number; lost: string[] }> {
  const sources = sourcesFor(site.origin, opts.render);
  const depsFor = (store: Store, clock: () => Date, extra: Partial<CrawlDeps> = {}): CrawlDeps => ({
    store,
    clock,
    userAgent: 'eti-test',
    concurrency: opts.concurrency,
    retries: 0,
    browser:
      opts.browser ??
      (() => {
        throw new Error('no browser in this test');
      }),
    ...extra,
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), `eti-kill-${opts.render}-`));
  const clock = steppingClock('2026-03-01T00:00:00Z');
  const store = await Store.open(dir);
  const snapshots: { dir: string; killedStart: string }[] = [];
  const snapRoot = await mkdtemp(path.join(os.tmpdir(), `eti-kill-${opts.render}-snap-`));
  // A flush after every page, each one a point the process may die after: during the first
  // crawl (an empty store) and during a recrawl after half the pages changed.
  const killable = (killedStart: string): Partial<CrawlDeps> => ({
    flushTrigger: () => true,
    afterFlush: () => {
      const to = path.join(snapRoot, String(snapshots.length));
      cpSync(dir, to, { recursive: true });
      snapshots.push({ dir: to, killedStart });
    },
  });
  await crawl(sources, depsFor(store, clock, killable(clock().toISOString())));
  site.mutate(opts.pages / 2);
  await crawl(sources, depsFor(store, clock, killable(clock().toISOString())));
  site.freeze();

  const lost: string[] = [];
  const check = async (at: string): Promise<void> => {
    const c = await checkStore(at, 'endres', site);
    lost.push(...c.missing, ...c.differing, ...c.missingBlobs.map((u) => `blob of ${u}`));
  };
  for (const { dir: snap, killedStart } of snapshots) {
    // The next complete crawl (--no-resume), from the killed state.
    const a = `${snap}-a`;
    cpSync(snap, a, { recursive: true });
    await crawl(sources, depsFor(await Store.open(a), steppingClock('2026-03-02T00:00:00Z')));
    await check(a);
    // A resumed crawl, then the next one.
    const b = `${snap}-b`;
    cpSync(snap, b, { recursive: true });
    const sb = await Store.open(b);
    await crawl(sources, depsFor(sb, steppingClock('2026-03-02T00:00:00Z'), { resumeAfter: killedStart }));
    await crawl(sources, depsFor(sb, steppingClock('2026-03-03T00:00:00Z')));
    await check(b);
  }
  return { snapshots: snapshots.length, lost };
}
