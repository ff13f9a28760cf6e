/**
 * Browser mode under faults, in real Chromium: the same guarantees as HTTP mode (issue 15).
 * Skipped only when no Chromium is installed, never in CI (ETI_REQUIRE_BROWSER=1).
 */
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserFetcher, FetchError, type HttpFetchOptions, type RetryOptions } from '../../../src/pipeline/fetch/index.js';
import { Politeness } from '../../../src/pipeline/fetch/politeness.js';
import { MARKERS, startHostileSite } from '../../../bench/hostile-site.js';
import { makePdf } from '../../helpers/pdf.js';
import { hostile, html, startServer, type Loopback } from '../../helpers/loopback.js';

const CHROMIUM = process.env.ETI_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.ETI_REQUIRE_BROWSER === '1')
  throw new Error(`ETI_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);

const PAGE = `<!doctype html><html lang="nb"><head><title>Side</title></head><body><main><h1>Pleiepenger</h1><p>${'Du kan ha rett til pleiepenger når barnet er sykt. '.repeat(5)}</p></main></body></html>`;

describe.skipIf(!hasChromium)('browser mode has HTTP mode’s guarantees (real Chromium)', () => {
  const browser = new BrowserFetcher({ executablePath: CHROMIUM, maxPages: 2 });
  let site: Loopback;
  let other: Loopback;
  const waits: number[] = [];
  let scriptsInFlight = 0;
  let maxScriptsInFlight = 0;
  const httpOpts = (extra: Partial<HttpFetchOptions & RetryOptions> = {}): HttpFetchOptions & RetryOptions => ({
    userAgent: 'eti-test',
    timeoutMs: 15_000,
    maxBytes: 1024 * 1024,
    maxRedirects: 5,
    allowPrivateNetwork: true,
    allowedHosts: ['127.0.0.1'],
    retries: 2,
    baseDelayMs: 10,
    maxDelayMs: 30_000,
    sleep: async (ms) => void waits.push(ms),
    ...extra,
  });
  const get = (p: string, extra: Partial<HttpFetchOptions & RetryOptions> = {}) =>
    browser.fetch(`${site.origin}${p}`, {
      timeoutMs: extra.timeoutMs ?? 15_000,
      userAgent: 'eti-test',
      allowPrivateNetwork: true,
      http: httpOpts(extra),
    });
  const failure = async (p: Promise<unknown>): Promise<FetchError> => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(FetchError);
    return e as FetchError;
  };

  beforeAll(async () => {
    other = await startServer({ '/': html('<html><body><main><h1>Annet nettsted</h1><p>Utenfor.</p></main></body></html>') });
    const otherOrigin = other.origin.replace('127.0.0.1', 'localhost');
    site = await startServer({
      '/ok/': html(PAGE),
      '/ut/': hostile.redirect(`${otherOrigin}/`),
      '/js-ut/': html(`<html><body><p>Et øyeblikk</p><script>location.href = '${otherOrigin}/';</script></body></html>`),
      '/js-zip/': html(`<html><body><p>Et øyeblikk</p><script>location.href = '/skjema.zip';</script></body></html>`),
      '/skjema.zip': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'application/zip', 'content-disposition': 'attachment; filename=skjema.zip' })
          .end('PK\u0003\u0004'),
      '/429/': hostile.failFirst(1, 429, html(PAGE), 7),
      '/503/': hostile.failFirst(2, 503, html(PAGE)),
      '/reset/': hostile.resetMidBody(),
      '/stor/': hostile.huge(50),
      '/bombe/': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' })
          .end(gzipSync(Buffer.alloc(50 * 1024 * 1024, ' '))),
      '/skjema.pdf': (_q, r) => void r.writeHead(200, { 'content-type': 'application/pdf' }).end(makePdf([['Søknad om grunnstønad']])),
      '/stopp/': hostile.stall(),
      '/evig/': html('<html><body><p>Laster</p><script>for (;;) {}</script></body></html>'),
      '/kake/': html('<html><body><p>Kake</p><script>document.cookie = "spor=1; path=/";</script></body></html>'),
      '/les-kake/': html(
        '<html><body><p id="k"></p><script>document.getElementById("k").textContent = "kaker:" + document.cookie + ".";</script></body></html>',
      ),
      '/treg.js': (_q, r) => {
        scriptsInFlight++;
        maxScriptsInFlight = Math.max(maxScriptsInFlight, scriptsInFlight);
        setTimeout(() => {
          scriptsInFlight--;
          r.writeHead(200, { 'content-type': 'text/javascript' }).end('document.body.dataset.lastet = "ja";');
        }, 150);
      },
      ...Object.fromEntries(
        [1, 2, 3, 4, 5].map((i) => [
          `/js/${i}/`,
          html(
            `<html><body><main><h1>Side ${i}</h1><p>${'Tekst om stønad. '.repeat(20)}</p></main><script src="/treg.js"></script></body></html>`,
          ),
        ]),
      ),
    });
  });
  afterAll(async () => {
    await browser.close();
    await site?.close();
    await other?.close();
  });

  it('renders a plain page', async () => {
    const f = await get('/ok/');
    expect(f.via).toBe('browser');
    expect(f.body).toContain('Du kan ha rett til pleiepenger');
  });

  it('refuses a redirect out of scope, and a script navigating out of scope, without storing the other host’s page', async () => {
    expect((await failure(get('/ut/'))).code).toBe('redirect-out-of-scope');
    expect((await failure(get('/js-ut/'))).code).toBe('redirect-out-of-scope');
    expect(other.hits.get('/')).toBeUndefined();
  });

  it('refuses a private address on the first request', async () => {
    const err = await failure(
      browser.fetch(`${site.origin}/ok/`, {
        timeoutMs: 5000,
        userAgent: 'eti-test',
        allowPrivateNetwork: false,
        http: httpOpts({ allowPrivateNetwork: false }),
      }),
    );
    expect(err.code).toBe('private-address');
  });

  it('retries 429 honouring Retry-After, and 503, as HTTP mode does', async () => {
    waits.length = 0;
    expect((await get('/429/')).body).toContain('pleiepenger');
    expect(waits).toEqual([7000]);
    expect((await get('/503/')).body).toContain('pleiepenger');
    expect(site.hits.get('/503/')).toBe(3);
  });

  it('records a reset mid-body as a network failure, not a page', async () => {
    expect((await failure(get('/reset/', { retries: 0 }))).code).toBe('network');
  });

  it('stops a 50 MB body and a gzip bomb as "too large"', async () => {
    for (const p of ['/stor/', '/bombe/']) {
      const err = await failure(get(p));
      expect(err.code, p).toBe('too-large');
      expect(err.message, p).not.toContain('gave up');
    }
  });

  it('records a stalled body as a timeout', async () => {
    expect((await failure(get('/stopp/', { timeoutMs: 400, retries: 0 }))).code).toBe('timeout');
  });

  it('hands a PDF over as bytes for the PDF extractor, and refuses downloads with a reason', async () => {
    const pdf = await get('/skjema.pdf');
    expect(pdf.raw).toBeInstanceOf(Uint8Array);
    expect(pdf.contentType).toBe('application/pdf');
    const zip = await get('/skjema.zip');
    expect(zip.contentType).toBe('application/zip'); // the crawl records it as unsupported-content-type
    const err = await failure(get('/js-zip/'));
    expect(err.code).toBe('download-refused');
    expect(err.message).toContain('application/zip');
  });

  it('waits for the whole document: a page 20,000 elements deep keeps the text at its bottom, in a browser whose first page it is', async () => {
    // A fresh browser (networkidle alone once came halfway through parsing this page on a first tab).
    const fresh = new BrowserFetcher({ executablePath: CHROMIUM });
    const deep = await startHostileSite({ pages: 0 });
    try {
      const f = await fresh.fetch(`${deep.origin}/dyp/`, { timeoutMs: 15_000, userAgent: 'eti-test', allowPrivateNetwork: true });
      expect(f.body.match(/<div>/g)).toHaveLength(20_000);
      expect(f.body).toContain(MARKERS['/dyp/']);
    } finally {
      await fresh.close();
      await deep.close();
    }
  });

  it('a script that never ends is a timeout, and the next page renders (its tab was closed, not reused)', async () => {
    expect((await failure(get('/evig/', { timeoutMs: 2000 }))).code).toBe('timeout');
    expect((await get('/ok/')).body).toContain('Du kan ha rett til pleiepenger');
  });

  it('reuses tabs but not their state: a cookie one page set is gone for the next', async () => {
    await get('/kake/');
    expect((await get('/les-kake/')).body).toContain('kaker:.');
  });

  it('renders at most maxPages pages at once', async () => {
    maxScriptsInFlight = 0;
    const pages = await Promise.all([1, 2, 3, 4, 5].map((i) => get(`/js/${i}/`)));
    expect(pages.every((p) => p.body.includes('data-lastet="ja"'))).toBe(true);
    expect(maxScriptsInFlight).toBeLessThanOrEqual(2);
  });

  it('keeps Crawl-delay between every request start, sub-resources included', async () => {
    // Virtual time: the gate waits with a sleep that moves the clock on at once, so the starts are
    // the ones the gate gave, not the machine's timer accuracy under load.
    let t = 0;
    const starts: number[] = [];
    const politeness = new Politeness({ userAgent: 'eti-test', now: () => t, sleep: async (ms) => void (t += ms) });
    const gate = async (u: string): Promise<void> => {
      await politeness.gate(new URL(u).host, 300);
      starts.push(t);
    };
    for (const i of [1, 2]) await get(`/js/${i}/`, { beforeRequest: gate });
    expect(starts.length).toBeGreaterThanOrEqual(4); // two documents, two scripts
    const gaps = starts.slice(1).map((t, k) => t - starts[k]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(300);
  });
});
