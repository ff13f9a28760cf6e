import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { audit, failedConditions, inScopeLinks } from '../../src/pipeline/audit/audit.js';
import { escapeHtml, renderHtml } from '../../src/pipeline/audit/html.js';
import { linksOfMarkdown } from '../../src/pipeline/audit/links.js';
import { renderCsv, renderMarkdown } from '../../src/pipeline/audit/report.js';
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
  contentHash: hash,
  markdownHash: 'm',
  rawHash: 'r',
  title: `T ${hash}`,
  lang: 'nb',
  dates: { modified: '2024-01-02' },
  dateStamps: [],
  method: 'readability',
  via: 'http',
  firstSeenAt: at,
  lastSeenAt: at,
});
const page = (url: string, over: Partial<PageRecord>): PageRecord => ({
  url,
  sourceId: 'nav',
  finalUrl: url,
  redirects: [],
  depth: 0,
  firstSeenAt: '2026-01-01T00:00:00.000Z',
  consecutiveFailures: 0,
  versions: [v('h1', '2026-01-01T00:00:00.000Z')],
  ...over,
});
const item = (url: string, over: Partial<ReviewItem>): ReviewItem => ({
  id: `${url}-${over.contentHash ?? 'h1'}`,
  sourceId: 'nav',
  url,
  kind: 'new',
  contentHash: 'h1',
  status: 'pending',
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('audit', () => {
  it('reports health, review state, outdated publications and staleness per source and page', () => {
    const nav: ShardData = {
      schemaVersion: 1,
      sourceId: 'nav',
      summaries: {},
      pages: {
        'https://www.nav.no/a': page('https://www.nav.no/a', {
          lastOkAt: '2026-01-20T00:00:00.000Z',
          lastFetchedAt: '2026-01-20T00:00:00.000Z',
          lastStatus: 200,
          versions: [v('h1', '2026-01-01T00:00:00.000Z'), v('h2', '2026-01-15T00:00:00.000Z')],
          lastChangedAt: '2026-01-15T00:00:00.000Z',
        }),
        'https://www.nav.no/b': page('https://www.nav.no/b', {
          consecutiveFailures: 2,
          lastStatus: 503,
          lastFailure: { code: 'http-503', message: 'HTTP 503', at: 'x' },
          lastOkAt: '2026-01-10T00:00:00.000Z',
        }),
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
    expect(navRow).toMatchObject({
      pages: 3,
      ok: 1,
      failing: 1,
      removed: 1,
      pending: 1,
      published: 2,
      publishedOutdated: 1,
      isStale: false,
      oldestPendingDays: 10,
    });
    expect(kommuneRow).toMatchObject({ pages: 0, isStale: true });
    const a = result.pages.find((p) => p.url.endsWith('/a'))!;
    expect(a).toMatchObject({
      health: 'ok',
      review: 'pending',
      isPublishedOutdated: true,
      pageModified: '2024-01-02',
      versions: 2,
      pendingDays: 10,
    });
    expect(result.pages.find((p) => p.url.endsWith('/b'))).toMatchObject({
      health: 'failing',
      review: 'approved',
      lastFailure: 'http-503: HTTP 503',
    });
    // Past the SLA of 7 days since the last successful fetch, the source is stale.
    expect(audit(sources, new Map([['nav', nav]]), new Date('2026-02-01T00:00:00.000Z')).sources[0]!.isStale).toBe(true);
  });
});

describe('audit: links, history and --fail-on conditions', () => {
  const shard = (pages: PageRecord[], reviews: ReviewItem[] = []): ShardData => ({
    schemaVersion: 1,
    sourceId: 'nav',
    summaries: {},
    pages: Object.fromEntries(pages.map((p) => [p.url, p])),
    reviews: Object.fromEntries(reviews.map((i) => [i.id, i])),
  });
  const ok = { lastOkAt: '2026-01-24T00:00:00.000Z', lastStatus: 200 };
  const now = new Date('2026-01-25T00:00:00.000Z');

  it('finds broken in-page links to allowed hosts from what the store knows, and lets a check overrule it', () => {
    const nav = shard([
      page('https://www.nav.no/a', ok),
      page('https://www.nav.no/gone', { removedAt: '2026-01-20T00:00:00.000Z', lastStatus: 410 }),
      page('https://www.nav.no/404', { consecutiveFailures: 1, lastStatus: 404 }),
      page('https://www.nav.no/503', { consecutiveFailures: 1, lastStatus: 503 }),
    ]);
    const links = new Map([
      [
        'https://www.nav.no/a',
        [
          'https://www.nav.no/gone#x',
          'https://www.nav.no/404',
          'https://www.nav.no/503',
          'https://www.nav.no/a',
          'https://elsewhere.example/gone',
          'https://www.nav.no/gone?utm_source=x',
        ],
      ],
      // A removed page's own links are not reported: its content is gone.
      ['https://www.nav.no/gone', ['https://www.nav.no/404']],
    ]);
    expect(inScopeLinks(sources[0]!, 'https://www.nav.no/a', links.get('https://www.nav.no/a')!)).toEqual([
      'https://www.nav.no/404',
      'https://www.nav.no/503',
      'https://www.nav.no/gone',
    ]);
    const result = audit(sources, new Map([['nav', nav]]), now, { links });
    // A 5xx is a server's bad day, not a broken link; a 404 and a removal are.
    expect(result.brokenLinks.map((l) => [l.link, l.reason])).toEqual([
      ['https://www.nav.no/404', 'HTTP 404'],
      ['https://www.nav.no/gone', 'removed 2026-01-20 (HTTP 410)'],
    ]);
    expect(result.sources[0]!.brokenLinks).toBe(2);
    expect(result.linksChecked).toBeUndefined();
    const checked = audit(sources, new Map([['nav', nav]]), now, {
      links,
      linkChecks: new Map([
        ['https://www.nav.no/gone', { status: 200 }],
        ['https://www.nav.no/503', { error: 'timeout: no response within 30000 ms' }],
      ]),
    });
    expect(checked.brokenLinks.map((l) => [l.link, l.via, l.reason])).toEqual([
      ['https://www.nav.no/404', 'store', 'HTTP 404'],
      ['https://www.nav.no/503', 'check', 'timeout: no response within 30000 ms'],
    ]);
    expect(checked.linksChecked).toBe(2);
  });

  it('reports links from earlier --check-links runs with their date, and says so when none of them is broken', () => {
    const nav = shard([page('https://www.nav.no/a', ok)]);
    const links = new Map([['https://www.nav.no/a', ['https://www.nav.no/borte', 'https://www.nav.no/fin']]]);
    const stored = new Map([
      ['https://www.nav.no/borte', { checkedAt: '2026-01-20T08:00:00.000Z', sourceId: 'nav', status: 404 }],
      ['https://www.nav.no/fin', { checkedAt: '2026-01-20T08:00:00.000Z', sourceId: 'nav', status: 200 }],
    ]);
    const result = audit(sources, new Map([['nav', nav]]), now, { links, storedLinkChecks: stored });
    expect(result.brokenLinks.map((l) => [l.link, l.reason, l.checkedAt])).toEqual([
      ['https://www.nav.no/borte', 'HTTP 404 (checked 2026-01-20)', '2026-01-20T08:00:00.000Z'],
    ]);
    expect(result.linksOnRecord).toBe(2);
    expect(renderHtml(result)).toContain('HTTP 404 (sjekket');
    const allFine = audit(sources, new Map([['nav', nav]]), now, {
      links,
      storedLinkChecks: new Map([['https://www.nav.no/fin', stored.get('https://www.nav.no/fin')!]]),
    });
    expect(allFine.brokenLinks).toEqual([]);
    expect(renderMarkdown(allFine)).toContain('None (1 links checked by earlier --check-links runs).');
    expect(renderHtml(allFine)).toContain('Ingen (1 lenker sjekket ved tidligere lenkesjekker');
    expect(renderHtml(audit(sources, new Map([['nav', nav]]), now, { links }))).toContain('Ingen kjente.');
  });

  it('counts versions and removals per contiguous week, at most historyWeeks back', () => {
    const nav = shard([
      page('https://www.nav.no/a', {
        ...ok,
        versions: [v('1', '2025-06-02T10:00:00.000Z'), v('2', '2026-01-06T10:00:00.000Z'), v('3', '2026-01-11T23:00:00.000Z')],
      }),
      page('https://www.nav.no/b', { removedAt: '2026-01-13T00:00:00.000Z' }),
    ]);
    const {
      weeks,
      sources: [row],
    } = audit(sources, new Map([['nav', nav]]), now, { historyWeeks: 4 });
    expect(weeks).toEqual([
      // /b's only version (1 January); /a's first (June 2025) is older than the 4 weeks shown.
      { week: '2025-12-29', new: 1, changed: 0, removed: 0 },
      { week: '2026-01-05', new: 0, changed: 2, removed: 0 },
      { week: '2026-01-12', new: 0, changed: 0, removed: 1 },
      { week: '2026-01-19', new: 0, changed: 0, removed: 0 },
    ]);
    expect(row).toMatchObject({ changes: 2, changesLast30Days: 2 });
    expect(audit(sources, new Map(), now).weeks).toEqual([]);
  });

  it('judges declared dates, pending SLAs and staleness per page with the source settings', () => {
    const nav = shard(
      [
        page('https://www.nav.no/old', {
          ...ok,
          versions: [{ ...v('o', '2026-01-01T00:00:00.000Z'), dates: { published: '2024-12-01' } }],
        }),
        page('https://www.nav.no/gone', {
          removedAt: '2026-01-20T00:00:00.000Z',
          versions: [{ ...v('g', '2026-01-01T00:00:00.000Z'), dates: { modified: '2020-01-01' } }],
        }),
        page('https://www.nav.no/never', {}),
        // A duplicate has no row of its own, but its fetch counts for the source.
        page('https://www.nav.no/never?print=1', {
          ...ok,
          lastOkAt: '2026-01-24T12:00:00.000Z',
          duplicateOf: { url: 'https://www.nav.no/never', reason: 'same-content' },
        }),
      ],
      [item('https://www.nav.no/old', { contentHash: 'o', createdAt: '2026-01-10T00:00:00.000Z' })],
    );
    const result = audit(sources, new Map([['nav', nav]]), now);
    const [old, gone, never] = ['old', 'gone', 'never'].map((p) => result.pages.find((r) => r.url.endsWith(`/${p}`))!);
    expect(old).toMatchObject({
      pagePublished: '2024-12-01',
      declaredAgeDays: 420,
      isDeclaredOutdated: true,
      pendingDays: 15,
      isPendingOverdue: true,
      isStale: false,
    });
    expect(gone).toMatchObject({ isDeclaredOutdated: false, isStale: false, health: 'removed' });
    expect(never).toMatchObject({ isStale: true });
    expect(result.pages).toHaveLength(3);
    expect(result.sources[0]).toMatchObject({ pages: 3, duplicates: 1, lastOkAt: '2026-01-24T12:00:00.000Z' });
    expect(failedConditions(result, ['pending', 'stale'])).toEqual([
      { condition: 'stale', reason: '1 source and 1 page not fetched successfully within the freshness SLA: kommune (never, SLA 7)' },
      { condition: 'pending', reason: '1 page has review items pending longer than the SLA (oldest 15 days)' },
    ]);
    expect(failedConditions(result, [])).toEqual([]);
    expect(failedConditions(result, ['broken'])).toEqual([]);
  });
});

describe('audit renderers', () => {
  it('finds Markdown links and escapes HTML', () => {
    expect(
      linksOfMarkdown('[a](https://x.no/a "t") <https://x.no/b> [c](https://x.no/a) [d](mailto:x@y.no) ![i](https://x.no/i.png)'),
    ).toEqual(['https://x.no/a', 'https://x.no/b', 'https://x.no/i.png']);
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
  });

  it('gives byte-identical CSV, Markdown and HTML for the same store content, whatever order it was read in', () => {
    const pages = [
      page('https://www.nav.no/c', {
        lastOkAt: '2026-01-20T00:00:00.000Z',
        lastChangedAt: '2026-01-12T00:00:00.000Z',
        versions: [v('h1', '2026-01-01T00:00:00.000Z'), v('h3', '2026-01-12T00:00:00.000Z')],
      }),
      page('https://www.nav.no/a', { lastOkAt: '2026-01-20T00:00:00.000Z' }),
      page('https://www.nav.no/b', {
        consecutiveFailures: 1,
        lastStatus: 503,
        lastFailure: { code: 'http-503', message: 'HTTP 503', at: '2026-01-21T00:00:00.000Z' },
        lastOkAt: '2026-01-02T00:00:00.000Z',
      }),
    ];
    const kommune = [
      page('https://k.example/y', { sourceId: 'kommune', lastOkAt: '2026-01-22T00:00:00.000Z' }),
      page('https://k.example/x', {
        sourceId: 'kommune',
        lastOkAt: '2026-01-03T00:00:00.000Z',
        removedAt: '2026-01-19T00:00:00.000Z',
        lastStatus: 410,
      }),
    ];
    const reviews = [
      item('https://www.nav.no/c', { contentHash: 'h3', kind: 'changed', changeClass: 'material', createdAt: '2026-01-12T00:00:00.000Z' }),
      item('https://www.nav.no/a', { status: 'approved', decidedAt: '2026-01-05T00:00:00.000Z' }),
      item('https://www.nav.no/b', { createdAt: '2026-01-02T00:00:00.000Z' }),
    ];
    const shard = (id: string, ps: PageRecord[], rs: ReviewItem[]): ShardData => ({
      schemaVersion: 1,
      sourceId: id,
      summaries: {},
      pages: Object.fromEntries(ps.map((p) => [p.url, p])),
      reviews: Object.fromEntries(rs.map((r) => [r.id, r])),
    });
    const now = new Date('2026-01-25T00:00:00.000Z');
    const forward = audit(
      sources,
      new Map([
        ['nav', shard('nav', pages, reviews)],
        ['kommune', shard('kommune', kommune, [])],
      ]),
      now,
    );
    const backward = audit(
      sources,
      new Map([
        ['kommune', shard('kommune', [...kommune].reverse(), [])],
        ['nav', shard('nav', [...pages].reverse(), [...reviews].reverse())],
      ]),
      now,
    );
    const renders = [
      (a: typeof forward) => renderCsv(a, 'pages'),
      (a: typeof forward) => renderCsv(a, 'sources'),
      (a: typeof forward) => renderMarkdown(a),
      (a: typeof forward) => renderHtml(a, { allPages: true }),
    ];
    for (const render of renders) expect(render(backward)).toBe(render(forward));
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward));
    expect(
      renderCsv(forward, 'pages')
        .split('\n')
        .filter((l) => l.includes('nav.no'))
        .map((l) => /https:\/\/www\.nav\.no\/(\w)/.exec(l)![1]),
    ).toEqual(['a', 'b', 'c']);
    expect(renderHtml(forward)).toContain('<svg id="chart-weeks"');
  });
});
