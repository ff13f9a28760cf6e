/**
 * Phantom changes through the real crawl and review queue (issue 14): the demo site and the golden
 * fixtures with chrome, crawled and queued; then crawled again with their chrome changed (new
 * related links, new "Siste nytt" items and dates, rotated share tokens, another cookie text).
 * The second crawl must create no review item. On the second crawl each source's chrome is
 * learned from the store: a help box on every page of a source, which no rule knows, is gone
 * from the new text, and its going is noise, not a change.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { packageRoot } from '../../src/demo/server.js';
import { loadPrompts } from '../../src/llm/prompts.js';
import { OfflineProvider } from '../../src/llm/offline.js';
import { crawl } from '../../src/pipeline/crawl/crawl.js';
import { blockFingerprint, learnSourceChrome } from '../../src/pipeline/extract/learned.js';
import { updateReviewQueue } from '../../src/pipeline/summarize/queue.js';
import { Store } from '../../src/store/store.js';
import { demoChrome, RECHROMED } from '../helpers/rechrome.js';

const ROOT = packageRoot();
const HELP_BOX = 'Har du spørsmål om saken din?';

let server: http.Server;
let origin = '';
/** Which crawl the site is serving: 1 = as first crawled, 2 = its chrome changed. */
let crawlNo = 1;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    void (async () => {
      const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const fixture = /^\/fixtures\/([a-z0-9-]+)\/$/.exec(p);
      let body: string;
      if (fixture) {
        const mutate = RECHROMED.find(([slug]) => slug === fixture[1])?.[1];
        if (!mutate) return void res.writeHead(404).end();
        const html = await readFile(path.join(ROOT, 'test/fixtures/extract', fixture[1]!, 'source.html'), 'utf8');
        body = crawlNo === 1 ? html : mutate(html);
      } else {
        const rel = p.endsWith('/') ? `${p}index.html` : p;
        if (rel.includes('..') || !/\.(html|txt|xml)$/.test(rel)) return void res.writeHead(404).end();
        const raw = (await readFile(path.join(ROOT, 'demo/site/v1', rel), 'utf8')).replaceAll('{{origin}}', origin);
        body = rel.endsWith('.html') ? demoChrome(raw, crawlNo) : raw;
      }
      const type = p.endsWith('.txt') ? 'text/plain' : p.endsWith('.xml') ? 'application/xml' : 'text/html';
      res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
    })().catch(() => res.writeHead(404).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** The demo's sources (the JavaScript-only helsenorge page left out: no browser here) and one for the fixtures. */
async function sources() {
  const originRe = origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const demo = (await readFile(path.join(ROOT, 'demo/sources.yaml'), 'utf8'))
    .replaceAll('{{origin_re}}', originRe)
    .replaceAll('{{origin}}', origin)
    .replace(/ {2}- id: demo-helsenorge[\s\S]*?(?=\n {2}- id:)/, '')
    // Topics are not what this test is about (and one names the helsenorge source left out).
    .replace(/\ntopics:\n[\s\S]*?(?=\nsources:)/, '');
  const fixtures = `  - id: fixtures
    name: Golden fixtures
    owner: eti tests
    start_urls: [${RECHROMED.map(([slug]) => `'${origin}/fixtures/${slug}/'`).join(', ')}]
    include: ['^${originRe}/fixtures/']
    use_sitemap: false
    render: http
    max_depth: 0
`;
  return parseConfig(`${demo.trimEnd()}\n${fixtures}`, 'sources.yaml').sources;
}

describe('recrawl with changed chrome', () => {
  it('creates no review item, and drops the chrome it learned from the store', async () => {
    const srcs = await sources();
    expect(srcs.map((s) => s.id)).toEqual(['demo-oversikt', 'demo-nav', 'demo-hdir', 'demo-fjordvik', 'demo-statped', 'fixtures']);
    const store = await Store.open(await mkdtemp(path.join(os.tmpdir(), 'eti-chrome-')));
    let now = new Date('2026-03-01T00:00:00Z');
    const clock = () => now;
    const prompts = await loadPrompts(path.join(ROOT, 'prompts'));
    const run = async () => {
      const crawled = await crawl(srcs, {
        store,
        clock,
        userAgent: 'eti-test',
        concurrency: 4,
        retries: 0,
        browser: () => {
          throw new Error('no browser in this test');
        },
      });
      const queued = await updateReviewQueue(srcs, { store, llm: new OfflineProvider(), prompts, clock, concurrency: 2 });
      now = new Date(now.getTime() + 86_400_000);
      return { crawled, queued };
    };
    const textOf = async (sourceId: string, p: string) => {
      const page = await store.page(sourceId, `${origin}${p}`);
      return store.blobs.get(page!.versions.at(-1)!.contentHash);
    };

    const first = await run();
    expect(first.crawled.failures).toEqual([]);
    expect(first.crawled.counts.new).toBeGreaterThanOrEqual(20);
    expect(first.queued.created.length).toBe(first.crawled.counts.new);
    // Nothing learned yet: the help box is in the text (no rule knows it).
    expect(await textOf('demo-nav', '/nav/omsorgspenger/')).toContain(HELP_BOX);

    // The demo's chrome is learned from what the first crawl stored, the same way every time.
    const nav = Object.values((await store.shard('demo-nav')).pages);
    const learned = await learnSourceChrome(nav, (h) => store.blobs.get(h));
    expect([...learned].some((fp) => fp.startsWith(blockFingerprint(HELP_BOX)))).toBe(true);
    expect([...(await learnSourceChrome([...nav].reverse(), (h) => store.blobs.get(h)))]).toEqual([...learned]);

    crawlNo = 2;
    const second = await run();
    expect(second.crawled.failures).toEqual([]);
    expect(second.crawled.counts.new).toBe(0);
    expect(second.crawled.counts.changed).toBe(0);
    expect(second.queued.created).toEqual([]);
    // The learned box is gone from the new text of the sources with enough pages to learn from...
    for (const [id, p] of [
      ['demo-nav', '/nav/omsorgspenger/'],
      ['demo-hdir', '/hdir/veileder-samarbeid/2-barnekoordinator/'],
      ['demo-fjordvik', '/kommune/fjordvik/omsorgsstonad/'],
    ] as const) {
      const text = await textOf(id, p);
      expect(text, `${id} ${p}`).not.toContain(HELP_BOX);
      expect(text, `${id} ${p}`).not.toMatch(/Relatert innhold|Siste nytt|Del på Facebook|Kontantstøtte/);
    }
    // ...and its going was recorded as noise standing for the stored content, not as a change.
    expect(second.crawled.counts.noise).toBeGreaterThan(0);
    const page = await store.page('demo-nav', `${origin}/nav/omsorgspenger/`);
    expect(page!.versions.at(-1)!.noiseOf).toBe(page!.versions[0]!.contentHash);
  }, 60_000);
});
