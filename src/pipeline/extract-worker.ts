import { parentPort } from 'node:worker_threads';
import { extract, type ExtractOptions } from './extract.js';

/**
 * Worker thread body for ExtractPool. Lets the event loop turn between pages (setImmediate)
 * so jsdom's timers and closed windows are collected: without it memory balloons.
 */
parentPort!.on('message', (msg: { id: number; html: string; opts: ExtractOptions }) => {
  let result;
  try {
    result = extract(msg.html, msg.opts);
  } catch (err) {
    result = { ok: false as const, code: 'parse-error' as const, reason: err instanceof Error ? err.message : String(err) };
  }
  setImmediate(() => parentPort!.postMessage({ id: msg.id, result }));
});
