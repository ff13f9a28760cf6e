/**
 * What one crawled URL comes to, as plain data: its outcome, the page record to put (from the
 * transitions in records.ts), the change it makes and the failure it is. Each function here
 * decides one step of a page (before fetching, the answer, the body, the text, a new version) and
 * returns undefined when the page goes on to the next step. Pure: no store, no network, no clock.
 */
import type { PageRecord, VersionRecord } from '../../store/records.js';
import { diffPair, diffTexts } from '../diff/index.js';
import type { Change, Extracted, Fetched, PageFailure } from '../types.js';
import { type PageSeed, recordDuplicate, recordFailure, recordGone, recordSameContent, recordVersion, retryNotBefore } from './records.js';
import type { CrawlEvent, PageOutcome } from './types.js';

export interface PageResult {
  outcome: PageOutcome;
  /** The page's next record, put whole. */
  page?: PageRecord;
  change?: Change;
  /** With outcome `failed`: what failed, reported as the URL's event. */
  failure?: { stage: PageFailure['stage']; code: string; message: string };
  /** What the URL's event says besides its outcome (status, via, code, message). */
  event?: Partial<CrawlEvent>;
}

export function skipped(code: string, message: string): PageResult {
  return { outcome: 'skipped', event: { code, message } };
}

/** A page that failed too often in a row waits (see `retryNotBefore`): skipped until then. */
export function backoffOf(known: PageRecord | undefined, url: string, now: string): PageResult | undefined {
  const notBefore = known ? retryNotBefore(known) : undefined;
  if (known === undefined || notBefore === undefined || now >= notBefore) return undefined;
  return skipped(
    'retry-backoff',
    `${url}: failed ${known.consecutiveFailures} times in a row (last: ${known.lastFailure!.code}); next try after ${notBefore}`,
  );
}

/** A failed URL: stored with its failure (known or not) and retried on a later run. Never marks a page removed: only 404/410 do. */
export function failedWith(
  known: PageRecord | undefined,
  seed: PageSeed,
  failure: { code: string; message: string; status?: number },
  now: string,
  stage: PageFailure['stage'] = 'fetch',
): PageResult {
  return {
    outcome: 'failed',
    page: recordFailure(known, seed, failure, now),
    failure: { stage, code: failure.code, message: failure.message },
  };
}

/**
 * The answer's status, before its body: a 404/410 counts towards removal (`removed` when it
 * reaches `goneAfterFailures`, `gone` while it stays so, else a failure); another 4xx/5xx, or a 304
 * for a page with no stored version, is a failure. Undefined: a 2xx or a 304 to go on with.
 */
export function answerOf(
  known: PageRecord | undefined,
  seed: PageSeed,
  fetched: Pick<Fetched, 'status' | 'isNotModified'>,
  goneAfterFailures: number,
  now: string,
): PageResult | undefined {
  const { url, sourceId } = seed;
  const status = fetched.status;
  if (status === 404 || status === 410) {
    const { page, isNewlyRemoved } = recordGone(known, seed, status, goneAfterFailures, now);
    const last = page.versions[page.versions.length - 1];
    if (isNewlyRemoved && last) {
      const change = diffPair({ url, sourceId, oldText: '', oldHash: last.contentHash });
      return { outcome: 'removed', page, change, event: { status } };
    }
    // Removed before (or never stored and gone N times) and still gone: the expected state, not a
    // failure (checked each crawl so that a page that comes back is seen).
    if (page.removedAt) return { outcome: 'gone', page, event: { status } };
    return { outcome: 'failed', page, failure: { stage: 'fetch', code: `http-${status}`, message: `${url}: HTTP ${status}` } };
  }
  if (status >= 400 || (fetched.isNotModified && !known?.versions.length)) {
    return failedWith(known, seed, { code: `http-${status}`, message: `${url}: HTTP ${status}`, status }, now);
  }
  return undefined;
}

/**
 * The body of a 2xx/304 (`page`: after `recordFetched`), before it is read: a 304, or the same raw
 * body as stored (as a duplicate, or the same content by the same means), needs no extraction; a
 * type eti does not read is a failure. Undefined: a body to extract.
 */
export function bodyOf(
  known: PageRecord | undefined,
  seed: PageSeed,
  page: PageRecord,
  fetched: Pick<Fetched, 'status' | 'isNotModified' | 'via' | 'headers' | 'raw' | 'contentType'>,
  rawHash: string,
  now: string,
): PageResult | undefined {
  const current = page.versions[page.versions.length - 1];
  if (fetched.isNotModified) return { outcome: 'not-modified', page, event: { status: 304, via: fetched.via } };
  if (page.duplicateOf && page.rawHash === rawHash) {
    const next = recordDuplicate(page, fetched, rawHash, page.duplicateOf);
    return { outcome: 'duplicate', page: next, event: { status: fetched.status, message: `same as ${page.duplicateOf.url}` } };
  }
  if (current && page.rawHash === rawHash && current.via === fetched.via) {
    return {
      outcome: 'unchanged',
      page: recordSameContent(page, fetched, rawHash, now),
      event: { status: fetched.status, via: fetched.via },
    };
  }
  if (!fetched.raw && !/html|xml/.test(fetched.contentType)) {
    const message = `${seed.url}: ${fetched.contentType || 'unknown content type'} is not a type eti extracts (HTML or PDF)`;
    return failedWith(known, seed, { code: 'unsupported-content-type', message, status: fetched.status }, now, 'extract');
  }
  return undefined;
}

/**
 * The text read from the body: another page's (`duplicateOf`, see `Frontier.duplicateOf`), or the
 * stored text again, when at most the page's own date stamps changed (`date-only`, kept as
 * metadata). Undefined: new text, a version to store.
 */
export function textOf(
  page: PageRecord,
  fetched: Pick<Fetched, 'status' | 'via' | 'headers'>,
  rawHash: string,
  extracted: Pick<Extracted, 'contentHash' | 'text' | 'dates' | 'dateStamps'>,
  duplicateOf: PageRecord['duplicateOf'],
  now: string,
): PageResult | undefined {
  if (duplicateOf) {
    const next = recordDuplicate(page, fetched, rawHash, duplicateOf);
    return { outcome: 'duplicate', page: next, event: { status: fetched.status, message: `same as ${duplicateOf.url}` } };
  }
  const current = page.versions[page.versions.length - 1];
  if (!current || current.contentHash !== extracted.contentHash) return undefined;
  const isDateOnly = JSON.stringify(current.dateStamps) !== JSON.stringify(extracted.dateStamps);
  const next = recordSameContent(page, fetched, rawHash, now, extracted);
  const event = { status: fetched.status, via: fetched.via };
  if (!isDateOnly) return { outcome: 'unchanged', page: next, event };
  const hash = current.contentHash;
  const change = diffPair({
    url: page.url,
    sourceId: page.sourceId,
    oldText: extracted.text,
    newText: extracted.text,
    oldHash: hash,
    newHash: hash,
    isDateOnly: true,
  });
  return { outcome: 'date-only', page: next, change, event };
}

/** The version record of new text, its blobs' hashes given; `noiseOf`: the content it repeats but for noise. */
export function versionOf(
  extracted: Extracted,
  via: Fetched['via'],
  hashes: { markdownHash: string; rawHash: string },
  now: string,
  noiseOf?: string,
): VersionRecord {
  return {
    contentHash: extracted.contentHash,
    markdownHash: hashes.markdownHash,
    rawHash: hashes.rawHash,
    title: extracted.title,
    lang: extracted.lang,
    ...(extracted.description ? { description: extracted.description } : {}),
    ...(extracted.publisher ? { publisher: extracted.publisher } : {}),
    ...(extracted.canonicalUrl ? { canonicalUrl: extracted.canonicalUrl } : {}),
    dates: extracted.dates,
    dateStamps: extracted.dateStamps,
    method: extracted.method,
    via,
    ...(extracted.ignoredLines ? { ignoredLines: extracted.ignoredLines } : {}),
    firstSeenAt: now,
    lastSeenAt: now,
    ...(noiseOf === undefined ? {} : { noiseOf }),
  };
}

/**
 * New text stored (`page`: after `recordFetched`, `version`: see `versionOf`): `new` without an
 * earlier version, `noise` when it differs from it only by noise, else `changed`; with the diff
 * against the earlier text (`oldText`, '' when its blob is gone), the one diff of this pair.
 */
export function versionResult(
  page: PageRecord,
  fetched: Pick<Fetched, 'status' | 'via' | 'headers'>,
  version: VersionRecord,
  texts: { newText: string; oldText?: string | undefined },
  now: string,
): PageResult {
  const current = page.versions[page.versions.length - 1];
  const isNoise = version.noiseOf !== undefined;
  // An earlier text missing from the store is compared as empty: not the pair its hash names, so not shared.
  const diff = current && texts.oldText === undefined ? diffTexts : diffPair;
  const change = diff({
    url: page.url,
    sourceId: page.sourceId,
    newText: texts.newText,
    newHash: version.contentHash,
    ...(current ? { oldText: texts.oldText ?? '', oldHash: current.contentHash } : {}),
  });
  return {
    outcome: isNoise ? 'noise' : current ? 'changed' : 'new',
    page: recordVersion(page, fetched, version, now),
    change: isNoise ? { ...change, isNoise: true } : change,
    event: { status: fetched.status, via: fetched.via },
  };
}
