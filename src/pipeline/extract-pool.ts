import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExtractOptions } from './extract.js';
import type { ExtractResult } from './types.js';

/** Extract one page: in this thread, or in a worker pool. */
export type Extractor = (html: string, opts: ExtractOptions) => Promise<ExtractResult>;

/**
 * Extraction on the calling thread (tests, tiny crawls). jsdom is loaded on first use only: a
 * crawl that extracts in workers never loads it on the main thread (~100 MB of RSS saved).
 */
export const extractInline: Extractor = async (html, opts) => (await import('./extract.js')).extract(html, opts);

interface Job {
  id: number;
  html: string;
  opts: ExtractOptions;
  resolve: (r: ExtractResult) => void;
  reject: (e: unknown) => void;
}

/**
 * A pool of worker threads running `extract()`, one job at a time per worker, so extraction
 * uses every core while the main thread keeps fetching. Created lazily; `close()` in finally.
 * Falls back to inline extraction where the compiled worker file is not there (running from
 * TypeScript sources under the test runner).
 */
export class ExtractPool {
  readonly size: number;
  readonly #workerFile: URL;
  readonly #idle: Worker[] = [];
  readonly #all: Worker[] = [];
  readonly #queue: Job[] = [];
  readonly #running = new Map<Worker, Job>();
  #nextId = 0;
  readonly #heapMb: number;
  readonly #youngMb: number | undefined;

  /**
   * `size` workers (default: one per core), each with an old-generation heap of `heapMb` MB and a
   * young generation of `youngMb` MB. jsdom makes short-lived garbage fast: with V8's default young
   * generation (48 MB) each worker is ~30 MB bigger, and with a tiny one it collects all the time.
   * 12 MB is the middle (2,000 bench pages, 2 workers, crawl only, one run each: 4 MB 16.8 pages/s,
   * 177 s CPU, 331 MB peak RSS; 12 MB 21.6 pages/s, 159 s CPU, 338 MB; 24 MB 21.9 pages/s, 133 s
   * CPU, 355 MB. Single-threaded extraction, 300 pages, spent 15, 9 and 6 ms a page in GC with
   * `--max-semi-space-size` 1, 4 and 16, i.e. young generations of ~3, 12 and 48 MB).
   */
  constructor(size = Math.max(1, os.availableParallelism()), heapMb = 640, youngMb: number | undefined = 12) {
    this.size = size;
    this.#heapMb = heapMb;
    this.#youngMb = youngMb;
    this.#workerFile = new URL('./extract-worker.js', import.meta.url);
  }

  /** True when worker threads can be used (the compiled worker exists). */
  get isThreaded(): boolean {
    return existsSync(fileURLToPath(this.#workerFile));
  }

  readonly extract: Extractor = (html, opts) => {
    if (!this.isThreaded) return extractInline(html, opts);
    return new Promise<ExtractResult>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, html, opts, resolve, reject });
      this.#pump();
    });
  };

  #spawn(): Worker {
    // A capped old generation makes V8 collect jsdom's garbage early instead of growing each
    // worker's heap towards its default limit (2 workers, 300 bench pages twice: uncapped ~1 GB
    // peak RSS; 640 MB cap ~560 MB at 18 pages/s; 160 MB cap ~510 MB but 15.8 pages/s).
    const w = new Worker(this.#workerFile, {
      resourceLimits: { maxOldGenerationSizeMb: this.#heapMb, ...(this.#youngMb ? { maxYoungGenerationSizeMb: this.#youngMb } : {}) },
    });
    w.on('message', (msg: { id: number; result: ExtractResult }) => {
      const job = this.#running.get(w);
      this.#running.delete(w);
      this.#idle.push(w);
      job?.resolve(msg.result);
      this.#pump();
    });
    w.on('error', (err) => {
      const job = this.#running.get(w);
      this.#running.delete(w);
      this.#all.splice(this.#all.indexOf(w), 1);
      job?.reject(err);
      this.#pump();
    });
    this.#all.push(w);
    return w;
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
      w.postMessage({ id: job.id, html: job.html, opts: job.opts });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.#all.map((w) => w.terminate()));
    this.#all.length = 0;
    this.#idle.length = 0;
  }
}
