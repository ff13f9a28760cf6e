import robotsParserModule from 'robots-parser';
import { FetchError } from './errors.js';
import { fetchHttp, type HttpFetchOptions } from './http.js';

interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
  getSitemaps(): string[];
}
// robots-parser is CommonJS whose typings declare an ES default export; under NodeNext the
// default import is the module.exports function itself.
const robotsParser = robotsParserModule as unknown as (url: string, body: string) => Robot;

/** The robots.txt rules of one origin. */
export interface RobotsRules {
  isAllowed(url: string, userAgent: string): boolean;
  /** Crawl-delay in ms for this agent; undefined when none is set. */
  crawlDelayMs(userAgent: string): number | undefined;
  sitemaps(): string[];
  /** Why the rules are what they are: `ok`, `missing` (allow all) or `unreachable` (disallow all). */
  status: 'ok' | 'missing' | 'unreachable';
  /**
   * Set when `unreachable`: why, as a page failure. `code` is the fetch error's (`network`,
   * `timeout`, `private-address`…), or `network` for a 5xx answer.
   */
  failure?: { code: string; message: string };
}

const ALLOW_ALL: Omit<RobotsRules, 'status'> = { isAllowed: () => true, crawlDelayMs: () => undefined, sitemaps: () => [] };
const DISALLOW_ALL: Omit<RobotsRules, 'status'> = { isAllowed: () => false, crawlDelayMs: () => undefined, sitemaps: () => [] };

/** The robots product token from a User-Agent ("eti/0.1 (+…)" → "eti"). */
function token(userAgent: string): string {
  return userAgent.split(/[/\s]/)[0] ?? userAgent;
}

/**
 * robots.txt per origin, fetched once per run (RFC 9309). 4xx: no rules, allow all (§2.3.1.3);
 * 5xx or unreachable (DNS failure, refused, timeout): disallow all for the run (§2.3.1.4), so a
 * broken server is never hammered, and `failure` says why: the crawl records that as a failure of
 * every page of the host, never as "disallowed by robots.txt". A private address without
 * `allow_private_network` is its own reason (`private-address`).
 */
export class RobotsCache {
  readonly #opts: HttpFetchOptions;
  readonly #cache = new Map<string, Promise<RobotsRules>>();

  constructor(opts: HttpFetchOptions) {
    this.#opts = opts;
  }

  get(origin: string): Promise<RobotsRules> {
    let p = this.#cache.get(origin);
    if (!p) {
      p = this.#load(origin);
      this.#cache.set(origin, p);
    }
    return p;
  }

  async #load(origin: string): Promise<RobotsRules> {
    const url = `${origin}/robots.txt`;
    let status: number;
    let body = '';
    try {
      const r = await fetchHttp(url, {
        ...this.#opts,
        allowedHosts: undefined,
        maxBytes: Math.min(this.#opts.maxBytes, 512 * 1024),
        accept: 'text/plain,*/*;q=0.5',
      });
      status = r.status;
      body = r.body;
    } catch (err) {
      const code = err instanceof FetchError ? err.code : 'network';
      const why = err instanceof FetchError ? err.message.slice(err.url.length + 2) : String(err);
      const message = code === 'private-address' ? `refused: ${why}` : `the host is failing: ${url} could not be fetched (${why})`;
      return { ...DISALLOW_ALL, status: 'unreachable', failure: { code, message } };
    }
    if (status >= 500)
      return {
        ...DISALLOW_ALL,
        status: 'unreachable',
        failure: { code: 'network', message: `the host is failing: ${url} answered HTTP ${status}` },
      };
    if (status >= 400) return { ...ALLOW_ALL, status: 'missing' };
    const rules = robotsParser(url, body);
    return {
      status: 'ok',
      isAllowed: (u, ua) => rules.isAllowed(u, token(ua)) !== false,
      crawlDelayMs: (ua) => {
        const d = rules.getCrawlDelay(token(ua));
        return d === undefined ? undefined : d * 1000;
      },
      sitemaps: () => rules.getSitemaps(),
    };
  }
}

function decodeEntities(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .trim();
}

/** Parse a sitemap (urlset) or sitemap index. Tolerant of namespaces, CDATA and entities. */
export function parseSitemap(xml: string): { urls: { loc: string; lastmod?: string }[]; sitemaps: string[] } {
  const urls: { loc: string; lastmod?: string }[] = [];
  const sitemaps: string[] = [];
  const block = /<(?:\w+:)?(url|sitemap)\b[^>]*>([\s\S]*?)<\/(?:\w+:)?\1>/gi;
  for (const m of xml.matchAll(block)) {
    const loc = /<(?:\w+:)?loc>([\s\S]*?)<\/(?:\w+:)?loc>/i.exec(m[2]!)?.[1];
    if (!loc) continue;
    if (m[1]!.toLowerCase() === 'sitemap') sitemaps.push(decodeEntities(loc));
    else {
      const lastmod = /<(?:\w+:)?lastmod>([\s\S]*?)<\/(?:\w+:)?lastmod>/i.exec(m[2]!)?.[1];
      urls.push({ loc: decodeEntities(loc), ...(lastmod ? { lastmod: decodeEntities(lastmod) } : {}) });
    }
  }
  return { urls, sitemaps };
}
