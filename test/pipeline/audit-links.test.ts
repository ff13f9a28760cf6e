import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { parseConfig } from '../../src/config/load.js';
import type { ResolvedSource } from '../../src/config/schema.js';
import { checkAndRecordLinks, checkLinks, DEFAULT_MAX_LINKS, linksDue, linkTargets } from '../../src/pipeline/audit/links.js';
import type { PageRecord, ShardData } from '../../src/store/records.js';
import { Store, storeDirOf } from '../../src/store/store.js';
import { io, NOW, seedWorkspace } from '../helpers/audit-workspace.js';
import { type Handler, html, startServer } from '../helpers/loopback.js';

function source(origin: string, extra: string): ResolvedSource {
  return parseConfig(
    `version: 1\ncontact: t@example.org\nsources:\n  - { id: nav, name: NAV, owner: NAV, start_urls: ['${origin}/'], ${extra} }\n`,
    'sources.yaml',
  ).sources[0]!;
}

describe('checkLinks (loopback)', () => {
  it('is polite: robots.txt, one request at a time per host, delay_ms between starts', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const slow =
      (status: number): Handler =>
      (_q, r) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        setTimeout(() => {
          inFlight--;
          r.writeHead(status, { 'content-type': 'text/html' }).end('<p>x</p>');
        }, 20);
      };
    const server = await startServer({
      '/robots.txt': (_q, r) => void r.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /intern/\n'),
      '/a': slow(200),
      '/b': slow(404),
      '/c': slow(200),
      '/intern/x': html('hemmelig'),
    });
    try {
      const s = source(server.origin, 'allow_private_network: true, delay_ms: 5000, concurrency_per_host: 1');
      const links = new Map(
        [`${server.origin}/c`, `${server.origin}/a`, `${server.origin}/b`, `${server.origin}/intern/x`].map((u) => [u, s]),
      );
      const waits: number[] = [];
      const result = await checkLinks(links, { userAgent: 'eti-test', concurrency: 8, sleep: async (ms) => void waits.push(ms) });
      expect([...result]).toEqual([
        [`${server.origin}/a`, { status: 200 }],
        [`${server.origin}/b`, { status: 404 }],
        [`${server.origin}/c`, { status: 200 }],
      ]);
      expect(server.hits.has('/intern/x')).toBe(false);
      expect(maxInFlight).toBe(1);
      // Three requests to one host: the 2nd and 3rd wait for their turn, delay_ms apart.
      expect(waits).toHaveLength(2);
      expect(waits[1]! - waits[0]!).toBeGreaterThan(0);
      expect(waits.every((w) => w > 0 && w <= 10_000)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('records network errors as broken, and leaves private addresses a source does not allow unchecked', async () => {
    const server = await startServer({ '/loop': (_q, r) => void r.writeHead(302, { location: '/loop' }).end() });
    await server.close();
    const closed = source(server.origin, 'allow_private_network: true, delay_ms: 0, respect_robots: false, timeout_ms: 2000');
    const refused = source('http://127.0.0.1:9', 'delay_ms: 0, respect_robots: false');
    const result = await checkLinks(
      new Map([
        [`${server.origin}/loop`, closed],
        ['http://127.0.0.1:9/x', refused],
      ]),
      { userAgent: 'eti-test', concurrency: 2 },
    );
    expect([...result.keys()]).toEqual([`${server.origin}/loop`]);
    expect(result.get(`${server.origin}/loop`)!.error).toMatch(/^network: /);
  });
});

describe('--check-links: how many, which first, and what is kept', () => {
  const sources = parseConfig(
    `version: 1\ncontact: t@example.org\nsources:\n  - { id: b, name: B, owner: B, start_urls: ['https://b.example/'], allowed_hosts: [b.example, a.example] }\n  - { id: a, name: A, owner: A, start_urls: ['https://a.example/'] }\n`,
    'sources.yaml',
  ).sources;
  const page = (sourceId: string, url: string, over: Partial<PageRecord> = {}): PageRecord => ({
    url,
    sourceId,
    finalUrl: url,
    redirects: [],
    depth: 0,
    firstSeenAt: NOW,
    consecutiveFailures: 0,
    versions: [
      {
        contentHash: 'h',
        markdownHash: 'm',
        rawHash: 'r',
        title: 'T',
        lang: 'nb',
        dates: {},
        dateStamps: [],
        method: 'readability',
        via: 'http',
        firstSeenAt: NOW,
        lastSeenAt: NOW,
      },
    ],
    ...over,
  });
  const shard = (sourceId: string, pages: PageRecord[]): ShardData => ({
    schemaVersion: 2,
    sourceId,
    summaries: {},
    reviews: {},
    pages: Object.fromEntries(pages.map((p) => [p.url, p])),
  });

  it('lists targets by source order, then URL; a link two sources share is checked under the first', () => {
    const shards = new Map([
      ['b', shard('b', [page('b', 'https://b.example/p'), page('b', 'https://b.example/gone', { removedAt: NOW })])],
      ['a', shard('a', [page('a', 'https://a.example/p')])],
    ]);
    const links = new Map([
      ['https://b.example/p', ['https://b.example/z', 'https://a.example/shared', 'https://b.example/m', 'https://other.example/x']],
      ['https://b.example/gone', ['https://b.example/only-on-a-removed-page']],
      ['https://a.example/p', ['https://a.example/shared', 'https://a.example/c']],
    ]);
    const targets = linkTargets(sources, shards, links);
    expect([...targets].map(([url, s]) => [url, s.id])).toEqual([
      ['https://a.example/shared', 'b'],
      ['https://b.example/m', 'b'],
      ['https://b.example/z', 'b'],
      ['https://a.example/c', 'a'],
    ]);
  });

  it('checks at most maxLinks: never checked first, then checked longest ago, ties in target order', () => {
    const [b, a] = sources as [ResolvedSource, ResolvedSource];
    const targets = new Map([
      ['https://b.example/1', b],
      ['https://b.example/2', b],
      ['https://b.example/3', b],
      ['https://a.example/1', a],
      ['https://a.example/2', a],
    ]);
    const stored = new Map([
      ['https://b.example/1', { checkedAt: '2026-03-02T00:00:00.000Z' }],
      ['https://b.example/2', { checkedAt: '2026-03-01T00:00:00.000Z' }],
      ['https://a.example/1', { checkedAt: '2026-03-01T00:00:00.000Z' }],
      ['https://gone.example/x', { checkedAt: '2020-01-01T00:00:00.000Z' }],
    ]);
    const { due, left } = linksDue(targets, stored, 4);
    expect([...due.keys()]).toEqual(['https://b.example/3', 'https://a.example/2', 'https://b.example/2', 'https://a.example/1']);
    expect(left).toBe(1);
    expect(linksDue(targets, stored, 100).left).toBe(0);
    expect([...linksDue(targets, new Map(), 2).due.keys()]).toEqual(['https://b.example/1', 'https://b.example/2']);
    expect(DEFAULT_MAX_LINKS).toBe(2000);
  });

  it('eti audit --check-links --max-links: works through every link over runs, oldest check first, and later audits report what it stored', async () => {
    const server = await startServer({
      '/robots.txt': (_q, r) => void r.writeHead(404).end(),
      '/b': html('<p>tilbake</p>'),
      '/c': html('<p>satser</p>'),
      '/e': html('feil', {}, 500),
    });
    try {
      const ws = await seedWorkspace(server.origin);
      const at = (iso: string) => io(ws, { ETI_NOW: iso });
      const hits = () => ['/b', '/c', '/d', '/e'].map((p) => server.hits.get(p) ?? 0);
      // /a links to /b, /c, /d and /e on nav's host: two a run.
      const t1 = at(NOW);
      expect(await main(['audit', '--json', '--check-links', '--max-links', '2', '--source', 'nav'], t1)).toBe(0);
      expect(JSON.parse(t1.out)).toMatchObject({ linksChecked: 2, linksUnchecked: 2 });
      expect(hits()).toEqual([1, 1, 0, 0]);

      const t2 = at('2026-03-03T12:00:00.000Z');
      expect(await main(['audit', '--check-links', '--max-links', '2', '--source', 'nav'], t2)).toBe(0);
      expect(hits()).toEqual([1, 1, 1, 1]);
      expect(t2.err).toContain('warning: --check-links: 2 links left unchecked (--max-links 2); the next run checks them first');
      expect(t2.out).toContain(`${server.origin}/d  HTTP 404`);

      // Everything checked once: the oldest checks (/b, /c from the first run) go first, then /d.
      const t3 = at('2026-03-04T12:00:00.000Z');
      expect(await main(['audit', '--json', '--check-links', '--max-links', '3', '--source', 'nav'], t3)).toBe(0);
      expect(JSON.parse(t3.out)).toMatchObject({ linksChecked: 3, linksUnchecked: 1 });
      expect(hits()).toEqual([2, 2, 2, 1]);

      const stored = JSON.parse(await readFile(path.join(storeDirOf(ws), 'link-checks.json'), 'utf8'));
      expect(stored.links).toEqual({
        [`${server.origin}/b`]: { checkedAt: '2026-03-04T12:00:00.000Z', sourceId: 'nav', status: 200 },
        [`${server.origin}/c`]: { checkedAt: '2026-03-04T12:00:00.000Z', sourceId: 'nav', status: 200 },
        [`${server.origin}/d`]: { checkedAt: '2026-03-04T12:00:00.000Z', sourceId: 'nav', status: 404 },
        [`${server.origin}/e`]: { checkedAt: '2026-03-03T12:00:00.000Z', sourceId: 'nav', status: 500 },
      });

      // Without --check-links nothing is fetched and the stored results are reported, with their
      // date: /b (removed in the store on 20 Feb) answered 200 since, so it is not broken.
      const t4 = at('2026-03-05T12:00:00.000Z');
      expect(await main(['audit', '--json', '--source', 'nav'], t4)).toBe(0);
      const a = JSON.parse(t4.out);
      expect(hits()).toEqual([2, 2, 2, 1]);
      expect(a.linksChecked).toBeUndefined();
      expect(a.linksUnchecked).toBeUndefined();
      expect(
        a.brokenLinks.map((l: { link: string; via: string; reason: string; checkedAt?: string }) => [l.link, l.via, l.reason, l.checkedAt]),
      ).toEqual([
        [`${server.origin}/d`, 'check', 'HTTP 404 (checked 2026-03-04)', '2026-03-04T12:00:00.000Z'],
        [`${server.origin}/e`, 'check', 'HTTP 500 (checked 2026-03-03)', '2026-03-03T12:00:00.000Z'],
      ]);

      expect(await main(['audit', '--max-links', '5'], at(NOW))).toBe(2);
      expect(await main(['audit', '--check-links', '--max-links', '0'], at(NOW))).toBe(2);
    } finally {
      await server.close();
    }
  });

  it("forgets stored links the checked sources no longer link to, keeps other sources' and later checks by another process", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-links-'));
    const store = await Store.open(dir);
    const server = await startServer({ '/now': html('<p>ok</p>') });
    try {
      const [nav] = parseConfig(
        `version: 1\ncontact: t@example.org\nsources:\n  - { id: nav, name: NAV, owner: NAV, start_urls: ['${server.origin}/'], allow_private_network: true, respect_robots: false, delay_ms: 0 }\n`,
        'sources.yaml',
      ).sources;
      const o = server.origin;
      await store.putLinkChecks(
        new Map([
          [`${o}/unlinked`, { checkedAt: '2026-01-01T00:00:00.000Z', sourceId: 'nav', status: 404 }],
          ['https://k.example/x', { checkedAt: '2026-01-01T00:00:00.000Z', sourceId: 'kommune', status: 404 }],
          // Checked by another audit after this one's clock: it stays as that audit found it.
          [`${o}/now`, { checkedAt: '2026-04-01T00:00:00.000Z', sourceId: 'nav', status: 503 }],
        ]),
      );
      await checkAndRecordLinks(new Map([[`${o}/now`, nav!]]), {
        store,
        clock: () => new Date(NOW),
        sources: [nav!],
        userAgent: 'eti-test',
        concurrency: 1,
      });
      expect(server.hits.get('/now')).toBe(1);
      expect(Object.fromEntries(await (await Store.open(dir)).linkChecks())).toEqual({
        'https://k.example/x': { checkedAt: '2026-01-01T00:00:00.000Z', sourceId: 'kommune', status: 404 },
        [`${o}/now`]: { checkedAt: '2026-04-01T00:00:00.000Z', sourceId: 'nav', status: 503 },
      });
    } finally {
      await server.close();
    }
  });

  it('saves results while it checks, so an audit killed halfway keeps what it found; an unreadable file is a one-line error', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-links-'));
    const store = await Store.open(dir);
    let sawSaved = false;
    const server = await startServer({
      '/first': html('<p>ok</p>', {}, 404),
      // Answers only once /first is on disk (read by a second store, as a later process would).
      '/second': (_q, r) => {
        const poll = async (): Promise<void> => {
          const other = await Store.open(dir);
          if ((await other.linkChecks()).has(`${server.origin}/first`)) {
            sawSaved = true;
            return void r.writeHead(200, { 'content-type': 'text/html' }).end('<p>ok</p>');
          }
          setTimeout(() => void poll(), 10);
        };
        void poll();
      },
    });
    try {
      const [s] = parseConfig(
        `version: 1\ncontact: t@example.org\nsources:\n  - { id: nav, name: NAV, owner: NAV, start_urls: ['${server.origin}/'], allow_private_network: true, respect_robots: false, delay_ms: 0, concurrency_per_host: 1 }\n`,
        'sources.yaml',
      ).sources;
      const targets = new Map([
        [`${server.origin}/first`, s!],
        [`${server.origin}/second`, s!],
      ]);
      const { checks, unchecked } = await checkAndRecordLinks(targets, {
        store,
        clock: () => new Date(NOW),
        userAgent: 'eti-test',
        concurrency: 1,
        saveEveryMs: 0,
      });
      expect(sawSaved).toBe(true);
      expect([...checks]).toEqual([
        [`${server.origin}/first`, { status: 404 }],
        [`${server.origin}/second`, { status: 200 }],
      ]);
      expect(unchecked).toBe(0);
      expect([...(await store.linkChecks()).keys()]).toEqual([`${server.origin}/first`, `${server.origin}/second`]);

      await writeFile(path.join(dir, 'link-checks.json'), '{"links": {"trunc');
      await expect(store.linkChecks()).rejects.toThrow(/link-checks\.json: cannot read the stored link checks/);
    } finally {
      await server.close();
    }
  });
});
