import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { ResolvedSource } from '../../../src/config/schema.js';
import { FetchError, fetchHttp } from '../../../src/pipeline/fetch/index.js';
import { httpOptionsFor, Politeness } from '../../../src/pipeline/fetch/politeness.js';
import { startServer, type Handler, type Loopback } from '../../helpers/loopback.js';

const UA = 'eti/0.1 (+https://github.com/eti-project/eti; contact: redaksjon@example.org)';

/** Sources as sources.yaml gives them (defaults resolved), all on `origin`. */
function sources(origin: string, ...extras: string[]): ResolvedSource[] {
  const lines = extras.map((extra, i) => `  - { id: s${i}, name: S${i}, owner: O, start_urls: ['${origin}/'], ${extra} }`);
  return parseConfig(`version: 1\ncontact: redaksjon@example.org\nsources:\n${lines.join('\n')}\n`, 'sources.yaml').sources;
}

/**
 * Visit `url` for `source` the way the crawl and the link check do: the host's queue, robots.txt,
 * the host's start gate, then one GET with the source's HTTP options. 'skipped' when robots.txt forbids it.
 */
function visit(p: Politeness, source: ResolvedSource, url: string): Promise<number | 'skipped'> {
  const host = new URL(url).host;
  return p.hostQueue(host, source.concurrency_per_host).add(async () => {
    const rules = await p.rulesFor(source, url);
    if (rules && !rules.isAllowed(url, p.userAgent)) return 'skipped' as const;
    await p.gate(host, p.delayMsFor(source, rules));
    return (await fetchHttp(url, p.httpOptionsFor(source))).status;
  });
}

/**
 * A politeness whose clock stands still at 0 and whose sleep returns at once, recording the start
 * time each request was given (`0 + wait`); the first request to a host starts at 0 without waiting.
 */
function virtual(): { p: Politeness; starts: number[] } {
  const starts: number[] = [];
  const p = new Politeness({ userAgent: UA, now: () => 0, sleep: async (ms) => void starts.push(ms) });
  return { p, starts };
}

/** Answers 200 after `holdMs`, counting requests in flight at once. */
function slowPages(holdMs: number): { handler: Handler; maxInFlight: () => number } {
  let inFlight = 0;
  let max = 0;
  return {
    handler: (_q, r) => {
      inFlight++;
      max = Math.max(max, inFlight);
      setTimeout(() => {
        inFlight--;
        r.writeHead(200, { 'content-type': 'text/html' }).end('<p>x</p>');
      }, holdMs);
    },
    maxInFlight: () => max,
  };
}

let servers: Loopback[] = [];
afterEach(async () => {
  for (const s of servers) await s.close();
  servers = [];
});
async function serve(routes: Record<string, Handler>): Promise<Loopback> {
  const s = await startServer(routes);
  servers.push(s);
  return s;
}
const text =
  (body: string): Handler =>
  (_q, r) =>
    void r.writeHead(200, { 'content-type': 'text/plain' }).end(body);
const ok: Handler = (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('<p>x</p>');

describe('Politeness (loopback)', () => {
  it('gives two sources on one host one start gate: every start at least delay_ms after the one before', async () => {
    const server = await serve({ '/a': ok, '/b': ok, '/c': ok, '/d': ok });
    const [s0, s1] = sources(
      server.origin,
      'allow_private_network: true, respect_robots: false, delay_ms: 400',
      'allow_private_network: true, respect_robots: false, delay_ms: 400',
    );
    const { p, starts } = virtual();
    const statuses = await Promise.all([
      visit(p, s0!, `${server.origin}/a`),
      visit(p, s1!, `${server.origin}/b`),
      visit(p, s0!, `${server.origin}/c`),
      visit(p, s1!, `${server.origin}/d`),
    ]);
    expect(statuses).toEqual([200, 200, 200, 200]);
    // The first at 0; a gate per source would have given [400, 400].
    expect(starts).toEqual([400, 800, 1200]);
    expect([...server.hits.values()]).toEqual([1, 1, 1, 1]);
  });

  it('takes robots.txt Crawl-delay when it is longer than delay_ms, delay_ms when that is longer, and neither without respect_robots', async () => {
    const server = await serve({ '/robots.txt': text('User-agent: *\nCrawl-delay: 2\n'), '/a': ok, '/b': ok, '/c': ok });
    const [short, long, ignoring] = sources(
      server.origin,
      'allow_private_network: true, delay_ms: 500',
      'allow_private_network: true, delay_ms: 5000',
      'allow_private_network: true, delay_ms: 500, respect_robots: false',
    );
    for (const [source, gap] of [
      [short!, 2000],
      [long!, 5000],
      [ignoring!, 500],
    ] as const) {
      const { p, starts } = virtual();
      await Promise.all(['/a', '/b', '/c'].map((path) => visit(p, source, `${server.origin}${path}`)));
      expect({ id: source.id, starts }).toEqual({ id: source.id, starts: [gap, 2 * gap] });
    }
  });

  it('never has more requests in flight to a host than its concurrency_per_host; the first source there sets it', async () => {
    const pages = slowPages(30);
    const routes = Object.fromEntries(['/1', '/2', '/3', '/4', '/5', '/6'].map((path) => [path, pages.handler]));
    const server = await serve(routes);
    const [two, five] = sources(
      server.origin,
      'allow_private_network: true, respect_robots: false, delay_ms: 0, concurrency_per_host: 2',
      'allow_private_network: true, respect_robots: false, delay_ms: 0, concurrency_per_host: 5',
    );
    const p = new Politeness({ userAgent: UA });
    const urls = Object.keys(routes).map((path) => `${server.origin}${path}`);
    // `two` reaches the host first, so its limit holds for `five`'s requests as well.
    const statuses = await Promise.all(urls.map((u, i) => visit(p, i === 0 ? two! : five!, u)));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(pages.maxInFlight()).toBeLessThanOrEqual(2);
    expect(p.hostQueue(new URL(server.origin).host, 5).concurrency).toBe(2);
  });

  it('fetches robots.txt once per source and origin, and skips what it disallows without requesting it', async () => {
    const server = await serve({ '/robots.txt': text('User-agent: eti\nDisallow: /intern/\n'), '/a': ok, '/intern/x': ok });
    const [s0, s1] = sources(server.origin, 'allow_private_network: true, delay_ms: 0', 'allow_private_network: true, delay_ms: 0');
    const p = new Politeness({ userAgent: UA });
    expect(
      await Promise.all([
        visit(p, s0!, `${server.origin}/a`),
        visit(p, s0!, `${server.origin}/intern/x`),
        visit(p, s1!, `${server.origin}/a`),
      ]),
    ).toEqual([200, 'skipped', 200]);
    expect(p.robotsFor(s0!)).toBe(p.robotsFor(s0!));
    expect(server.hits.get('/robots.txt')).toBe(2);
    expect(server.hits.has('/intern/x')).toBe(false);
  });

  it('sends the User-Agent with the contact address, and refuses private addresses unless the source allows them', async () => {
    const agents: (string | undefined)[] = [];
    const server = await serve({ '/a': (q, r) => void (agents.push(q.headers['user-agent']), ok(q, r)) });
    const [allowed, refused] = sources(server.origin, 'allow_private_network: true', 'delay_ms: 0');
    expect(httpOptionsFor(allowed!, UA)).toMatchObject({
      userAgent: UA,
      allowPrivateNetwork: true,
      maxRedirects: 5,
      timeoutMs: allowed!.timeout_ms,
      maxBytes: allowed!.max_bytes,
    });
    const p = new Politeness({ userAgent: UA });
    expect((await fetchHttp(`${server.origin}/a`, p.httpOptionsFor(allowed!))).status).toBe(200);
    expect(agents).toEqual([UA]);
    const err = await fetchHttp(`${server.origin}/a`, p.httpOptionsFor(refused!)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).code).toBe('private-address');
    expect(server.hits.get('/a')).toBe(1);
  });
});
