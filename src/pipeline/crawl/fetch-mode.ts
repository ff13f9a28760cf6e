/**
 * How a page is fetched and read: plain HTTP (conditional on the stored version's validators) or
 * the browser, by the source's `render`; and with `render: auto`, the HTTP answer rendered in the
 * browser when its text is thin or asks for JavaScript. Every request start waits for its host's
 * gate (the source's delay or robots.txt Crawl-delay), retries and browser requests included.
 */
import type { ResolvedSource } from '../../config/schema.js';
import type { PageRecord } from '../../store/records.js';
import { extractDocument, extractOptionsFor } from '../extract/index.js';
import {
  type BrowserFetchOptions,
  fetchWithRetry,
  gateMarginMs,
  type HttpFetchOptions,
  type Politeness,
  type RetryOptions,
  type RobotsRules,
} from '../fetch/index.js';
import type { Extracted, ExtractResult, Fetched } from '../types.js';
import type { CrawlDeps } from './types.js';

/** Phrases of a page that needs JavaScript: with render auto, they send it to the browser. */
export const JS_NOTICE = /(aktiver(e)?|slå på|skru på|enable)\s+javascript|javascript (er|is) (deaktivert|disabled|required)/i;

/** A request start gate: resolves when a request to the URL's host may start. */
export type Gate = (url: string) => Promise<void>;

/** The validators of a stored version, for a conditional request; none for a page without one (or a duplicate). */
export function conditionalFor(known: PageRecord | undefined): HttpFetchOptions['conditional'] | undefined {
  if (!known || known.versions.length === 0 || known.duplicateOf || !(known.etag || known.lastModified)) return undefined;
  return {
    ...(known.etag ? { etag: known.etag } : {}),
    ...(known.lastModified ? { lastModified: known.lastModified } : {}),
  };
}

/** An HTTP answer that a browser may read better: no text, less than `min_text_chars`, or a JavaScript notice (never a PDF). */
export function isThin(
  source: Pick<ResolvedSource, 'min_text_chars'>,
  fetched: Pick<Fetched, 'raw'>,
  extracted: Extracted | undefined,
): boolean {
  return !fetched.raw && (!extracted || extracted.text.length < source.min_text_chars || JS_NOTICE.test(extracted.text));
}

/** What reading a page gave: the first extraction, the text kept and the answer it came from, and a browser fallback's error. */
export interface Reading {
  first: ExtractResult;
  extracted: Extracted | undefined;
  fetched: Fetched;
  browserError?: unknown;
}

export class FetchModes {
  constructor(
    private readonly deps: Pick<CrawlDeps, 'browser' | 'userAgent' | 'retries' | 'sleep' | 'extract' | 'addressPolicy'>,
    private readonly politeness: Politeness,
  ) {}

  /** The start gate of a URL's host with the source's delay (plus a margin: the gaps the site sees must not fall below it). */
  gateFor(source: ResolvedSource, rules: RobotsRules | undefined): Gate {
    const delay = this.politeness.delayMsFor(source, rules);
    const delayMs = delay > 0 ? delay + gateMarginMs(delay) : 0;
    return (u: string) => this.politeness.gate(new URL(u).host, delayMs);
  }

  /** The page by the source's render mode: the browser for `browser`, else HTTP (conditional when a version is stored). */
  fetch(source: ResolvedSource, url: string, known: PageRecord | undefined, gate: Gate): Promise<Fetched> {
    if (source.render === 'browser') return this.deps.browser().fetch(url, this.browserOptions(source, gate));
    const conditional = conditionalFor(known);
    return fetchWithRetry(url, {
      ...this.politeness.httpOptionsFor(source),
      // Validators only of a stored version: they are saved with it, so they describe it.
      ...(conditional ? { conditional } : {}),
      ...this.retryOptions(),
      beforeRequest: gate,
    });
  }

  /**
   * The text of an answer; with `render: auto` and a thin HTTP text, the same document rendered in
   * the browser (no second request for it), kept when its text is longer. A browser failure is
   * returned, not thrown: the HTTP text may still stand.
   */
  async read(source: ResolvedSource, fetched: Fetched, gate: Gate, chrome: ReadonlySet<string>): Promise<Reading> {
    const first = await this.extract(source, fetched, chrome);
    const extracted = first.ok ? first.page : undefined;
    if (source.render !== 'auto' || !isThin(source, fetched, extracted)) return { first, extracted, fetched };
    try {
      const rendered = await this.deps.browser().fetch(fetched.finalUrl, { ...this.browserOptions(source, gate), document: fetched });
      const r = await this.extract(source, rendered, chrome);
      const fromBrowser = r.ok ? r.page : undefined;
      if (fromBrowser && fromBrowser.text.length > (extracted?.text.length ?? 0))
        return { first, extracted: fromBrowser, fetched: rendered };
      return { first, extracted, fetched };
    } catch (err) {
      return { first, extracted, fetched, browserError: err };
    }
  }

  private extract(source: ResolvedSource, fetched: Fetched, chrome: ReadonlySet<string>): Promise<ExtractResult> {
    const opts = extractOptionsFor(source, fetched.finalUrl);
    return extractDocument(fetched, chrome.size > 0 ? { ...opts, chrome } : opts, this.deps.extract);
  }

  private retryOptions(): RetryOptions {
    const deps = this.deps;
    return { retries: deps.retries ?? 2, baseDelayMs: 500, maxDelayMs: 30_000, ...(deps.sleep ? { sleep: deps.sleep } : {}) };
  }

  private browserOptions(source: ResolvedSource, gate: Gate): BrowserFetchOptions {
    return {
      timeoutMs: source.timeout_ms,
      userAgent: this.deps.userAgent,
      allowPrivateNetwork: source.allow_private_network,
      ...(this.deps.addressPolicy ? { addressPolicy: this.deps.addressPolicy } : {}),
      http: { ...this.politeness.httpOptionsFor(source), ...this.retryOptions(), beforeRequest: gate },
    };
  }
}
