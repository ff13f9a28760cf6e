import { afterEach, describe, expect, it } from 'vitest';
import { isInScope, isPrivateAddress, normalizeUrl, parseSitemap, RobotsCache } from '../../../src/pipeline/fetch/index.js';
import { startServer, type Loopback } from '../../helpers/loopback.js';

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const opts = {
  userAgent: 'eti/0.1 (+https://example.org)',
  timeoutMs: 2000,
  maxBytes: 100_000,
  maxRedirects: 3,
  allowPrivateNetwork: true,
};

describe('RobotsCache', () => {
  it('honours Disallow and Crawl-delay for eti, lists sitemaps, fetches once per origin', async () => {
    server = await startServer({
      '/robots.txt': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'text/plain' })
          .end(
            'User-agent: eti\nDisallow: /intern/\nCrawl-delay: 2\n\nUser-agent: *\nDisallow: /\n\nSitemap: https://example.org/sitemap.xml\n',
          ),
    });
    const cache = new RobotsCache(opts);
    const rules = await cache.get(server.origin);
    expect(rules.isAllowed(`${server.origin}/nav/satser/`, opts.userAgent)).toBe(true);
    expect(rules.isAllowed(`${server.origin}/intern/utkast/`, opts.userAgent)).toBe(false);
    expect(rules.isAllowed(`${server.origin}/nav/`, 'otherbot/1.0')).toBe(false);
    expect(rules.crawlDelayMs(opts.userAgent)).toBe(2000);
    expect(rules.sitemaps()).toEqual(['https://example.org/sitemap.xml']);
    await cache.get(server.origin);
    expect(server.hits.get('/robots.txt')).toBe(1);
  });

  it('allows all on 404 and disallows all on 5xx (RFC 9309)', async () => {
    server = await startServer({});
    expect((await new RobotsCache(opts).get(server.origin)).isAllowed(`${server.origin}/x`, 'eti')).toBe(true);
    await server.close();
    server = await startServer({ '/robots.txt': (_q, r) => void r.writeHead(503).end() });
    const rules = await new RobotsCache(opts).get(server.origin);
    expect(rules.status).toBe('unreachable');
    expect(rules.isAllowed(`${server.origin}/x`, 'eti')).toBe(false);
  });
});

describe('parseSitemap', () => {
  it('reads urlsets with lastmod, CDATA and entities, and sitemap indexes', () => {
    const set = parseSitemap(
      '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.no/x?a=1&amp;b=2</loc><lastmod>2025-03-12</lastmod></url>' +
        '<url><loc><![CDATA[https://a.no/y]]></loc></url></urlset>',
    );
    expect(set.urls).toEqual([{ loc: 'https://a.no/x?a=1&b=2', lastmod: '2025-03-12' }, { loc: 'https://a.no/y' }]);
    const index = parseSitemap(
      '<sitemapindex><sitemap><loc>https://a.no/s1.xml</loc></sitemap><sitemap><loc>https://a.no/s2.xml</loc></sitemap></sitemapindex>',
    );
    expect(index.sitemaps).toEqual(['https://a.no/s1.xml', 'https://a.no/s2.xml']);
    expect(index.urls).toEqual([]);
  });
});

describe('normalizeUrl and scope', () => {
  it.each([
    ['HTTPS://WWW.NAV.NO:443/Satser/#kap2', 'https://www.nav.no/Satser/'],
    ['https://www.nav.no/no/person;cmsnavno_JSESSIONID=ABC123/pleiepenger', 'https://www.nav.no/no/person/pleiepenger'],
    ['https://www.nav.no/x;jsessionid=abc?utm_source=fb&b=2&a=1&fbclid=9', 'https://www.nav.no/x?a=1&b=2'],
    ['http://kommune.no:80/a', 'http://kommune.no/a'],
    ['mailto:post@nav.no', null],
    ['javascript:alert(1)', null],
    ['not a url', null],
  ])('%s → %s', (input, expected) => {
    expect(normalizeUrl(input)).toBe(expected);
  });

  it('resolves relative URLs and keeps trailing slashes as they are', () => {
    expect(normalizeUrl('../b/', 'https://a.no/x/y/')).toBe('https://a.no/x/b/');
    expect(normalizeUrl('https://a.no/b')).toBe('https://a.no/b');
  });

  it('adds or strips trailing slashes when a source says so, never on file names or the root', () => {
    expect(normalizeUrl('https://a.no/avlastning', undefined, 'add')).toBe('https://a.no/avlastning/');
    expect(normalizeUrl('https://a.no/veileder.pdf', undefined, 'add')).toBe('https://a.no/veileder.pdf');
    expect(normalizeUrl('https://a.no/avlastning/?a=1', undefined, 'strip')).toBe('https://a.no/avlastning?a=1');
    expect(normalizeUrl('https://a.no/', undefined, 'strip')).toBe('https://a.no/');
  });

  it('scopes by host, include and exclude (exclude wins)', () => {
    const scope = { include: [/^https:\/\/www\.nav\.no\/satser/], exclude: [/\/skjema/], allowedHosts: ['www.nav.no'] };
    expect(isInScope('https://www.nav.no/satser/a', scope)).toBe(true);
    expect(isInScope('https://www.nav.no/satser/skjema', scope)).toBe(false);
    expect(isInScope('https://www.nav.no/annet', scope)).toBe(false);
    expect(isInScope('https://kommune.nav.no/satser/a', scope)).toBe(false);
  });

  it('knows private address ranges', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.1.1',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ['8.8.8.8', '151.101.1.1', '2001:4860::8888']) expect(isPrivateAddress(ip), ip).toBe(false);
  });
});
