/**
 * `npm run bench`: crawl benchmark on a generated loopback site.
 *
 * For each corpus size, in a fresh child process (so peak RSS is that run's own):
 *   - eti's first crawl (fetch + extraction in a worker pool + store), pages/s
 *   - summarising everything once with the offline provider, then an unchanged recrawl:
 *     pages/s, its ratio to the first crawl, and the LLM calls it causes (must be 0)
 *   - peak RSS of the process (main thread + workers)
 *   - a baseline in the same run: plain fetch + Readability on jsdom in 2 worker threads
 * and, for the first corpus, in another child of its own: the same URL list through Crawlee's
 * JSDOMCrawler with Readability in its request handler (bench/crawlee.ts), pages/s and peak RSS.
 * The site is served by another child process so it does not share the crawler's cores' time
 * slices with the crawler's own event loop.
 *
 * Usage: node dist/bench/run.js [--pages 2000] [--large 10000] [--crawlee-concurrency 16]
 *        [--no-crawlee] [--child N [--baseline]] [--crawlee N]
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import PQueue from 'p-queue';
import { parseConfig } from '../src/config/load.js';
import { OfflineProvider } from '../src/llm/offline.js';
import { loadPrompts } from '../src/llm/prompts.js';
import { crawl } from '../src/pipeline/crawl/crawl.js';
import { ExtractPool } from '../src/pipeline/extract/pool.js';
import { BrowserFetcher } from '../src/pipeline/fetch/index.js';
import { updateReviewQueue } from '../src/pipeline/summarize/queue.js';
import { packageRoot } from '../src/demo/server.js';
import { Store } from '../src/store/store.js';
import { fullGc, limitHeapGrowth } from '../src/memory.js';

const here = path.dirname(fileURLToPath(import.meta.url));

interface SiteInfo {
  origin: string;
  pages: number;
  meanBytes: number;
}

async function startSite(pages: number): Promise<{ info: SiteInfo; stop: () => void; requests: () => Promise<number> }> {
  const child = fork(path.join(here, 'serve.js'), [String(pages)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const info = await new Promise<SiteInfo>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)) as SiteInfo);
    });
    child.once('exit', (c) => reject(new Error(`bench site exited with ${c}`)));
  });
  const requests = (): Promise<number> =>
    new Promise((resolve) => {
      child.once('message', (m: { requests: number }) => resolve(m.requests));
      child.send('requests');
    });
  return { info, stop: () => child.disconnect(), requests };
}

/** Plain fetch + Readability in 2 worker threads over the same URLs: the reference figure. */
async function baseline(urls: string[]): Promise<number> {
  const workers = [0, 1].map(() => new Worker(path.join(here, 'baseline-worker.js')));
  const free = [...workers];
  const waiting: ((w: Worker) => void)[] = [];
  const take = (): Promise<Worker> => new Promise((r) => (free.length > 0 ? r(free.pop()!) : waiting.push(r)));
  const give = (w: Worker): void => {
    const next = waiting.shift();
    if (next) next(w);
    else free.push(w);
  };
  const q = new PQueue({ concurrency: 8 });
  const t0 = performance.now();
  let id = 0;
  await Promise.all(
    urls.map((url) =>
      q.add(async () => {
        const html = await (await fetch(url)).text();
        const w = await take();
        await new Promise<void>((resolve) => {
          const myId = id++;
          const onMsg = (m: { id: number }) => {
            if (m.id !== myId) return;
            w.off('message', onMsg);
            resolve();
          };
          w.on('message', onMsg);
          w.postMessage({ id: myId, html, url });
        });
        give(w);
      }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(workers.map((w) => w.terminate()));
  return urls.length / seconds;
}

async function child(pages: number, withBaseline: boolean): Promise<void> {
  // As `eti crawl` and `eti summarize` do (src/memory.ts); ETI_BENCH_HEAP_GROWTH=default measures without.
  if (process.env.ETI_BENCH_HEAP_GROWTH !== 'default') limitHeapGrowth();
  const { info, stop } = await startSite(pages);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-bench-'));
  try {
    const re = info.origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const { sources } = parseConfig(
      `version: 1
contact: bench@eti.invalid
defaults: { delay_ms: 0, allow_private_network: true, render: http, concurrency_per_host: 16, use_sitemap: true, max_depth: 0, max_pages: ${pages + 10} }
sources:
  - { id: bench, name: Bench, owner: Bench, start_urls: ['${info.origin}/'], include: ['^${re}/p/'] }
`,
      'bench.yaml',
    );
    const store = await Store.open(path.join(dir, '.eti'));
    // Knobs for tuning runs: ETI_BENCH_WORKERS, ETI_BENCH_WORKER_HEAP_MB, ETI_BENCH_WORKER_YOUNG_MB.
    const env = (k: string): number | undefined => (process.env[k] ? Number(process.env[k]) : undefined);
    const pool = new ExtractPool(env('ETI_BENCH_WORKERS'), env('ETI_BENCH_WORKER_HEAP_MB'), env('ETI_BENCH_WORKER_YOUNG_MB'));
    let browser: BrowserFetcher | undefined;
    const deps = {
      store,
      clock: () => new Date(),
      userAgent: 'eti-bench',
      concurrency: 16,
      extract: pool.extract,
      afterFlush: fullGc,
      browser: () => (browser ??= new BrowserFetcher({ executablePath: '/usr/bin/chromium' })),
    };
    let t = performance.now();
    const mem = (stage: string): void => {
      if (!process.env.ETI_BENCH_MEM) return;
      (globalThis as { gc?: () => void }).gc?.();
      const m = process.memoryUsage();
      process.stderr.write(
        `[mem] ${stage}: rss ${Math.round(m.rss / 1e6)} MB, main heap ${Math.round(m.heapUsed / 1e6)} MB, external ${Math.round(m.external / 1e6)} MB, maxRSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`,
      );
    };
    const memTimer = process.env.ETI_BENCH_MEM ? setInterval(() => mem('during'), 5000) : undefined;
    const first = await crawl(sources, deps);
    // As `eti crawl` and `eti run` do (commands/crawl.ts): the pool is closed when its crawl ends,
    // so its workers' heaps are not carried through summarising; the recrawl starts workers again.
    // And as they do, a full collection between steps: the next starts from the live heap only.
    await pool.close();
    fullGc();
    mem('after first crawl');
    const firstS = (performance.now() - t) / 1000;
    // maxRSS only grows: read now, it is the first crawl's peak (the site runs in its own process).
    const crawlPeakRssMb = process.resourceUsage().maxRSS / 1024;
    const stored = first.counts.new;
    if (process.env.ETI_BENCH_CRAWL_ONLY) {
      process.stdout.write(`${JSON.stringify({ pages, stored, firstPagesPerS: stored / firstS, crawlPeakRssMb })}\n`);
      clearInterval(memTimer); // else the child never exits and runs on beside the next measurement
      await pool.close();
      return;
    }
    const llm = new OfflineProvider();
    const prompts = await loadPrompts(path.join(packageRoot(), 'prompts'));
    const q1 = await updateReviewQueue(sources, { store, llm, prompts, clock: () => new Date(), concurrency: 4, afterFlush: fullGc });
    fullGc();
    mem('after summarising');
    // The peak so far (crawl and summarising); what the recrawl adds shows in peakRssMb.
    const summarizePeakRssMb = process.resourceUsage().maxRSS / 1024;
    t = performance.now();
    const again = await crawl(sources, deps);
    const againS = (performance.now() - t) / 1000;
    await pool.close();
    const q2 = await updateReviewQueue(sources, { store, llm, prompts, clock: () => new Date(), concurrency: 4, afterFlush: fullGc });
    mem('after recrawl');
    clearInterval(memTimer);
    await pool.close();
    await browser?.close();
    const rssMb = process.resourceUsage().maxRSS / 1024;
    const base = withBaseline ? await baseline(Array.from({ length: pages }, (_, i) => `${info.origin}/p/${i}/`)) : undefined;
    const out = {
      pages,
      meanKb: Math.round(info.meanBytes / 1024),
      workers: pool.size,
      stored,
      failed: first.counts.failed,
      firstPagesPerS: stored / firstS,
      recrawlPagesPerS: (again.counts['not-modified'] + again.counts.unchanged) / againS,
      recrawlSpeedup: firstS / againS,
      llmCallsFirst: q1.llmCalls,
      llmCallsRecrawl: q2.llmCalls,
      crawlPeakRssMb,
      summarizePeakRssMb,
      peakRssMb: rssMb,
      baselinePagesPerS: base,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The same URL list as the baseline, through Crawlee's JSDOMCrawler + Readability (own process). */
async function crawleeChild(pages: number, concurrency: number): Promise<void> {
  const { info, stop, requests } = await startSite(pages);
  try {
    const { crawleeRun } = await import('./crawlee.js');
    const before = await requests();
    const r = await crawleeRun(
      Array.from({ length: pages }, (_, i) => `${info.origin}/p/${i}/`),
      concurrency,
    );
    const siteRequests = (await requests()) - before;
    process.stdout.write(`${JSON.stringify({ pages, ...r, siteRequests })}\n`);
  } finally {
    stop();
  }
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function runChild<T = Record<string, number>>(args: string[]): Promise<T> {
  const c = fork(fileURLToPath(import.meta.url), args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let buf = '';
  c.stdout!.on('data', (d: Buffer) => (buf += d.toString()));
  const code = await new Promise((r) => c.once('exit', r));
  const last = buf.trim().split('\n').pop();
  if (!last) throw new Error(`bench child ${args.join(' ')} exited with ${String(code)} and no result`);
  return JSON.parse(last) as T;
}

const fmt = (n: number | undefined, d = 1): string => (n === undefined ? '-' : n.toFixed(d));

if (process.argv.includes('--child')) {
  await child(arg('--child', 2000), process.argv.includes('--baseline'));
} else if (process.argv.includes('--crawlee')) {
  await crawleeChild(arg('--crawlee', 2000), arg('--crawlee-concurrency', 16));
} else {
  const small = arg('--pages', 2000);
  const large = arg('--large', 10_000);
  console.log(`eti crawl benchmark (${os.availableParallelism()} cores, node ${process.version})`);
  const a = await runChild(['--child', String(small), '--baseline']);
  // After the eti child has exited, so the two never compete for the cores.
  const cr = process.argv.includes('--no-crawlee')
    ? undefined
    : await runChild<Record<string, number> & { failures: string[] }>([
        '--crawlee',
        String(small),
        '--crawlee-concurrency',
        String(arg('--crawlee-concurrency', 16)),
      ]);
  console.log(`\ncorpus: ${a.pages} pages, mean ${a.meanKb} KB/page, extraction in ${a.workers} worker threads`);
  console.log(`  first crawl:        ${fmt(a.firstPagesPerS)} pages/s (${a.stored} stored, ${a.failed} failed)`);
  console.log(`  unchanged recrawl:  ${fmt(a.recrawlPagesPerS)} pages/s = ${fmt(a.recrawlSpeedup)}x the first crawl`);
  console.log(`  LLM calls:          ${a.llmCallsFirst} on the first run, ${a.llmCallsRecrawl} on the recrawl`);
  console.log(
    `  peak RSS:           ${fmt(a.crawlPeakRssMb, 0)} MB in the first crawl; ${fmt(a.peakRssMb, 0)} MB over the whole run (with offline summaries of every page in-process, and the recrawl)`,
  );
  console.log(
    `  baseline (fetch + Readability, 2 worker threads): ${fmt(a.baselinePagesPerS)} pages/s; eti/baseline = ${fmt((a.firstPagesPerS ?? 0) / (a.baselinePagesPerS ?? 1), 2)}`,
  );
  if (cr) {
    console.log(
      `  Crawlee JSDOMCrawler + Readability: ${fmt(cr.pagesPerS)} pages/s, peak RSS ${fmt(cr.peakRssMb, 0)} MB; eti/Crawlee = ${fmt((a.firstPagesPerS ?? 0) / (cr.pagesPerS ?? 1), 2)}`,
    );
    console.log(
      `    (${cr.handled} of ${cr.pages} pages handled, ${cr.failed} failed, concurrency ${cr.concurrency} (max seen ${cr.maxConcurrencySeen}), ${cr.siteRequests} requests to the site)`,
    );
    for (const f of cr.failures) console.log(`    failed: ${f}`);
  }
  if (large > 0) {
    const b = await runChild(['--child', String(large)]);
    console.log(`\ncorpus: ${b.pages} pages, mean ${b.meanKb} KB/page`);
    console.log(
      `  first crawl:        ${fmt(b.firstPagesPerS)} pages/s; recrawl ${fmt(b.recrawlSpeedup)}x faster; LLM calls on recrawl ${b.llmCallsRecrawl}`,
    );
    console.log(
      `  peak RSS:           ${fmt(b.crawlPeakRssMb, 0)} MB in the first crawl (${fmt(((b.crawlPeakRssMb ?? 0) / (b.pages ?? 1)) * 1024, 1)} KB/page); ${fmt(b.summarizePeakRssMb, 0)} MB up to the end of summarising; ${fmt(b.peakRssMb, 0)} MB over the whole run`,
    );
  }
}
