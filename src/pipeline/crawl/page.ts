/**
 * One URL of a crawl, step by step: the checks before fetching (back-off, robots.txt, resume), the
 * fetch by the source's render mode, the answer and the body, the text (with the browser fallback),
 * duplicates, and a new version with its blobs. Each step's decision is a pure function of
 * outcomes.ts; this file does the I/O between them, and `settle` applies the result in one place:
 * the page's whole next record put into the store, its change and failure kept, one event.
 */
import type { ResolvedSource } from '../../config/schema.js';
import { messageOf } from '../../errors.js';
import { sha256 } from '../../hash.js';
import type { PageRecord } from '../../store/records.js';
import { isNoiseOnly } from '../diff/index.js';
import { comparable, extractInline } from '../extract/index.js';
import { FetchError, type Politeness } from '../fetch/index.js';
import type { Extracted, Fetched } from '../types.js';
import type { FetchModes, Gate } from './fetch-mode.js';
import { type Frontier, isDoneBefore } from './frontier.js';
import { answerOf, backoffOf, bodyOf, failedWith, type PageResult, skipped, textOf, versionOf, versionResult } from './outcomes.js';
import { type PageSeed, recordFetched } from './records.js';
import type { Tally } from './tally.js';
import type { CrawlDeps } from './types.js';

/** What every page of a crawl shares. */
export interface PageContext {
  deps: CrawlDeps;
  politeness: Politeness;
  modes: FetchModes;
  tally: Tally;
}

/** One URL to crawl, with its source's frontier, learned chrome and the way to queue the links it finds. */
export interface PageTask {
  source: ResolvedSource;
  url: string;
  depth: number;
  frontier: Frontier;
  chrome: ReadonlySet<string>;
  enqueue: (url: string, depth: number, isSeed: boolean) => void;
}

/** A page fetched with a 2xx answer, between the steps that read and store it. */
interface Answered {
  known: PageRecord | undefined;
  seed: PageSeed;
  /** The record after `recordFetched`. */
  page: PageRecord;
  /** The answer, or the browser's rendering of it when that reads better (see `FetchModes.read`). */
  fetched: Fetched;
  /** The body as the server sent it, and its hash (never the browser's rendering). */
  rawBody: string | Uint8Array;
  rawHash: string;
  gate: Gate;
  now: string;
}

/** Crawl one URL. Per-page problems become failures in the result; nothing here throws for a page. */
export async function crawlPage(ctx: PageContext, task: PageTask): Promise<void> {
  settle(ctx, task, await pageResult(ctx, task));
}

function settle(ctx: PageContext, task: PageTask, r: PageResult): void {
  const { source, url } = task;
  if (r.page) ctx.deps.store.putPage(r.page);
  if (r.change) ctx.tally.change(r.change);
  if (r.failure) ctx.tally.fail(source.id, url, r.failure.stage, r.failure.code, r.failure.message);
  else ctx.tally.report(source.id, url, r.outcome, r.event);
}

async function pageResult(ctx: PageContext, task: PageTask): Promise<PageResult> {
  const { source, url, depth } = task;
  const now = ctx.deps.clock().toISOString();
  const seed: PageSeed = { url, sourceId: source.id, depth };
  // The stored record is never changed in place: every outcome puts a new record in one step
  // (records.ts), so a periodic flush cannot save half of a page's update.
  const known = await ctx.deps.store.page(source.id, url);
  const waiting = backoffOf(known, url, now);
  if (waiting) return waiting;
  const rules = await ctx.politeness.rulesFor(source, url);
  // RFC 9309 §2.3.1.3–4: robots.txt unreachable or 5xx means the host is failing, not that it said no.
  if (rules?.failure) return failedWith(known, seed, { code: rules.failure.code, message: `${url}: ${rules.failure.message}` }, now);
  // Honouring robots.txt is by design, not a failure: reported, never fetched.
  if (rules && !rules.isAllowed(url, ctx.deps.userAgent)) return skipped('robots-disallowed', `${url}: disallowed by robots.txt`);
  if (await resumed(ctx, task, known)) return { outcome: 'resumed' };
  const gate = ctx.modes.gateFor(source, rules);
  let fetched: Fetched;
  try {
    fetched = await ctx.modes.fetch(source, url, known, gate);
  } catch (err) {
    return failedWith(known, seed, { code: err instanceof FetchError ? err.code : 'network', message: messageOf(err) }, now);
  }
  const answer = answerOf(known, seed, fetched, source.gone_after_failures, now);
  if (answer) return answer;
  const page = recordFetched(known, seed, fetched, now);
  const rawBody = fetched.raw ?? fetched.body;
  const rawHash = fetched.isNotModified ? '' : sha256(rawBody); // a 304 has no body
  const answered: Answered = { known, seed, page, fetched, rawBody, rawHash, gate, now };
  return bodyOf(known, seed, page, fetched, rawHash, now) ?? (await contentResult(ctx, task, answered));
}

/**
 * A page an interrupted crawl already did (see `isDoneBefore`): its links come from the stored
 * HTML. When that is not stored (a body whose text did not change is not kept) and links are
 * wanted, the page is fetched again instead, so discovery stays complete.
 */
async function resumed(ctx: PageContext, task: PageTask, known: PageRecord | undefined): Promise<boolean> {
  if (!isDoneBefore(known, ctx.deps.resumeAfter)) return false;
  const needsLinks = task.depth < task.source.max_depth;
  const raw = needsLinks && known.rawHash ? await ctx.deps.store.blobs.get(known.rawHash) : undefined;
  if (needsLinks && raw === undefined) return false;
  if (raw !== undefined) {
    const r = await (ctx.deps.extract ?? extractInline)(raw, { url: known.finalUrl });
    if (r.ok) for (const link of r.page.links) task.enqueue(link, task.depth + 1, false);
  }
  return true;
}

/** The body read (browser fallback included), its links queued, and its text: a duplicate, the same, or a new version. */
async function contentResult(ctx: PageContext, task: PageTask, a: Answered): Promise<PageResult> {
  const { source, url, depth, frontier } = task;
  const reading = await ctx.modes.read(source, a.fetched, a.gate, task.chrome);
  const { first, extracted, fetched } = reading;
  if (reading.browserError !== undefined) {
    const err = reading.browserError;
    if (!extracted)
      return failedWith(a.known, a.seed, { code: err instanceof FetchError ? err.code : 'browser-failed', message: messageOf(err) }, a.now);
    ctx.tally.failure({ url, sourceId: source.id, stage: 'fetch', code: 'browser-failed', message: messageOf(err) });
  }
  if (!extracted) {
    const failure = {
      code: first.ok ? 'no-content' : first.code,
      message: `${url}: ${first.ok ? 'no readable content' : first.reason}`,
      status: fetched.status,
    };
    return failedWith(a.known, a.seed, failure, a.now, 'extract');
  }
  for (const link of frontier.linksToFollow(extracted.links, depth)) task.enqueue(link, depth + 1, false);
  // Duplicates: a canonical URL elsewhere, or the same text as a page stored first.
  const duplicateOf = frontier.duplicateOf({
    url,
    finalUrl: fetched.finalUrl,
    canonicalUrl: extracted.canonicalUrl,
    contentHash: extracted.contentHash,
    hasVersion: a.page.versions.length > 0,
  });
  if (duplicateOf?.reason === 'canonical') task.enqueue(duplicateOf.url, depth, false);
  if (!duplicateOf) frontier.claim(extracted.contentHash, url);
  return textOf(a.page, fetched, a.rawHash, extracted, duplicateOf, a.now) ?? (await storeVersion(ctx, task, { ...a, fetched }, extracted));
}

/**
 * New text: its blobs written first, then the record that refers to them (with its validators) in
 * one put. A text that differs from the stored one only by noise (a counter, a moved block, the
 * source's ignore rules, lines learned as chrome since the old text was stored) is kept, standing
 * in for the content it repeats, and nothing goes to review.
 */
async function storeVersion(ctx: PageContext, task: PageTask, a: Answered, extracted: Extracted): Promise<PageResult> {
  const { page, fetched, rawHash, now } = a;
  const blobs = ctx.deps.store.blobs;
  const [, markdownHash] = await Promise.all([blobs.put(extracted.text), blobs.put(extracted.markdown), blobs.put(a.rawBody)]);
  const current = page.versions[page.versions.length - 1];
  const oldText = current ? await blobs.get(current.contentHash) : undefined;
  const chrome = task.chrome;
  const isNoise =
    current !== undefined &&
    oldText !== undefined &&
    isNoiseOnly(comparable(oldText, current.ignoredLines, chrome), comparable(extracted.text, extracted.ignoredLines, chrome), {
      patterns: task.source.ignoreRe,
    });
  const noiseOf = isNoise ? (current.noiseOf ?? current.contentHash) : undefined;
  const version = versionOf(extracted, fetched.via, { markdownHash, rawHash }, now, noiseOf);
  return versionResult(page, fetched, version, { newText: extracted.text, oldText }, now);
}
