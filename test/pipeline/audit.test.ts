import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { audit } from '../../src/pipeline/audit.js';
import type { ReviewItem } from '../../src/pipeline/types.js';
import type { PageRecord, ShardData, VersionRecord } from '../../src/store/records.js';

const { sources } = parseConfig(
  `version: 1
contact: t@example.org
sources:
  - { id: nav, name: NAV, owner: NAV, start_urls: ['https://www.nav.no/'], freshness_sla_days: 7 }
  - { id: kommune, name: Kommune, owner: Kommune, start_urls: ['https://k.example/'] }
`,
  'sources.yaml',
);

const v = (hash: string, at: string): VersionRecord => ({
  contentHash: hash, markdownHash: 'm', rawHash: 'r', title: `T ${hash}`, lang: 'nb', dates: { modified: '2024-01-02' }, dateStamps: [], method: 'readability', via: 'http', firstSeenAt: at, lastSeenAt: at,
});
const page = (url: string, over: Partial<PageRecord>): PageRecord => ({
  url, sourceId: 'nav', finalUrl: url, redirects: [], depth: 0, firstSeenAt: '2026-01-01T00:00:00.000Z', consecutiveFailures: 0, versions: [v('h1', '2026-01-01T00:00:00.000Z')], ...over,
});
const item = (url: string, over: Partial<ReviewItem>): ReviewItem => ({
  id: `${url}-${over.contentHash ?? 'h1'}`, sourceId: 'nav', url, kind: 'new', contentHash: 'h1', status: 'pending', createdAt: '2026-01-01T00:00:00.000Z', ...over,
});

describe('audit', () => {
  it('reports health, review state, outdated publications and staleness per source and page', () => {
    const nav: ShardData = {
      schemaVersion: 1,
      sourceId: 'nav',
      summaries: {},
      pages: {
        'https://www.nav.no/a': page('https://www.nav.no/a', { lastOkAt: '2026-01-20T00:00:00.000Z', lastFetchedAt: '2026-01-20T00:00:00.000Z', lastStatus: 200, versions: [v('h1', '2026-01-01T00:00:00.000Z'), v('h2', '2026-01-15T00:00:00.000Z')], lastChangedAt: '2026-01-15T00:00:00.000Z' }),
        'https://www.nav.no/b': page('https://www.nav.no/b', { consecutiveFailures: 2, lastStatus: 503, lastFailure: { code: 'http-503', message: 'HTTP 503', at: 'x' }, lastOkAt: '2026-01-10T00:00:00.000Z' }),
        'https://www.nav.no/c': page('https://www.nav.no/c', { removedAt: '2026-01-19T00:00:00.000Z', lastStatus: 404 }),
      },
      reviews: Object.fromEntries(
        [
          item('https://www.nav.no/a', { status: 'approved', decidedAt: '2026-01-02T00:00:00.000Z', decidedBy: 'Kari' }),
          item('https://www.nav.no/a', { contentHash: 'h2', kind: 'changed', createdAt: '2026-01-15T00:00:00.000Z' }),
          item('https://www.nav.no/b', { status: 'approved', decidedAt: '2026-01-02T00:00:00.000Z' }),
        ].map((i) => [i.id, i]),
      ),
    };
    const result = audit(sources, new Map([['nav', nav]]), new Date('2026-01-25T00:00:00.000Z'));
    const [navRow, kommuneRow] = result.sources;
    expect(navRow).toMatchObject({ pages: 3, ok: 1, failing: 1, removed: 1, pending: 1, published: 2, publishedOutdated: 1, isStale: false, oldestPendingDays: 10 });
    expect(kommuneRow).toMatchObject({ pages: 0, isStale: true });
    const a = result.pages.find((p) => p.url.endsWith('/a'))!;
    expect(a).toMatchObject({ health: 'ok', review: 'pending', isPublishedOutdated: true, pageModified: '2024-01-02', versions: 2, pendingDays: 10 });
    expect(result.pages.find((p) => p.url.endsWith('/b'))).toMatchObject({ health: 'failing', review: 'approved', lastFailure: 'http-503: HTTP 503' });
    // Past the SLA of 7 days since the last successful fetch, the source is stale.
    expect(audit(sources, new Map([['nav', nav]]), new Date('2026-02-01T00:00:00.000Z')).sources[0]!.isStale).toBe(true);
  });
});
