/** Baseline for the bench: plain Readability on jsdom in a worker thread, nothing else. */
import { parentPort } from 'node:worker_threads';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';

parentPort!.on('message', (msg: { id: number; html: string; url: string }) => {
  let length = 0;
  const dom = new JSDOM(msg.html, { url: msg.url, virtualConsole: new VirtualConsole() });
  try {
    length = new Readability(dom.window.document).parse()?.textContent?.length ?? 0;
  } finally {
    dom.window.close();
  }
  setImmediate(() => parentPort!.postMessage({ id: msg.id, length }));
});
