import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { FetchError, fetchHttp, fetchWithRetry, retryAfterMs, type HttpFetchOptions } from '../../../src/pipeline/fetch/index.js';
import { html, startServer, type Loopback } from '../../helpers/loopback.js';

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const opts: HttpFetchOptions = {
  userAgent: 'eti-test/0 (contact: t@example.org)',
  timeoutMs: 5000,
  maxBytes: 1024 * 1024,
  maxRedirects: 5,
  allowPrivateNetwork: true,
};

async function failure(p: Promise<unknown>): Promise<FetchError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchError);
  return err as FetchError;
}

describe('fetchHttp', () => {
  it('follows and records redirects, sends the User-Agent', async () => {
    let ua = '';
    server = await startServer({
      '/a': (_q, r) => void r.writeHead(301, { location: '/b' }).end(),
      '/b': (_q, r) => void r.writeHead(302, { location: '/c' }).end(),
      '/c': (q, r) => {
        ua = q.headers['user-agent'] ?? '';
        html('<p>ok</p>')(q, r);
      },
    });
    const f = await fetchHttp(`${server.origin}/a`, opts);
    expect(f.status).toBe(200);
    expect(f.finalUrl).toBe(`${server.origin}/c`);
    expect(f.redirects).toEqual([`${server.origin}/a`, `${server.origin}/b`]);
    expect(f.contentType).toBe('text/html');
    expect(ua).toBe(opts.userAgent);
  });

  it('detects redirect loops, too many redirects and redirects out of scope', async () => {
    server = await startServer({
      '/loop1': (_q, r) => void r.writeHead(302, { location: '/loop2' }).end(),
      '/loop2': (_q, r) => void r.writeHead(302, { location: '/loop1' }).end(),
      ...Object.fromEntries(
        Array.from({ length: 8 }, (_, i) => [
          `/r${i}`,
          (_q: unknown, r: import('node:http').ServerResponse) => void r.writeHead(302, { location: `/r${i + 1}` }).end(),
        ]),
      ),
      '/away': (_q, r) => void r.writeHead(302, { location: 'http://localhost:1/elsewhere' }).end(),
    });
    expect((await failure(fetchHttp(`${server.origin}/loop1`, opts))).code).toBe('redirect-loop');
    expect((await failure(fetchHttp(`${server.origin}/r0`, opts))).code).toBe('too-many-redirects');
    expect((await failure(fetchHttp(`${server.origin}/away`, { ...opts, allowedHosts: ['127.0.0.1'] }))).code).toBe(
      'redirect-out-of-scope',
    );
  });

  it('refuses private and loopback addresses unless allowed, and non-http schemes', async () => {
    server = await startServer({ '/': html('<p>intern</p>') });
    const err = await failure(fetchHttp(`${server.origin}/`, { ...opts, allowPrivateNetwork: false }));
    expect(err.code).toBe('private-address');
    expect(err.message).toMatch(/127\.0\.0\.1 resolves to 127\.0\.0\.1, a private or loopback address/);
    expect((await failure(fetchHttp('ftp://example.org/x', opts))).code).toBe('unsupported-scheme');
    expect((await failure(fetchHttp('http://[::1]:1/', { ...opts, allowPrivateNetwork: false }))).code).toBe('private-address');
  });

  it('times out a body that stalls', async () => {
    server = await startServer({
      '/slow': (_q, r) => {
        r.writeHead(200, { 'content-type': 'text/html' });
        r.write('<p>start');
      },
    });
    const err = await failure(fetchHttp(`${server.origin}/slow`, { ...opts, timeoutMs: 300 }));
    expect(err.code).toBe('timeout');
    expect(err.isRetryable).toBe(true);
  });

  it('stops a 50 MB body and a gzip bomb at the size limit', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024)); // ~200 KB on the wire, 200 MB decoded
    server = await startServer({
      '/huge': (_q, r) => {
        r.writeHead(200, { 'content-type': 'text/html' });
        let sent = 0;
        const pump = (): void => {
          while (sent < 50 && r.write(chunk)) sent++;
          if (sent >= 50) r.end();
          else r.once('drain', pump);
        };
        pump();
      },
      '/bomb': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(bomb),
    });
    const limited = { ...opts, maxBytes: 10 * 1024 * 1024 };
    const rssBefore = process.memoryUsage().rss;
    expect((await failure(fetchHttp(`${server.origin}/huge`, limited))).code).toBe('too-large');
    expect((await failure(fetchHttp(`${server.origin}/bomb`, limited))).code).toBe('too-large');
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(150 * 1024 * 1024);
  });

  it('decodes windows-1252 and ISO-8859-1 pages with æøå from the header or <meta>', async () => {
    const latin = Buffer.from(
      '<html><head><meta charset="windows-1252"></head><body><p>Søknad om støtte til bil på Ærøy</p></body></html>',
      'latin1',
    );
    const latinNoMeta = Buffer.from('<p>Blåbærsyltetøy og æøå</p>', 'latin1');
    server = await startServer({
      '/meta': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end(latin),
      '/header': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html; charset=ISO-8859-1' }).end(latinNoMeta),
      '/bom': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'text/html; charset=windows-1252' })
          .end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<p>Ærlig talt</p>')])),
    });
    expect((await fetchHttp(`${server.origin}/meta`, opts)).body).toContain('Søknad om støtte til bil på Ærøy');
    expect((await fetchHttp(`${server.origin}/header`, opts)).body).toContain('Blåbærsyltetøy og æøå');
    expect((await fetchHttp(`${server.origin}/bom`, opts)).body).toBe('<p>Ærlig talt</p>');
  });

  it('sends conditional headers and reports 304', async () => {
    server = await startServer({
      '/page': (q, r) => {
        if (q.headers['if-none-match'] === '"v1"' && q.headers['if-modified-since'] === 'Tue, 01 Jan 2026 00:00:00 GMT')
          return void r.writeHead(304, { etag: '"v1"' }).end();
        html('<p>full</p>', { etag: '"v1"' })(q, r);
      },
    });
    const full = await fetchHttp(`${server.origin}/page`, opts);
    expect(full.headers.etag).toBe('"v1"');
    const again = await fetchHttp(`${server.origin}/page`, {
      ...opts,
      conditional: { etag: '"v1"', lastModified: 'Tue, 01 Jan 2026 00:00:00 GMT' },
    });
    expect(again.isNotModified).toBe(true);
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });
});

describe('fetchWithRetry', () => {
  it('retries 429 honouring Retry-After, and 503, then succeeds', async () => {
    let n = 0;
    server = await startServer({
      '/busy': (q, r) => {
        n++;
        if (n === 1) return void r.writeHead(429, { 'retry-after': '7' }).end();
        if (n === 2) return void r.writeHead(503).end();
        html('<p>endelig</p>')(q, r);
      },
    });
    const waits: number[] = [];
    const f = await fetchWithRetry(`${server.origin}/busy`, {
      ...opts,
      retries: 3,
      baseDelayMs: 100,
      maxDelayMs: 30_000,
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.5,
    });
    expect(f.status).toBe(200);
    expect(waits).toEqual([7000, 100]);
  });

  it('gives up after the retries and returns the last answer; caps the wait', async () => {
    server = await startServer({ '/down': (_q, r) => void r.writeHead(503, { 'retry-after': '3600' }).end() });
    const waits: number[] = [];
    const f = await fetchWithRetry(`${server.origin}/down`, {
      ...opts,
      retries: 2,
      baseDelayMs: 10,
      maxDelayMs: 5000,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(f.status).toBe(503);
    expect(waits).toEqual([5000, 5000]);
  });

  it('does not retry what cannot succeed', async () => {
    let n = 0;
    server = await startServer({ '/404': (_q, r) => void (n++, r.writeHead(404).end()) });
    const f = await fetchWithRetry(`${server.origin}/404`, {
      ...opts,
      retries: 3,
      baseDelayMs: 1,
      maxDelayMs: 1,
      sleep: async () => undefined,
    });
    expect(f.status).toBe(404);
    expect(n).toBe(1);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs('Wed, 25 Nov 2026 10:00:30 GMT', Date.parse('Wed, 25 Nov 2026 10:00:00 GMT'))).toBe(30_000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
