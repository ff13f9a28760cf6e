/** The page-record transitions as plain data: each returns a new record and never changes the one it was given. */
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
} from '../../src/pipeline/crawl/records.js';
import type { PageRecord, VersionRecord } from '../../src/store/records.js';

const seed = { url: 'https://www.nav.no/a', sourceId: 'nav', depth: 1 };
const version = (hash: string, at: string): VersionRecord => ({
  contentHash: hash,
  markdownHash: `md-${hash}`,
  rawHash: `raw-${hash}`,
  title: 'A',
  lang: 'nb',
  dates: {},
  dateStamps: [],
  method: 'readability',
  via: 'http',
  firstSeenAt: at,
  lastSeenAt: at,
});
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
