import { sha256 } from '../hash.js';
import type { ReviewItem, Summary } from '../pipeline/types.js';
import { byPageOrder, detachedCopy, isFailing, withRun, type BlobSweep, type Blobs, type StoreApi } from './interface.js';
import {
  STORE_SCHEMA_VERSION,
  type BatchRecord,
  type LinkCheckRecord,
  type PageRecord,
  type ReviewLogEntry,
  type RunRecord,
  type ShardView,
} from './records.js';

/** Blobs in a map, content-addressed like `BlobStore`. */
export class MemoryBlobs implements Blobs {
  readonly #blobs = new Map<string, string>();

  async put(text: string | Uint8Array): Promise<string> {
    const hash = sha256(text);
    this.#blobs.set(hash, typeof text === 'string' ? text : Buffer.from(text).toString('utf8'));
    return hash;
  }

  async get(hash: string): Promise<string | undefined> {
    return this.#blobs.get(hash);
  }

  async sweep(referenced: ReadonlySet<string>, dryRun: boolean): Promise<BlobSweep> {
    const r: BlobSweep = { blobsDeleted: 0, bytesFreed: 0, tempFilesDeleted: 0, blobsKept: 0 };
    for (const [hash, text] of [...this.#blobs]) {
      if (referenced.has(hash)) {
        r.blobsKept++;
        continue;
      }
      r.blobsDeleted++;
      r.bytesFreed += Buffer.byteLength(text);
      if (!dryRun) this.#blobs.delete(hash);
    }
    return r;
  }
}

/** Freeze a record and everything in it: a caller that changes what it read fails loudly in a test. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

interface MemoryShard {
  sourceId: string;
  pages: Record<string, PageRecord>;
  summaries: Record<string, Summary>;
  reviews: Record<string, ReviewItem>;
}

/**
 * The Store in memory, for unit tests: the same interface as `FileStore`, nothing on disk. Every
 * stored record is a deep-frozen copy, so code that changes a record it read (instead of putting a
 * new one) throws here. `flush()` counts the flushes and writes nothing; `writes` counts the
 * records put since the last flush.
 */
export class MemoryStore implements StoreApi {
  readonly blobs = new MemoryBlobs();
  readonly #shards = new Map<string, MemoryShard>();
  readonly #log: ReviewLogEntry[] = [];
  #runs: RunRecord[] = [];
  #batches: BatchRecord[] = [];
  #linkChecks = new Map<string, LinkCheckRecord>();
  /** Flushes so far. */
  flushes = 0;
  /** Records put since the last flush. */
  writes = 0;

  #shard(sourceId: string): MemoryShard {
    let s = this.#shards.get(sourceId);
    if (!s) {
      s = { sourceId, pages: {}, summaries: {}, reviews: {} };
      this.#shards.set(sourceId, s);
    }
    return s;
  }

  async shard(sourceId: string): Promise<ShardView> {
    const s = this.#shard(sourceId);
    return { schemaVersion: STORE_SCHEMA_VERSION, sourceId, pages: s.pages, reviews: s.reviews };
  }

  async summaries(sourceId: string): Promise<Readonly<Record<string, Readonly<Summary>>>> {
    return { ...this.#shard(sourceId).summaries };
  }

  async sourceIds(): Promise<string[]> {
    return [...this.#shards.keys()].sort();
  }

  async allShards(): Promise<ShardView[]> {
    return Promise.all((await this.sourceIds()).map((id) => this.shard(id)));
  }

  async page(sourceId: string, url: string): Promise<Readonly<PageRecord> | undefined> {
    return this.#shard(sourceId).pages[url];
  }

  async failingPages(): Promise<Readonly<PageRecord>[]> {
    return [...this.#shards.values()].flatMap((s) => Object.values(s.pages).filter(isFailing)).sort(byPageOrder);
  }

  async summary(sourceId: string, id: string): Promise<Readonly<Summary> | undefined> {
    return this.#shard(sourceId).summaries[id];
  }

  async reviews(): Promise<Readonly<ReviewItem>[]> {
    return [...this.#shards.values()].flatMap((s) => Object.values(s.reviews));
  }

  putPage(page: PageRecord): void {
    this.#shard(page.sourceId).pages[page.url] = deepFreeze(detachedCopy(page));
    this.writes++;
  }

  addPage(page: PageRecord): boolean {
    if (this.#shard(page.sourceId).pages[page.url]) return false;
    this.putPage(page);
    return true;
  }

  putSummary(sourceId: string, summary: Summary): Readonly<Summary> {
    const copy = deepFreeze(detachedCopy(summary));
    this.#shard(sourceId).summaries[copy.id] = copy;
    this.writes++;
    return copy;
  }

  dropSummary(sourceId: string, id: string): void {
    delete this.#shard(sourceId).summaries[id];
    this.writes++;
  }

  putReview(item: ReviewItem): void {
    this.#shard(item.sourceId).reviews[item.id] = deepFreeze(detachedCopy(item));
    this.writes++;
  }

  async appendLog(entries: ReviewLogEntry[]): Promise<void> {
    this.#log.push(...entries.map(detachedCopy));
  }

  async log(): Promise<ReviewLogEntry[]> {
    return this.#log.map(detachedCopy);
  }

  get runs(): readonly RunRecord[] {
    return this.#runs;
  }

  putRun(run: RunRecord): void {
    this.#runs = withRun(this.#runs, deepFreeze(detachedCopy(run)));
  }

  get batches(): readonly BatchRecord[] {
    return this.#batches;
  }

  putBatch(batch: BatchRecord): void {
    this.#batches = [...this.#batches.filter((b) => b.id !== batch.id), deepFreeze(detachedCopy(batch))];
  }

  dropBatch(id: string): void {
    this.#batches = this.#batches.filter((b) => b.id !== id);
  }

  async linkChecks(): Promise<Map<string, LinkCheckRecord>> {
    return new Map(this.#linkChecks);
  }

  async putLinkChecks(
    records: ReadonlyMap<string, LinkCheckRecord>,
    forget?: (url: string, record: LinkCheckRecord) => boolean,
  ): Promise<Map<string, LinkCheckRecord>> {
    const merged = new Map(this.#linkChecks);
    for (const [url, r] of records) {
      const had = merged.get(url);
      if (!had || had.checkedAt <= r.checkedAt) merged.set(url, r);
    }
    if (forget) for (const [url, r] of merged) if (!records.has(url) && forget(url, r)) merged.delete(url);
    this.#linkChecks = new Map([...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return new Map(this.#linkChecks);
  }

  async flush(): Promise<void> {
    this.flushes++;
    this.writes = 0;
  }
}
