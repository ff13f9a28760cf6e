import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { crawl, type CrawlDeps } from '../../src/pipeline/crawl/crawl.js';
import { existsSync } from 'node:fs';
import { BrowserFetcher } from '../../src/pipeline/fetch/index.js';

const CHROMIUM = process.env.ETI_CHROMIUM ?? '/usr/bin/chromium';
import { Store } from '../../src/store/store.js';
import { makePdf } from '../helpers/pdf.js';

type Site = Record<string, { status?: number; body: string | Buffer; type?: string; etag?: string }>;

/** A loopback site whose pages can be changed between crawls; counts requests and conditional hits. */
async function serve(site: Site): Promise<{ origin: string; hits: Map<string, number>; notModified: number; close: () => Promise<void> }> {
  const state = { hits: new Map<string, number>(), notModified: 0 };
  const server = http.createServer((req, res) => {
    const p = new URL(req.url!, 'http://x').pathname;
    state.hits.set(p, (state.hits.get(p) ?? 0) + 1);
    const page = site[p];
    if (!page) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Ikke funnet</h1>');
    if (page.etag && req.headers['if-none-match'] === page.etag) {
      state.notModified++;
      return void res.writeHead(304, { etag: page.etag }).end();
    }
    res
      .writeHead(page.status ?? 200, { 'content-type': page.type ?? 'text/html; charset=utf-8', ...(page.etag ? { etag: page.etag } : {}) })
      .end(page.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    get hits() {
      return state.hits;
    },
    get notModified() {
      return state.notModified;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const para = (s: string) => `<p>${s} ${'Dette er en lang setning om rettigheter for familier med alvorlig syke barn. '.repeat(6)}</p>`;
const html = (title: string, body: string, links: string[] = []) =>
  `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>${title}</title></head><body>
  <header><nav>${links.map((l) => `<a href="${l}">${l}</a>`).join(' ')}</nav></header>
  <main><article><h1>${title}</h1>${body}</article></main><footer>Kontakt oss</footer></body></html>`;

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers) await c();
  closers = [];
});

async function setup(site: Site, extra = '') {
  const srv = await serve(site);
  closers.push(srv.close);
  const { sources } = parseConfig(
    `version: 1
contact: test@example.org
defaults: { delay_ms: 0, allow_private_network: true, render: http, gone_after_failures: 2 }
sources:
  - id: test
    name: Test
    owner: Testetaten
    start_urls: ['${srv.origin}/']
    include: ['^${srv.origin.replace(/\./g, '\\.')}/']
    max_depth: 2
${extra}`,
    'sources.yaml',
  );
  const store = await Store.open(await mkdtemp(path.join(os.tmpdir(), 'eti-crawl-')));
  let now = new Date('2026-03-01T00:00:00Z');
  const deps: CrawlDeps = {
    store,
    clock: () => now,
    userAgent: 'eti-test',
    concurrency: 4,
    retries: 0,
    browser: () => {
      throw new Error('no browser in this test');
    },
  };
  return { srv, sources, store, deps, setNow: (d: string) => (now = new Date(d)) };
}

describe('crawl', () => {
  it('follows in-scope links, stores versions, and skips robots-disallowed pages', async () => {
    const site: Site = {
      '/robots.txt': { body: 'User-agent: *\nDisallow: /utkast/\n', type: 'text/plain' },
      '/': { body: html('Oversikt', para('Velkommen.'), ['/a/', '/utkast/x/', 'https://elsewhere.example/']) },
      '/a/': { body: html('Side A', para('Grunnstønad sats 1 er 8 232 kroner.')) },
      '/utkast/x/': { body: html('Utkast', para('Hemmelig.')) },
    };
    const { srv, sources, store, deps } = await setup(site);
    const r = await crawl(sources, deps);
    expect(r.counts.new).toBe(2);
    expect(r.counts.skipped).toBe(1);
    expect(srv.hits.get('/utkast/x/')).toBeUndefined();
    const a = await store.page('test', `${srv.origin}/a/`);
    expect(a?.versions).toHaveLength(1);
    expect(await store.blobs.get(a!.versions[0]!.contentHash)).toContain('8 232 kroner');
  });

  it('recrawls unchanged pages with conditional requests and without re-extracting', async () => {
    const site: Site = {
      '/': { body: html('Oversikt', para('Velkommen.'), ['/a/', '/b/']), etag: '"v1"' },
      '/a/': { body: html('Side A', para('Tekst A.')), etag: '"a1"' },
      '/b/': { body: html('Side B', para('Tekst B.')) }, // no validators: same body hash
    };
    const { srv, sources, deps } = await setup(site);
    await crawl(sources, deps);
    const again = await crawl(sources, deps);
    expect(again.counts['not-modified']).toBe(2);
    expect(again.counts.unchanged).toBe(1);
    expect(again.changes).toEqual([]);
    expect(srv.notModified).toBe(2);
  });

  it('marks a known page removed only after N consecutive 404s; transient errors never do', async () => {
    const site: Site = {
      '/': { body: html('Oversikt', para('Velkommen.'), ['/a/']) },
      '/a/': { body: html('Side A', para('Tekst A.')) },
    };
    const { srv, sources, store, deps } = await setup(site);
    await crawl(sources, deps);
    site['/a/'] = { status: 503, body: 'busy' };
    await crawl(sources, deps);
    await crawl(sources, deps);
    const afterErrors = await store.page('test', `${srv.origin}/a/`);
    expect(afterErrors?.consecutiveFailures).toBe(2);
    expect(afterErrors?.removedAt).toBeUndefined();
    delete site['/a/'];
    const first404 = await crawl(sources, deps); // the 503s before do not count towards removal
    expect(first404.counts.removed).toBe(0);
    expect((await store.page('test', `${srv.origin}/a/`))?.removedAt).toBeUndefined();
    const second404 = await crawl(sources, deps);
    expect(second404.counts.removed).toBe(1);
    expect((await store.page('test', `${srv.origin}/a/`))?.removedAt).toBeDefined();
    // Still gone on the next crawl: the expected state, neither a new removal nor a failure.
    const third404 = await crawl(sources, deps);
    expect([third404.counts.removed, third404.counts.gone, third404.counts.failed]).toEqual([0, 1, 0]);
    expect(third404.failures).toEqual([]);
    // And when it comes back, it is a page again.
    site['/a/'] = { body: html('Side A', para('Tilbake igjen.')) };
    await crawl(sources, deps);
    expect((await store.page('test', `${srv.origin}/a/`))?.removedAt).toBeUndefined();
  });

  it('reports a page whose only change is its date stamp as date-only, with the same content', async () => {
    const page = (d: string) =>
      html('Avlastning', `<p>Sist oppdatert ${d}</p>${para('Avlastning gis ved særlig tyngende omsorgsarbeid.')}`);
    const site: Site = { '/': { body: page('12. mars 2025') } };
    const { sources, store, deps, srv } = await setup(site);
    await crawl(sources, deps);
    site['/'] = { body: page('2. oktober 2025') };
    const r = await crawl(sources, deps);
    expect(r.counts['date-only']).toBe(1);
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ kind: 'unchanged', isDateOnly: true });
    const rec = await store.page('test', `${srv.origin}/`);
    expect(rec?.versions).toHaveLength(1);
    expect(rec?.versions[0]!.dates.modified).toBe('2025-10-02');
  });

  it('extracts a linked PDF like a page: stored, diffed when a figure changes, unchanged bytes skip extraction', async () => {
    const guide = (rate: string) =>
      makePdf(
        [
          [
            'Veileder om grunnstønad',
            '',
            `Sats 1 for grunnstønad er ${rate} kroner per år.`,
            '',
            'Du søker på nav.no, og vedtaket kan påklages innen seks uker.',
          ],
        ],
        { title: 'Grunnstønad – veileder' },
      );
    const site: Site = {
      '/': { body: html('Oversikt', para('Velkommen.'), ['/veileder.pdf']) },
      '/veileder.pdf': { body: guide('8 232'), type: 'application/pdf' },
    };
    const { srv, sources, store, deps } = await setup(site);
    const first = await crawl(sources, deps);
    expect(first.failures).toEqual([]);
    expect(first.counts.new).toBe(2);
    const rec = await store.page('test', `${srv.origin}/veileder.pdf`);
    expect(rec?.versions[0]).toMatchObject({ method: 'pdf', title: 'Grunnstønad - veileder', lang: 'nb' });
    expect(await store.blobs.get(rec!.versions[0]!.contentHash)).toContain('Sats 1 for grunnstønad er 8 232 kroner per år.');

    const same = await crawl(sources, deps);
    expect(same.counts.unchanged).toBe(2);

    site['/veileder.pdf'] = { body: guide('8 580'), type: 'application/pdf' };
    const changed = await crawl(sources, deps);
    expect(changed.counts.changed).toBe(1);
    const change = changed.changes.find((c) => c.url.endsWith('.pdf'))!;
    expect(change.kind).toBe('changed');
    expect(
      change.hunks
        .filter((h) => h.op === 'add')
        .map((h) => h.text)
        .join(' '),
    ).toContain('8 580');
  });

  it('records an unreadable PDF as a failure with the reason, and keeps crawling', async () => {
    const site: Site = {
      '/': { body: html('Oversikt', para('Velkommen.'), ['/skannet.pdf']) },
      '/skannet.pdf': { body: makePdf([[]]), type: 'application/pdf' },
    };
    const { sources, deps } = await setup(site);
    const r = await crawl(sources, deps);
    expect(r.counts.new).toBe(1);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]!.message).toMatch(/skannet\.pdf: the PDF has no extractable text/);
  });

  it('treats a page whose rel=canonical names another URL, or whose text equals a stored page, as a duplicate', async () => {
    const body = para('Omsorgsstønad kan gis til den som har særlig tyngende omsorgsarbeid.');
    const withCanonical = (href: string) => html('Omsorgsstønad', body).replace('<head>', `<head><link rel="canonical" href="${href}">`);
    const site: Site = {
      '/': { body: html('Oversikt', para('Velkommen.'), ['/omsorg/', '/omsorg/utskrift/', '/kopi/']) },
      '/omsorg/': { body: html('Omsorgsstønad', body) },
      '/omsorg/utskrift/': { body: withCanonical('/omsorg/') },
      '/kopi/': { body: html('Omsorgsstønad', body) }, // same text, no canonical: first stored wins
    };
    const { srv, sources, store, deps } = await setup(site);
    deps.concurrency = 1; // '/omsorg/' is stored before '/kopi/'
    const r = await crawl(sources, deps);
    expect(r.counts.new).toBe(2);
    expect(r.counts.duplicate).toBe(2);
    const printed = await store.page('test', `${srv.origin}/omsorg/utskrift/`);
    expect(printed?.duplicateOf).toEqual({ url: `${srv.origin}/omsorg/`, reason: 'canonical' });
    expect(printed?.versions).toEqual([]);
    expect((await store.page('test', `${srv.origin}/kopi/`))?.duplicateOf).toEqual({
      url: `${srv.origin}/omsorg/`,
      reason: 'same-content',
    });
    expect(r.changes.map((c) => c.url).sort()).toEqual([`${srv.origin}/`, `${srv.origin}/omsorg/`]);

    // A recrawl keeps them duplicates without new versions, and the owner stays the owner.
    const again = await crawl(sources, deps);
    expect(again.counts.duplicate).toBe(2);
    expect(again.changes).toEqual([]);
    expect((await store.page('test', `${srv.origin}/omsorg/`))?.duplicateOf).toBeUndefined();
  });

  it('records failures per page and carries on with the others', async () => {
    const site: Site = {
      '/': { body: html('Oversikt', para('Velkommen.'), ['/bad/', '/skjema.zip', '/ok/']) },
      '/bad/': { status: 500, body: 'oops' },
      '/skjema.zip': { body: 'PK\u0003\u0004', type: 'application/zip' }, // recorded by content type, not extracted
      '/ok/': { body: html('OK', para('Fungerer.')) },
    };
    const { sources, deps } = await setup(site);
    const r = await crawl(sources, deps);
    expect(r.counts.new).toBe(2);
    expect(r.failures.map((f) => f.code).sort()).toEqual(['http-500', 'unsupported-content-type']);
  });

  it.skipIf(!existsSync(CHROMIUM))('refetches a thin page in real Chromium with render auto', async () => {
    const shell = html(
      'App',
      `<div id="app"></div><noscript>Du må aktivere JavaScript</noscript>
       <script>document.getElementById('app').innerHTML = '<p>Barnekoordinator: du har rett til barnekoordinator når barnet er under 18 år og trenger langvarige tjenester. ' + 'Kommunen skal gi et skriftlig vedtak. '.repeat(10) + '</p>';</script>`,
    );
    const site: Site = { '/': { body: shell } };
    const { sources, deps, store, srv } = await setup(site, '    render: auto\n');
    const browser = new BrowserFetcher({ executablePath: CHROMIUM });
    deps.browser = () => browser;
    try {
      const r = await crawl(sources, deps);
      expect(r.counts.new).toBe(1);
      const rec = await store.page('test', `${srv.origin}/`);
      expect(rec?.versions[0]!.via).toBe('browser');
      expect(await store.blobs.get(rec!.versions[0]!.contentHash)).toContain('du har rett til barnekoordinator når barnet er under 18 år');
    } finally {
      await browser.close();
    }
  });
});

describe('crawl politeness', () => {
  it('spaces requests to one host by delay_ms, or by robots.txt Crawl-delay when longer', async () => {
    const site: Site = {
      '/robots.txt': { body: 'User-agent: *\nCrawl-delay: 3\n', type: 'text/plain' },
      '/': { body: html('Oversikt', para('Velkommen.'), ['/a/', '/b/']) },
      '/a/': { body: html('A', para('Tekst A.')) },
      '/b/': { body: html('B', para('Tekst B.')) },
    };
    const { sources, deps } = await setup(site);
    const waits: number[] = [];
    deps.sleep = async (ms) => void waits.push(ms);
    sources[0]!.delay_ms = 1000;
    await crawl(sources, deps);
    // Three pages: the first goes at once, the next two wait for the 3 s Crawl-delay.
    expect(waits).toHaveLength(2);
    expect(Math.min(...waits)).toBeGreaterThan(2000);
  });
});
