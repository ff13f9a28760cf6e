/**
 * The crawl under faults in browser and auto mode, as the site sees it (issue 15; HTTP mode:
 * crawl-faults.test.ts, the fetcher alone: fetch/browser-faults.test.ts): robots.txt Crawl-delay
 * holds between the starts of every request (virtual time, read at the server), documents and their scripts
 * included; a failing robots.txt and an unreachable host are network failures, never "disallowed";
 * a page whose rendering fails is a stored failure, retried across runs with backoff.
 * Real Chromium; skipped only when there is none, never in CI (ETI_REQUIRE_BROWSER=1).
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { crawl, type CrawlDeps } from '../../src/pipeline/crawl/crawl.js';
import { BrowserFetcher } from '../../src/pipeline/fetch/index.js';
import { Store } from '../../src/store/store.js';
import { type Handler, html, startServer, virtualTime } from '../helpers/loopback.js';

const CHROMIUM = process.env.ETI_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.ETI_REQUIRE_BROWSER === '1')
  throw new Error(`ETI_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);

/** A page whose text a script writes (thin without it: `render: auto` sends it to the browser), linking `links`. */
const jsPage = (title: string, links: string[] = []) =>
  `<!doctype html><html lang="nb"><head><title>${title}</title></head><body><main><div id="app"><p>Aktiver JavaScript for å se siden.</p></div><p>${links.map((l) => `<a href="${l}">Les mer om ${l}</a>`).join(' ')}</p></main>
<script src="/app.js"></script>
<script>document.getElementById('app').innerHTML = '<h1>${title}</h1><p>${title}: ${'Du kan ha rett til pleiepenger når barnet er sykt og trenger tilsyn. '.repeat(4)}</p>';</script></body></html>`;

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers) await c();
  closers = [];
});

async function setup(routes: Record<string, Handler>, render: 'browser' | 'auto', origin?: string) {
  const srv = await startServer(routes);
  closers.push(srv.close);
  const { sources } = parseConfig(
    `version: 1
contact: test@example.org
defaults: { delay_ms: 0, allow_private_network: true, render: ${render}, use_sitemap: false, max_depth: 1, concurrency_per_host: 1 }
sources:
  - { id: test, name: Test, owner: Test, start_urls: ['${origin ?? srv.origin}/'] }
`,
    'sources.yaml',
  );
  const store = await Store.open(await mkdtemp(path.join(os.tmpdir(), 'eti-browser-faults-')));
  const browser = new BrowserFetcher({ executablePath: CHROMIUM });
  closers.push(() => browser.close());
  const deps: CrawlDeps = {
    store,
    clock: () => new Date('2026-03-01T00:00:00Z'),
    userAgent: 'eti-test',
    concurrency: 4,
    retries: 0,
    browser: () => browser,
  };
  return { srv, sources, store, deps };
}

describe.skipIf(!hasChromium)('the crawl in browser and auto mode, as the site sees it (real Chromium)', () => {
  for (const render of ['browser', 'auto'] as const) {
    it(`${render}: robots.txt Crawl-delay holds between the starts of all requests, scripts included (virtual time, read at the server)`, async () => {
      // Time is virtual: the gates read `now` and wait with `sleep`, which moves it on at once. One
      // page at a time, so the virtual time the server reads on arrival is the start the gate gave
      // (wall-clock gaps at a server also carry the machine's load: no test can rely on them).
      const vt = virtualTime();
      const logged = vt.logged;
      const { deps, sources } = await setup(
        {
          '/robots.txt': logged(
            (_q, r) => void r.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nCrawl-delay: 0.3\n'),
          ),
          '/': logged(html(jsPage('Oversikt', ['/a/', '/b/']))),
          '/a/': logged(html(jsPage('A'))),
          '/b/': logged(html(jsPage('B'))),
          '/app.js': logged((_q, r) => void r.writeHead(200, { 'content-type': 'text/javascript' }).end('window.lastet = true;')),
        },
        render,
      );
      deps.concurrency = 1;
      deps.now = vt.now;
      deps.sleep = vt.sleep;
      const r = await crawl(sources, deps);
      expect(r.failures).toEqual([]);
      expect(r.counts.new).toBe(3);
      // Three documents, and each page's script.
      expect(vt.arrivals.filter((a) => a.path === '/app.js').length).toBeGreaterThanOrEqual(1);
      expect(vt.gaps().length).toBeGreaterThanOrEqual(3);
      expect(Math.min(...vt.gaps())).toBeGreaterThanOrEqual(300);
    }, 120_000);
  }

  it('browser: a robots.txt answering 5xx fails the page as the host failing, and the page is never requested', async () => {
    const { srv, sources, store, deps } = await setup(
      { '/robots.txt': (_q, r) => void r.writeHead(503).end(), '/': html(jsPage('Oversikt')) },
      'browser',
    );
    const r = await crawl(sources, deps);
    expect(r.counts.skipped).toBe(0);
    expect(r.failures.map((f) => f.code)).toEqual(['network']);
    expect(r.failures[0]!.message).toContain('the host is failing');
    expect(srv.hits.get('/')).toBeUndefined();
    expect((await store.page('test', `${srv.origin}/`))?.lastFailure?.code).toBe('network');
  });

  it('browser: a page whose rendering fails is a stored failure, retried on later runs with backoff, stored once it renders', async () => {
    // The failure comes from Chromium: the page's script navigates to a download, which is refused.
    let isBroken = true;
    const { srv, sources, store, deps } = await setup(
      {
        '/robots.txt': (_q, r) => void r.writeHead(404).end(),
        '/': (req, res) =>
          html(
            isBroken ? jsPage('Oversikt').replace('<script src="/app.js">', '<script>location.href = "/skjema.zip";') : jsPage('Oversikt'),
          )(req, res),
        '/skjema.zip': (_q, r) => void r.writeHead(200, { 'content-type': 'application/zip' }).end('PK\u0003\u0004'),
        '/app.js': (_q, r) => void r.writeHead(200, { 'content-type': 'text/javascript' }).end('window.lastet = true;'),
      },
      'browser',
    );
    let now = new Date('2026-03-01T00:00:00Z');
    deps.clock = () => now;
    for (const at of ['2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z']) {
      now = new Date(at);
      const r = await crawl(sources, deps);
      expect(r.failures.map((f) => f.code)).toEqual(['download-refused']);
    }
    const failed = await store.page('test', `${srv.origin}/`);
    expect(failed?.lastFailure?.code).toBe('download-refused');
    expect(failed?.versions ?? []).toEqual([]);
    expect(await store.failingPages()).toHaveLength(1);
    now = new Date('2026-03-03T05:00:00Z'); // 5 h after the third failure: waits (6 h)
    expect((await crawl(sources, deps)).counts.skipped).toBe(1);
    expect(srv.hits.get('/')).toBe(3);
    isBroken = false;
    now = new Date('2026-03-03T06:00:01Z');
    const fixed = await crawl(sources, deps);
    expect(fixed.failures).toEqual([]);
    expect(fixed.counts.new).toBe(1);
    expect(srv.hits.get('/')).toBe(4);
    const stored = await store.page('test', `${srv.origin}/`);
    expect(stored?.versions).toHaveLength(1);
    expect(stored?.lastFailure).toBeUndefined();
    expect(await store.blobs.get(stored!.versions[0]!.contentHash)).toContain('Du kan ha rett til pleiepenger');
    expect(await store.failingPages()).toEqual([]);
  }, 120_000);

  it('browser: binary bytes a page script fetches reach it intact, not decoded as text', async () => {
    // Every byte value, twice: decoded as UTF-8 or windows-1252 and re-encoded, 0x80–0xFF would change.
    const bytes = Buffer.from([...Array(512).keys()].map((k) => k % 256));
    const sum = bytes.reduce((a, b) => a + b, 0);
    const script = `fetch('/data.bin').then((r) => r.arrayBuffer()).then((b) => {
      const u = new Uint8Array(b);
      document.getElementById('app').innerHTML = '<h1>Data</h1><p>Datafilen har ' + u.length + ' byte med kontrollsum ' + u.reduce((a, x) => a + x, 0) + '. ${'Du kan ha rett til pleiepenger når barnet er sykt og trenger tilsyn. '.repeat(4)}</p>';
    });`;
    const { srv, sources, store, deps } = await setup(
      {
        '/robots.txt': (_q, r) => void r.writeHead(404).end(),
        '/': html(
          `<!doctype html><html lang="nb"><head><title>Data</title></head><body><main><div id="app"><p>Aktiver JavaScript.</p></div></main><script>${script}</script></body></html>`,
        ),
        '/data.bin': (_q, r) => void r.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes),
      },
      'browser',
    );
    const r = await crawl(sources, deps);
    expect(r.failures).toEqual([]);
    expect(srv.hits.get('/data.bin')).toBe(1);
    const stored = await store.page('test', `${srv.origin}/`);
    expect(await store.blobs.get(stored!.versions[0]!.contentHash)).toContain(`Datafilen har 512 byte med kontrollsum ${sum}.`);
  }, 120_000);

  it('browser: a refused connection is a network failure, not "disallowed by robots.txt"', async () => {
    const closed = await startServer({});
    const origin = closed.origin;
    await closed.close(); // nothing listens there now
    const { sources, deps } = await setup({}, 'browser', origin);
    const r = await crawl(sources, deps);
    expect(r.failures.map((f) => f.code)).toEqual(['network']);
    expect(r.failures[0]!.message).not.toContain('disallowed');
    expect(r.counts.skipped).toBe(0);
  });
});
