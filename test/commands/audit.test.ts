import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { SORT_SCRIPT, SORT_SCRIPT_HASH } from '../../src/pipeline/audit/html-tables.js';
import { csvField, markdownCell } from '../../src/pipeline/audit/report.js';
import { html, startServer } from '../helpers/loopback.js';
import { EVIL_TITLE, io, NOW, seedWorkspace } from '../helpers/audit-workspace.js';

const O = 'https://www.nav.example';

/** Parse RFC 4180 CSV (quoted fields with doubled quotes, CRLF or LF inside quotes), after the UTF-8 BOM it must start with. */
function parseCsv(withBom: string, sep = ';'): string[][] {
  expect(withBom.startsWith('\uFEFF')).toBe(true);
  const text = withBom.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field), rows.push(row), (row = []), (field = ''), i++;
    } else field += c;
  }
  return rows;
}

describe('eti audit (in-process, real store)', () => {
  it('reports stale, broken, pending and outdated rows from a seeded history (--json)', async () => {
    const ws = await seedWorkspace();
    const t = io(ws);
    expect(await main(['audit', '--json', '--pages'], t)).toBe(0);
    const a = JSON.parse(t.out);
    expect(a.generatedAt).toBe(NOW);
    const [nav, kommune] = a.sources;
    expect(nav).toMatchObject({
      sourceId: 'nav',
      pages: 5,
      ok: 3,
      failing: 1,
      removed: 1,
      stalePages: 1,
      pending: 1,
      pendingOverdue: 1,
      oldestPendingDays: 14,
      published: 2,
      publishedOutdated: 1,
      declaredOutdated: 1,
      redirected: 1,
      brokenLinks: 1,
      changes: 1,
      changesLast30Days: 1,
      isStale: false,
      daysSinceOk: 1,
      daysSinceChange: 14,
      freshnessSlaDays: 7,
      declaredMaxAgeDays: 100,
      pendingSlaDays: 5,
    });
    // kommune has no SLA of its own: the built-in 7 days; pending_sla_days 5 comes from defaults.
    expect(kommune).toMatchObject({
      sourceId: 'kommune',
      isStale: true,
      daysSinceOk: 60,
      freshnessSlaDays: 7,
      pendingSlaDays: 5,
      declaredMaxAgeDays: 365,
      pendingOverdue: 0,
    });
    const byUrl = new Map(a.pages.map((p: { url: string }) => [p.url, p]));
    expect(byUrl.get(`${O}/a`)).toMatchObject({
      review: 'pending',
      pendingDays: 14,
      isPendingOverdue: true,
      isDeclaredOutdated: true,
      declaredAgeDays: 425,
      isPublishedOutdated: true,
      changes: 1,
      meanDaysBetweenChanges: 42,
      brokenLinks: 1,
      isStale: false,
    });
    expect(byUrl.get(`${O}/b`)).toMatchObject({ health: 'removed', removedAt: '2026-02-20T06:00:00.000Z', isStale: false });
    expect(byUrl.get(`${O}/c`)).toMatchObject({
      redirects: 1,
      finalUrl: `${O}/c/`,
      title: EVIL_TITLE,
      pagePublished: '2026-01-02',
      isDeclaredOutdated: false,
    });
    expect(byUrl.get(`${O}/f`)).toMatchObject({ health: 'failing', isStale: true, daysSinceOk: 20, lastFailure: 'http-503: HTTP 503' });
    // Only /b is known to be gone: /c and /e are fine, /d is unknown, other.example is out of scope.
    expect(a.brokenLinks).toEqual([
      {
        sourceId: 'nav',
        pageUrl: `${O}/a`,
        pageTitle: 'Grunnstønad',
        link: `${O}/b`,
        via: 'store',
        reason: 'removed 2026-02-20 (HTTP 404)',
        status: 404,
        removedAt: '2026-02-20T06:00:00.000Z',
      },
    ]);
    expect(a.weeks.map((w: { week: string }) => w.week)).toEqual([
      '2025-12-29',
      '2026-01-05',
      '2026-01-12',
      '2026-01-19',
      '2026-01-26',
      '2026-02-02',
      '2026-02-09',
      '2026-02-16',
      '2026-02-23',
      '2026-03-02',
    ]);
    expect(a.weeks[1]).toEqual({ week: '2026-01-05', new: 4, changed: 0, removed: 0 });
    expect(a.weeks[7]).toEqual({ week: '2026-02-16', new: 0, changed: 1, removed: 1 });
  });

  it('--fail-on exits 1 with one stderr line per condition that holds, 0 when none does', async () => {
    const ws = await seedWorkspace();
    const all = io(ws);
    expect(await main(['audit', '--fail-on', 'stale,broken,pending'], all)).toBe(1);
    const lines = all.err.trimEnd().split('\n');
    expect(lines).toEqual([
      'eti: audit --fail-on stale: 1 source and 2 pages not fetched successfully within the freshness SLA: kommune (60 days, SLA 7)',
      `eti: audit --fail-on broken: 1 page fails to fetch and 1 in-page link is broken: ${O}/f`,
      'eti: audit --fail-on pending: 1 page has review items pending longer than the SLA (oldest 14 days)',
    ]);
    expect(all.out).toMatch(/^SOURCE +PAGES/);
    expect(all.out).toContain('STALE (SLA 7d)');
    const pending = io(ws);
    expect(await main(['audit', '--source', 'nav', '--fail-on', 'pending', '--quiet'], pending)).toBe(1);
    expect(pending.err).toMatch(/^eti: audit --fail-on pending: .*\n$/);
    // The kommune source: stale, but nothing broken and nothing pending past its SLA.
    const none = io(ws);
    expect(await main(['audit', '--source', 'kommune', '--fail-on', 'broken,pending'], none)).toBe(0);
    expect(none.err).toBe('');
    // Later the same store is staler: the clock is what changes the verdict.
    const later = io(ws, { ETI_NOW: '2026-03-20T00:00:00.000Z' });
    expect(await main(['audit', '--source', 'kommune', '--fail-on', 'pending'], later)).toBe(1);
  });

  it('a bad --fail-on or --csv value is a usage error naming the flag and the value', async () => {
    const ws = await seedWorkspace();
    const t = io(ws);
    expect(await main(['audit', '--fail-on', 'stale,bogus'], t)).toBe(2);
    expect(t.err).toBe('eti: --fail-on: expected a comma list of stale, broken, pending, got "stale,bogus"\n');
    const e = io(ws);
    expect(await main(['audit', '--fail-on', ','], e)).toBe(2);
    const c = io(ws);
    expect(await main(['audit', '--csv', 'everything'], c)).toBe(2);
    expect(c.err).toContain('--csv: expected "sources", "pages" or "links", got "everything"');
    const both = io(ws);
    expect(await main(['audit', '--csv', '--markdown'], both)).toBe(2);
    expect(both.err).toContain('--csv and --markdown: choose one output format');
    // An --html path that cannot be written is a one-line usage error, not a stack trace.
    const dir = io(ws);
    expect(await main(['audit', '--html', '.'], dir)).toBe(2);
    expect(dir.err).toMatch(/^eti: --html: cannot write .+ \(EISDIR\)\n$/);
  });

  it('--csv escapes commas, quotes and newlines, neutralises formulas, and is byte-identical for the same store and clock', async () => {
    const ws = await seedWorkspace();
    const a = io(ws);
    expect(await main(['audit', '--csv', 'pages'], a)).toBe(0);
    const b = io(ws);
    expect(await main(['audit', '--csv', '--pages'], b)).toBe(0);
    expect(b.out).toBe(a.out);
    const rows = parseCsv(a.out);
    const header = rows[0]!;
    expect(header.slice(0, 4)).toEqual(['source_id', 'url', 'title', 'health']);
    expect(rows.every((r) => r.length === header.length)).toBe(true);
    expect(rows).toHaveLength(1 + 6);
    const c = rows.find((r) => r[1] === `${O}/c`)!;
    expect(c[2]).toBe(EVIL_TITLE);
    expect(a.out).toContain('"<script>alert(1)</script> ""Satser"", 2026\nny linje"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1')).toBe("'-1");
    expect(csvField(3)).toBe('3');
    expect(csvField(undefined)).toBe('');
    const s = io(ws);
    expect(await main(['audit', '--csv'], s)).toBe(0);
    expect(parseCsv(s.out).map((r) => [r[0], r.at(-1)])).toEqual([
      ['source_id', 'is_stale'],
      ['nav', 'false'],
      ['kommune', 'true'],
    ]);
    const l = io(ws);
    expect(await main(['audit', '--csv', 'links'], l)).toBe(0);
    expect(parseCsv(l.out)[1]).toEqual(['nav', `${O}/a`, 'Grunnstønad', `${O}/b`, 'store', '404', 'removed 2026-02-20 (HTTP 404)']);
  });

  it('--csv is for Excel in Norway: UTF-8 BOM, ";" between fields (a ";" in a field is quoted); --csv-separator , or tab for other tools', async () => {
    const ws = await seedWorkspace();
    const semi = io(ws);
    expect(await main(['audit', '--csv'], semi)).toBe(0);
    expect(semi.out.startsWith('\uFEFFsource_id;name;owner;pages;')).toBe(true);
    expect(semi.out).toContain('\r\nkommune;Fjordvik kommune;Fjordvik kommune;1;');
    expect(csvField('a;b', ';')).toBe('"a;b"');
    // The analysts' columns ride along: nav's two approvals each came 24 h after the change.
    const [head, nav] = parseCsv(semi.out);
    const col = (name: string): string => nav![head!.indexOf(name)]!;
    expect([col('approvals'), col('median_hours_to_approval'), col('unreachable'), col('cost_usd')]).toEqual(['2', '24', '0', '0']);
    const table = io(ws);
    expect(await main(['audit'], table)).toBe(0);
    expect(table.out).toContain('Pending review items: 2; median time from change to approval: 24 h; unreachable pages: 0');
    const comma = io(ws);
    expect(await main(['audit', '--csv', '--csv-separator', ','], comma)).toBe(0);
    expect(parseCsv(comma.out, ',').map((r) => r[0])).toEqual(['source_id', 'nav', 'kommune']);
    const tab = io(ws);
    expect(await main(['audit', '--csv', '--csv-separator', 'tab'], tab)).toBe(0);
    expect(parseCsv(tab.out, '\t')[0]!.slice(0, 2)).toEqual(['source_id', 'name']);
    const bad = io(ws);
    expect(await main(['audit', '--csv', '--csv-separator', '|'], bad)).toBe(2);
    expect(bad.err).toContain('--csv-separator: expected ";", "," or "tab", got "|"');
    const alone = io(ws);
    expect(await main(['audit', '--csv-separator', ','], alone)).toBe(2);
    expect(alone.err).toContain('--csv-separator: only with --csv');
    const url = io(ws);
    expect(await main(['audit', '--html', 'r.html', '--review-url', 'localhost:8080'], url)).toBe(2);
    expect(url.err).toContain('--review-url: expected the http(s) address eti review --serve printed, got "localhost:8080"');
    const noHtml = io(ws);
    expect(await main(['audit', '--review-url', 'http://127.0.0.1:8080/'], noHtml)).toBe(2);
    expect(noHtml.err).toContain('--review-url: only with --html');
    const trendCsv = io(ws);
    expect(await main(['audit', '--trend', '--csv'], trendCsv)).toBe(2);
    expect(trendCsv.err).toContain('--trend and --csv: choose one output format');
  });

  it('--markdown escapes table cells and lists what needs attention; --html writes a deterministic file', async () => {
    const ws = await seedWorkspace();
    const m = io(ws);
    expect(await main(['audit', '--markdown'], m)).toBe(0);
    expect(m.out).toContain('## Pages needing attention');
    expect(m.out).not.toContain('<script>');
    expect(m.out).toContain('&lt;script&gt;alert(1)&lt;/script&gt; "Satser", 2026 ny linje');
    expect(markdownCell('a|b')).toBe('a\\|b');
    expect(m.out).toContain(`| ${O}/a | ${O}/b | store | removed 2026-02-20 (HTTP 404) |`);
    const h1 = io(ws);
    expect(await main(['audit', '--html', 'out/rapport.html'], h1)).toBe(0);
    // --html alone: the report is the output, the table is not printed as well.
    expect(h1.out).toBe('Wrote the HTML report to out/rapport.html\n');
    const first = await readFile(path.join(ws, 'out/rapport.html'), 'utf8');
    expect(await main(['audit', '--html', 'out/rapport.html', '--quiet'], io(ws))).toBe(0);
    expect(await readFile(path.join(ws, 'out/rapport.html'), 'utf8')).toBe(first);
    // One script: the report's own table sorter, allowed by its hash; the page title's is text.
    expect(first.match(/<script/g)).toHaveLength(1);
    expect(first).toContain(`<script>${SORT_SCRIPT}</script>`);
    expect(first).toContain(`script-src ${SORT_SCRIPT_HASH}`);
    expect(first).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(first).not.toMatch(/<link|src=|@import|url\(/);
  });

  it('--check-links GETs in-scope links over loopback and reports what is broken now', async () => {
    let robots = 0;
    const server = await startServer({
      '/robots.txt': (_q, r) => void (robots++, r.writeHead(404).end()),
      '/b': html('<p>tilbake</p>'),
      '/c': (_q, r) => void r.writeHead(301, { location: '/c/' }).end(),
      '/c/': html('<p>satser</p>'),
      '/e': html('feil', {}, 500),
    });
    try {
      const ws = await seedWorkspace(server.origin);
      const t = io(ws);
      expect(await main(['audit', '--json', '--check-links', '--source', 'nav', '--fail-on', 'broken'], t)).toBe(1);
      const a = JSON.parse(t.out);
      expect(a.linksChecked).toBe(4);
      // /b came back (the check wins over the store), /c redirects to a live page; /d is 404, /e 500.
      expect(a.brokenLinks.map((l: { link: string; via: string; reason: string }) => [l.link, l.via, l.reason])).toEqual([
        [`${server.origin}/d`, 'check', 'HTTP 404'],
        [`${server.origin}/e`, 'check', 'HTTP 500'],
      ]);
      expect(server.hits.get('/d')).toBe(1);
      expect(server.hits.has('/x')).toBe(false);
      expect(robots).toBe(1);
      expect(t.err).toContain('in-page links are broken');
    } finally {
      await server.close();
    }
  });
});
