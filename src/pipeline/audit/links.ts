import PQueue from 'p-queue';
import type { ResolvedSource } from '../../config/schema.js';
import type { LinkCheckRecord, ShardData } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import { inScopeLinks, type LinkCheck } from './audit.js';
import { FetchError, type FetchErrorCode } from '../fetch/index.js';
import { fetchHttp } from '../fetch/index.js';
import { Politeness } from '../fetch/index.js';

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

/** Why a link was not checked: it says nothing about the link (robots.txt, a refused address or scheme). */
export type LinkSkip = 'robots-disallowed' | 'private-address' | 'unsupported-scheme';

/** The outcome of one link: a check (status or error), or why no request was made. */
export type LinkOutcome = LinkCheck | { skipped: LinkSkip };

export interface LinkCheckDeps {
  userAgent: string;
  /** Requests in flight across all hosts (sources.yaml `crawl.concurrency`). */
  concurrency: number;
  /** Waits between requests to one host; tests pass a fake. Default: setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Called after each check (for a progress line). */
  onChecked?: (done: number, total: number) => void;
  /** Called with each link's outcome as it is known, skipped links included (to store them as they come). */
  onResult?: (url: string, outcome: LinkOutcome) => void;
}

/**
 * GET each link (each with the source it was found in, for its politeness and address rules) and
 * record its final HTTP status or the fetch error. Polite like the crawl: robots.txt (when the source
 * respects it), `concurrency_per_host` and `delay_ms` per host (robots.txt Crawl-delay when longer),
 * at most `concurrency` in flight. Links robots.txt forbids, and private addresses a source does not
 * allow, are not checked (absent from the result; `onResult` gets them as `{ skipped }`). Links to
 * one host start in the order given. Never throws for a link.
 */
export async function checkLinks(links: ReadonlyMap<string, ResolvedSource>, deps: LinkCheckDeps): Promise<Map<string, LinkCheck>> {
  const politeness = new Politeness({ userAgent: deps.userAgent, ...(deps.sleep ? { sleep: deps.sleep } : {}) });
  const global = new PQueue({ concurrency: deps.concurrency });
  const results = new Map<string, LinkCheck>();
  let done = 0;
  const check = async (url: string, source: ResolvedSource): Promise<LinkOutcome> => {
    const rules = await politeness.rulesFor(source, url);
    if (rules && !rules.isAllowed(url, deps.userAgent)) return { skipped: 'robots-disallowed' };
    await politeness.gate(new URL(url).host, politeness.delayMsFor(source, rules));
    try {
      const fetched = await fetchHttp(url, politeness.httpOptionsFor(source));
      return { status: fetched.status };
    } catch (err) {
      // Never throws for a link: anything unexpected is that link's error, not the audit's.
      if (!(err instanceof FetchError)) return { error: `internal: ${err instanceof Error ? err.message : String(err)}` };
      if (err.code === 'private-address' || err.code === 'unsupported-scheme') return { skipped: err.code };
      const message = err.message.startsWith(`${err.url}: `) ? err.message.slice(err.url.length + 2) : err.message;
      return BROKEN.has(err.code) ? { error: `${err.code}: ${message}` } : {};
    }
  };
  await Promise.all(
    [...links].map(([url, source]) =>
      politeness.hostQueue(new URL(url).host, source.concurrency_per_host).add(() =>
        global.add(async () => {
          const outcome = await check(url, source);
          if (!('skipped' in outcome)) results.set(url, outcome);
          deps.onResult?.(url, outcome);
          deps.onChecked?.(++done, links.size);
        }),
      ),
    ),
  );
  // Insertion order follows completion; sort so the result does not depend on timing.
  return new Map([...results].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `eti audit --check-links` checks at most this many links a run unless `--max-links` says otherwise. */
export const DEFAULT_MAX_LINKS = 2000;

/**
 * Every in-scope link on the current content of `sources`' pages, each with the source whose rules
 * it is checked under (the first of `sources` that links to it), in source order and then by URL.
 * Removed pages' links are left out (their content is gone).
 */
export function linkTargets(
  sources: readonly ResolvedSource[],
  shards: ReadonlyMap<string, ShardData>,
  links: ReadonlyMap<string, readonly string[]>,
): Map<string, ResolvedSource> {
  const out = new Map<string, ResolvedSource>();
  for (const s of sources) {
    const own = new Set<string>();
    for (const page of Object.values(shards.get(s.id)?.pages ?? {})) {
      if (page.removedAt || page.versions.length === 0) continue;
      for (const link of inScopeLinks(s, page.url, links.get(page.url) ?? [])) own.add(link);
    }
    for (const link of [...own].sort()) if (!out.has(link)) out.set(link, s);
  }
  return out;
}

/**
 * The links a run checks when it may check `maxLinks`: first those never checked, then those checked
 * longest ago (by `stored`), ties in `targets`' order (source, then URL). So repeated capped runs
 * work through every link, oldest first, and the same store gives the same choice.
 */
export function linksDue(
  targets: ReadonlyMap<string, ResolvedSource>,
  stored: ReadonlyMap<string, Pick<LinkCheckRecord, 'checkedAt'>>,
  maxLinks: number,
): { due: Map<string, ResolvedSource>; left: number } {
  const order = [...targets.keys()].map((url, i) => ({ url, i, at: stored.get(url)?.checkedAt ?? '' }));
  order.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.i - b.i));
  const due = new Map(order.slice(0, maxLinks).map(({ url }) => [url, targets.get(url)!] as const));
  return { due, left: targets.size - due.size };
}

export interface RecordedLinkCheckDeps extends LinkCheckDeps {
  store: Store;
  clock: () => Date;
  /** Links checked at most (default `DEFAULT_MAX_LINKS`). */
  maxLinks?: number;
  /** The sources `targets` was made from: their stored links no longer linked are forgotten. Default: every source in `targets`. */
  sources?: readonly ResolvedSource[];
  /** Save the results at least this often while checking (ms). Default 5000. */
  saveEveryMs?: number;
}

/**
 * `checkLinks` on the links due (`linksDue`), each outcome stored as it comes (`Store.putLinkChecks`:
 * saved every few seconds and at the end, atomically), so a killed audit keeps what it checked and
 * the next run starts with the links not checked for longest. Stored links of `deps.sources` that
 * are no longer among `targets` are forgotten. Returns this run's checks (as `checkLinks`) and how
 * many targets were left for a later run, and every stored result as the file now holds it.
 */
export async function checkAndRecordLinks(
  targets: ReadonlyMap<string, ResolvedSource>,
  deps: RecordedLinkCheckDeps,
): Promise<{ checks: Map<string, LinkCheck>; unchecked: number; stored: Map<string, LinkCheckRecord> }> {
  const stored = await deps.store.linkChecks();
  const { due, left } = linksDue(targets, stored, deps.maxLinks ?? DEFAULT_MAX_LINKS);
  const saveEveryMs = deps.saveEveryMs ?? 5000;
  const pending = new Map<string, LinkCheckRecord>();
  const save = (forget?: (url: string, r: LinkCheckRecord) => boolean): Promise<Map<string, LinkCheckRecord>> => {
    const batch = new Map(pending);
    pending.clear();
    return deps.store.putLinkChecks(batch, forget);
  };
  let lastSave = Date.now();
  let saving: Promise<void> = Promise.resolve();
  let saveError: unknown;
  const checks = await checkLinks(due, {
    ...deps,
    onResult: (url, outcome) => {
      pending.set(url, { checkedAt: deps.clock().toISOString(), sourceId: due.get(url)!.id, ...outcome });
      deps.onResult?.(url, outcome);
      if (Date.now() - lastSave >= saveEveryMs) {
        lastSave = Date.now();
        // Held until the checks are done: a store that cannot be written fails the audit then.
        saving = saving
          .then(() => save())
          .then(
            () => undefined,
            (err: unknown) => void (saveError ??= err),
          );
      }
    },
  });
  await saving;
  if (saveError !== undefined) throw saveError;
  const ids = new Set((deps.sources ?? [...targets.values()]).map((s) => s.id));
  const all = await save((url, r) => ids.has(r.sourceId) && !targets.has(url));
  return { checks, unchecked: left, stored: all };
}
