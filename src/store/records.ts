import type { ExtractMethod, PageDates, ReviewItem, Summary } from '../pipeline/types.js';

/**
 * Bumped when the stored shape changes; `Store` migrates older shards forward as it loads them
 * (store/migrate.ts). 2: review items carry `changeClass`. 3: summaries carry claims. 4: a source's
 * summaries and review items live in files of their own beside its pages (store/shard.ts).
 */
export const STORE_SCHEMA_VERSION = 4;

/** One distinct content of a page. Blob hashes point into the blob store. */
export interface VersionRecord {
  /** sha256 of the extracted text; also the text blob's hash. */
  contentHash: string;
  markdownHash: string;
  /** sha256 of the raw body as fetched (HTML); also its blob's hash. */
  rawHash: string;
  title: string;
  lang: string;
  description?: string;
  /** The publisher the page names (see `Extracted.publisher`). */
  publisher?: string;
  canonicalUrl?: string;
  dates: PageDates;
  dateStamps: string[];
  method: ExtractMethod;
  via: 'http' | 'browser';
  /**
   * Set when this content differs from an earlier version only by noise (counters, moved blocks,
   * a source's ignore patterns or selectors): the content hash of that earlier version, which
   * this one stands in for in review and publication.
   */
  noiseOf?: string;
  /** Lines of elements the source's `ignore_selectors` named: not counted when comparing. */
  ignoredLines?: string[];
  /** When this content was first seen. */
  firstSeenAt: string;
  /** When this content was last confirmed (fetched, 304, or same hash). */
  lastSeenAt: string;
}

/** What the store knows about one URL. */
export interface PageRecord {
  url: string;
  sourceId: string;
  finalUrl: string;
  redirects: string[];
  /** Link hops from a start URL when first found. */
  depth: number;
  firstSeenAt: string;
  lastFetchedAt?: string;
  /** Last time a fetch succeeded (2xx or 304). */
  lastOkAt?: string;
  lastStatus?: number;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  /** Hash of the last raw body: an identical body skips extraction. */
  rawHash?: string;
  /** When the content hash last changed (or was first seen). */
  lastChangedAt?: string;
  consecutiveFailures: number;
  lastFailure?: { code: string; message: string; at: string };
  /** Set when the page counts as gone (N consecutive 404/410). Cleared if it comes back. */
  removedAt?: string;
  /**
   * Set when this URL shows another page's content: its `rel=canonical` names another URL, or its
   * text is identical to a page stored first (`/a` and `/a?print=1`). A duplicate gets no new
   * versions, summaries or review items; it is revalidated cheaply (same raw hash: nothing to do).
   */
  duplicateOf?: { url: string; reason: 'canonical' | 'same-content' };
  /** Versions, oldest first; the last is the current content. */
  versions: VersionRecord[];
}

/**
 * One source's pages and review items, as the Store hands them out: read-only (the maps and
 * records are the store's own; every change goes through the Store's methods, which replace a
 * record whole). Summaries are not in it: the store reads them from disk when asked
 * (`Store.summary`, `Store.summaries`).
 */
export interface ShardView {
  readonly schemaVersion: number;
  readonly sourceId: string;
  readonly pages: Readonly<Record<string, Readonly<PageRecord>>>;
  readonly reviews: Readonly<Record<string, Readonly<ReviewItem>>>;
}

/** A source's records with its summaries, as the audit reads them. */
export interface ShardData extends ShardView {
  readonly summaries: Readonly<Record<string, Readonly<Summary>>>;
}

/**
 * A source's shard file as written before schema 4 (pages, summaries and review items in one
 * file), and the shape the migrations before 4 work on, in place.
 */
export interface LegacyShardData {
  schemaVersion: number;
  sourceId: string;
  pages: Record<string, PageRecord>;
  summaries: Record<string, Summary>;
  reviews: Record<string, ReviewItem>;
}

/** A line of the append-only review log. */
export interface ReviewLogEntry {
  at: string;
  by: string;
  action: 'created' | 'approved' | 'rejected' | 'edited' | 'superseded';
  itemId: string;
  url: string;
  contentHash: string;
  summaryId?: string;
  provider?: string;
  model?: string;
  promptHash?: string;
  note?: string;
  /** A topic page's entry: the topic and audience (`itemId` is the compilation's id, `url` is `topic:<id>`). */
  topicId?: string;
  audience?: string;
}

/** A record of one command run, kept for the audit and the nightly report. */
export interface RunRecord {
  id: string;
  command: string;
  startedAt: string;
  /** Absent while the run is going on, and forever when it was killed. */
  finishedAt?: string;
  /** A crawl that resumed an interrupted one: when the interrupted crawl had started. */
  resumeFrom?: string;
  counts: Record<string, number>;
  failures: number;
  /** `eti run`: how it ended (done, items for review, failed pages), its exit code and bundle id. */
  outcome?: 'done' | 'pending-review' | 'failed-pages';
  exitCode?: number;
  bundle?: string;
}

/**
 * A Message Batch submitted and not yet collected. Stored (and flushed) as soon as the batch
 * exists, so a run that dies while waiting is resumed by the next one instead of paying twice.
 */
export interface BatchRecord {
  id: string;
  provider: string;
  model: string;
  submittedAt: string;
  /** The summary keys (custom ids) it holds. */
  customIds: string[];
}

/**
 * The last `eti audit --check-links` answer for one link target, by URL, in `.eti/link-checks.json`:
 * the next audit reports it, and the next `--check-links` re-checks the oldest first.
 */
export interface LinkCheckRecord {
  /** When it was checked (ISO). */
  checkedAt: string;
  /** The source whose rules (robots.txt, addresses) it was checked under. */
  sourceId: string;
  /** The final HTTP status, when there was a response. */
  status?: number;
  /** `code: message` of a fetch error that means the link leads nowhere. */
  error?: string;
  /** Why no request was made (`robots-disallowed`, `private-address`, `unsupported-scheme`): it says nothing about the link. */
  skipped?: string;
}

/** `.eti/link-checks.json`. Optional: a store without it has no stored link checks. */
export interface LinkChecksData {
  links: Record<string, LinkCheckRecord>;
}

export interface MetaData {
  schemaVersion: number;
  runs: RunRecord[];
  /** Open message batches (absent in stores written before batches existed). */
  batches?: BatchRecord[];
}
