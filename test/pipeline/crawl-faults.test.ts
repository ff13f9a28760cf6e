/**
 * The crawl under faults, HTTP mode (browser mode: test/pipeline/fetch/browser-faults.test.ts and
 * the render test below): failures are stored pages, retried with backoff across runs; robots.txt
 * per RFC 9309; a private address is its own reason; a body gets the source's whole timeout_ms.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { crawl, type CrawlDeps } from '../../src/pipeline/crawl/crawl.js';
import { BrowserFetcher, fetchWithRetry } from '../../src/pipeline/fetch/index.js';
import { Store } from '../../src/store/store.js';
import { makePdf } from '../helpers/pdf.js';
import { hostile, html, startServer, type Handler, virtualTime } from '../helpers/loopback.js';

const CHROMIUM = process.env.ETI_CHROMIUM ?? '/usr/bin/chromium';
const page = (title: string, links: string[] = []) =>
  `<!doctype html><html lang="nb"><head><title>${title}</title></head><body><main><h1>${title}</h1><p>${title}: ${'Du kan ha rett til pleiepenger når barnet er sykt og trenger tilsyn. '.repeat(6)}</p>${links.map((l) => `<a href="${l}">${l}</a>`).join(' ')}</main></body></html>`;

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers) await c();
  closers = [];
});

async function setup(
  routes: Record<string, Handler>,
  opts: { defaults?: Record<string, string | number | boolean>; startPath?: string; origin?: string } = {},
) {
  const srv = await startServer(routes);
  closers.push(srv.close);
  const origin = opts.origin ?? srv.origin;
  const defaults = {
    delay_ms: 0,
    allow_private_network: true,
    render: 'http',
    gone_after_failures: 2,
    use_sitemap: false,
    ...opts.defaults,
  };
  const { sources } = parseConfig(
    `version: 1
contact: test@example.org
defaults: { ${Object.entries(defaults)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(', ')} }
sources:
  - { id: test, name: Test, owner: Test, start_urls: ['${origin}${opts.startPath ?? '/'}'], max_depth: 2 }
`,
    'sources.yaml',
  );
  const store = await Store.open(await mkdtemp(path.join(os.tmpdir(), 'eti-faults-')));
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
  return { srv, origin, sources, store, deps, setNow: (iso: string) => (now = new Date(iso)) };
}

describe('failures are pages', () => {
  it('stores a URL that failed before it was ever stored, retries it next run though its linking page is unchanged, and stores it once it works', async () => {
    let isBroken = true;
    const { srv, sources, store, deps } = await setup({
      '/robots.txt': (_q, r) => void r.writeHead(404).end(),
      '/': (req, res) =>
        req.headers['if-none-match'] === '"v1"'
          ? void res.writeHead(304).end()
          : void res.writeHead(200, { 'content-type': 'text/html', etag: '"v1"' }).end(page('Oversikt', ['/ny/'])),
      '/ny/': (req, res) => (isBroken ? void res.writeHead(500).end('feil') : html(page('Ny side'))(req, res)),
    });
    const first = await crawl(sources, deps);
    expect(first.failures.map((f) => f.code)).toEqual(['http-500']);
    const failed = await store.page('test', `${srv.origin}/ny/`);
    expect(failed).toMatchObject({ consecutiveFailures: 1, lastStatus: 500, lastFailure: { code: 'http-500' }, versions: [] });
    expect((await store.failingPages()).map((p) => p.url)).toEqual([`${srv.origin}/ny/`]);

    isBroken = false;
    const second = await crawl(sources, deps);
    expect(second.counts['not-modified']).toBe(1); // the linking page did not change…
    expect(second.counts.new).toBe(1); // …and the failed URL was tried again
    const fixed = await store.page('test', `${srv.origin}/ny/`);
    expect(fixed?.versions).toHaveLength(1);
    expect(fixed?.lastFailure).toBeUndefined();
    expect(await store.failingPages()).toEqual([]);
  });

  it('backs off across runs after three failures in a row, and tries again once the wait is over', async () => {
    const { srv, sources, store, deps, setNow } = await setup({
      '/robots.txt': (_q, r) => void r.writeHead(404).end(),
      '/': (_q, r) => void r.writeHead(503).end(),
    });
    for (const at of ['2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z']) {
      setNow(at);
      expect((await crawl(sources, deps)).counts.failed).toBe(1);
    }
    setNow('2026-03-03T05:00:00Z'); // 5 h after the third failure: waits (6 h)
    const waiting = await crawl(sources, deps);
    expect(waiting.counts.skipped).toBe(1);
    expect(srv.hits.get('/')).toBe(3);
    setNow('2026-03-03T06:00:01Z');
    expect((await crawl(sources, deps)).counts.failed).toBe(1);
    expect(srv.hits.get('/')).toBe(4);
    expect((await store.page('test', `${srv.origin}/`))?.consecutiveFailures).toBe(4);
    expect((await store.page('test', `${srv.origin}/`))?.removedAt).toBeUndefined(); // only 404/410 mark a page gone
  });

  it('marks a never-stored URL that answers 404 gone only after gone_after_failures crawls', async () => {
    const { srv, sources, store, deps } = await setup({
      '/robots.txt': (_q, r) => void r.writeHead(404).end(),
      '/': html(page('Oversikt', ['/borte/'])),
    });
    expect((await crawl(sources, deps)).failures.map((f) => f.code)).toEqual(['http-404']);
    const second = await crawl(sources, deps);
    expect(second.counts.gone).toBe(1);
    expect(second.failures).toEqual([]);
    expect((await store.page('test', `${srv.origin}/borte/`))?.removedAt).toBeDefined();
  });
});

describe('robots.txt per RFC 9309, and honest reasons', () => {
  it('4xx robots.txt means no rules: everything is crawled', async () => {
    const { sources, deps } = await setup({
      '/robots.txt': (_q, r) => void r.writeHead(403).end(),
      '/': html(page('Oversikt', ['/a/'])),
      '/a/': html(page('A')),
    });
    const r = await crawl(sources, deps);
    expect(r.counts.new).toBe(2);
  });

  it('5xx robots.txt means the host is failing: a network failure for the page, never "disallowed by robots.txt"; stored for the audit', async () => {
    const { srv, sources, store, deps } = await setup({
      '/robots.txt': (_q, r) => void r.writeHead(503).end(),
      '/': html(page('Oversikt')),
    });
    const r = await crawl(sources, deps);
    expect(r.counts.skipped).toBe(0);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatchObject({ code: 'network', url: `${srv.origin}/` });
    expect(r.failures[0]!.message).toContain('the host is failing');
    expect(r.failures[0]!.message).toContain('HTTP 503');
    expect(srv.hits.get('/')).toBeUndefined();
    expect((await store.page('test', `${srv.origin}/`))?.lastFailure?.code).toBe('network');
  });

  it('an unreachable host (refused connection) and a DNS failure are network failures', async () => {
    const closed = await startServer({});
    const origin = closed.origin;
    await closed.close(); // nothing listens there now
    const refused = await setup({}, { origin });
    const r1 = await crawl(refused.sources, refused.deps);
    expect(r1.failures.map((f) => f.code)).toEqual(['network']);
    expect(r1.failures[0]!.message).toMatch(/ECONNREFUSED|refused/);

    const dns = await setup({}, { origin: 'http://eti-finnes-ikke.invalid', defaults: { allow_private_network: false } });
    const r2 = await crawl(dns.sources, dns.deps);
    expect(r2.failures.map((f) => f.code)).toEqual(['network']);
    expect(r2.failures[0]!.message).toContain('eti-finnes-ikke.invalid');
    expect(r2.counts.skipped).toBe(0);
  });

  it('a private address without allow_private_network is its own reason', async () => {
    const { sources, deps } = await setup({ '/': html(page('Oversikt')) }, { defaults: { allow_private_network: false } });
    const r = await crawl(sources, deps);
    expect(r.failures.map((f) => f.code)).toEqual(['private-address']);
    expect(r.failures[0]!.message).not.toContain('robots');
  });
});

describe('Crawl-delay on request start', () => {
  it('starts requests to a host at least delay_ms apart, retries included (virtual time, read at the server)', async () => {
    // Time is virtual: the gates read `now` and wait with `sleep`, which moves it on at once. One
    // request at a time, so the virtual time the server reads on arrival is the start the gate gave
    // (wall-clock gaps at a server also carry the machine's load: no test can rely on them).
    const vt = virtualTime();
    const logged = vt.logged;
    let failed = false;
    const { sources, deps } = await setup(
      {
        '/': logged(html(page('Oversikt', ['/a/', '/b/']))),
        '/a/': logged((q, r) => {
          if (!failed) {
            failed = true;
            return void r.writeHead(503).end();
          }
          return html(page('A'))(q, r);
        }),
        '/b/': logged(html(page('B'))),
      },
      { defaults: { delay_ms: 300, concurrency_per_host: 1, respect_robots: false } },
    );
    deps.concurrency = 1;
    deps.retries = 1; // the retry of /a/ is a request start like any other
    deps.now = vt.now;
    deps.sleep = vt.sleep;
    const r = await crawl(sources, deps);
    expect(r.failures).toEqual([]);
    expect(r.counts.new).toBe(3);
    expect(vt.arrivals.map((a) => a.path).sort()).toEqual(['/', '/a/', '/a/', '/b/']);
    expect(Math.min(...vt.gaps())).toBeGreaterThanOrEqual(300);
  });
});

describe('body timeout', () => {
  it('a body that trickles past the header timeout but within timeout_ms arrives; a stalled body is a timeout', async () => {
    const srv = await startServer({ '/treg/': hostile.trickle(page('Treg'), 6, 700), '/stopp/': hostile.stall() });
    closers.push(srv.close);
    const opts = {
      userAgent: 'eti-test',
      maxBytes: 1e6,
      maxRedirects: 0,
      allowPrivateNetwork: true,
      retries: 0,
      baseDelayMs: 1,
      maxDelayMs: 1,
    };
    // Headers come at once; the body takes ~3.5 s, well past the header timeout. The header timeout
    // is 2 s, not less, so that a busy machine still gets the headers in time (no speed assumed).
    const f = await fetchWithRetry(`${srv.origin}/treg/`, { ...opts, timeoutMs: 60_000, connectTimeoutMs: 2_000 });
    expect(f.body).toContain('<h1>Treg</h1>');
    const err = await fetchWithRetry(`${srv.origin}/stopp/`, { ...opts, timeoutMs: 400 }).catch((e: unknown) => e);
    expect((err as { code: string }).code).toBe('timeout');
  });
});

describe.skipIf(!existsSync(CHROMIUM))('the crawl in browser mode (real Chromium)', () => {
  it('records an out-of-scope redirect and a download as failures with their reasons; extracts a PDF', async () => {
    const other = await startServer({ '/': html(page('Annet')) });
    closers.push(other.close);
    const { srv, sources, store, deps } = await setup(
      {
        '/robots.txt': (_q, r) => void r.writeHead(404).end(),
        '/': html(page('Oversikt', ['/ut/', '/skjema.zip', '/ok/', '/vedlegg.pdf'])),
        '/vedlegg.pdf': (_q, r) =>
          void r.writeHead(200, { 'content-type': 'application/pdf' }).end(makePdf([['Grunnstønad sats 1 er 8 232 kroner i året.']])),
        '/ut/': hostile.redirect(`${other.origin.replace('127.0.0.1', 'localhost')}/`),
        '/skjema.zip': (_q, r) => void r.writeHead(200, { 'content-type': 'application/zip' }).end('PK\u0003\u0004'),
        '/ok/': html(page('Ok')),
      },
      { defaults: { render: 'browser' } },
    );
    const browser = new BrowserFetcher({ executablePath: CHROMIUM });
    deps.browser = () => browser;
    try {
      const r = await crawl(sources, deps);
      expect(r.counts.new).toBe(3);
      const pdf = await store.page('test', `${srv.origin}/vedlegg.pdf`);
      expect(await store.blobs.get(pdf!.versions[0]!.contentHash)).toContain('8 232 kroner');
      expect(r.failures.map((f) => f.code).sort()).toEqual(['redirect-out-of-scope', 'unsupported-content-type']);
      expect(other.hits.get('/')).toBeUndefined();
      expect((await store.page('test', `${srv.origin}/ut/`))?.lastFailure?.code).toBe('redirect-out-of-scope');
    } finally {
      await browser.close();
    }
  });
});
