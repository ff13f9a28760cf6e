import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedSource } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { isInScope, normalizeUrl } from '../pipeline/fetch/index.js';
import { BrowserFetcher } from '../pipeline/fetch/index.js';
import { crawl, type CrawlResult } from '../pipeline/crawl/index.js';
import { ExtractPool } from '../pipeline/extract/index.js';
import { describeChange } from '../pipeline/publish/index.js';
import { fullGc, limitHeapGrowth } from '../memory.js';
import type { Context } from './context.js';
import { CrawlProgress, failuresByReason } from './progress.js';
import { selectSources } from './shared.js';

export interface CrawlFlags {
  source?: string[];
  /** false with --no-resume: refetch what an interrupted crawl already stored. */
  resume?: boolean;
}

/**
 * A start URL outside its own source's scope (a host not in `allowed_hosts`, or matched by
 * `exclude`) would be crawled as nothing, silently: a config error instead, at the line that
 * names it in `text` (the sources.yaml `file`). Start URLs need not match `include`.
 */
export function checkSeedsInScope(sources: readonly ResolvedSource[], file: string, text: string): void {
  const lines = text.split('\n');
  const rel = path.relative(process.cwd(), file);
  const display = rel && !rel.startsWith('..') ? rel : file;
  for (const source of sources) {
    source.start_urls.forEach((raw, j) => {
      const url = normalizeUrl(raw, undefined, source.trailing_slash);
      if (url !== null && isInScope(url, { include: [], exclude: source.excludeRe, allowedHosts: source.allowed_hosts })) return;
      const line = lines.findIndex((l) => l.includes(raw)) + 1;
      const why =
        url !== null && !source.allowed_hosts.includes(new URL(url).hostname.toLowerCase())
          ? `its host is not in allowed_hosts (${source.allowed_hosts.join(', ')})`
          : "it matches the source's exclude";
      throw new ConfigError(
        `${display}${line > 0 ? `:${line}` : ''} sources[id=${source.id}].start_urls[${j}]: ${raw} is outside the source's own scope: ${why}`,
        'Add its host to allowed_hosts, or change the exclude pattern or the start URL.',
      );
    });
  }
}

/** Crawl the selected sources into the store; prints a run summary. Holds the lock. */
export async function runCrawl(ctx: Context, flags: CrawlFlags): Promise<CrawlResult> {
  const sources = await selectSources(ctx, flags.source);
  const { config, file } = await ctx.config();
  checkSeedsInScope(sources, file, await readFile(file, 'utf8').catch(() => ''));
  const store = await ctx.store();
  limitHeapGrowth();
  let browser: BrowserFetcher | undefined;
  const pool = new ExtractPool(config.crawl.workers);
  const started = Date.now();
  const startedAt = ctx.clock().toISOString();
  const bar = new CrawlProgress();
  let lastDrawn = 0;
  const runId = `crawl-${startedAt}-${process.pid}`;
  // A crawl killed before it finished leaves a run record without finishedAt: pick up from it.
  const last = store.runs.filter((r) => r.command === 'crawl').at(-1);
  const resumeAfter = flags.resume !== false && last && !last.finishedAt ? (last.resumeFrom ?? last.startedAt) : undefined;
  if (resumeAfter)
    ctx.info(`Resuming the crawl interrupted since ${resumeAfter}: pages it stored are not fetched again (--no-resume refetches them).`);
  const run = { id: runId, command: 'crawl', startedAt, ...(resumeAfter ? { resumeFrom: resumeAfter } : {}) };
  store.putRun({ ...run, counts: {}, failures: 0 });
  await store.flush();
  try {
    const result = await crawl(sources, {
      ...(resumeAfter ? { resumeAfter } : {}),
      store,
      clock: ctx.clock,
      userAgent: await ctx.userAgent(),
      concurrency: config.crawl.concurrency,
      extract: pool.extract,
      afterFlush: fullGc,
      browser: () => (browser ??= new BrowserFetcher({ executablePath: ctx.env.chromiumPath })),
      onEvent: (e) => {
        ctx.jsonLine(e);
        bar.update(e);
        if (Date.now() - lastDrawn >= 100) {
          lastDrawn = Date.now();
          ctx.progress(bar.line(Math.max(40, (process.stderr.columns ?? 100) - 1)));
        }
        if (e.outcome === 'failed') ctx.debug(`failed ${e.url}: ${e.message ?? e.code}`);
      },
    });
    ctx.endProgress();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const c = result.counts;
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    ctx.info(
      `Crawled ${total} URLs from ${sources.length} source${sources.length === 1 ? '' : 's'} in ${seconds} s: ` +
        `${c.new} new, ${c.changed} changed, ${c.noise > 0 ? `${c.noise} noise only, ` : ''}${c.unchanged} unchanged, ${c['not-modified']} not modified, ` +
        `${c['date-only']} date-only, ${c.removed} removed, ${c.gone > 0 ? `${c.gone} still gone, ` : ''}${c.duplicate} duplicate, ` +
        (c.resumed > 0 ? `${c.resumed} done before the interruption, ` : '') +
        `${c.failed} failed${failuresByReason(result.failures)}, ${c.skipped} skipped`,
    );
    const shown = result.changes.filter((ch) => ch.kind !== 'unchanged' || ch.isDateOnly);
    if (shown.length > 0) {
      ctx.info('Changes:');
      for (const ch of shown) ctx.info(`  ${describeChange(ch)}`);
    }
    if (result.failures.length > 0) {
      ctx.info('Failures:');
      for (const f of result.failures) ctx.info(`  ${f.code.padEnd(20)} ${f.message}`);
    }
    store.putRun({ ...run, finishedAt: ctx.clock().toISOString(), counts: { ...c }, failures: result.failures.length });
    await store.flush();
    ctx.jsonLine({ type: 'crawl-result', counts: c, changes: shown.map(({ hunks: _h, ...rest }) => rest), failures: result.failures });
    return result;
  } finally {
    await Promise.all([browser?.close(), pool.close()]);
    // The crawl's garbage goes now, not while the next step (summarising in `eti run`) grows the heap.
    fullGc();
  }
}
