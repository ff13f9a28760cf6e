import PQueue from 'p-queue';
import type { ResolvedSource } from '../config/schema.js';
import type { LinkCheck } from './audit.js';
import { FetchError, type FetchErrorCode } from './fetch/errors.js';
import { fetchHttp } from './fetch/http.js';
import { Politeness } from './fetch/politeness.js';

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
  const politeness = new Politeness({ userAgent: deps.userAgent, ...(deps.sleep ? { sleep: deps.sleep } : {}) });
  const global = new PQueue({ concurrency: deps.concurrency });
  const results = new Map<string, LinkCheck>();
  let done = 0;
  const check = async (url: string, source: ResolvedSource): Promise<void> => {
    const rules = await politeness.rulesFor(source, url);
    if (rules && !rules.isAllowed(url, deps.userAgent)) return;
    await politeness.gate(new URL(url).host, politeness.delayMsFor(source, rules));
    try {
      const fetched = await fetchHttp(url, politeness.httpOptionsFor(source));
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
    [...links].map(([url, source]) =>
      politeness.hostQueue(new URL(url).host, source.concurrency_per_host).add(() =>
        global.add(async () => {
          await check(url, source);
          deps.onChecked?.(++done, links.size);
        }),
      ),
    ),
  );
  // Insertion order follows completion; sort so the result does not depend on timing.
  return new Map([...results].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
