import { existsSync } from 'node:fs';
import PQueue from 'p-queue';
import type { Browser, Route } from 'playwright-core';
import type { Fetched } from '../types.js';
import { FetchError } from './errors.js';
import { MISSING_BROWSER_HINT, NO_BROWSER_HINT } from '../../config/find-browser.js';
import { fetchWithRetry, type HttpFetchOptions, type RetryOptions } from './http.js';
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
  // Memory: no site isolation (one renderer per page is enough: scripts of one host only run, and
  // every context is closed after its page) and small renderer heaps (issue 15: 1.1–1.8 GB before).
  '--disable-site-isolation-trials',
  '--disable-features=IsolateOrigins,site-per-process,Translate,BackForwardCache',
  '--renderer-process-limit=2',
  '--disable-dev-shm-usage',
];

export interface BrowserFetchOptions {
  timeoutMs: number;
  userAgent: string;
  allowPrivateNetwork: boolean;
  /** Wait for this selector instead of network idle. */
  waitForSelector?: string;
  /**
   * How documents are fetched: the page itself, each redirect of it and every navigation its
   * scripts start go through `fetchWithRetry` with these options (the source's byte limit, allowed
   * hosts, address guard, retry policy and per-host start gate), exactly as in HTTP mode. Default:
   * the options above, 10 MB, 5 redirects, no retries, any host.
   */
  http?: HttpFetchOptions & RetryOptions;
  /** A document already fetched over HTTP (`render: auto`): rendered as it is, not fetched again. */
  document?: Fetched;
}

/** What `BrowserFetcher` needs: where Chromium is, and how many pages may be open at once. */
export interface BrowserFetcherOptions {
  executablePath: string;
  /** Pages rendering at once in the one browser; more wait their turn. Default 1: measured over 50 JS pages, 2 at once peaked at 1.46 GB RSS (sum over eti and Chromium) and 1 at 1.19 GB, in no more time. */
  maxPages?: number;
}

/** Resource types that are never loaded: they do not change a page's text. */
const BLOCKED_TYPES = new Set(['image', 'media', 'font']);

/**
 * Fetches pages in headless Chromium (driven by playwright-core) with HTTP mode's guarantees. The
 * document is fetched by `fetchWithRetry` (scope, private addresses, byte limit, retries, body
 * timeout, charset) and handed to Chromium through request interception; a PDF or a body that is
 * not HTML is returned as fetched (the crawl extracts the PDF, or refuses the type with a reason)
 * and never opened in the browser. Any other main-frame navigation (a script's redirect) is
 * fetched the same way or refused; sub-resources only from the page's own host, after the address
 * guard and the start gate; images, media and fonts never. One browser per instance, launched on
 * the first fetch, at most `maxPages` pages at once, a fresh context per page. Call `close()` in
 * a finally.
 */
export class BrowserFetcher {
  readonly executablePath: string;
  #browser?: Promise<Browser>;
  readonly #pages: PQueue;

  constructor(opts: BrowserFetcherOptions) {
    this.executablePath = opts.executablePath;
    this.#pages = new PQueue({ concurrency: opts.maxPages ?? 1 });
  }

  #launch(): Promise<Browser> {
    if (!existsSync(this.executablePath)) {
      // The one reason a page that needs a browser fails when there is none: say how to get one.
      throw new FetchError(
        'browser-unavailable',
        this.executablePath || 'browser',
        this.executablePath ? `no such file; ${MISSING_BROWSER_HINT}` : `no Chrome, Chromium or Edge found; ${NO_BROWSER_HINT}`,
      );
    }
    // playwright-core is loaded on first use (~90 MB of RSS a crawl of plain HTTP sources never needs).
    this.#browser ??= import('playwright-core').then(({ chromium }) =>
      chromium.launch({ executablePath: this.executablePath, args: CHROMIUM_ARGS, headless: true }),
    );
    return this.#browser;
  }

  /** Render `url`; throws `FetchError` for every reason HTTP mode would, and for a render that fails or times out. */
  async fetch(url: string, opts: BrowserFetchOptions): Promise<Fetched> {
    await assertPublicAddress(url, opts.allowPrivateNetwork);
    const browser = await this.#launch();
    const http: HttpFetchOptions & RetryOptions = opts.http ?? {
      userAgent: opts.userAgent,
      timeoutMs: opts.timeoutMs,
      maxBytes: 10 * 1024 * 1024,
      maxRedirects: 5,
      allowPrivateNetwork: opts.allowPrivateNetwork,
      retries: 0,
      baseDelayMs: 500,
      maxDelayMs: 30_000,
    };
    const doc = opts.document ?? (await fetchWithRetry(url, http));
    // Not a page to render: an error status, a PDF, a download. The crawl decides what each means.
    if (doc.isNotModified || doc.status >= 300 || doc.raw || !/html|xml/.test(doc.contentType)) return { ...doc, via: 'browser' };
    const rendered = await this.#pages.add(() => this.#render(browser, doc, opts, http));
    return rendered!;
  }

  async #render(browser: Browser, doc: Fetched, opts: BrowserFetchOptions, http: HttpFetchOptions & RetryOptions): Promise<Fetched> {
    const context = await browser.newContext({
      userAgent: opts.userAgent,
      javaScriptEnabled: true,
      serviceWorkers: 'block',
      acceptDownloads: false,
    });
    const refused: { error?: FetchError } = {};
    try {
      await context.route('**/*', (route) => this.#intercept(route, doc, http, refused));
      const page = await context.newPage();
      page.setDefaultTimeout(opts.timeoutMs);
      try {
        await page.goto(doc.finalUrl, { waitUntil: opts.waitForSelector ? 'domcontentloaded' : 'networkidle', timeout: opts.timeoutMs });
        if (opts.waitForSelector) await page.waitForSelector(opts.waitForSelector, { timeout: opts.timeoutMs });
      } catch (err) {
        if (refused.error) throw refused.error;
        const isTimeout = err instanceof Error && /timeout/i.test(err.name + err.message);
        throw new FetchError(
          isTimeout ? 'timeout' : 'browser-failed',
          doc.url,
          isTimeout
            ? `browser gave up after ${opts.timeoutMs} ms`
            : `browser failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
          err,
        );
      }
      if (refused.error) throw refused.error;
      const body = await page.content();
      return { ...doc, finalUrl: page.url(), body, bytes: Buffer.byteLength(body), contentType: 'text/html', via: 'browser' };
    } finally {
      await context.close().catch(() => undefined);
    }
  }

  /** One request of a rendering page: the document from `doc`, other navigations fetched as in HTTP mode, sub-resources checked. */
  async #intercept(route: Route, doc: Fetched, http: HttpFetchOptions & RetryOptions, refused: { error?: FetchError }): Promise<void> {
    const req = route.request();
    const reqUrl = req.url();
    const isMainNavigation = req.isNavigationRequest() && req.frame().parentFrame() === null;
    try {
      if (isMainNavigation) {
        if (reqUrl !== doc.finalUrl && http.allowedHosts && !http.allowedHosts.includes(new URL(reqUrl).hostname.toLowerCase())) {
          throw new FetchError('redirect-out-of-scope', doc.url, `the page navigated to ${reqUrl}, outside the allowed hosts`);
        }
        const next = reqUrl === doc.finalUrl ? doc : await fetchWithRetry(reqUrl, http);
        if (next.raw || !/html|xml/.test(next.contentType)) {
          // A script navigating to a download or a PDF: refused, with the reason.
          refused.error ??= new FetchError(
            'download-refused',
            reqUrl,
            `a navigation to ${next.contentType || 'an unknown content type'} is not rendered`,
          );
          return await route.abort('blockedbyclient');
        }
        const location = next.finalUrl !== reqUrl ? next.finalUrl : undefined;
        if (location) return await route.fulfill({ status: 302, headers: { location } });
        return await route.fulfill({ status: next.status, contentType: 'text/html; charset=utf-8', body: next.body });
      }
      const host = new URL(doc.finalUrl).host;
      let reqHost = '';
      try {
        reqHost = new URL(reqUrl).host;
      } catch {
        // data: and blob: URLs have no host
      }
      if (reqHost !== host || BLOCKED_TYPES.has(req.resourceType())) return await route.abort('blockedbyclient');
      await assertPublicAddress(reqUrl, http.allowPrivateNetwork);
      await http.beforeRequest?.(reqUrl);
      return await route.continue();
    } catch (err) {
      if (isMainNavigation) refused.error ??= err instanceof FetchError ? err : new FetchError('browser-failed', reqUrl, String(err));
      await route.abort('blockedbyclient').catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const b = this.#browser;
    this.#browser = undefined;
    if (b) await (await b.catch(() => undefined))?.close().catch(() => undefined);
  }
}
