/**
 * The analysts' figures (issue 18): time from change to approval, LIX and cost per source,
 * unreachable and robots-blocked pages, a roll-up per owner, the last crawl's skips; and the HTML
 * report shows them in bokmål with no English left.
 */
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { median } from '../../src/pipeline/audit/analytics.js';
import { audit, failedConditions } from '../../src/pipeline/audit/audit.js';
import { failureLabel } from '../../src/pipeline/audit/html-tables.js';
import { renderHtml } from '../../src/pipeline/audit/html.js';
import type { ReviewItem, Summary } from '../../src/pipeline/types.js';
import type { PageRecord, RunRecord, ShardData, VersionRecord } from '../../src/store/records.js';

const { sources } = parseConfig(
  `version: 1
contact: t@example.org
sources:
  - { id: nav, name: NAV satser, owner: NAV, start_urls: ['https://www.nav.no/'] }
  - { id: hdir, name: Helsedirektoratet, owner: Hdir, start_urls: ['https://hdir.example/'] }
  - { id: nav2, name: NAV familie, owner: NAV, start_urls: ['https://www.nav.no/familie'] }
`,
  'sources.yaml',
);
const NOW = new Date('2026-03-02T12:00:00.000Z');
const v = (hash: string): VersionRecord => ({
  contentHash: hash,
  markdownHash: 'm',
  rawHash: 'r',
  title: `T ${hash}`,
  lang: 'nb',
  dates: {},
  dateStamps: [],
  method: 'readability',
  via: 'http',
  firstSeenAt: '2026-02-01T00:00:00.000Z',
  lastSeenAt: '2026-02-01T00:00:00.000Z',
});
const page = (sourceId: string, url: string, over: Partial<PageRecord> = {}): PageRecord => ({
  url,
  sourceId,
  finalUrl: url,
  redirects: [],
  depth: 0,
  firstSeenAt: '2026-02-01T00:00:00.000Z',
  consecutiveFailures: 0,
  lastOkAt: '2026-03-01T00:00:00.000Z',
  versions: [v(url)],
  ...over,
});
const item = (sourceId: string, id: string, over: Partial<ReviewItem>): ReviewItem => ({
  id,
  sourceId,
  url: `https://x/${id}`,
  kind: 'changed',
  contentHash: id,
  status: 'pending',
  createdAt: '2026-02-01T00:00:00.000Z',
  ...over,
});
const summary = (id: string, lix: number, sourceLix: number, costUsd?: number): Summary =>
  ({
    id,
    url: 'u',
    contentHash: 'c',
    provider: 'p',
    model: 'm',
    promptHash: 'h',
    createdAt: '2026-02-01T00:00:00.000Z',
    usage: { inputTokens: 1, outputTokens: 1 },
    content: { summary: '', keyFacts: [], deadlines: [] },
    grounding: { isGrounded: true, checked: 0, issues: [] },
    plainLanguage: {
      source: { lix: sourceLix, words: 1, sentences: 1, wordsPerSentence: 1, terms: [] },
      summary: { lix, words: 1, sentences: 1, wordsPerSentence: 1, terms: [] },
      targetLix: 40,
      isPlain: true,
    },
    ...(costUsd === undefined ? {} : { costUsd }),
  }) as unknown as Summary;
const shard = (sourceId: string, pages: PageRecord[], reviews: ReviewItem[] = [], summaries: Summary[] = []): ShardData => ({
  schemaVersion: 1,
  sourceId,
  pages: Object.fromEntries(pages.map((p) => [p.url, p])),
  reviews: Object.fromEntries(reviews.map((r) => [r.id, r])),
  summaries: Object.fromEntries(summaries.map((s) => [s.id, s])),
});

const NEVER = 'https://www.nav.no/familie/aldri';
const shards = new Map<string, ShardData>([
  [
    'nav',
    shard(
      'nav',
      [
        page('nav', 'https://www.nav.no/a'),
        page('nav', 'https://www.nav.no/t', {
          consecutiveFailures: 2,
          lastFailure: { code: 'timeout', message: 'timeout after 30000 ms', at: 'x' },
        }),
        page('nav', 'https://www.nav.no/n', { consecutiveFailures: 1, lastFailure: { code: 'network', message: 'ECONNREFUSED', at: 'x' } }),
        page('nav', 'https://www.nav.no/r', {
          consecutiveFailures: 1,
          lastFailure: { code: 'robots-disallowed', message: 'disallowed', at: 'x' },
        }),
        page('nav', 'https://www.nav.no/h', {
          consecutiveFailures: 1,
          lastStatus: 503,
          lastFailure: { code: 'http-503', message: 'HTTP 503', at: 'x' },
        }),
        page('nav', 'https://www.nav.no/gone', {
          consecutiveFailures: 2,
          removedAt: '2026-02-20T00:00:00.000Z',
          lastFailure: { code: 'timeout', message: 't', at: 'x' },
        }),
      ],
      [
        // Approved after 10 h, 30 h and 50 h: median 30 h.
        item('nav', 'i1', {
          status: 'approved',
          createdAt: '2026-02-01T00:00:00.000Z',
          decidedAt: '2026-02-01T10:00:00.000Z',
          summaryId: 's1',
        }),
        item('nav', 'i2', {
          status: 'approved',
          createdAt: '2026-02-01T00:00:00.000Z',
          decidedAt: '2026-02-02T06:00:00.000Z',
          summaryId: 's2',
        }),
        item('nav', 'i3', {
          status: 'approved',
          createdAt: '2026-02-01T00:00:00.000Z',
          decidedAt: '2026-02-03T02:00:00.000Z',
          summaryId: 's3',
        }),
        item('nav', 'i4', { status: 'superseded', summaryId: 's4' }),
        item('nav', 'i5', { summaryId: 's1' }),
      ],
      [summary('s1', 30, 50, 0.01), summary('s2', 34, 60, 0.02), summary('s3', 38, 55), summary('s4', 90, 90, 0.5)],
    ),
  ],
  [
    'hdir',
    shard(
      'hdir',
      [page('hdir', 'https://hdir.example/a')],
      [item('hdir', 'j1', { url: 'https://hdir.example/a' }), item('hdir', 'j2', {})],
    ),
  ],
  [
    'nav2',
    shard('nav2', [
      page('nav2', 'https://www.nav.no/familie/a', { consecutiveFailures: 1, lastFailure: { code: 'network', message: 'x', at: 'x' } }),
      // Never fetched: every try failed (the crawl stores such pages with no versions).
      {
        url: NEVER,
        sourceId: 'nav2',
        finalUrl: NEVER,
        redirects: [],
        depth: 0,
        firstSeenAt: '2026-03-01T00:00:00.000Z',
        lastFetchedAt: '2026-03-01T00:00:00.000Z',
        consecutiveFailures: 3,
        lastFailure: { code: 'network', message: 'the host is failing', at: 'x' },
        versions: [],
      },
    ]),
  ],
]);
const runs: RunRecord[] = [
  {
    id: 'r1',
    command: 'crawl',
    startedAt: '2026-03-01T00:00:00.000Z',
    finishedAt: '2026-03-01T01:00:00.000Z',
    counts: { skipped: 4, failed: 3 },
    failures: 3,
  },
  {
    id: 'r2',
    command: 'crawl',
    startedAt: '2026-02-01T00:00:00.000Z',
    finishedAt: '2026-02-01T01:00:00.000Z',
    counts: { skipped: 9, failed: 0 },
    failures: 0,
  },
  { id: 'r3', command: 'crawl', startedAt: '2026-03-02T00:00:00.000Z', counts: {}, failures: 0 },
  {
    id: 'r4',
    command: 'summarize',
    startedAt: '2026-03-02T00:00:00.000Z',
    finishedAt: '2026-03-02T05:00:00.000Z',
    counts: {},
    failures: 0,
  },
];

describe('audit analytics', () => {
  const result = audit(sources, shards, NOW, { runs });
  const [nav, hdir, nav2] = result.analytics.sources;

  it('per source: unreachable and robots-blocked pages, time to approval, LIX of current summaries, cost of all', () => {
    // LIX over current items (i1, i2, i3 and the pending i5; not the superseded i4): 30, 34, 38, 30.
    // timeout and network are unreachable; the removed page and the HTTP 503 are not.
    expect(nav).toEqual({
      sourceId: 'nav',
      unreachable: 2,
      robotsBlocked: 1,
      approvals: 3,
      medianHoursToApproval: 30,
      summaryLix: 32,
      sourceLix: 52.5,
      lixCount: 4,
      costUsd: 0.53,
    });
    expect(hdir).toEqual({ sourceId: 'hdir', unreachable: 0, robotsBlocked: 0, approvals: 0, lixCount: 0, costUsd: 0 });
    expect(nav2!.unreachable).toBe(2);
    expect(result.analytics.medianHoursToApproval).toBe(30);
    expect(result.analytics.pendingItems).toBe(3);
  });

  it('rolls sources up per owner, in sources.yaml order, and takes the newest finished crawl', () => {
    expect(result.analytics.owners.map((o) => [o.owner, o.sources, o.pages, o.unreachable, o.pending, o.costUsd])).toEqual([
      ['NAV', 2, 8, 4, 0, 0.53],
      ['Hdir', 1, 1, 0, 1, 0],
    ]);
    expect(result.analytics.lastCrawl).toEqual({ finishedAt: '2026-03-01T01:00:00.000Z', skipped: 4, failed: 3 });
    expect(audit(sources, shards, NOW).analytics.lastCrawl).toBeUndefined();
  });

  it('a page that never fetched is a failing, stale row, not left out (an offline crawl is not all well)', () => {
    expect(result.pages.find((p) => p.url === NEVER)).toMatchObject({
      health: 'failing',
      isStale: true,
      review: 'unreviewed',
      versions: 0,
      lastFailure: 'network: the host is failing',
    });
    expect(result.sources[2]).toMatchObject({ sourceId: 'nav2', pages: 2, failing: 2, stalePages: 1 });
    // nav: /t, /n, /r, /h; nav2: /familie/a and the never-fetched page (5 without it).
    expect(failedConditions(result, ['broken'])[0]!.reason).toMatch(/^6 pages fail to fetch/);
    expect(renderHtml(result)).toContain('Feiler: nettverksfeil (verten svarer ikke)');
  });

  it('median of an odd and even count, and of none', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });

  it('the HTML report shows them in bokmål, with no English words and no fetcher messages', () => {
    const html = renderHtml(result, { allPages: true, reviewUrl: 'http://127.0.0.1:8080/' });
    const doc = new JSDOM(html).window.document;
    doc.querySelectorAll('style, script').forEach((n) => n.remove());
    const text = doc.body.textContent!;
    // Commands and file names (in <code>: eti audit --check-links, sources.yaml) are not prose.
    const prose = (() => {
      const copy = doc.body.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('code').forEach((n) => n.remove());
      return copy.textContent!;
    })();
    expect(text).toContain('Sider som ikke nås');
    expect(text).toContain('Siste crawl (01.03.2026 kl. 02:00): 4 sider hoppet over (stengt av robots.txt), 3 feilet.');
    expect(doc.querySelector('#sources-review tr[data-source="nav"]')!.textContent).toContain('30 t');
    expect(doc.querySelector('#owners')!.textContent).toContain('Hdir');
    expect(text).toContain('Feiler: svarte ikke i tide');
    expect(
      prose.match(
        /ECONNREFUSED|timeout after|\b(stale|failing|removed|pending|pages?|sources?|owner|broken|links?|never|days?|checked)\b/gi,
      ),
    ).toBeNull();
    expect(text).not.toMatch(/ECONNREFUSED|timeout after/);
    expect(prose).not.toMatch(
      /ECONNREFUSED|timeout after|\b(stale|failing|removed|pending|pages?|sources?|owner|broken|links?|never|days?|checked)\b/i,
    );
    // Pending pages link to their item on the review page.
    expect(
      [...doc.querySelectorAll('#pages a[href^="http://127.0.0.1:8080/item/"]')].map((a) => [a.getAttribute('href'), a.textContent]),
    ).toEqual([['http://127.0.0.1:8080/item/j1', 'sak j1']]);
    // Without the review page's address, the id to look up.
    expect(renderHtml(result, { allPages: true })).toContain('sak <code>j1</code>');
  });

  it('says fetch failures in bokmål', () => {
    expect(failureLabel('http-503: HTTP 503')).toBe('HTTP 503');
    expect(failureLabel('timeout: after 30000 ms')).toBe('svarte ikke i tide');
    expect(failureLabel('network: ECONNREFUSED')).toBe('nettverksfeil (verten svarer ikke)');
    expect(failureLabel('something-new: x')).toBe('feil (something-new)');
  });
});
