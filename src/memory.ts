import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

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
