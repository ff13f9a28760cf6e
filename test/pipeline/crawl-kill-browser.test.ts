/**
 * crawl-kill.test.ts in browser mode (issue 15), with real Chromium; skipped only when there is none,
 * never in CI (ETI_REQUIRE_BROWSER=1). Killed at every flush boundary: what a SIGKILL leaves on disk is the store as of the last flush
 * (shards are written atomically, blobs before the records that name them). So the crawl's
 * `afterFlush` copies the store at each flush of a crawl of a site that changes while it is
 * crawled, and every copy must reach the site's text with the next complete crawl: 0 lost updates.
 * (A kill inside a flush leaves each shard as before or as after it: test/store/json-file.test.ts.)
 */
import { cpSync, existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStore, startMutatingSite, type MutatingSite } from '../../bench/mutating-site.js';
import { parseConfig } from '../../src/config/load.js';
import type { ResolvedSource } from '../../src/config/schema.js';
import { crawl, type CrawlDeps } from '../../src/pipeline/crawl/crawl.js';
import { BrowserFetcher } from '../../src/pipeline/fetch/index.js';
import { Store } from '../../src/store/store.js';

const CHROMIUM = process.env.ETI_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.ETI_REQUIRE_BROWSER === '1')
  throw new Error(`ETI_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
let browser: BrowserFetcher;

const PAGES = 4;

function sourcesFor(origin: string): ResolvedSource[] {
  return parseConfig(
    `version: 1
contact: test@example.org
defaults: { delay_ms: 0, allow_private_network: true, render: browser, use_sitemap: false, respect_robots: false }
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

function depsFor(store: Store, clock: () => Date, extra: Partial<CrawlDeps> = {}): CrawlDeps {
  return {
    store,
    clock,
    userAgent: 'eti-test',
    concurrency: 3,
    retries: 0,
    browser: () => browser,
    ...extra,
  };
}

describe.skipIf(!hasChromium)('a browser-mode crawl killed at every flush boundary of a site that changes while it is crawled', () => {
  let site: MutatingSite;
  beforeAll(async () => {
    site = await startMutatingSite({ pages: PAGES, seed: 15, mutateChance: 0.3 });
    browser = new BrowserFetcher({ executablePath: CHROMIUM, maxPages: 3 });
  });
  afterAll(async () => {
    await browser.close();
    await site.close();
  });

  it('loses no update: every flushed state reaches the site text with the next crawl (also via a resumed crawl)', async () => {
    const sources = sourcesFor(site.origin);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-kill-browser-'));
    const clock = steppingClock('2026-03-01T00:00:00Z');
    const store = await Store.open(dir);
    const snapshots: { dir: string; killedStart: string }[] = [];
    const snapRoot = await mkdtemp(path.join(os.tmpdir(), 'eti-kill-browser-snap-'));
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
    site.mutate(PAGES / 2);
    await crawl(sources, depsFor(store, clock, killable(clock().toISOString())));
    expect(snapshots.length).toBeGreaterThanOrEqual(2 * PAGES);
    site.freeze();

    const lost: string[] = [];
    for (const { dir: snap, killedStart } of snapshots) {
      // The next complete crawl (--no-resume), from the killed state.
      const a = path.join(`${snap}-a`);
      cpSync(snap, a, { recursive: true });
      await crawl(sources, depsFor(await Store.open(a), steppingClock('2026-03-02T00:00:00Z')));
      const ca = await checkStore(a, 'endres', site);
      lost.push(...ca.missing, ...ca.differing, ...ca.missingBlobs.map((u) => `blob of ${u}`));

      // A resumed crawl, then the next one.
      const b = path.join(`${snap}-b`);
      cpSync(snap, b, { recursive: true });
      const sb = await Store.open(b);
      await crawl(sources, depsFor(sb, steppingClock('2026-03-02T00:00:00Z'), { resumeAfter: killedStart }));
      await crawl(sources, depsFor(sb, steppingClock('2026-03-03T00:00:00Z')));
      const cb = await checkStore(b, 'endres', site);
      lost.push(...cb.missing, ...cb.differing, ...cb.missingBlobs.map((u) => `blob of ${u}`));
    }
    expect(lost).toEqual([]);
  }, 300_000);
});
