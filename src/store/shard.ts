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
 * One source's records in memory and their three files (see `shardFiles`): pages and review items
 * each a JSON file written whole when changed, summaries an append-only log (`SummaryLog`). Each
 * kind is marked dirty on its own, so a summarising run never rewrites the pages, and a crawl
 * never the summaries. A flush writes summaries, then review items, then pages: an item is never on
 * disk before the summary it names.
 */
export class SourceShard {
  readonly sourceId: string;
  readonly #pages: Record<string, PageRecord>;
  readonly #summaries: Record<string, Summary>;
  readonly #reviews: Record<string, ReviewItem>;
  readonly #view: ShardView;
  readonly #files: { pages: RecordsFile<PageRecord>; reviews: RecordsFile<ReviewItem>; summaries: SummaryLog };
  #isPagesDirty = false;
  #isReviewsDirty = false;
  #newSummaries: Summary[] = [];
  #isSummariesRewrite = false;
  #flushing: Promise<void> = Promise.resolve();

  private constructor(indexDir: string, data: LegacyShardData) {
    this.sourceId = data.sourceId;
    this.#pages = data.pages;
    this.#summaries = data.summaries;
    this.#reviews = data.reviews;
    this.#view = { schemaVersion: STORE_SCHEMA_VERSION, sourceId: data.sourceId, pages: data.pages, summaries: data.summaries, reviews: data.reviews };
    const f = shardFiles(indexDir, data.sourceId);
    this.#files = { pages: new RecordsFile(f.pages), reviews: new RecordsFile(f.reviews), summaries: new SummaryLog(f.summaries) };
  }

  /**
   * Load a source's files, migrating a shard written before schema 4 (pages, summaries and items in
   * one file) into the three files at the next flush; `upgrade` runs the steps before 3, which need
   * the pipeline. A source with no files is empty.
   */
  static async load(indexDir: string, sourceId: string, blobs: Blobs, upgrade?: LegacyUpgrade): Promise<SourceShard> {
    const empty = (): LegacyShardData => ({ schemaVersion: STORE_SCHEMA_VERSION, sourceId, pages: {}, summaries: {}, reviews: {} });
    const f = shardFiles(indexDir, sourceId);
    const files = { pages: new RecordsFile<PageRecord>(f.pages), reviews: new RecordsFile<ReviewItem>(f.reviews), summaries: new SummaryLog(f.summaries) };
    type PagesFile = { schemaVersion?: number; sourceId?: string; pages?: Record<string, PageRecord> };
    const stored = await readJson<PagesFile & Partial<LegacyShardData>>(files.pages);
    const version = stored ? (stored.schemaVersion ?? 1) : STORE_SCHEMA_VERSION;
    if (version > STORE_SCHEMA_VERSION) throw tooNew(files.pages.file, version);
    if (stored && version < STORE_SCHEMA_VERSION) {
      const data = await splitLegacyShard({ ...empty(), ...stored, schemaVersion: version }, files.pages.file, blobs, upgrade);
      const shard = new SourceShard(indexDir, { ...data, sourceId });
      shard.#isPagesDirty = true;
      shard.#isReviewsDirty = true;
      shard.#isSummariesRewrite = true;
      return shard;
    }
    const reviewsFile = await readJson<{ schemaVersion?: number; reviews?: Record<string, ReviewItem> }>(files.reviews);
    if ((reviewsFile?.schemaVersion ?? 0) > STORE_SCHEMA_VERSION) throw tooNew(files.reviews.file, reviewsFile!.schemaVersion!);
    const log = await files.summaries.read();
    const shard = new SourceShard(indexDir, {
      schemaVersion: STORE_SCHEMA_VERSION,
      sourceId,
      pages: stored?.pages ?? {},
      summaries: log.summaries,
      reviews: reviewsFile?.reviews ?? {},
    });
    shard.#isSummariesRewrite = log.needsRewrite;
    return shard;
  }

  get view(): ShardView {
    return this.#view;
  }

  get isDirty(): boolean {
    return this.#isPagesDirty || this.#isReviewsDirty || this.#isSummariesRewrite || this.#newSummaries.length > 0;
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

  /** Put a summary (the caller's detached copy, see `detachedCopy`). */
  putSummary(summary: Summary): void {
    this.#summaries[summary.id] = summary;
    this.#newSummaries.push(summary);
  }

  dropSummary(id: string): void {
    if (!this.#summaries[id]) return;
    delete this.#summaries[id];
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

  async #write(): Promise<void> {
    const head = { schemaVersion: STORE_SCHEMA_VERSION, sourceId: this.sourceId };
    const isRewrite = this.#isSummariesRewrite;
    const fresh = this.#newSummaries;
    this.#isSummariesRewrite = false;
    this.#newSummaries = [];
    try {
      if (isRewrite) await this.#files.summaries.rewrite(Object.values(this.#summaries));
      else await this.#files.summaries.append(fresh);
    } catch (err) {
      // Written again whole next time: an append may have stopped halfway.
      this.#isSummariesRewrite = true;
      throw err;
    }
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
