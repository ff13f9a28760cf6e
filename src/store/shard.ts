import path from 'node:path';
import { CannotRunError } from '../errors.js';
import type { ReviewItem, Summary } from '../pipeline/types.js';
import type { Blobs, ShardView } from './interface.js';
import { splitLegacyShard, tooNew, type LegacyUpgrade } from './migrate.js';
import { RecordsFile } from './records-file.js';
import { STORE_SCHEMA_VERSION, type LegacyShardData, type PageRecord } from './records.js';
import { SummaryLog } from './summary-log.js';

/** The files of one source, in `index/`: pages, review items, summaries. */
export function shardFiles(indexDir: string, sourceId: string): { pages: string; reviews: string; summaries: string } {
  return {
    pages: path.join(indexDir, `${sourceId}.json`),
    reviews: path.join(indexDir, `${sourceId}.reviews.json`),
    summaries: path.join(indexDir, `${sourceId}.summaries.jsonl`),
  };
}

/** The source id a file in `index/` belongs to (undefined for `meta.json` and temp files). */
export function sourceIdOfFile(name: string): string | undefined {
  const m = /^([a-z0-9][a-z0-9-]*)(?:\.reviews\.json|\.summaries\.jsonl|\.json)$/.exec(name);
  return m && m[1] !== 'meta' ? m[1] : undefined;
}

function corrupt(file: string, err: unknown): CannotRunError {
  return new CannotRunError(
    'store-corrupt',
    `${file}: cannot read the store index (${err instanceof Error ? err.message : String(err)})`,
    "Restore it from a backup, or delete the file to forget that source's history.",
    err,
  );
}

async function readJson<T>(file: RecordsFile<unknown>): Promise<T | null> {
  try {
    return await file.read<T>();
  } catch (err) {
    throw corrupt(file.file, err);
  }
}

/**
 * One source's records and their three files (see `shardFiles`): pages and review items in memory,
 * each a JSON file written whole when changed; summaries an append-only log on disk
 * (`SummaryLog`), of which only the ones put since the last flush are held in memory. Each kind is
 * marked dirty on its own, so a summarising run never rewrites the pages, and a crawl never the
 * summaries. A flush writes summaries, then review items, then pages: an item is never on disk
 * before the summary it names.
 */
export class SourceShard {
  readonly sourceId: string;
  readonly #pages: Record<string, PageRecord>;
  readonly #reviews: Record<string, ReviewItem>;
  readonly #view: ShardView;
  readonly #files: { pages: RecordsFile<PageRecord>; reviews: RecordsFile<ReviewItem> };
  readonly #log: SummaryLog;
  /** Summaries put since the last flush (not in the log yet). */
  readonly #unflushed = new Map<string, Summary>();
  /** Summaries in the log that were dropped: gone at the next flush's rewrite. */
  #dropped = new Set<string>();
  #isPagesDirty = false;
  #isReviewsDirty = false;
  #isSummariesRewrite = false;
  #flushing: Promise<void> = Promise.resolve();

  private constructor(indexDir: string, sourceId: string, pages: Record<string, PageRecord>, reviews: Record<string, ReviewItem>) {
    this.sourceId = sourceId;
    this.#pages = pages;
    this.#reviews = reviews;
    this.#view = { schemaVersion: STORE_SCHEMA_VERSION, sourceId, pages, reviews };
    const f = shardFiles(indexDir, sourceId);
    this.#files = { pages: new RecordsFile(f.pages), reviews: new RecordsFile(f.reviews) };
    this.#log = new SummaryLog(f.summaries);
  }

  /**
   * Load a source's files, migrating a shard written before schema 4 (pages, summaries and items in
   * one file) into the three files at the next flush; `upgrade` runs the steps before 3, which need
   * the pipeline. A source with no files is empty.
   */
  static async load(indexDir: string, sourceId: string, blobs: Blobs, upgrade?: LegacyUpgrade): Promise<SourceShard> {
    const f = shardFiles(indexDir, sourceId);
    type Stored = Partial<LegacyShardData>;
    const stored = await readJson<Stored>(new RecordsFile(f.pages));
    const version = stored ? (stored.schemaVersion ?? 1) : STORE_SCHEMA_VERSION;
    if (version > STORE_SCHEMA_VERSION) throw tooNew(f.pages, version);
    if (stored && version < STORE_SCHEMA_VERSION) {
      const legacy = { pages: {}, summaries: {}, reviews: {}, ...stored, sourceId, schemaVersion: version };
      const data = await splitLegacyShard(legacy, f.pages, blobs, upgrade);
      const shard = new SourceShard(indexDir, sourceId, data.pages, data.reviews);
      for (const summary of Object.values(data.summaries)) shard.#unflushed.set(summary.id, summary);
      shard.#isPagesDirty = true;
      shard.#isReviewsDirty = true;
      shard.#isSummariesRewrite = true;
      return shard;
    }
    const reviewsFile = await readJson<{ schemaVersion?: number; reviews?: Record<string, ReviewItem> }>(new RecordsFile(f.reviews));
    if ((reviewsFile?.schemaVersion ?? 0) > STORE_SCHEMA_VERSION) throw tooNew(f.reviews, reviewsFile!.schemaVersion!);
    const shard = new SourceShard(indexDir, sourceId, stored?.pages ?? {}, reviewsFile?.reviews ?? {});
    shard.#isSummariesRewrite = await shard.#log.load();
    return shard;
  }

  get view(): ShardView {
    return this.#view;
  }

  get isDirty(): boolean {
    return this.#isPagesDirty || this.#isReviewsDirty || this.#isSummariesRewrite || this.#unflushed.size > 0;
  }

  putPage(page: PageRecord): void {
    this.#pages[page.url] = page;
    this.#isPagesDirty = true;
  }

  addPage(page: PageRecord): boolean {
    if (this.#pages[page.url]) return false;
    this.putPage(page);
    return true;
  }

  /** A summary: put since the last flush, else read from the log. */
  async summary(id: string): Promise<Summary | undefined> {
    const s = this.#unflushed.get(id);
    if (s || this.#dropped.has(id)) return s;
    return this.#log.get(id);
  }

  /** Every summary, by id, the log's in file order, then those not flushed yet. */
  async summaries(): Promise<Record<string, Summary>> {
    const out: Record<string, Summary> = {};
    for (const [id, s] of await this.#log.all()) if (!this.#dropped.has(id) && !this.#unflushed.has(id)) out[id] = s;
    for (const [id, s] of this.#unflushed) out[id] = s;
    return out;
  }

  /** Put a summary (the caller's detached copy, see `detachedCopy`). */
  putSummary(summary: Summary): void {
    this.#unflushed.set(summary.id, summary);
    this.#dropped.delete(summary.id);
  }

  dropSummary(id: string): void {
    this.#unflushed.delete(id);
    if (!this.#log.has(id)) return;
    this.#dropped.add(id);
    this.#isSummariesRewrite = true;
  }

  putReview(item: ReviewItem): void {
    this.#reviews[item.id] = item;
    this.#isReviewsDirty = true;
  }

  /** Write what changed (summaries, items, pages, in that order); one flush of a source at a time. */
  flush(): Promise<void> {
    const run = this.#flushing.then(() => this.#write());
    this.#flushing = run.catch(() => undefined);
    return run;
  }

  async #writeSummaries(): Promise<void> {
    const isRewrite = this.#isSummariesRewrite;
    const fresh = [...this.#unflushed.values()];
    const dropped = this.#dropped;
    this.#isSummariesRewrite = false;
    this.#dropped = new Set();
    try {
      if (isRewrite) {
        const unflushed = new Set(fresh.map((s) => s.id));
        await this.#log.rewrite(
          [...this.#log.ids()].filter((id) => !dropped.has(id) && !unflushed.has(id)),
          fresh,
        );
      } else await this.#log.append(fresh);
    } catch (err) {
      // Written again whole next time: an append may have stopped halfway.
      this.#isSummariesRewrite = true;
      for (const id of dropped) this.#dropped.add(id);
      throw err;
    }
    // On disk now: read from there from now on (unless put again meanwhile).
    for (const s of fresh) if (this.#unflushed.get(s.id) === s) this.#unflushed.delete(s.id);
  }

  async #write(): Promise<void> {
    const head = { schemaVersion: STORE_SCHEMA_VERSION, sourceId: this.sourceId };
    await this.#writeSummaries();
    if (this.#isReviewsDirty) {
      this.#isReviewsDirty = false;
      await this.#files.reviews.write(head, 'reviews', this.#reviews).catch((err: unknown) => {
        this.#isReviewsDirty = true;
        throw err;
      });
    }
    if (this.#isPagesDirty) {
      this.#isPagesDirty = false;
      await this.#files.pages.write(head, 'pages', this.#pages).catch((err: unknown) => {
        this.#isPagesDirty = true;
        throw err;
      });
    }
  }
}
