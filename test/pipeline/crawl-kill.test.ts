/**
 * A crawl killed at every flush boundary (http mode): every flushed state reaches the site's text
 * with the next crawl. The check itself: test/helpers/kill-at-flush.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMutatingSite, type MutatingSite } from '../../bench/mutating-site.js';
import { killAtEveryFlush } from '../helpers/kill-at-flush.js';

const PAGES = 16;

describe('a crawl killed at every flush boundary of a site that changes while it is crawled', () => {
  let site: MutatingSite;
  beforeAll(async () => {
    site = await startMutatingSite({ pages: PAGES, seed: 15, mutateChance: 0.3 });
  });
  afterAll(async () => {
    await site.close();
  });

  it('loses no update: every flushed state reaches the site text with the next crawl (also via a resumed crawl)', async () => {
    const { snapshots, lost } = await killAtEveryFlush(site, { render: 'http', pages: PAGES, concurrency: 6 });
    expect(snapshots).toBeGreaterThanOrEqual(2 * PAGES);
    expect(lost).toEqual([]);
  }, 120_000);
});
