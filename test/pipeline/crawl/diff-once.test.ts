/**
 * One diff per content pair: a page changed on the site is crawled, summarised and shown in the
 * review list, and its (old, new) text pair is word-diffed once — by the crawl — while the change
 * class, the summary request and the review list get that same diff (diff/memo.ts). Real parts: a
 * loopback site, a store in a temp dir, the offline provider, the real prompts.
 */
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { packageRoot } from '../../../src/demo/server.js';
import { OfflineProvider } from '../../../src/llm/offline.js';
import { loadPrompts } from '../../../src/llm/prompts.js';
import { crawl } from '../../../src/pipeline/crawl/index.js';
import { DiffMemo, diffRuns, diffTexts } from '../../../src/pipeline/diff/index.js';
import { updateReviewQueue } from '../../../src/pipeline/summarize/index.js';
import { itemChange } from '../../../src/steps/review-list.js';
import { Store } from '../../../src/store/store.js';

const filler = 'Familier med alvorlig syke barn kan ha rett til hjelp fra kommunen og fra NAV. '.repeat(5);
let amount = '1 200';
const pageHtml = () => `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Omsorgsstønad</title></head><body>
<main><article><h1>Omsorgsstønad</h1>
<p>${filler}</p>
<p>Stønaden er ${amount} kroner i måneden, og du søker hos kommunen der du bor.</p>
<p>${filler}</p></article></main></body></html>`;

let server: http.Server;
let origin = '';
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/omsorg/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHtml());
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('one diff per content pair', () => {
  it('crawl → summarise → review list of a changed page diffs its pair once', async () => {
    const { sources } = parseConfig(
      `version: 1
contact: test@example.org
defaults: { delay_ms: 0, allow_private_network: true, render: http, use_sitemap: false }
sources:
  - id: test
    name: Test
    owner: Testetaten
    start_urls: ['${origin}/omsorg/']
    max_depth: 0
`,
      'sources.yaml',
    );
    const store = await Store.open(await mkdtemp(path.join(os.tmpdir(), 'eti-diff-once-')));
    let now = new Date('2026-03-01T00:00:00Z');
    const clock = () => now;
    const prompts = await loadPrompts(path.join(packageRoot(), 'prompts'));
    const crawlDeps = {
      store,
      clock,
      userAgent: 'eti-test',
      concurrency: 2,
      retries: 0,
      browser: () => {
        throw new Error('no browser in this test');
      },
    };
    const summarise = () => updateReviewQueue(sources, { store, llm: new OfflineProvider(), prompts, clock, concurrency: 1 });

    expect((await crawl(sources, crawlDeps)).counts.new).toBe(1);
    expect((await summarise()).created).toHaveLength(1);

    amount = '1 350';
    now = new Date('2026-03-02T00:00:00Z');
    const before = diffRuns();
    const crawled = await crawl(sources, crawlDeps);
    expect(crawled.counts.changed).toBe(1);
    const queued = await summarise();
    expect(queued.created).toHaveLength(1);
    const item = queued.created[0]!;
    expect(item).toMatchObject({ kind: 'changed', changeClass: 'material' });
    expect(item.classReasons).toContain('figure 1 200 → 1 350');
    const shown = await itemChange(store, item);
    const summary = await store.summary(item.sourceId, item.summaryId!);

    // Every stage had the pair's diff: the class names the figure, the summary request carried the
    // change (the offline provider writes a change summary only then), the list shows the hunks.
    expect(summary?.changeSummary).toBeTruthy();
    expect(shown.hunks.filter((h) => h.op !== 'eq')).toEqual([
      { op: 'del', text: '1 200' },
      { op: 'add', text: '1 350' },
    ]);
    expect(shown).toEqual({ ...crawled.changes[0]!, url: item.url, sourceId: item.sourceId });
    expect(diffRuns() - before).toBe(1);

    // Without the memo the same pair costs a word diff per stage: what the count above guards.
    const texts = { url: item.url, sourceId: 'test', oldText: 'a 1', newText: 'a 2', oldHash: 'h1', newHash: 'h2' };
    const plain = diffRuns();
    diffTexts(texts);
    diffTexts(texts);
    expect(diffRuns() - plain).toBe(2);
  });
});

describe('DiffMemo', () => {
  const pair = (n: number) => ({ url: 'u', sourceId: 's', oldText: `a ${n}`, newText: `b ${n}`, oldHash: `o${n}`, newHash: `n${n}` });

  it('diffs a pair named by its hashes once, and gives each caller its own copy with its own URL', () => {
    const memo = new DiffMemo();
    const runs = diffRuns();
    const first = memo.diff(pair(1));
    first.hunks[0]!.text = 'changed by a caller';
    const again = memo.diff({ ...pair(1), url: 'v', sourceId: 't' });
    expect(diffRuns() - runs).toBe(1);
    expect(again).toEqual({ ...diffTexts(pair(1)), url: 'v', sourceId: 't' });
  });

  it('does not keep pairs without both hashes or texts, and forgets the oldest pairs beyond its size', () => {
    const memo = new DiffMemo(14); // characters: each of these diffs holds 7 (hunks "a", "b", " 1"; sentence "b 1")
    const runs = diffRuns();
    memo.diff({ ...pair(0), oldHash: undefined });
    memo.diff({ ...pair(0), oldHash: undefined });
    expect(diffRuns() - runs).toBe(2);
    for (const n of [1, 2, 3]) memo.diff(pair(n));
    const filled = diffRuns();
    memo.diff(pair(3));
    memo.diff(pair(2));
    expect(diffRuns()).toBe(filled); // the two newest are kept
    memo.diff(pair(1));
    expect(diffRuns()).toBe(filled + 1); // forgotten: the oldest went first
  });
});
