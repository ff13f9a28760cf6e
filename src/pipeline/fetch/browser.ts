import { existsSync } from 'node:fs';
import PQueue from 'p-queue';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import type { Fetched } from '../types.js';
import { FetchError } from './errors.js';
import { MISSING_BROWSER_HINT, NO_BROWSER_HINT } from '../../config/find-browser.js';
import { fetchWithRetry, type HttpFetchOptions, type RetryOptions } from './http.js';
import { type AddressPolicy, assertPublicAddress } from './net-guard.js';

/**
 * Chromium flags for a headless, quiet browser on a machine with a closed network, and for memory
 * (issue 15: eti + Chromium summed 1.1–1.8 GB of RSS over 50 pages; `npm run bench:browser-rss`).
 * Each process of Chromium maps the same 200 MB binary, so every process saved is ~80–170 MB of
 * summed RSS: no zygote (renderers are started directly; needs --no-sandbox, which we run with), the
 * GPU and network services inside the browser process, one renderer (no site isolation: only the
 * crawled host's scripts run, see BrowserFetcher), no spare renderer kept warm, and no WebUI
 * omnibox popup (Chromium 151+ pre-renders it in a renderer of its own, ~75 MB, headless too).
 * A renderer's JavaScript heap is capped so that a hostile page's script fails its page, not the run.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-gpu-compositing',
  '--disable-software-rasterizer',
  '--in-process-gpu',
  '--no-zygote',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
  '--disable-site-isolation-trials',
  '--disable-features=IsolateOrigins,site-per-process,Translate,BackForwardCache,SpareRendererForSitePerProcess,WebUIOmniboxPopup,WebUIOmniboxAimPopup',
  '--enable-features=NetworkServiceInProcess,NetworkServiceInProcess2',
  '--renderer-process-limit=1',
  '--js-flags=--max-old-space-size=256',
  '--disable-dev-shm-usage',
];

export interface BrowserFetchOptions {
  timeoutMs: number;
  userAgent: string;
  allowPrivateNetwork: boolean;
  /** Which addresses count as public when private ones are not allowed. Default: `isPublicAddress`. */
  addressPolicy?: AddressPolicy;
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
  /** Pages rendering at once in the one browser; more wait their turn. Default 1 (with a renderer per context, 50 JS pages peaked at 1.46 GB RSS summed over eti and Chromium with 2, 1.19 GB with 1, in no more time). */
  maxPages?: number;
  /** Pages rendered in one browser context before it is closed and a new one opened (caches, storage and a renderer that grew are let go). Default 100. */
  pagesPerContext?: number;
}

/** Resource types that are never loaded: they do not change a page's text. */
const BLOCKED_TYPES = new Set(['image', 'media', 'font']);

/** What a tab is rendering now: its interception reads it (the route is set once per tab). */
interface Rendering {
  doc: Fetched;
  http: HttpFetchOptions & RetryOptions;
  refused: { error?: FetchError };
}

/**
 * Fetches pages in headless Chromium (driven by playwright-core) with HTTP mode's guarantees. The
 * document is fetched by `fetchWithRetry` (scope, private addresses, byte limit, retries, body
 * timeout, charset) and handed to Chromium through request interception; a PDF or a body that is
 * not HTML is returned as fetched (the crawl extracts the PDF, or refuses the type with a reason)
 * and never opened in the browser. Any other main-frame navigation (a script's redirect) is
 * fetched the same way or refused; sub-resources only from the page's own host, fetched the same
 * way too (a script's POST is sent by Chromium, after the address guard and the start gate);
 * images, media and fonts never.
 *
 * Memory (issue 15): one browser per instance, launched on the first fetch; one context, in which
 * at most `maxPages` tabs render, each tab reused page after page (a new context per page started
 * a renderer per page: three times slower, and two renderers alive at the turn). Between pages a
 * tab goes to about:blank, so the previous page's DOM and scripts are let go, and cookies are
 * cleared when no tab is rendering; a tab whose render failed is closed, never reused; the context
 * is replaced every `pagesPerContext` pages. Call `close()` in a finally.
 */
export class BrowserFetcher {
  readonly executablePath: string;
  #browser?: Promise<Browser>;
  #context?: { ctx: Promise<BrowserContext>; rendered: number; idle: Page[] };
  readonly #pages: PQueue;
  readonly #pagesPerContext: number;
  readonly #rendering = new WeakMap<Page, Rendering>();
  #busy = 0;

  constructor(opts: BrowserFetcherOptions) {
    this.executablePath = opts.executablePath;
    this.#pages = new PQueue({ concurrency: opts.maxPages ?? 1 });
    this.#pagesPerContext = opts.pagesPerContext ?? 100;
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
    await assertPublicAddress(url, opts.allowPrivateNetwork, opts.addressPolicy);
    const browser = await this.#launch();
    const http: HttpFetchOptions & RetryOptions = opts.http ?? {
      userAgent: opts.userAgent,
      timeoutMs: opts.timeoutMs,
      maxBytes: 10 * 1024 * 1024,
      maxRedirects: 5,
      allowPrivateNetwork: opts.allowPrivateNetwork,
      ...(opts.addressPolicy ? { addressPolicy: opts.addressPolicy } : {}),
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

  /** An idle tab of the current context, or a new one (and the context first, when there is none). */
  async #takePage(browser: Browser, userAgent: string): Promise<Page> {
    this.#context ??= {
      ctx: browser.newContext({ userAgent, javaScriptEnabled: true, serviceWorkers: 'block', acceptDownloads: false }),
      rendered: 0,
      idle: [],
    };
    const slot = this.#context;
    slot.rendered++;
    let page = slot.idle.pop();
    if (!page || page.isClosed()) {
      const p = await (await slot.ctx).newPage();
      await p.route('**/*', (route) => {
        const r = this.#rendering.get(p);
        return r ? this.#intercept(route, r) : route.abort('blockedbyclient');
      });
      page = p;
    }
    // The context's User-Agent is the first fetch's; a fetch with another one sends its own.
    await page.setExtraHTTPHeaders({ 'user-agent': userAgent });
    return page;
  }

  /**
   * A tab after its page: back to about:blank and idle, or closed when its render failed. When no
   * tab is rendering, cookies are cleared, and the context is closed once it has had its pages.
   */
  async #release(page: Page, ok: boolean): Promise<void> {
    this.#rendering.delete(page);
    const slot = this.#context;
    const isCurrent = slot !== undefined && page.context() === (await slot.ctx.catch(() => undefined));
    if (
      ok &&
      isCurrent &&
      (await page.goto('about:blank', { timeout: 5000 }).then(
        () => true,
        () => false,
      ))
    )
      slot!.idle.push(page);
    else await page.close({ runBeforeUnload: false }).catch(() => undefined);
    if (this.#busy > 0 || !slot || !isCurrent) return;
    if (slot.rendered < this.#pagesPerContext)
      return void (await page
        .context()
        .clearCookies()
        .catch(() => undefined));
    this.#context = undefined;
    await page
      .context()
      .close()
      .catch(() => undefined);
  }

  async #render(browser: Browser, doc: Fetched, opts: BrowserFetchOptions, http: HttpFetchOptions & RetryOptions): Promise<Fetched> {
    this.#busy++;
    let page: Page | undefined;
    let ok = false;
    const refused: { error?: FetchError } = {};
    try {
      page = await this.#takePage(browser, opts.userAgent);
      this.#rendering.set(page, { doc, http, refused });
      page.setDefaultTimeout(opts.timeoutMs);
      try {
        // The parser first (DOMContentLoaded or load), then the selector or network idle: Playwright's
        // networkidle alone can come while a long document is still being parsed (a page 20,000
        // elements deep was taken with half its elements and none of its text).
        const deadline = Date.now() + opts.timeoutMs;
        const left = (): number => Math.max(1, deadline - Date.now());
        await page.goto(doc.finalUrl, { waitUntil: opts.waitForSelector ? 'domcontentloaded' : 'load', timeout: opts.timeoutMs });
        if (opts.waitForSelector) await page.waitForSelector(opts.waitForSelector, { timeout: left() });
        else await page.waitForLoadState('networkidle', { timeout: left() });
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
      ok = true;
      return { ...doc, finalUrl: page.url(), body, bytes: Buffer.byteLength(body), contentType: 'text/html', via: 'browser' };
    } finally {
      this.#busy--;
      if (page) await this.#release(page, ok);
    }
  }

  /** One request of a rendering page: the document from `doc`, other navigations fetched as in HTTP mode, sub-resources checked. */
  async #intercept(route: Route, { doc, http, refused }: Rendering): Promise<void> {
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
      if (req.method() === 'GET') {
        // Fetched here, not by Chromium: the byte limit, the timeout, the address guard on every
        // redirect, and the start gate right before the request leaves (Crawl-delay as the site sees it).
        const sub = await fetchWithRetry(reqUrl, { ...http, accept: req.headers().accept ?? '*/*', keepBinary: true });
        return await route.fulfill({
          status: sub.status,
          contentType: sub.raw ? sub.contentType : `${sub.contentType || 'text/plain'}; charset=utf-8`,
          body: sub.raw ? Buffer.from(sub.raw) : sub.body,
        });
      }
      // A script's POST: Chromium sends it, after the address guard and the start gate.
      await assertPublicAddress(reqUrl, http.allowPrivateNetwork, http.addressPolicy);
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
    this.#context = undefined;
    if (b) await (await b.catch(() => undefined))?.close().catch(() => undefined);
  }
}
