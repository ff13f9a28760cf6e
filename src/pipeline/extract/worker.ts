import { parentPort } from 'node:worker_threads';
import { extract, type ExtractOptions } from './extract.js';
import type { ExtractResult } from '../types.js';

/**
 * Worker thread body for ExtractPool. Lets the event loop turn between pages (setImmediate)
 * so what a page left behind is collected: with jsdom (still used for the pages linkedom cannot
 * place in <body>) its timers and closed windows otherwise pile up and memory balloons.
 */
parentPort!.on('message', (msg: { id: number; html: string; opts: ExtractOptions }) => {
  let result: ExtractResult;
  try {
    result = extract(msg.html, msg.opts);
  } catch (err) {
    result = { ok: false as const, code: 'parse-error' as const, reason: err instanceof Error ? err.message : String(err) };
  }
  setImmediate(() => parentPort!.postMessage({ id: msg.id, result }));
});
