import PQueue from 'p-queue';
import type { ResolvedSource } from '../../config/schema.js';
import { fetchWithRetry, type HttpFetchOptions } from './http.js';
import type { AddressPolicy } from './net-guard.js';
import { parseSitemap, RobotsCache, type RobotsRules } from './robots.js';

/**
 * The HTTP options every request for `source` uses: the run's User-Agent (which carries the contact
 * address), the source's timeout and size limit, at most 5 redirects, private addresses refused
 * unless the source sets `allow_private_network`, redirects kept to its `allowed_hosts`.
 */
export function httpOptionsFor(source: ResolvedSource, userAgent: string, addressPolicy?: AddressPolicy): HttpFetchOptions {
  return {
    ...(addressPolicy ? { addressPolicy } : {}),
    userAgent,
    timeoutMs: source.timeout_ms,
    maxBytes: source.max_bytes,
    maxRedirects: 5,
    allowPrivateNetwork: source.allow_private_network,
    allowedHosts: source.allowed_hosts,
  };
}

export interface PolitenessOptions {
  /** The User-Agent of every request (and the robots.txt agent the rules are matched against). */
  userAgent: string;
  /** Waits for a host's turn; tests pass a fake. Default: setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** The time in epoch ms, for the start gate; tests pass a fixed clock. Default: Date.now. */
  now?: () => number;
  /** Which addresses count as public in every request's HTTP options. Default: `isPublicAddress`. */
  addressPolicy?: AddressPolicy;
}

const sleepReal = (ms: number): Promise<void> => new Promise<void>((r) => setTimeout(r, ms));

/**
 * What the crawl adds to a host's delay when it gates a request (`gate(host, delay + margin)`): 2 % + 10 ms. A timer may fire a little
 * late for one request and on time for the next, and the network may carry them differently, so
 * starts exactly `delayMs` apart here can arrive closer than that at the server (issue 15 measured
 * gaps of 0.70–0.87 s for a Crawl-delay of 1 s). The gap the site sees must be at least the delay.
 */
export function gateMarginMs(delayMs: number): number {
  return Math.ceil(delayMs * 0.02) + 10;
}

/**
 * The crawl's manners towards the sites it visits, for one run: shared by the crawl and the
 * audit's link check so that both treat a host the same way. Holds, for the run,
 * - one robots.txt cache per source (each source's own HTTP options fetch it),
 * - one start gate per host, shared by every source on that host (requests start `delayMs` apart),
 * - one queue per host, limiting the requests in flight to it.
 * One instance per run; nothing here is global.
 */
export class Politeness {
  readonly userAgent: string;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  readonly #addressPolicy: AddressPolicy | undefined;
  readonly #robots = new Map<string, RobotsCache>();
  /** Per host: the earliest time (epoch ms) the next request may start. */
  readonly #nextStart = new Map<string, number>();
  readonly #hostQueues = new Map<string, PQueue>();

  constructor(opts: PolitenessOptions) {
    this.userAgent = opts.userAgent;
    this.#sleep = opts.sleep ?? sleepReal;
    this.#now = opts.now ?? Date.now;
    this.#addressPolicy = opts.addressPolicy;
  }

  /** `httpOptionsFor(source)` with this run's User-Agent. */
  httpOptionsFor(source: ResolvedSource): HttpFetchOptions {
    return httpOptionsFor(source, this.userAgent, this.#addressPolicy);
  }

  /** The robots.txt cache of `source` (created on first use; every origin fetched once per run). */
  robotsFor(source: ResolvedSource): RobotsCache {
    let cache = this.#robots.get(source.id);
    if (!cache) this.#robots.set(source.id, (cache = new RobotsCache(this.httpOptionsFor(source))));
    return cache;
  }

  /** The robots.txt rules that apply to `url` for `source`; undefined when the source sets `respect_robots: false`. */
  async rulesFor(source: ResolvedSource, url: string): Promise<RobotsRules | undefined> {
    return source.respect_robots ? this.robotsFor(source).get(new URL(url).origin) : undefined;
  }

  /** The gap between request starts to one host, in ms: the source's `delay_ms`, or robots.txt Crawl-delay when longer. */
  delayMsFor(source: ResolvedSource, rules: RobotsRules | undefined): number {
    return Math.max(source.delay_ms, rules?.crawlDelayMs(this.userAgent) ?? 0);
  }

  /**
   * Wait for `host`'s turn: resolves when a request may start, at least `delayMs` after the start
   * the previous caller was given (whatever source it came from). Turns are handed out in call
   * order. A `delayMs` of 0 or less never waits and takes no turn.
   */
  async gate(host: string, delayMs: number): Promise<void> {
    if (delayMs <= 0) return;
    const now = this.#now();
    const at = Math.max(now, this.#nextStart.get(host) ?? 0);
    this.#nextStart.set(host, at + delayMs);
    if (at > now) await this.#sleep(at - now);
  }

  /**
   * The queue of `host`, created on first use with `concurrency` (a source's `concurrency_per_host`);
   * later callers share it as it is, so the first source to reach a host sets its limit for the run.
   */
  hostQueue(host: string, concurrency: number): PQueue {
    let q = this.#hostQueues.get(host);
    if (!q) this.#hostQueues.set(host, (q = new PQueue({ concurrency })));
    return q;
  }

  /**
   * The page URLs of `source`'s sitemaps: those robots.txt names for each start URL's origin, else
   * `/sitemap.xml`, sitemap indexes followed (at most 50 sitemaps per origin), each request through
   * the host's start gate. A sitemap that cannot be fetched goes to `onError` and is skipped.
   */
  async sitemapUrls(source: ResolvedSource, onError: (url: string, err: unknown) => void): Promise<string[]> {
    const out: string[] = [];
    for (const origin of new Set(source.start_urls.map((u) => new URL(u).origin))) {
      const rules = await this.robotsFor(source).get(origin);
      const delayMs = this.delayMsFor(source, source.respect_robots ? rules : undefined);
      const queue = rules.sitemaps().length > 0 ? [...rules.sitemaps()] : [`${origin}/sitemap.xml`];
      for (let i = 0; i < queue.length && i < 50; i++) {
        try {
          const f = await fetchWithRetry(queue[i]!, {
            ...this.httpOptionsFor(source),
            retries: 1,
            baseDelayMs: 500,
            maxDelayMs: 5000,
            sleep: this.#sleep,
            beforeRequest: (u) => this.gate(new URL(u).host, delayMs > 0 ? delayMs + gateMarginMs(delayMs) : 0),
          });
          if (f.status !== 200) continue;
          const sm = parseSitemap(f.body);
          out.push(...sm.urls.map((u) => u.loc));
          queue.push(...sm.sitemaps);
        } catch (err) {
          onError(queue[i]!, err);
        }
      }
    }
    return out;
  }
}
