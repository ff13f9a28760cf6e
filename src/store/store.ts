import { appendFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { CannotRunError } from '../errors.js';
import type { ReviewItem, Summary } from '../pipeline/types.js';
import { BlobStore } from './blobs.js';
import { JsonFile } from './json-file.js';
import { migrateShard, tooNew } from './migrate.js';
import {
  STORE_SCHEMA_VERSION,
  type BatchRecord,
  type LinkCheckRecord,
  type LinkChecksData,
  type MetaData,
  type PageRecord,
  type ReviewLogEntry,
  type RunRecord,
  type ShardData,
} from './records.js';

/** Where a workspace keeps its store (git-ignored). */
export function storeDirOf(workspace: string): string {
  return path.join(workspace, '.eti');
}

const RUNS_KEPT = 200;

/**
 * The store: a lowdb JSON index sharded per source (`index/<sourceId>.json`), a small
 * `index/meta.json` (runs), content-addressed gzip blobs, and an append-only review log.
 *
 * Reads go to in-memory shards, loaded lazily. Writes mark a shard dirty; `flush()` writes
 * the dirty shards, each atomically (temp file + rename, `JsonFile`, written in pieces). Callers
 * batch: the crawl flushes every few seconds and at the end, never once per page. A process
 * killed at any moment leaves every shard either as it was or as last flushed.
 */
export class Store {
  readonly dir: string;
  readonly blobs: BlobStore;
  readonly #indexDir: string;
  readonly #shards = new Map<string, Low<ShardData>>();
  readonly #loading = new Map<string, Promise<Low<ShardData>>>();
  readonly #dirty = new Set<string>();
  #meta!: Low<MetaData>;
  #isMetaDirty = false;
  /** The last `putLinkChecks` write: the next one waits for it. */
  #linkChecksWrite: Promise<void> = Promise.resolve();
  /** `link-checks.json`, beside the index (see `linkChecks`). */
  readonly #linkChecksFile: JsonFile<LinkChecksData>;

  private constructor(dir: string) {
    this.dir = dir;
    this.blobs = new BlobStore(path.join(dir, 'blobs'));
    this.#linkChecksFile = new JsonFile(path.join(dir, 'link-checks.json'));
    this.#indexDir = path.join(dir, 'index');
  }

  /**
   * Name, mtime and size of each index file of the store in `dir`: changes whenever any index file
   * is written (by any process), so a reader can keep a loaded Store until it does.
   */
  static async indexStamp(dir: string): Promise<string> {
    const indexDir = path.join(dir, 'index');
    const names = (await readdir(indexDir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
    const stamps = await Promise.all(
      names.map(async (n) => {
        const st = await stat(path.join(indexDir, n)).catch(() => undefined);
        return `${n}:${st?.mtimeMs ?? 0}:${st?.size ?? 0}`;
      }),
    );
    return stamps.join('|');
  }

  /** Open (creating if needed) the store in `dir`. */
  static async open(dir: string): Promise<Store> {
    const store = new Store(dir);
    await mkdir(store.#indexDir, { recursive: true });
    store.#meta = await store.#openFile<MetaData>(path.join(store.#indexDir, 'meta.json'), () => ({
      schemaVersion: STORE_SCHEMA_VERSION,
      runs: [],
    }));
    const version = store.#meta.data.schemaVersion;
    if (version > STORE_SCHEMA_VERSION) throw tooNew(path.join(store.#indexDir, 'meta.json'), version);
    if (version < STORE_SCHEMA_VERSION) {
      // Shards migrate as they load; meta.json only records the version.
      store.#meta.data.schemaVersion = STORE_SCHEMA_VERSION;
      store.#isMetaDirty = true;
    }
    return store;
  }

  async #openFile<T>(file: string, init: () => T): Promise<Low<T>> {
    const db = new Low<T>(new JsonFile<T>(file), init());
    try {
      await db.read();
    } catch (err) {
      throw new CannotRunError(
        'store-corrupt',
        `${file}: cannot read the store index (${err instanceof Error ? err.message : String(err)})`,
        "Restore it from a backup, or delete the file to forget that source's history.",
        err,
      );
    }
    db.data ??= init();
    return db;
  }

  #shardFile(sourceId: string): string {
    return path.join(this.#indexDir, `${sourceId}.json`);
  }

  /** The shard of one source, loaded on first use. */
  async shard(sourceId: string): Promise<ShardData> {
    const db = this.#shards.get(sourceId);
    if (db) return db.data;
    // One load per shard even when many callers ask at once (a second Low would lose writes).
    let loading = this.#loading.get(sourceId);
    if (!loading) {
      loading = (async () => {
        const file = this.#shardFile(sourceId);
        const loaded = await this.#openFile<ShardData>(file, () => ({
          schemaVersion: STORE_SCHEMA_VERSION,
          sourceId,
          pages: {},
          summaries: {},
          reviews: {},
        }));
        if (await migrateShard(loaded.data, file, this.blobs)) this.#dirty.add(sourceId);
        this.#shards.set(sourceId, loaded);
        return loaded;
      })().finally(() => this.#loading.delete(sourceId));
      this.#loading.set(sourceId, loading);
    }
    return (await loading).data;
  }

  /** Ids of every source with a shard on disk or in memory, sorted. */
  async sourceIds(): Promise<string[]> {
    const ids = new Set(this.#shards.keys());
    for (const f of await readdir(this.#indexDir)) {
      if (f.endsWith('.json') && f !== 'meta.json') ids.add(f.slice(0, -'.json'.length));
    }
    return [...ids].sort();
  }

  /** Every shard, loaded. */
  async allShards(): Promise<ShardData[]> {
    return Promise.all((await this.sourceIds()).map((id) => this.shard(id)));
  }

  /** Mark a source's shard as changed; written at the next `flush()`. */
  touch(sourceId: string): void {
    this.#dirty.add(sourceId);
  }

  async page(sourceId: string, url: string): Promise<PageRecord | undefined> {
    return (await this.shard(sourceId)).pages[url];
  }

  async putPage(page: PageRecord): Promise<void> {
    (await this.shard(page.sourceId)).pages[page.url] = page;
    this.touch(page.sourceId);
  }

  /**
   * Pages whose last fetch or extraction failed and that are not removed, sorted by source and URL:
   * URLs never stored (no versions) included, for the audit's count of failing pages.
   */
  async failingPages(): Promise<PageRecord[]> {
    return (await this.allShards())
      .flatMap((s) => Object.values(s.pages).filter((p) => p.lastFailure !== undefined && !p.removedAt))
      .sort((a, b) => (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  }

  async summary(sourceId: string, id: string): Promise<Summary | undefined> {
    return (await this.shard(sourceId)).summaries[id];
  }

  /** Store a summary; returns the stored copy (hold on to that one, not the original). */
  async putSummary(sourceId: string, summary: Summary): Promise<Summary> {
    // A copy with fresh strings: a summary's sentences and quotes are often slices of the page's
    // text, and V8 keeps a sliced string's whole parent alive (measured: ~36 KB retained per
    // summary, 108 MB at 3,000 pages, before this copy).
    const copy = JSON.parse(JSON.stringify(summary)) as Summary;
    (await this.shard(sourceId)).summaries[summary.id] = copy;
    this.touch(sourceId);
    return copy;
  }

  /** Every review item of every source. */
  async reviews(): Promise<ReviewItem[]> {
    return (await this.allShards()).flatMap((s) => Object.values(s.reviews));
  }

  async putReview(item: ReviewItem): Promise<void> {
    (await this.shard(item.sourceId)).reviews[item.id] = item;
    this.touch(item.sourceId);
  }

  /** Append to the review log (one JSON line; append-only, never rewritten). */
  async appendLog(entries: ReviewLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await appendFile(path.join(this.dir, 'review-log.jsonl'), entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }

  /** The review log, oldest first. */
  async log(): Promise<ReviewLogEntry[]> {
    let text: string;
    try {
      text = await readFile(path.join(this.dir, 'review-log.jsonl'), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    // A torn last line (killed mid-append) is skipped, not fatal.
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as ReviewLogEntry];
        } catch {
          return [];
        }
      });
  }

  get runs(): readonly RunRecord[] {
    return this.#meta.data.runs;
  }

  /** Add or replace (by id) a run record; only the newest runs are kept. */
  putRun(run: RunRecord): void {
    const runs = this.#meta.data.runs.filter((r) => r.id !== run.id);
    runs.push(run);
    this.#meta.data.runs = runs.slice(-RUNS_KEPT);
    this.#isMetaDirty = true;
  }

  /** Message batches submitted and not yet collected, oldest first. */
  get batches(): readonly BatchRecord[] {
    return this.#meta.data.batches ?? [];
  }

  /** Remember a submitted batch (flush right after, so a crash cannot lose its id). */
  putBatch(batch: BatchRecord): void {
    this.#meta.data.batches = [...this.batches.filter((b) => b.id !== batch.id), batch];
    this.#isMetaDirty = true;
  }

  /** Forget a batch whose results were collected. */
  dropBatch(id: string): void {
    this.#meta.data.batches = this.batches.filter((b) => b.id !== id);
    this.#isMetaDirty = true;
  }

  /**
   * Stored `eti audit --check-links` results by link URL (`link-checks.json`, beside the index: a
   * file of its own, so the audit never rewrites a shard a crawl may be writing); empty when none.
   */
  async linkChecks(): Promise<Map<string, LinkCheckRecord>> {
    let data: LinkChecksData | null;
    try {
      data = await this.#linkChecksFile.read();
      if (data !== null && (typeof data.links !== 'object' || data.links === null)) throw new Error('no "links" object');
    } catch (err) {
      throw new CannotRunError(
        'store-corrupt',
        `${this.#linkChecksFile.file}: cannot read the stored link checks (${err instanceof Error ? err.message : String(err)})`,
        'Delete the file: the next `eti audit --check-links` checks every link again.',
        err,
      );
    }
    return new Map(Object.entries(data?.links ?? {}));
  }

  /**
   * Add link-check results to `link-checks.json` and forget the stored links `forget` names (not
   * those in `records`). A link another process checked later than `records` says stays as it is.
   * Written whole and atomically (`JsonFile`), URLs sorted: a process killed at any moment leaves
   * the file as it was or as last written. Calls from one process are serialised. Resolves to
   * what the file holds now.
   */
  putLinkChecks(
    records: ReadonlyMap<string, LinkCheckRecord>,
    forget?: (url: string, record: LinkCheckRecord) => boolean,
  ): Promise<Map<string, LinkCheckRecord>> {
    const write = this.#linkChecksWrite.then(async () => {
      const merged = await this.linkChecks();
      for (const [url, r] of records) {
        const had = merged.get(url);
        if (!had || had.checkedAt <= r.checkedAt) merged.set(url, r);
      }
      if (forget) for (const [url, r] of merged) if (!records.has(url) && forget(url, r)) merged.delete(url);
      const sorted = new Map([...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      await this.#linkChecksFile.write({ links: Object.fromEntries(sorted) });
      return sorted;
    });
    this.#linkChecksWrite = write.then(
      () => undefined,
      () => undefined,
    );
    return write;
  }

  /** Write every changed shard (each atomically). Cheap when nothing changed. */
  async flush(): Promise<void> {
    const ids = [...this.#dirty];
    this.#dirty.clear();
    await Promise.all(ids.map((id) => this.#shards.get(id)!.write()));
    if (this.#isMetaDirty) {
      this.#isMetaDirty = false;
      await this.#meta.write();
    }
  }
}
