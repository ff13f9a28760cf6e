/**
 * Bench reference: the same crawl through Crawlee's JSDOMCrawler, with Readability in the
 * request handler. Meant to run in its own child process (see `--crawlee N` in run.ts), so
 * the peak RSS it reports is Crawlee's own.
 *
 * Setup, chosen so Crawlee is measured at its best rather than artificially slowed:
 *   - the URL list is given as start requests, no link following, so it does the same pages as eti;
 *   - storage in memory only (`persistStorage: false`, no purge, and a temp storage dir that is
 *     removed afterwards in case anything were written anyway);
 *   - no retries (`maxRequestRetries: 0`); failures are collected and reported;
 *   - concurrency pinned: `minConcurrency = maxConcurrency = desiredConcurrency` (16 by default;
 *     4–32 measured the same within noise, as jsdom + Readability on the one main thread is the
 *     bottleneck), so the autoscaled pool neither starts low and ramps up (by default it starts at
 *     minConcurrency 1 and scales only while its snapshots say "idle") nor holds back new tasks
 *     when its CPU/memory/event-loop snapshots say "overloaded" (it only does that at or above
 *     minConcurrency); `maxRequestsPerMinute` and `sameDomainDelaySecs` left unset (no limit);
 *   - all of Crawlee's logging off, jsdom's console hidden.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Configuration, JSDOMCrawler, log } from '@crawlee/jsdom';
import { Readability } from '@mozilla/readability';

export interface CrawleeResult {
  /** Requests whose handler ran to completion. */
  handled: number;
  failed: number;
  /** First few failures, `url: message`. */
  failures: string[];
  /** Pages whose Readability parse gave no text. */
  empty: number;
  /** Total Readability text length over all pages (a sanity check that work was done). */
  textChars: number;
  seconds: number;
  /** handled / wall seconds of `crawler.run()`. */
  pagesPerS: number;
  /** Peak RSS of this process so far, MB. */
  peakRssMb: number;
  concurrency: number;
  /** Highest number of tasks the autoscaled pool had running, seen from the request handler. */
  maxConcurrencySeen: number;
  /** Files Crawlee left in its (temp) storage dir: should be 0. */
  storageFiles: number;
}

async function countFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}

export async function crawleeRun(urls: string[], concurrency = 16): Promise<CrawleeResult> {
  log.setLevel(log.LEVELS.OFF);
  const storageDir = await mkdtemp(path.join(os.tmpdir(), 'eti-bench-crawlee-'));
  const config = new Configuration({
    persistStorage: false,
    purgeOnStart: false,
    storageClientOptions: { localDataDirectory: storageDir, persistStorage: false },
  });
  let handled = 0;
  let empty = 0;
  let textChars = 0;
  const failures: string[] = [];
  let failed = 0;
  let maxConcurrencySeen = 0;
  try {
    const crawler = new JSDOMCrawler(
      {
        hideInternalConsole: true,
        maxRequestRetries: 0,
        minConcurrency: concurrency,
        maxConcurrency: concurrency,
        autoscaledPoolOptions: { desiredConcurrency: concurrency, loggingIntervalSecs: null },
        statusMessageLoggingInterval: 3600,
        requestHandler: async ({ window, crawler }) => {
          maxConcurrencySeen = Math.max(maxConcurrencySeen, crawler.autoscaledPool?.currentConcurrency ?? 0);
          const length = new Readability(window.document).parse()?.textContent?.length ?? 0;
          if (length === 0) empty++;
          textChars += length;
          handled++;
        },
        failedRequestHandler: async ({ request }, error) => {
          failed++;
          if (failures.length < 5) failures.push(`${request.url}: ${error.message}`);
        },
      },
      config,
    );
    const t0 = performance.now();
    await crawler.run(urls);
    const seconds = (performance.now() - t0) / 1000;
    return {
      handled,
      failed,
      failures,
      empty,
      textChars,
      seconds,
      pagesPerS: handled / seconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      concurrency,
      maxConcurrencySeen,
      storageFiles: await countFiles(storageDir),
    };
  } finally {
    await rm(storageDir, { recursive: true, force: true });
  }
}
