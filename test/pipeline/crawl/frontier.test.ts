/** The crawl's frontier (scope, budget, depth, duplicates, resume) and its fetch-mode choices, as plain data. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { conditionalFor, isThin } from '../../../src/pipeline/crawl/fetch-mode.js';
import { Frontier, isDoneBefore } from '../../../src/pipeline/crawl/frontier.js';
import { recordDiscovered } from '../../../src/pipeline/crawl/records.js';
import type { Extracted } from '../../../src/pipeline/types.js';
import type { PageRecord, VersionRecord } from '../../../src/store/records.js';
import { versionRecord } from '../../helpers/version-record.js';

const NOW = '2026-02-01T00:00:00Z';

function source(extra = '') {
  return parseConfig(
    `version: 1
contact: test@example.org
sources:
  - id: nav
    name: NAV
    owner: NAV
    start_urls: ['https://www.nav.no/familie/']
    include: ['^https://www\\.nav\\.no/familie/']
    exclude: ['/familie/arkiv/']
    max_depth: 2
    max_pages: 4
${extra}`,
    'sources.yaml',
  ).sources[0]!;
}

const version = (hash: string): VersionRecord => versionRecord(hash, NOW);
const page = (url: string, over: Partial<PageRecord> = {}): PageRecord => ({
  ...recordDiscovered({ url, sourceId: 'nav', depth: 1 }, NOW),
  ...over,
});

describe('Frontier', () => {
  it('admits each URL once, normalised; include binds followed links only, exclude every URL; the page budget ends it', () => {
    const f = new Frontier(source(), []);
    expect(f.admit('https://www.nav.no/familie/a#top', false)).toBe('https://www.nav.no/familie/a');
    expect(f.admit('https://www.nav.no/familie/a', false)).toBeUndefined(); // seen
    expect(f.admit('https://www.nav.no/annet/', false)).toBeUndefined(); // not included
    expect(f.admit('https://www.nav.no/annet/', true)).toBe('https://www.nav.no/annet/'); // a seed
    expect(f.admit('https://www.nav.no/familie/arkiv/1', true)).toBeUndefined(); // excluded, even as a seed
    expect(f.admit('https://example.org/familie/', true)).toBeUndefined(); // another host
    expect(f.admit('not a url', true)).toBeUndefined();
    expect(f.admit('https://www.nav.no/familie/b', false)).toBe('https://www.nav.no/familie/b');
    expect(f.admit('https://www.nav.no/familie/c', false)).toBe('https://www.nav.no/familie/c');
    expect(f.admit('https://www.nav.no/familie/d', false)).toBeUndefined(); // max_pages: 4
  });

  it('follows links only above max_depth', () => {
    const f = new Frontier(source(), []);
    expect(f.linksToFollow(['https://www.nav.no/familie/x'], 1)).toEqual(['https://www.nav.no/familie/x']);
    expect(f.linksToFollow(['https://www.nav.no/familie/x'], 2)).toEqual([]);
  });

  it('a canonical URL elsewhere in scope, or a text another page owns (for a page with no version), is a duplicate', () => {
    const owner = page('https://www.nav.no/familie/eier', { versions: [version('h1')] });
    const removed = page('https://www.nav.no/familie/borte', { versions: [version('h2')], removedAt: NOW });
    const f = new Frontier(source(), [owner, removed]);
    const at = {
      url: 'https://www.nav.no/familie/kopi',
      finalUrl: 'https://www.nav.no/familie/kopi',
      contentHash: 'h0',
      hasVersion: false,
    };
    expect(f.duplicateOf({ ...at, canonicalUrl: 'https://www.nav.no/familie/eier#x' })).toEqual({
      url: 'https://www.nav.no/familie/eier',
      reason: 'canonical',
    });
    expect(f.duplicateOf({ ...at, canonicalUrl: 'https://www.nav.no/familie/kopi' })).toBeUndefined(); // itself
    expect(
      f.duplicateOf({ ...at, finalUrl: 'https://www.nav.no/familie/ny', canonicalUrl: 'https://www.nav.no/familie/ny' }),
    ).toBeUndefined();
    expect(f.duplicateOf({ ...at, canonicalUrl: 'https://www.nav.no/annet/' })).toBeUndefined(); // out of scope
    expect(f.duplicateOf({ ...at, contentHash: 'h1' })).toEqual({ url: 'https://www.nav.no/familie/eier', reason: 'same-content' });
    expect(f.duplicateOf({ ...at, contentHash: 'h1', hasVersion: true })).toBeUndefined(); // its own page already
    expect(f.duplicateOf({ ...at, contentHash: 'h2' })).toBeUndefined(); // a removed page owns nothing
    f.claim('h2', 'https://www.nav.no/familie/ny');
    f.claim('h2', 'https://www.nav.no/familie/senere');
    expect(f.duplicateOf({ ...at, contentHash: 'h2' })).toEqual({ url: 'https://www.nav.no/familie/ny', reason: 'same-content' });
  });

  it('isDoneBefore: fetched without failure since the interrupted crawl began, with a version or as a duplicate', () => {
    const done = page('https://www.nav.no/familie/a', { lastFetchedAt: '2026-02-01T00:00:05Z', versions: [version('h1')] });
    expect(isDoneBefore(done, '2026-02-01T00:00:00Z')).toBe(true);
    expect(isDoneBefore(done, undefined)).toBe(false);
    expect(isDoneBefore(done, '2026-02-01T00:00:06Z')).toBe(false);
    expect(isDoneBefore({ ...done, lastFailure: { code: 'network', message: 'x', at: NOW } }, '2026-02-01T00:00:00Z')).toBe(false);
    expect(isDoneBefore({ ...done, versions: [] }, '2026-02-01T00:00:00Z')).toBe(false);
    const dup = { ...done, versions: [], duplicateOf: { url: 'https://www.nav.no/familie/b', reason: 'canonical' as const } };
    expect(isDoneBefore(dup, '2026-02-01T00:00:00Z')).toBe(true);
    expect(isDoneBefore(undefined, '2026-02-01T00:00:00Z')).toBe(false);
  });
});

describe('fetch-mode choices', () => {
  it('asks conditionally only with the validators of a stored version, never for a duplicate', () => {
    const stored = page('https://www.nav.no/familie/a', {
      etag: '"e"',
      lastModified: 'Sun, 01 Feb 2026 00:00:00 GMT',
      versions: [version('h')],
    });
    expect(conditionalFor(stored)).toEqual({ etag: '"e"', lastModified: 'Sun, 01 Feb 2026 00:00:00 GMT' });
    expect(conditionalFor({ ...stored, lastModified: undefined })).toEqual({ etag: '"e"' });
    expect(conditionalFor({ ...stored, versions: [] })).toBeUndefined();
    expect(conditionalFor({ ...stored, duplicateOf: { url: 'https://www.nav.no/familie/b', reason: 'canonical' } })).toBeUndefined();
    expect(conditionalFor({ ...stored, etag: undefined, lastModified: undefined })).toBeUndefined();
    expect(conditionalFor(undefined)).toBeUndefined();
  });

  it('a thin HTTP text (none, short, or a JavaScript notice) goes to the browser; a PDF never does', () => {
    const s = source(); // min_text_chars: 400 by default
    const text = (t: string) => ({ text: t }) as Extracted;
    expect(isThin(s, {}, undefined)).toBe(true);
    expect(isThin(s, {}, text('kort'))).toBe(true);
    expect(isThin(s, {}, text('x'.repeat(400)))).toBe(false);
    expect(isThin(s, {}, text(`${'x'.repeat(500)} Du må aktivere JavaScript for å se siden.`))).toBe(true);
    expect(isThin(s, { raw: new Uint8Array([1]) }, undefined)).toBe(false);
  });
});
