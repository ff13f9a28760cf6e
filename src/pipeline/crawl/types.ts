/** The crawl's vocabulary: its dependencies, its per-URL events and its result (`crawl.ts`). */
import type { Store } from '../../store/store.js';
import type { Extractor } from '../extract/index.js';
import type { AddressPolicy, BrowserFetcher } from '../fetch/index.js';
import type { Change, PageFailure } from '../types.js';

/** What happened to one URL in a crawl; one event per URL, for progress and `--json`. */
export type PageOutcome =
  | 'new'
  | 'changed'
  | 'noise'
  | 'unchanged'
  | 'not-modified'
  | 'date-only'
  | 'removed'
  | 'gone'
  | 'duplicate'
  | 'resumed'
  | 'failed'
  | 'skipped';

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
  /**
   * Asked after each page: true flushes the store now, whatever the interval (tests flush after
   * every page so that a kill can be put at every flush boundary). Default: the interval decides.
   */
  flushTrigger?: () => boolean;
  /** Retries for transient failures. Default 2 (tests may set 0). */
  retries?: number;
  /** Waits (retry backoff, the politeness gates). Default: setTimeout; tests pass a virtual one. */
  sleep?: (ms: number) => Promise<void>;
  /** The time in epoch ms for the politeness gates. Default: Date.now; tests pass a virtual one with `sleep`. */
  now?: () => number;
  /**
   * Which addresses count as public for sources without `allow_private_network`. Default:
   * `isPublicAddress`; an offline test of the guard lets one loopback address stand for a public host.
   */
  addressPolicy?: AddressPolicy;
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
