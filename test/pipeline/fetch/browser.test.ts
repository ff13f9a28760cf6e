/**
 * Real Chromium (Debian's, via playwright-core). Skipped only when no Chromium is installed,
 * and never in CI: .ci/run installs it and sets ETI_REQUIRE_BROWSER=1.
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { BrowserFetcher, type FetchError } from '../../../src/pipeline/fetch/index.js';
import { html, startServer, type Loopback } from '../../helpers/loopback.js';

const CHROMIUM = process.env.ETI_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.ETI_REQUIRE_BROWSER === '1')
  throw new Error(`ETI_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
if (!hasChromium) console.warn(`skipping browser tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

describe.skipIf(!hasChromium)('BrowserFetcher (real Chromium)', () => {
  const browser = new BrowserFetcher({ executablePath: CHROMIUM });
  let server: Loopback;
  let thirdParty: Loopback;
  afterAll(async () => {
    await browser.close();
    await server?.close();
    await thirdParty?.close();
  });

  it('renders a page whose text only exists after JavaScript runs, and blocks third-party requests', async () => {
    thirdParty = await startServer({
      '/track.js': (_q, r) => void r.writeHead(200, { 'content-type': 'text/javascript' }).end('window.tracked = true;'),
    });
    const thirdOrigin = thirdParty.origin.replace('127.0.0.1', 'localhost');
    server = await startServer({
      '/app/': html(`<!doctype html><html lang="nb"><body><main id="app"></main>
        <script src="${thirdOrigin}/track.js"></script>
        <script>document.getElementById('app').innerHTML = '<h1>Barnekoordinator</h1><p>Du har rett til barnekoordinator hvis barnet er under 18 år.</p>';</script>
        </body></html>`),
    });
    const f = await browser.fetch(`${server.origin}/app/`, { timeoutMs: 15_000, userAgent: 'eti-test', allowPrivateNetwork: true });
    expect(f.via).toBe('browser');
    expect(f.status).toBe(200);
    expect(f.body).toContain('Du har rett til barnekoordinator hvis barnet er under 18 år.');
    expect(thirdParty.hits.get('/track.js')).toBeUndefined();
  });

  it('refuses private addresses unless allowed', async () => {
    const err = await browser
      .fetch(`${server.origin}/app/`, { timeoutMs: 5000, userAgent: 'eti-test', allowPrivateNetwork: false })
      .catch((e: unknown) => e);
    expect((err as FetchError).code).toBe('private-address');
  });
});

describe('BrowserFetcher without Chromium', () => {
  it('says how to install it', async () => {
    const b = new BrowserFetcher({ executablePath: '/nonexistent/chromium' });
    const err = (await b
      .fetch('http://127.0.0.1:9/', { timeoutMs: 1000, userAgent: 'x', allowPrivateNetwork: true })
      .catch((e: unknown) => e)) as FetchError;
    expect(err.code).toBe('browser-unavailable');
    // Not Debian-only any more (issue 18): the path is named and the ways to get a browser given.
    expect(err.message).toBe(
      '/nonexistent/chromium: no such file; point ETI_CHROMIUM at a Chrome, Chromium or Edge executable, or unset it so eti uses an installed one or the one "eti browser install" downloads',
    );
    await b.close();
  });
});
