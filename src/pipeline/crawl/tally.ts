/** The crawl's result as it grows: counts per outcome, failures, changes, and one event per URL (progress and `--json`). */
import type { Change, PageFailure } from '../types.js';
import type { CrawlEvent, CrawlResult, PageOutcome } from './types.js';

function emptyResult(): CrawlResult {
  return {
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
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

export class Tally {
  readonly result: CrawlResult = emptyResult();
  /** URLs done and queued in this crawl (all sources). */
  private done = 0;
  private queued = 0;
  /** Per host: [done, queued]. */
  private readonly perHost = new Map<string, [number, number]>();

  constructor(private readonly onEvent?: (e: CrawlEvent) => void) {}

  /** A URL put in the frontier. */
  queue(url: string): void {
    this.queued++;
    this.hostCounts(hostOf(url))[1]++;
  }

  /** A URL done with `outcome`: counted and reported. */
  report(sourceId: string, url: string, outcome: PageOutcome, extra: Partial<CrawlEvent> = {}): void {
    this.result.counts[outcome]++;
    this.done++;
    const host = hostOf(url);
    const h = this.hostCounts(host);
    h[0]++;
    this.onEvent?.({
      type: 'page',
      sourceId,
      url,
      outcome,
      done: this.done,
      queued: this.queued,
      host,
      hostDone: h[0],
      hostQueued: Math.max(h[0], h[1]),
      ...extra,
    });
  }

  /** A URL done with a failure: kept in the result and reported as `failed`. */
  fail(sourceId: string, url: string, stage: PageFailure['stage'], code: string, message: string): void {
    this.result.failures.push({ url, sourceId, stage, code, message });
    this.report(sourceId, url, 'failed', { code, message });
  }

  /** A failure that is not a URL's outcome (a sitemap, a browser fallback the HTTP text stands in for). */
  failure(failure: PageFailure): void {
    this.result.failures.push(failure);
  }

  change(change: Change): void {
    this.result.changes.push(change);
  }

  private hostCounts(host: string): [number, number] {
    let h = this.perHost.get(host);
    if (!h) this.perHost.set(host, (h = [0, 0]));
    return h;
  }
}
