import type { ReviewItem, Summary } from '../pipeline/types.js';
import type { BatchRecord, LinkCheckRecord, PageRecord, ReviewLogEntry, RunRecord, ShardView } from './records.js';

export type { ShardView };

/** Content-addressed blobs: what the pipeline needs of them (the file store's `BlobStore`, or memory). */
export interface Blobs {
  /** Store text (or a binary body such as a PDF); returns its sha256 hex. Idempotent. */
  put(text: string | Uint8Array): Promise<string>;
  /** A blob's text; undefined when it does not exist. */
  get(hash: string): Promise<string | undefined>;
  /** Delete every blob `referenced` does not name (gc); with `dryRun`, only count. */
  sweep(referenced: ReadonlySet<string>, dryRun: boolean): Promise<BlobSweep>;
}

/** What a blob sweep removed (or would remove) and kept. */
export interface BlobSweep {
  blobsDeleted: number;
  bytesFreed: number;
  /** Leftover temp files of interrupted blob writes, deleted. */
  tempFilesDeleted: number;
  blobsKept: number;
}

/**
 * The store: what every stage reads and writes, named after domain actions. Two implementations:
 * `FileStore` (store.ts: sharded JSON files, blobs on disk) and `MemoryStore` (memory-store.ts, for
 * unit tests). Reads are async only because a source's records load on first use; writes are
 * synchronous: they replace a record in memory and mark its file dirty, and `flush()` writes the
 * dirty files. A write needs its source loaded (any read of that source loads it): a write to a
 * source never read is a bug and throws.
 */
export interface StoreApi {
  readonly blobs: Blobs;
  /**
   * One source's pages and review items (loaded on first use), read-only: the maps and records are
   * the store's own (no copy per read, at 50,000 pages), typed so that a caller cannot change them.
   */
  shard(sourceId: string): Promise<ShardView>;
  /** Ids of every source with records, sorted. */
  sourceIds(): Promise<string[]>;
  /** Every source's pages and items, loaded, sorted by source id. */
  allShards(): Promise<ShardView[]>;
  page(sourceId: string, url: string): Promise<Readonly<PageRecord> | undefined>;
  /** Pages whose last fetch or extraction failed and that are not removed, sorted by source and URL. */
  failingPages(): Promise<Readonly<PageRecord>[]>;
  /** A stored summary (read from disk by the file store: a fresh copy each time). */
  summary(sourceId: string, id: string): Promise<Readonly<Summary> | undefined>;
  /** Every stored summary of a source, by id (read whole: for the audit and gc, not for a run). */
  summaries(sourceId: string): Promise<Readonly<Record<string, Readonly<Summary>>>>;
  /** Every review item of every source. */
  reviews(): Promise<Readonly<ReviewItem>[]>;

  /** Put a page's record (replaces the stored one whole). */
  putPage(page: PageRecord): void;
  /** Put a page's record unless the store already has one for its URL; returns whether it did. */
  addPage(page: PageRecord): boolean;
  /** Store a summary; returns the stored copy (hold on to that one, not the original). */
  putSummary(sourceId: string, summary: Summary): Readonly<Summary>;
  /** Forget a summary (gc). */
  dropSummary(sourceId: string, id: string): void;
  putReview(item: ReviewItem): void;

  /** Append to the review log (append-only, never rewritten). */
  appendLog(entries: ReviewLogEntry[]): Promise<void>;
  /** The review log, oldest first. */
  log(): Promise<ReviewLogEntry[]>;

  readonly runs: readonly RunRecord[];
  /** Add or replace (by id) a run record; only the newest runs are kept. */
  putRun(run: RunRecord): void;
  /** Message batches submitted and not yet collected, oldest first. */
  readonly batches: readonly BatchRecord[];
  putBatch(batch: BatchRecord): void;
  dropBatch(id: string): void;

  /** Stored `eti audit --check-links` results by link URL. */
  linkChecks(): Promise<Map<string, LinkCheckRecord>>;
  /** Merge link-check results in (see `FileStore.putLinkChecks`); resolves to what is stored now. */
  putLinkChecks(
    records: ReadonlyMap<string, LinkCheckRecord>,
    forget?: (url: string, record: LinkCheckRecord) => boolean,
  ): Promise<Map<string, LinkCheckRecord>>;

  /** Write what changed since the last flush, each file atomically. Cheap when nothing changed. */
  flush(): Promise<void>;
}

/** Keep the newest `RUNS_KEPT` run records. */
export const RUNS_KEPT = 200;

/** `runs` with `run` added or replaced by id, only the newest kept. */
export function withRun(runs: readonly RunRecord[], run: RunRecord): RunRecord[] {
  return [...runs.filter((r) => r.id !== run.id), run].slice(-RUNS_KEPT);
}

/** Source then URL order. */
export function byPageOrder(a: Readonly<PageRecord>, b: Readonly<PageRecord>): number {
  return a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : a.url < b.url ? -1 : a.url > b.url ? 1 : 0;
}

/** Whether a page counts as failing (see `failingPages`). */
export function isFailing(p: Readonly<PageRecord>): boolean {
  return p.lastFailure !== undefined && !p.removedAt;
}

/**
 * A copy of a summary with fresh strings: a summary's sentences and quotes are often slices of the
 * page's text, and V8 keeps a sliced string's whole parent alive (measured: ~36 KB retained per
 * summary, 108 MB at 3,000 pages, before this copy).
 */
export function detachedCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
