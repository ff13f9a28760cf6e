import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExtractOptions } from './extract.js';
import type { ExtractResult } from '../types.js';

/** Extract one page: in this thread, or in a worker pool. */
export type Extractor = (html: string, opts: ExtractOptions) => Promise<ExtractResult>;

/**
 * Extraction on the calling thread (tests, tiny crawls). The DOM and Readability are loaded on
 * first use only: a crawl that extracts in workers never loads them on the main thread.
 */
export const extractInline: Extractor = async (html, opts) => (await import('./extract.js')).extract(html, opts);

interface Job {
  id: number;
  html: string;
  opts: ExtractOptions;
  resolve: (r: ExtractResult) => void;
  timer?: ReturnType<typeof setTimeout>;
}

/** Default per-page extraction budget: far above any real page (median ~2 ms, worst seen ~1.5 s). */
export const DEFAULT_EXTRACT_DEADLINE_MS = 30_000;

/** Options of an ExtractPool besides its size and heap limits. */
export interface ExtractPoolOptions {
  /**
   * Wall-clock budget per page in ms (default `DEFAULT_EXTRACT_DEADLINE_MS`). A worker still busy
   * with a page past it is terminated and replaced, and the page gets `code: 'extract-timeout'`:
   * one hostile page cannot stall a crawl. Timed from when the page is handed to a worker, not
   * from when it was queued.
   */
  deadlineMs?: number;
  /** The compiled worker script (default: worker.js beside this module). */
  workerFile?: URL;
}

/**
 * A pool of worker threads running `extract()`, one job at a time per worker, so extraction
 * uses every core while the main thread keeps fetching. Created lazily; `close()` in finally.
 * Falls back to inline extraction (without a deadline) where the compiled worker file is not
 * there (running from TypeScript sources under the test runner).
 */
export class ExtractPool {
  readonly size: number;
  readonly deadlineMs: number;
  readonly #workerFile: URL;
  readonly #idle: Worker[] = [];
  readonly #all: Worker[] = [];
  readonly #queue: Job[] = [];
  readonly #running = new Map<Worker, Job>();
  #nextId = 0;
  readonly #heapMb: number;
  readonly #youngMb: number | undefined;
  /** Workers terminated for overrunning their deadline (for tests and the crawl summary). */
  timeouts = 0;
  /** Workers started so far, replacements included. */
  workersStarted = 0;

  /**
   * `size` workers (default: one per core), each with an old-generation heap of `heapMb` MB and a
   * young generation of `youngMb` MB. jsdom made short-lived garbage fast: with V8's default young
   * generation (48 MB) each worker was ~30 MB bigger, and with a tiny one it collected all the time.
   * 12 MB was the middle (2,000 bench pages, 2 workers, crawl only, one run each: 4 MB 16.8 pages/s,
   * 177 s CPU, 331 MB peak RSS; 12 MB 21.6 pages/s, 159 s CPU, 338 MB; 24 MB 21.9 pages/s, 133 s
   * CPU, 355 MB. Single-threaded extraction, 300 pages, spent 15, 9 and 6 ms a page in GC with
   * `--max-semi-space-size` 1, 4 and 16, i.e. young generations of ~3, 12 and 48 MB). Measured on
   * jsdom, before extraction moved to linkedom.
   */
  constructor(
    size = Math.max(1, os.availableParallelism()),
    heapMb = 640,
    youngMb: number | undefined = 12,
    options: ExtractPoolOptions = {},
  ) {
    this.size = size;
    this.#heapMb = heapMb;
    this.#youngMb = youngMb;
    this.deadlineMs = options.deadlineMs ?? DEFAULT_EXTRACT_DEADLINE_MS;
    if (!(this.deadlineMs > 0)) throw new RangeError(`ExtractPool deadlineMs: expected a positive number, got ${this.deadlineMs}`);
    this.#workerFile = options.workerFile ?? new URL('./worker.js', import.meta.url);
  }

  /** True when worker threads can be used (the compiled worker exists). */
  get isThreaded(): boolean {
    return existsSync(fileURLToPath(this.#workerFile));
  }

  /** Extract one page in a worker; resolves (never rejects) with the result or a failure. */
  readonly extract: Extractor = (html, opts) => {
    if (!this.isThreaded) return extractInline(html, opts);
    return new Promise<ExtractResult>((resolve) => {
      this.#queue.push({ id: this.#nextId++, html, opts, resolve });
      this.#pump();
    });
  };

  #spawn(): Worker {
    // A capped old generation makes V8 collect garbage early instead of growing each worker's
    // heap towards its default limit (measured on jsdom: 2 workers, 300 bench pages twice:
    // uncapped ~1 GB peak RSS; 640 MB cap ~560 MB at 18 pages/s; 160 MB cap ~510 MB, 15.8 pages/s).
    const w = new Worker(this.#workerFile, {
      resourceLimits: { maxOldGenerationSizeMb: this.#heapMb, ...(this.#youngMb ? { maxYoungGenerationSizeMb: this.#youngMb } : {}) },
    });
    w.on('message', (msg: { id: number; result: ExtractResult }) => {
      const job = this.#running.get(w);
      if (!job || job.id !== msg.id) return; // a late answer for a job already timed out
      this.#finish(w, job, msg.result);
      this.#idle.push(w);
      this.#pump();
    });
    w.on('error', (err) => {
      // A crashed worker (out of memory, a stack overflow outside extract's own catch) is a failed
      // page, not a failed crawl: the job is answered and the worker replaced on the next pump.
      const job = this.#running.get(w);
      this.#drop(w);
      if (job)
        this.#finish(w, job, {
          ok: false,
          code: 'parse-error',
          reason: `the extraction worker crashed: ${err instanceof Error ? err.message : String(err)}`,
        });
      this.#pump();
    });
    this.#all.push(w);
    this.workersStarted++;
    return w;
  }

  #finish(w: Worker, job: Job, result: ExtractResult): void {
    clearTimeout(job.timer);
    this.#running.delete(w);
    job.resolve(result);
  }

  /** Forget a worker (crashed or terminated): it is neither idle nor counted against the size. */
  #drop(w: Worker): void {
    const i = this.#all.indexOf(w);
    if (i >= 0) this.#all.splice(i, 1);
    const j = this.#idle.indexOf(w);
    if (j >= 0) this.#idle.splice(j, 1);
  }

  #overrun(w: Worker, job: Job): void {
    if (this.#running.get(w) !== job) return;
    this.timeouts++;
    this.#drop(w);
    this.#finish(w, job, {
      ok: false,
      code: 'extract-timeout',
      reason: `extraction took longer than ${job.opts.deadlineMs ?? this.deadlineMs} ms; the worker was stopped`,
    });
    // terminate() stops the thread even in a synchronous loop; a fresh worker takes the next job.
    void w.terminate();
    this.#pump();
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let w = this.#idle.pop();
      if (!w) {
        if (this.#all.length >= this.size) return;
        w = this.#spawn();
      }
      const job = this.#queue.shift()!;
      this.#running.set(w, job);
      const worker = w;
      job.timer = setTimeout(() => this.#overrun(worker, job), job.opts.deadlineMs ?? this.deadlineMs);
      w.postMessage({ id: job.id, html: job.html, opts: job.opts });
    }
  }

  /** Stop every worker. Call it when no page is in flight (in the crawl's finally). */
  async close(): Promise<void> {
    for (const job of this.#running.values()) clearTimeout(job.timer);
    await Promise.all(this.#all.map((w) => w.terminate()));
    this.#all.length = 0;
    this.#idle.length = 0;
  }
}
