/**
 * The private-address guard under redirects, in HTTP and browser mode (issue 15). Every loopback
 * address is private, so the test lets exactly 127.0.0.1 count as public (the crawl's `addressPolicy`) and
 * checks that a hop to any other private address (127.0.0.2, ::1) is refused with `private-address`,
 * recorded on the page, and never requested: a second server listens on 127.0.0.2 and counts hits.
 * Real Chromium for browser mode; skipped only when there is none, never in CI (ETI_REQUIRE_BROWSER=1).
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { crawl, type CrawlDeps } from '../../src/pipeline/crawl/crawl.js';
import { type AddressPolicy, assertPublicAddress, BrowserFetcher, isPublicAddress } from '../../src/pipeline/fetch/index.js';
import { Store } from '../../src/store/store.js';
import { type Handler, hostile, html, startServer } from '../helpers/loopback.js';

const CHROMIUM = process.env.ETI_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.ETI_REQUIRE_BROWSER === '1')
  throw new Error(`ETI_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);

const page = (title: string, links: string[] = [], extra = '') =>
  `<!doctype html><html lang="nb"><head><title>${title}</title></head><body><main><h1>${title}</h1><p>${title}: ${'Du kan ha rett til pleiepenger når barnet er sykt og trenger tilsyn. '.repeat(6)}</p>${links.map((l) => `<a href="${l}">${l}</a>`).join(' ')}</main>${extra}</body></html>`;

let closers: (() => Promise<void>)[] = [];
/** 127.0.0.1 stands for a public host; every other address keeps the real rule. */
const policy: AddressPolicy = (ip) => ip === '127.0.0.1' || isPublicAddress(ip);
afterEach(async () => {
  for (const c of closers) await c();
  closers = [];
});

/** A server on 127.0.0.2 (another private address) that only counts the requests it gets. */
async function startPrivateServer() {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page('Internt'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.2', r));
  closers.push(
    () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { origin: `http://127.0.0.2:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

async function setup(routes: Record<string, Handler>, render: 'http' | 'browser') {
  const srv = await startServer(routes);
  closers.push(srv.close);
  // The private hosts are in scope on purpose: only the address guard stands between them and the crawl.
  const { sources } = parseConfig(
    `version: 1
contact: test@example.org
defaults: { delay_ms: 0, allow_private_network: false, render: ${render}, use_sitemap: false, max_depth: 1 }
sources:
  - { id: test, name: Test, owner: Test, start_urls: ['${srv.origin}/'], allowed_hosts: ['127.0.0.1', '127.0.0.2', '[::1]'] }
`,
    'sources.yaml',
  );
  const store = await Store.open(await mkdtemp(path.join(os.tmpdir(), 'eti-private-')));
  const deps: CrawlDeps = {
    store,
    clock: () => new Date('2026-03-01T00:00:00Z'),
    userAgent: 'eti-test',
    concurrency: 2,
    retries: 0,
    addressPolicy: policy,
    browser: () => {
      throw new Error('no browser in this test');
    },
  };
  return { srv, sources, store, deps };
}

async function expectRefused(store: Store, url: string) {
  const p = await store.page('test', url);
  expect(p?.lastFailure?.code).toBe('private-address');
  expect(p?.versions ?? []).toEqual([]);
}

describe('the address policy', () => {
  it('lets exactly the address the test allows through; every other private address is still refused', async () => {
    await expect(assertPublicAddress('http://127.0.0.1:1/', false, policy)).resolves.toBeUndefined();
    for (const url of ['http://127.0.0.2:1/', 'http://[::1]:1/', 'http://10.0.0.1/', 'http://192.168.1.1/']) {
      await expect(assertPublicAddress(url, false, policy)).rejects.toMatchObject({ code: 'private-address' });
    }
    // The default policy, which the crawl uses unless told otherwise, refuses 127.0.0.1 too.
    await expect(assertPublicAddress('http://127.0.0.1:1/', false)).rejects.toMatchObject({ code: 'private-address' });
  });
});

describe('http mode', () => {
  it('refuses a redirect to another private address (127.0.0.2, ::1), records it, and never requests it', async () => {
    const priv = await startPrivateServer();
    const { srv, sources, store, deps } = await setup(
      {
        '/robots.txt': (_q, r) => void r.writeHead(404).end(),
        '/': html(page('Oversikt', ['/inn/', '/seks/', '/ok/'])),
        '/inn/': hostile.redirect(`${priv.origin}/`),
        '/seks/': hostile.redirect('http://[::1]:9/'),
        '/ok/': html(page('Ok')),
      },
      'http',
    );
    const r = await crawl(sources, deps);
    expect(r.counts.new).toBe(2); // the start page and /ok/: 127.0.0.1 is fetched, so the policy is the only difference
    expect(r.failures.map((f) => f.code).sort()).toEqual(['private-address', 'private-address']);
    expect(priv.hits()).toBe(0);
    await expectRefused(store, `${srv.origin}/inn/`);
    await expectRefused(store, `${srv.origin}/seks/`);
  });
});

describe.skipIf(!hasChromium)('browser mode (real Chromium)', () => {
  it('refuses a redirect, a navigation by script and a sub-resource to another private address; nothing from it is stored', async () => {
    const priv = await startPrivateServer();
    const { srv, sources, store, deps } = await setup(
      {
        '/robots.txt': (_q, r) => void r.writeHead(404).end(),
        '/': html(page('Oversikt', ['/inn/', '/skript/', '/ressurs/'])),
        '/inn/': hostile.redirect(`${priv.origin}/`),
        '/skript/': html(page('Skript', [], `<script>location.href = '${priv.origin}/';</script>`)),
        '/ressurs/': html(
          page(
            'Ressurs',
            [],
            `<script src="/app.js"></script><img src="${priv.origin}/bilde.png"><script>fetch('${priv.origin}/data').catch(() => {});</script>`,
          ),
        ),
        '/app.js': hostile.redirect(`${priv.origin}/app.js`),
      },
      'browser',
    );
    const browser = new BrowserFetcher({ executablePath: CHROMIUM });
    closers.push(() => browser.close());
    deps.browser = () => browser;
    const r = await crawl(sources, deps);
    expect(r.failures.map((f) => `${new URL(f.url).pathname} ${f.code}`).sort()).toEqual([
      '/inn/ private-address',
      '/skript/ private-address',
    ]);
    expect(r.counts.new).toBe(2); // the start page and /ressurs/, without what it asked of 127.0.0.2
    expect(priv.hits()).toBe(0);
    await expectRefused(store, `${srv.origin}/inn/`);
    await expectRefused(store, `${srv.origin}/skript/`);
    const ressurs = await store.page('test', `${srv.origin}/ressurs/`);
    expect(await store.blobs.get(ressurs!.versions[0]!.contentHash)).not.toContain('Internt');
    expect(srv.hits.get('/app.js')).toBe(1); // the same-host script was asked for, its redirect refused
  }, 120_000);
});
