import { appendFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { CannotRunError } from '../errors.js';
import type { ReviewItem, Summary } from '../pipeline/types.js';
import { BlobStore } from './blobs.js';
import { JsonFile } from './json-file.js';
import { byPageOrder, detachedCopy, isFailing, withRun, type StoreApi } from './interface.js';
import { tooNew, type LegacyUpgrade } from './migrate.js';
import {
  STORE_SCHEMA_VERSION,
  type BatchRecord,
  type LinkCheckRecord,
  type LinkChecksData,
  type MetaData,
  type PageRecord,
  type ReviewLogEntry,
  type RunRecord,
  type ShardView,
} from './records.js';
import { SourceShard, sourceIdOfFile } from './shard.js';

/** Where a workspace keeps its store (git-ignored). */
/** The store every stage is given: see `StoreApi` (store/interface.ts). */
export type Store = StoreApi;

/** Opening the store on disk (`FileStore`); commands open it through `pipeline/upgrade`'s `openStore`. */
export const Store = {
  open: (dir: string, opts: { upgrade?: LegacyUpgrade } = {}): Promise<FileStore> => FileStore.open(dir, opts),
  indexStamp: (dir: string): Promise<string> => FileStore.indexStamp(dir),
};

export function storeDirOf(workspace: string): string {
  return path.join(workspace, '.eti');
}

/**
 * The store on disk (see `StoreApi`): per source, a pages file, a review-items file and an
 * append-only summaries log in `index/` (store/shard.ts), a small `index/meta.json` (runs, open
 * batches), content-addressed gzip blobs, and an append-only review log.
 *
 * Reads go to in-memory records, loaded per source on first use. Writes replace a record and mark
 * its kind of file dirty, synchronously; `flush()` writes what changed, each file atomically (temp
 * file + rename; summaries appended). Callers batch: the crawl flushes every few seconds and at the
 * end, never once per page. A process killed at any moment leaves every file either as it was or
 * as last flushed (a torn last summary line is skipped).
 */
export class FileStore implements StoreApi {
  readonly dir: string;
  readonly blobs: BlobStore;
  readonly #indexDir: string;
  readonly #upgrade: LegacyUpgrade | undefined;
  readonly #shards = new Map<string, SourceShard>();
  readonly #loading = new Map<string, Promise<SourceShard>>();
  /** Writes to sources not loaded yet, in order: applied as each loads (at the latest, by `flush`). */
  readonly #pending = new Map<string, ((s: SourceShard) => void)[]>();
  #meta!: Low<MetaData>;
  #isMetaDirty = false;
  /** The last `putLinkChecks` write: the next one waits for it. */
  #linkChecksWrite: Promise<void> = Promise.resolve();
  /** `link-checks.json`, beside the index (see `linkChecks`). */
  readonly #linkChecksFile: JsonFile<LinkChecksData>;

  private constructor(dir: string, upgrade: LegacyUpgrade | undefined) {
    this.dir = dir;
    this.blobs = new BlobStore(path.join(dir, 'blobs'));
    this.#linkChecksFile = new JsonFile(path.join(dir, 'link-checks.json'));
    this.#indexDir = path.join(dir, 'index');
    this.#upgrade = upgrade;
  }

  /**
   * Name, mtime and size of each index file of the store in `dir`: changes whenever any index file
   * is written (by any process), so a reader can keep a loaded Store until it does.
   */
  static async indexStamp(dir: string): Promise<string> {
    const indexDir = path.join(dir, 'index');
    const names = (await readdir(indexDir).catch(() => [] as string[])).filter((n) => n.endsWith('.json') || n.endsWith('.jsonl')).sort();
    const stamps = await Promise.all(
      names.map(async (n) => {
        const st = await stat(path.join(indexDir, n)).catch(() => undefined);
        return `${n}:${st?.mtimeMs ?? 0}:${st?.size ?? 0}`;
      }),
    );
    return stamps.join('|');
  }

  /**
   * Open (creating if needed) the store in `dir`. `upgrade` runs the migrations that need the
   * pipeline (see `LegacyUpgrade`); commands open the store through `pipeline/upgrade`'s `openStore`.
   */
  static async open(dir: string, opts: { upgrade?: LegacyUpgrade } = {}): Promise<FileStore> {
    const store = new FileStore(dir, opts.upgrade);
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

  async #load(sourceId: string): Promise<SourceShard> {
    const loaded = this.#shards.get(sourceId);
    if (loaded) return loaded;
    // One load per source even when many callers ask at once (a second copy would lose writes).
    let loading = this.#loading.get(sourceId);
    if (!loading) {
      loading = SourceShard.load(this.#indexDir, sourceId, this.blobs, this.#upgrade)
        .then((s) => {
          for (const write of this.#pending.get(sourceId) ?? []) write(s);
          this.#pending.delete(sourceId);
          this.#shards.set(sourceId, s);
          return s;
        })
        .finally(() => this.#loading.delete(sourceId));
      this.#loading.set(sourceId, loading);
    }
    return loading;
  }

  /**
   * A write, now when the source is loaded, else as soon as it loads (reads and `flush` load it
   * first): either way it is visible to every later read and written by the next flush.
   */
  #write(sourceId: string, write: (s: SourceShard) => void): void {
    const s = this.#shards.get(sourceId);
    if (s) {
      write(s);
      return;
    }
    const list = this.#pending.get(sourceId) ?? [];
    list.push(write);
    this.#pending.set(sourceId, list);
  }

  async shard(sourceId: string): Promise<ShardView> {
    return (await this.#load(sourceId)).view;
  }

  /** Ids of every source with files on disk or records in memory, sorted. */
  async sourceIds(): Promise<string[]> {
    const ids = new Set(this.#shards.keys());
    for (const f of await readdir(this.#indexDir)) {
      const id = sourceIdOfFile(f);
      if (id !== undefined) ids.add(id);
    }
    return [...ids].sort();
  }

  async allShards(): Promise<ShardView[]> {
    return Promise.all((await this.sourceIds()).map((id) => this.shard(id)));
  }

  async page(sourceId: string, url: string): Promise<Readonly<PageRecord> | undefined> {
    return (await this.shard(sourceId)).pages[url];
  }

  putPage(page: PageRecord): void {
    this.#write(page.sourceId, (s) => s.putPage(page));
  }

  /** Needs the source loaded (its answer depends on what is stored): read it first. */
  addPage(page: PageRecord): boolean {
    const s = this.#shards.get(page.sourceId);
    if (!s) throw new Error(`store.addPage: source "${page.sourceId}" is not loaded (read it first)`);
    return s.addPage(page);
  }

  async failingPages(): Promise<Readonly<PageRecord>[]> {
    return (await this.allShards()).flatMap((s) => Object.values(s.pages).filter(isFailing)).sort(byPageOrder);
  }

  async summary(sourceId: string, id: string): Promise<Readonly<Summary> | undefined> {
    return (await this.#load(sourceId)).summary(id);
  }

  async summaries(sourceId: string): Promise<Readonly<Record<string, Readonly<Summary>>>> {
    return (await this.#load(sourceId)).summaries();
  }

  putSummary(sourceId: string, summary: Summary): Readonly<Summary> {
    const copy = detachedCopy(summary);
    this.#write(sourceId, (s) => s.putSummary(copy));
    return copy;
  }

  dropSummary(sourceId: string, id: string): void {
    this.#write(sourceId, (s) => s.dropSummary(id));
  }

  async reviews(): Promise<Readonly<ReviewItem>[]> {
    return (await this.allShards()).flatMap((s) => Object.values(s.reviews));
  }

  putReview(item: ReviewItem): void {
    this.#write(item.sourceId, (s) => s.putReview(item));
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
    this.#meta.data.runs = withRun(this.#meta.data.runs, run);
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

  /** Write what changed in every source (each file atomically). Cheap when nothing changed. */
  async flush(): Promise<void> {
    await Promise.all([...this.#pending.keys()].map((id) => this.#load(id)));
    await Promise.all([...this.#shards.values()].filter((s) => s.isDirty).map((s) => s.flush()));
    if (this.#isMetaDirty) {
      this.#isMetaDirty = false;
      await this.#meta.write();
    }
  }
}
