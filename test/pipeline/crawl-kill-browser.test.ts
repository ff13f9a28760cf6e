/**
 * crawl-kill.test.ts in browser mode (issue 15), with real Chromium; skipped only when there is none,
 * never in CI (ETI_REQUIRE_BROWSER=1). The check itself: test/helpers/kill-at-flush.ts.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMutatingSite, type MutatingSite } from '../../bench/mutating-site.js';
import { BrowserFetcher } from '../../src/pipeline/fetch/index.js';
import { killAtEveryFlush } from '../helpers/kill-at-flush.js';

const CHROMIUM = process.env.ETI_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.ETI_REQUIRE_BROWSER === '1')
  throw new Error(`ETI_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);

const PAGES = 4;

describe.skipIf(!hasChromium)('a browser-mode crawl killed at every flush boundary of a site that changes while it is crawled', () => {
  let site: MutatingSite;
  let browser: BrowserFetcher;
  beforeAll(async () => {
    site = await startMutatingSite({ pages: PAGES, seed: 15, mutateChance: 0.3 });
    browser = new BrowserFetcher({ executablePath: CHROMIUM, maxPages: 3 });
  });
  afterAll(async () => {
    await browser.close();
    await site.close();
  });

  it('loses no update: every flushed state reaches the site text with the next crawl (also via a resumed crawl)', async () => {
    const { snapshots, lost } = await killAtEveryFlush(site, { render: 'browser', pages: PAGES, concurrency: 3, browser: () => browser });
    expect(snapshots).toBeGreaterThanOrEqual(2 * PAGES);
    expect(lost).toEqual([]);
  }, 300_000);
});
