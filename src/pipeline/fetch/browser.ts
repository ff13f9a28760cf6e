import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { Fetched } from '../types.js';
import { FetchError } from './errors.js';
import { MISSING_BROWSER_HINT, NO_BROWSER_HINT } from './find-browser.js';
import { assertPublicAddress } from './net-guard.js';

/** Chromium flags for a headless, quiet browser on a machine with a closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export interface BrowserFetchOptions {
  timeoutMs: number;
  userAgent: string;
  allowPrivateNetwork: boolean;
  /** Wait for this selector instead of network idle. */
  waitForSelector?: string;
}

/**
 * Fetches pages in headless Chromium (Debian's, driven by playwright-core). One browser per
 * instance, launched on the first fetch; a fresh context per page; third-party requests,
 * images, media and fonts blocked. Call `close()` in a finally.
 */
export class BrowserFetcher {
  readonly executablePath: string;
  #browser?: Promise<Browser>;

  constructor(opts: { executablePath: string }) {
    this.executablePath = opts.executablePath;
  }

  #launch(): Promise<Browser> {
    if (!existsSync(this.executablePath)) {
      // The one reason a page that needs a browser fails when there is none: say how to get one.
      throw new FetchError('browser-unavailable', this.executablePath || 'browser', this.executablePath ? `no such file; ${MISSING_BROWSER_HINT}` : `no Chrome, Chromium or Edge found; ${NO_BROWSER_HINT}`);
    }
    // playwright-core is loaded on first use (~90 MB of RSS a crawl of plain HTTP sources never needs).
    this.#browser ??= import('playwright-core').then(({ chromium }) => chromium.launch({ executablePath: this.executablePath, args: CHROMIUM_ARGS, headless: true }));
    return this.#browser;
  }

  async fetch(url: string, opts: BrowserFetchOptions): Promise<Fetched> {
    await assertPublicAddress(url, opts.allowPrivateNetwork);
    const browser = await this.#launch();
    const context = await browser.newContext({ userAgent: opts.userAgent, javaScriptEnabled: true, serviceWorkers: 'block' });
    try {
      const host = new URL(url).host;
      await context.route('**/*', (route) => {
        const req = route.request();
        const type = req.resourceType();
        let reqHost = '';
        try {
          reqHost = new URL(req.url()).host;
        } catch {
          // data: and blob: URLs have no host
        }
        if (reqHost !== host || type === 'image' || type === 'media' || type === 'font') return route.abort();
        return route.continue();
      });
      const page = await context.newPage();
      page.setDefaultTimeout(opts.timeoutMs);
      let response;
      try {
        response = await page.goto(url, { waitUntil: opts.waitForSelector ? 'domcontentloaded' : 'networkidle', timeout: opts.timeoutMs });
        if (opts.waitForSelector) await page.waitForSelector(opts.waitForSelector, { timeout: opts.timeoutMs });
      } catch (err) {
        const isTimeout = err instanceof Error && /timeout/i.test(err.name + err.message);
        throw new FetchError(isTimeout ? 'timeout' : 'browser-failed', url, isTimeout ? `browser gave up after ${opts.timeoutMs} ms` : `browser failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, err);
      }
      const body = await page.content();
      const headers = response ? Object.fromEntries(Object.entries(await response.allHeaders()).map(([k, v]) => [k.toLowerCase(), v])) : {};
      return {
        url,
        finalUrl: page.url(),
        redirects: [],
        status: response?.status() ?? 200,
        headers,
        contentType: 'text/html',
        body,
        bytes: Buffer.byteLength(body),
        fetchedAt: new Date().toISOString(),
        via: 'browser',
        isNotModified: false,
      };
    } finally {
      await context.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const b = this.#browser;
    this.#browser = undefined;
    if (b) await (await b.catch(() => undefined))?.close().catch(() => undefined);
  }
}
