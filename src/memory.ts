import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;
let isGrowthLimited = false;

/**
 * A full garbage collection on demand, for long runs that make a lot of short-lived garbage (a
 * crawl decodes, hashes and hands on every page's HTML on the main thread). V8 grows the heap
 * lazily when it has room: at 10,000 bench pages the crawl's peak RSS was 614 MB without a
 * collection after each store flush, 442 MB with one, at the same pages/s (a collection of the
 * main thread's ~50 MB live heap takes tens of ms, once every few seconds).
 *
 * Uses V8's `--expose-gc` set at run time and picks `gc` up from a fresh context, as `node
 * --expose-gc` would provide it.
 */
export function fullGc(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** The old generation may grow to this much above what survived the last full collection (V8's `--heap-growing-percent`). */
export const HEAP_GROWING_PERCENT = 30;

/**
 * Keep every heap of the process (the main thread's and the extraction workers') close to its live
 * data: after each full collection V8 lets the old generation grow only `HEAP_GROWING_PERCENT` more
 * before the next, instead of its default factor (up to 4× for a heap that collects fast). The live
 * main heap of a 10,000-page run stays at 45–75 MB; what made the peaks was garbage V8 had room to
 * keep: the unchanged recrawl took the heap to ~240 MB in seconds. Measured with the bench child at
 * 10,000 pages (`node dist/bench/run.js --child 10000`, same code otherwise, with a less wasteful
 * `fold` in verify/claims.ts applied): peak RSS over crawl,
 * summarising and recrawl 403 → 269 MiB, the crawl's 271 → 269 MiB; crawl pages/s interleaved at
 * 3,000 pages, two runs each: 43 and 67 without, 71 and 79 with (the machine is shared and noisy).
 *
 * V8 reads the flag at each collection, so setting it at run time takes effect for heaps that
 * already exist and for workers started later. Idempotent.
 */
export function limitHeapGrowth(): void {
  if (isGrowthLimited) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  isGrowthLimited = true;
}
