import PQueue from 'p-queue';
import type { ResolvedSource } from '../config/schema.js';
import type { LinkCheck } from './audit.js';
import { FetchError, type FetchErrorCode } from './fetch/errors.js';
import { fetchHttp, type HttpFetchOptions } from './fetch/http.js';
import { RobotsCache } from './fetch/robots.js';

/** Fetch errors that mean the link leads nowhere; the others say nothing about the target (too large, redirected off-site). */
const BROKEN: ReadonlySet<FetchErrorCode> = new Set(['timeout', 'network', 'redirect-loop', 'too-many-redirects', 'bad-url']);

/**
 * Absolute http(s) link targets in extracted Markdown (`[text](url "title")`, `<url>`), in order,
 * deduplicated. Extraction writes links absolute, so relative ones do not occur.
 */
export function linksOfMarkdown(markdown: string): string[] {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/\]\((https?:\/\/[^\s)]+)(?:\s+"[^"]*")?\)|<(https?:\/\/[^\s>]+)>/gi)) out.add((m[1] ?? m[2])!);
  return [...out];
}

export interface LinkCheckDeps {
  userAgent: string;
  /** Requests in flight across all hosts (sources.yaml `crawl.concurrency`). */
  concurrency: number;
  /** Waits between requests to one host; tests pass a fake. Default: setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Called after each check (for a progress line). */
  onChecked?: (done: number, total: number) => void;
}

/**
 * GET each link (each with the source it was found in, for its politeness and address rules) and
 * record its final HTTP status or the fetch error. Polite like the crawl: robots.txt (when the source
 * respects it), `concurrency_per_host` and `delay_ms` per host (robots.txt Crawl-delay when longer),
 * at most `concurrency` in flight. Links robots.txt forbids, and private addresses a source does not
 * allow, are not checked (absent from the result). Never throws for a link.
 */
export async function checkLinks(links: ReadonlyMap<string, ResolvedSource>, deps: LinkCheckDeps): Promise<Map<string, LinkCheck>> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const global = new PQueue({ concurrency: deps.concurrency });
  const hostQueues = new Map<string, PQueue>();
  const nextStart = new Map<string, number>();
  const robots = new Map<string, RobotsCache>();
  const results = new Map<string, LinkCheck>();
  const options = (s: ResolvedSource): HttpFetchOptions => ({
    userAgent: deps.userAgent,
    timeoutMs: s.timeout_ms,
    maxBytes: s.max_bytes,
    maxRedirects: 5,
    allowPrivateNetwork: s.allow_private_network,
    allowedHosts: s.allowed_hosts,
  });
  let done = 0;
  const check = async (url: string, source: ResolvedSource): Promise<void> => {
    const { host, origin } = new URL(url);
    let delayMs = source.delay_ms;
    if (source.respect_robots) {
      let cache = robots.get(source.id);
      if (!cache) robots.set(source.id, (cache = new RobotsCache(options(source))));
      const rules = await cache.get(origin);
      if (!rules.isAllowed(url, deps.userAgent)) return;
      delayMs = Math.max(delayMs, rules.crawlDelayMs(deps.userAgent) ?? 0);
    }
    if (delayMs > 0) {
      const now = Date.now();
      const at = Math.max(now, nextStart.get(host) ?? 0);
      nextStart.set(host, at + delayMs);
      if (at > now) await sleep(at - now);
    }
    try {
      const fetched = await fetchHttp(url, options(source));
      results.set(url, { status: fetched.status });
    } catch (err) {
      // Never throws for a link: anything unexpected is that link's error, not the audit's.
      if (!(err instanceof FetchError)) return void results.set(url, { error: `internal: ${err instanceof Error ? err.message : String(err)}` });
      if (err.code === 'private-address' || err.code === 'unsupported-scheme') return;
      const message = err.message.startsWith(`${err.url}: `) ? err.message.slice(err.url.length + 2) : err.message;
      results.set(url, BROKEN.has(err.code) ? { error: `${err.code}: ${message}` } : {});
    }
  };
  await Promise.all(
    [...links].map(([url, source]) => {
      const host = new URL(url).host;
      let hq = hostQueues.get(host);
      if (!hq) hostQueues.set(host, (hq = new PQueue({ concurrency: source.concurrency_per_host })));
      return hq.add(() =>
        global.add(async () => {
          await check(url, source);
          deps.onChecked?.(++done, links.size);
        }),
      );
    }),
  );
  // Insertion order follows completion; sort so the result does not depend on timing.
  return new Map([...results].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
