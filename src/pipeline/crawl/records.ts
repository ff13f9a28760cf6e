/**
 * Pure transitions of a page record: each takes the stored record (never changed) and returns a
 * new one. The crawl computes the whole next state of a page (new version, validators, times) and
 * puts it into the store in one step, after the blobs it refers to are written: a flush in between
 * sees the old record or the new one, never validators without the version they describe. That is
 * what makes a SIGKILL unable to lose an update (issue 15: a kill after a flush that had saved the
 * new ETag but not the new text left the page on its old text for good, every later crawl got 304).
 */
import type { PageRecord, VersionRecord } from '../../store/records.js';
import type { Fetched } from '../types.js';

/** Where a URL was found, for the record of a URL the store does not know yet. */
export interface PageSeed {
  url: string;
  sourceId: string;
  depth: number;
}

/** A copy deep enough that changing it never touches the stored record (versions included). */
function copyOf(prev: PageRecord | undefined, seed: PageSeed, now: string): PageRecord {
  if (prev) return structuredClone(prev);
  return {
    url: seed.url,
    sourceId: seed.sourceId,
    finalUrl: seed.url,
    redirects: [],
    depth: seed.depth,
    firstSeenAt: now,
    consecutiveFailures: 0,
    versions: [],
  };
}

/**
 * A URL found and queued, not fetched yet: stored at once so that the frontier survives a kill. A
 * page whose body is unchanged yields no links (it is not extracted again), so without this a URL
 * queued by a killed crawl and linked only from unchanged pages would never be fetched.
 */
export function recordDiscovered(seed: PageSeed, now: string): PageRecord {
  return copyOf(undefined, seed, now);
}

/** HTTP codes that say a page is gone; only consecutive answers of these count towards removal. */
export function isGoneCode(code: string | undefined): boolean {
  return /^http-(404|410)$/.test(code ?? '');
}

/**
 * A fetch or extraction that failed (network, timeout, 5xx, too large, no content…). The failure is
 * stored, a URL never stored before included, so the next run retries it and the audit sees it.
 * Validators and versions stay as they were: they still describe the stored content.
 */
export function recordFailure(
  prev: PageRecord | undefined,
  seed: PageSeed,
  failure: { code: string; message: string; status?: number },
  now: string,
): PageRecord {
  const next = copyOf(prev, seed, now);
  next.consecutiveFailures = (prev?.consecutiveFailures ?? 0) + 1;
  next.lastFetchedAt = now;
  if (failure.status !== undefined) next.lastStatus = failure.status;
  next.lastFailure = { code: failure.code, message: failure.message, at: now };
  return next;
}

/**
 * A 404 or 410. Only consecutive gone answers count (a 503 before them does not); the page is
 * marked removed when they reach `goneAfterFailures`. `isNewlyRemoved`: it was removed just now.
 */
export function recordGone(
  prev: PageRecord | undefined,
  seed: PageSeed,
  status: number,
  goneAfterFailures: number,
  now: string,
): { page: PageRecord; isNewlyRemoved: boolean } {
  const next = copyOf(prev, seed, now);
  next.consecutiveFailures = isGoneCode(prev?.lastFailure?.code) ? (prev?.consecutiveFailures ?? 0) + 1 : 1;
  next.lastFetchedAt = now;
  next.lastStatus = status;
  next.lastFailure = { code: `http-${status}`, message: `HTTP ${status}`, at: now };
  const isNewlyRemoved = !next.removedAt && next.consecutiveFailures >= goneAfterFailures;
  if (isNewlyRemoved) next.removedAt = now;
  return { page: next, isNewlyRemoved };
}

/**
 * A successful answer (2xx, or 304): the fetch times and status, failures cleared, a removed page
 * back. Validators are not touched here: only `recordVersion`, `recordSameContent` and
 * `recordDuplicate` set them, together with the content they describe.
 */
export function recordFetched(
  prev: PageRecord | undefined,
  seed: PageSeed,
  fetched: Pick<Fetched, 'status' | 'finalUrl' | 'redirects' | 'contentType' | 'isNotModified'>,
  now: string,
): PageRecord {
  const next = copyOf(prev, seed, now);
  next.lastFetchedAt = now;
  next.lastOkAt = now;
  next.lastStatus = fetched.status;
  next.consecutiveFailures = 0;
  delete next.lastFailure;
  delete next.removedAt;
  if (!fetched.isNotModified) {
    next.finalUrl = fetched.finalUrl;
    next.redirects = [...fetched.redirects];
    next.contentType = fetched.contentType;
  }
  // A 304 confirms the stored content; a 200 says nothing about it until its body is compared.
  const current = next.versions[next.versions.length - 1];
  if (current && fetched.isNotModified) current.lastSeenAt = now;
  return next;
}

/** ETag and Last-Modified of `fetched`, with the raw body's hash: saved only with the content they describe. */
function setValidators(page: PageRecord, fetched: Pick<Fetched, 'headers'>, rawHash: string): void {
  const etag = fetched.headers.etag;
  const lastModified = fetched.headers['last-modified'];
  if (etag) page.etag = etag;
  else delete page.etag;
  if (lastModified) page.lastModified = lastModified;
  else delete page.lastModified;
  page.rawHash = rawHash;
}

/** A page fetched (see `recordFetched`) whose body shows another page's content. */
export function recordDuplicate(
  fetchedPage: PageRecord,
  fetched: Pick<Fetched, 'headers'>,
  rawHash: string,
  duplicateOf: NonNullable<PageRecord['duplicateOf']>,
): PageRecord {
  const next = structuredClone(fetchedPage);
  setValidators(next, fetched, rawHash);
  next.duplicateOf = duplicateOf;
  return next;
}

/**
 * A page fetched (see `recordFetched`) whose content is the stored one: the same raw body, or the
 * same text (then the page's own date stamps may have changed; they are kept as metadata).
 */
export function recordSameContent(
  fetchedPage: PageRecord,
  fetched: Pick<Fetched, 'headers'>,
  rawHash: string,
  now: string,
  dates?: Pick<VersionRecord, 'dates' | 'dateStamps'>,
): PageRecord {
  const next = structuredClone(fetchedPage);
  setValidators(next, fetched, rawHash);
  delete next.duplicateOf;
  const current = next.versions[next.versions.length - 1];
  if (current) current.lastSeenAt = now;
  if (current && dates) {
    current.dates = dates.dates;
    current.dateStamps = dates.dateStamps;
  }
  return next;
}

/** A page fetched (see `recordFetched`) with new content: the version, its validators and raw hash, in one record. */
export function recordVersion(fetchedPage: PageRecord, fetched: Pick<Fetched, 'headers'>, version: VersionRecord, now: string): PageRecord {
  const next = structuredClone(fetchedPage);
  setValidators(next, fetched, version.rawHash);
  delete next.duplicateOf;
  next.versions.push(version);
  next.lastChangedAt = now;
  return next;
}

/** After this many consecutive transient failures a URL waits between runs (fetching it again within the run is the retry policy's job). */
const BACKOFF_FROM_FAILURES = 3;
const BACKOFF_BASE_MS = 6 * 3600_000;
const BACKOFF_MAX_MS = 7 * 24 * 3600_000;

/**
 * When a failing URL may be fetched again, across runs: right away for its first
 * `BACKOFF_FROM_FAILURES − 1` failures (a nightly crawl retries it the next night), then after
 * 6 h, 12 h, 24 h … at most 7 days since its last failure. Gone answers (404/410) never wait:
 * `gone_after_failures` counts consecutive crawls. Undefined: no wait.
 */
export function retryNotBefore(page: PageRecord): string | undefined {
  const f = page.lastFailure;
  if (!f || isGoneCode(f.code) || page.consecutiveFailures < BACKOFF_FROM_FAILURES) return undefined;
  const waitMs = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (page.consecutiveFailures - BACKOFF_FROM_FAILURES));
  return new Date(Date.parse(f.at) + waitMs).toISOString();
}
