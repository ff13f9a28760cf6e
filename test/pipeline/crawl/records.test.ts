/**
 * The page-record transitions (crawl/records.ts) and what one URL comes to (crawl/outcomes.ts), as
 * plain data: each returns a new record and never changes the one it was given.
 */
import { describe, expect, it } from 'vitest';
import {
  recordDiscovered,
  recordDuplicate,
  recordFailure,
  recordFetched,
  recordGone,
  recordSameContent,
  recordVersion,
  retryNotBefore,
} from '../../../src/pipeline/crawl/records.js';
import { sha256 } from '../../../src/hash.js';
import { answerOf, backoffOf, bodyOf, failedWith, textOf, versionOf, versionResult } from '../../../src/pipeline/crawl/outcomes.js';
import type { Extracted, Fetched } from '../../../src/pipeline/types.js';
import type { PageRecord } from '../../../src/store/records.js';
import { versionRecord } from '../../helpers/version-record.js';

const seed = { url: 'https://www.nav.no/a', sourceId: 'nav', depth: 1 };
const version = versionRecord;
const stored = (): PageRecord => ({
  ...recordDiscovered(seed, '2026-01-01T00:00:00Z'),
  etag: '"v1"',
  lastModified: 'Thu, 01 Jan 2026 00:00:00 GMT',
  rawHash: 'raw-v1',
  lastFetchedAt: '2026-01-01T00:00:00Z',
  versions: [version('v1', '2026-01-01T00:00:00Z')],
});
const ok = { status: 200, finalUrl: seed.url, redirects: [], contentType: 'text/html', isNotModified: false };
const NOW = '2026-02-01T00:00:00Z';

describe('page-record transitions', () => {
  it('recordVersion saves the new validators, raw hash and version together; the input is untouched', () => {
    const prev = stored();
    const before = structuredClone(prev);
    const fetched = recordFetched(prev, seed, ok, NOW);
    // Between fetch and version nothing about the new body is in the record: a flush here loses nothing.
    expect(fetched.etag).toBe('"v1"');
    expect(fetched.rawHash).toBe('raw-v1');
    const next = recordVersion(fetched, { headers: { etag: '"v2"' } }, version('v2', NOW), NOW);
    expect(next).toMatchObject({ etag: '"v2"', rawHash: 'raw-v2', lastChangedAt: NOW, lastFetchedAt: NOW });
    expect(next.lastModified).toBeUndefined(); // the new answer had none
    expect(next.versions.map((v) => v.contentHash)).toEqual(['v1', 'v2']);
    expect(prev).toEqual(before);
  });

  it('recordFailure keeps validators and versions (they still describe the stored content) and counts', () => {
    const prev = stored();
    const next = recordFailure(
      recordFailure(prev, seed, { code: 'timeout', message: 'x' }, NOW),
      seed,
      { code: 'http-503', message: 'y', status: 503 },
      NOW,
    );
    expect(next).toMatchObject({
      etag: '"v1"',
      rawHash: 'raw-v1',
      consecutiveFailures: 2,
      lastStatus: 503,
      lastFailure: { code: 'http-503', at: NOW },
    });
    expect(next.versions).toEqual(prev.versions);
    expect(prev.consecutiveFailures).toBe(0);
    // A URL never stored becomes a record of its own.
    expect(recordFailure(undefined, seed, { code: 'network', message: 'refused' }, NOW)).toMatchObject({
      url: seed.url,
      versions: [],
      consecutiveFailures: 1,
    });
  });

  it('recordGone counts only consecutive 404/410 answers and marks the page removed at the limit', () => {
    const afterTimeout = recordFailure(stored(), seed, { code: 'timeout', message: 'x' }, NOW);
    const first = recordGone(afterTimeout, seed, 404, 2, NOW);
    expect(first.page.consecutiveFailures).toBe(1); // the timeout before does not count
    expect(first.isNewlyRemoved).toBe(false);
    const second = recordGone(first.page, seed, 410, 2, NOW);
    expect(second).toMatchObject({ isNewlyRemoved: true, page: { removedAt: NOW, consecutiveFailures: 2 } });
    expect(recordGone(second.page, seed, 404, 2, NOW).isNewlyRemoved).toBe(false);
    // Back: failures cleared, removal undone.
    const back = recordFetched(second.page, seed, ok, NOW);
    expect(back.removedAt).toBeUndefined();
    expect(back.lastFailure).toBeUndefined();
    expect(back.consecutiveFailures).toBe(0);
  });

  it('a 304 confirms the current version; same content and duplicates take the new validators', () => {
    const nm = recordFetched(stored(), seed, { ...ok, status: 304, isNotModified: true }, NOW);
    expect(nm.versions[0]!.lastSeenAt).toBe(NOW);
    const same = recordSameContent(recordFetched(stored(), seed, ok, NOW), { headers: { etag: '"v1b"' } }, 'raw-v1b', NOW, {
      dates: { modified: '2026-01-31' },
      dateStamps: ['31.01.2026'],
    });
    expect(same).toMatchObject({ etag: '"v1b"', rawHash: 'raw-v1b' });
    expect(same.versions).toHaveLength(1);
    expect(same.versions[0]).toMatchObject({ lastSeenAt: NOW, dates: { modified: '2026-01-31' }, dateStamps: ['31.01.2026'] });
    const dup = recordDuplicate(recordFetched(undefined, seed, ok, NOW), { headers: {} }, 'raw-d', {
      url: 'https://www.nav.no/b',
      reason: 'canonical',
    });
    expect(dup).toMatchObject({ rawHash: 'raw-d', duplicateOf: { url: 'https://www.nav.no/b' }, versions: [] });
  });

  it('retryNotBefore: no wait for two failures or for gone answers, then 6 h, 12 h … at most 7 days', () => {
    let page = stored();
    const at = (n: number): string | undefined => {
      page = { ...page, consecutiveFailures: n, lastFailure: { code: 'network', message: 'x', at: NOW } };
      return retryNotBefore(page);
    };
    expect(at(2)).toBeUndefined();
    expect(at(3)).toBe('2026-02-01T06:00:00.000Z');
    expect(at(4)).toBe('2026-02-01T12:00:00.000Z');
    expect(at(20)).toBe('2026-02-08T00:00:00.000Z');
    expect(retryNotBefore({ ...page, consecutiveFailures: 9, lastFailure: { code: 'http-404', message: 'x', at: NOW } })).toBeUndefined();
  });
});

// What one URL comes to (crawl/outcomes.ts), as plain data: no server, no store.
const answer = (over: Partial<Fetched> = {}): Fetched => ({
  url: seed.url,
  finalUrl: seed.url,
  redirects: [],
  status: 200,
  headers: { etag: '"v2"' },
  contentType: 'text/html',
  body: '<p>x</p>',
  bytes: 8,
  fetchedAt: NOW,
  via: 'http',
  isNotModified: false,
  ...over,
});
const text = (body: string, over: Partial<Extracted> = {}): Extracted => ({
  url: seed.url,
  title: 'A',
  lang: 'nb',
  text: body,
  markdown: `# A\n\n${body}`,
  dates: {},
  dateStamps: [],
  contentHash: sha256(body),
  method: 'readability',
  links: [],
  ...over,
});

describe('page outcomes', () => {
  it('backoffOf skips a URL that failed three times in a row until its wait is over, naming the URL and the time', () => {
    const failing = { ...stored(), consecutiveFailures: 3, lastFailure: { code: 'network', message: 'x', at: NOW } };
    expect(backoffOf(undefined, seed.url, NOW)).toBeUndefined();
    expect(backoffOf({ ...failing, consecutiveFailures: 2 }, seed.url, NOW)).toBeUndefined();
    expect(backoffOf(failing, seed.url, '2026-02-01T05:59:59.000Z')).toEqual({
      outcome: 'skipped',
      event: {
        code: 'retry-backoff',
        message: `${seed.url}: failed 3 times in a row (last: network); next try after 2026-02-01T06:00:00.000Z`,
      },
    });
    expect(backoffOf(failing, seed.url, '2026-02-01T06:00:00.000Z')).toBeUndefined();
  });

  it('answerOf: a 404 is a failure until the gone limit, then removed (with its change), then gone', () => {
    const first = answerOf(stored(), seed, answer({ status: 404 }), 2, NOW)!;
    expect(first).toMatchObject({ outcome: 'failed', failure: { stage: 'fetch', code: 'http-404', message: `${seed.url}: HTTP 404` } });
    expect(first.page).toMatchObject({ consecutiveFailures: 1, lastStatus: 404 });
    expect(first.change).toBeUndefined();
    const second = answerOf(first.page, seed, answer({ status: 410 }), 2, NOW)!;
    expect(second).toMatchObject({ outcome: 'removed', event: { status: 410 }, page: { removedAt: NOW } });
    expect(second.change).toMatchObject({ url: seed.url, sourceId: 'nav', kind: 'removed', fromHash: 'v1', hunks: [] });
    expect(second.failure).toBeUndefined();
    const third = answerOf(second.page, seed, answer({ status: 404 }), 2, NOW)!;
    expect(third).toMatchObject({ outcome: 'gone', event: { status: 404 }, page: { removedAt: NOW, consecutiveFailures: 3 } });
    expect(third.change).toBeUndefined();
  });

  it('answerOf: another error, or a 304 for a page with no version, is a failure kept with its status; a 2xx goes on', () => {
    const down = answerOf(stored(), seed, answer({ status: 503 }), 2, NOW)!;
    expect(down).toMatchObject({ outcome: 'failed', failure: { code: 'http-503' }, page: { lastStatus: 503, consecutiveFailures: 1 } });
    expect(down.page!.versions).toHaveLength(1);
    const nm = answer({ status: 304, isNotModified: true });
    expect(answerOf(undefined, seed, nm, 2, NOW)).toMatchObject({ outcome: 'failed', failure: { code: 'http-304' } });
    expect(answerOf(stored(), seed, nm, 2, NOW)).toBeUndefined();
    expect(answerOf(stored(), seed, answer(), 2, NOW)).toBeUndefined();
  });

  it('bodyOf: a 304, the same bytes as a duplicate or as the stored version need no extraction; a type eti cannot read fails', () => {
    const prev = stored();
    const nm = answer({ status: 304, isNotModified: true, via: 'http' });
    expect(bodyOf(prev, seed, recordFetched(prev, seed, nm, NOW), nm, '', NOW)).toMatchObject({
      outcome: 'not-modified',
      event: { status: 304, via: 'http' },
      page: { versions: [{ lastSeenAt: NOW }] },
    });
    const page = recordFetched(prev, seed, answer(), NOW);
    const same = bodyOf(prev, seed, page, answer(), 'raw-v1', NOW)!;
    expect(same).toMatchObject({ outcome: 'unchanged', event: { status: 200, via: 'http' }, page: { etag: '"v2"', rawHash: 'raw-v1' } });
    // The same bytes through another fetcher are read again (the browser may see other text).
    expect(bodyOf(prev, seed, page, answer({ via: 'browser' }), 'raw-v1', NOW)).toBeUndefined();
    expect(bodyOf(prev, seed, page, answer(), 'raw-v2', NOW)).toBeUndefined();
    const dupPage = { ...page, rawHash: 'raw-d', duplicateOf: { url: 'https://www.nav.no/b', reason: 'canonical' as const } };
    expect(bodyOf(prev, seed, dupPage, answer(), 'raw-d', NOW)).toMatchObject({
      outcome: 'duplicate',
      event: { status: 200, message: 'same as https://www.nav.no/b' },
    });
    const json = bodyOf(prev, seed, page, answer({ contentType: 'application/json' }), 'raw-j', NOW)!;
    expect(json).toMatchObject({ outcome: 'failed', failure: { stage: 'extract', code: 'unsupported-content-type' } });
    expect(json.failure!.message).toBe(`${seed.url}: application/json is not a type eti extracts (HTML or PDF)`);
    expect(json.page).toMatchObject({ lastStatus: 200, etag: '"v1"', lastFailure: { code: 'unsupported-content-type' } });
    const pdf = answer({ contentType: 'application/pdf', body: '', raw: new Uint8Array([37, 80]) });
    expect(bodyOf(prev, seed, page, pdf, 'raw-p', NOW)).toBeUndefined();
  });

  it('textOf: a duplicate, the same text (date stamps changed: date-only, with an unchanged change), or new text to store', () => {
    const prev = { ...stored(), versions: [{ ...version(sha256('Hei'), '2026-01-01T00:00:00Z'), dateStamps: ['01.01.2026'] }] };
    const page = recordFetched(prev, seed, answer(), NOW);
    const dup = textOf(page, answer(), 'raw-x', text('Hei'), { url: 'https://www.nav.no/b', reason: 'same-content' }, NOW)!;
    expect(dup).toMatchObject({ outcome: 'duplicate', page: { duplicateOf: { url: 'https://www.nav.no/b' }, rawHash: 'raw-x' } });
    const same = textOf(page, answer(), 'raw-x', text('Hei', { dateStamps: ['01.01.2026'] }), undefined, NOW)!;
    expect(same).toMatchObject({ outcome: 'unchanged', event: { status: 200, via: 'http' } });
    expect(same.change).toBeUndefined();
    const dated = textOf(
      page,
      answer(),
      'raw-x',
      text('Hei', { dateStamps: ['02.02.2026'], dates: { modified: '2026-02-02' } }),
      undefined,
      NOW,
    )!;
    expect(dated.outcome).toBe('date-only');
    expect(dated.change).toMatchObject({ kind: 'unchanged', isDateOnly: true, fromHash: sha256('Hei'), toHash: sha256('Hei') });
    expect(dated.page!.versions[0]).toMatchObject({ dateStamps: ['02.02.2026'], dates: { modified: '2026-02-02' }, lastSeenAt: NOW });
    expect(textOf(page, answer(), 'raw-x', text('Hei på deg'), undefined, NOW)).toBeUndefined();
  });

  it('versionResult: new, changed (with the diff against the stored text) or noise; the version holds noiseOf only for noise', () => {
    const fresh = recordFetched(undefined, seed, answer(), NOW);
    const v = (body: string, noiseOf?: string) => versionOf(text(body), 'http', { markdownHash: 'md', rawHash: 'raw' }, NOW, noiseOf);
    expect('noiseOf' in v('a')).toBe(false);
    expect(v('a', 'h0').noiseOf).toBe('h0');
    const created = versionResult(fresh, answer(), v('Søknadsfrist 1. mars.'), { newText: 'Søknadsfrist 1. mars.' }, NOW);
    expect(created).toMatchObject({ outcome: 'new', change: { kind: 'new', toHash: sha256('Søknadsfrist 1. mars.') } });
    expect(created.change!.fromHash).toBeUndefined();
    expect(created.page).toMatchObject({ etag: '"v2"', rawHash: 'raw', lastChangedAt: NOW });

    const prev = recordFetched({ ...stored(), versions: [version(sha256('Frist 1. mars.'), NOW)] }, seed, answer(), NOW);
    const changed = versionResult(prev, answer(), v('Frist 1. april.'), { newText: 'Frist 1. april.', oldText: 'Frist 1. mars.' }, NOW);
    expect(changed.outcome).toBe('changed');
    expect(changed.change!.hunks.filter((h) => h.op !== 'eq')).toEqual([
      { op: 'del', text: 'mars.' },
      { op: 'add', text: 'april.' },
    ]);
    expect(changed.page!.versions.map((x) => x.contentHash)).toEqual([sha256('Frist 1. mars.'), sha256('Frist 1. april.')]);
    const noise = versionResult(prev, answer(), v('Frist 1. mars. 12 visninger', 'h0'), { newText: 'x', oldText: 'y' }, NOW);
    expect(noise).toMatchObject({ outcome: 'noise', change: { isNoise: true } });
    // The stored text's blob is gone: compared as empty, as before the split.
    const lost = versionResult(prev, answer(), v('Frist 1. april.'), { newText: 'Frist 1. april.' }, NOW);
    expect(lost.change).toMatchObject({ kind: 'changed', stats: { added: 3, removed: 0 } });
  });

  it('failedWith stores the failure on the record (stage fetch unless told) and never marks the page removed', () => {
    const r = failedWith(stored(), seed, { code: 'no-content', message: 'm', status: 200 }, NOW, 'extract');
    expect(r).toMatchObject({ outcome: 'failed', failure: { stage: 'extract', code: 'no-content', message: 'm' } });
    expect(r.page).toMatchObject({ consecutiveFailures: 1, lastStatus: 200, lastFailure: { code: 'no-content', at: NOW } });
    expect(r.page!.removedAt).toBeUndefined();
    expect(failedWith(undefined, seed, { code: 'network', message: 'm' }, NOW).failure!.stage).toBe('fetch');
  });
});
