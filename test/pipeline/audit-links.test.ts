import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ResolvedSource } from '../../src/config/schema.js';
import { checkLinks } from '../../src/pipeline/audit-links.js';
import { html, startServer } from '../helpers/loopback.js';

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
    const slow = (status: number) => (_q: unknown, r: { writeHead: (s: number, h: object) => { end: (b: string) => void } }) => {
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
      const links = new Map([`${server.origin}/c`, `${server.origin}/a`, `${server.origin}/b`, `${server.origin}/intern/x`].map((u) => [u, s]));
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
