/**
 * Crash safety: `eti crawl` killed with SIGKILL in the middle of a crawl, then run again.
 * The built CLI runs as a child process against a slow loopback site. Needs `npm run build`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killLoop } from '../../bench/kills.js';
import { startAnthropicServer } from '../helpers/anthropic-server.js';
import { CLI, eti, jsonLines, ROOT } from '../helpers/cli-process.js';

const PAGES = 60;

const page = (i: number): string =>
  `<!doctype html><html lang="nb"><head><title>Side ${i}</title></head><body><main><h1>Side ${i}</h1>` +
  `<p>Avlastning nummer ${i} gis til foreldre med særlig tyngende omsorgsarbeid. ${'Kommunen vurderer behovet i hvert enkelt tilfelle og fatter et vedtak. '.repeat(8)}</p></main></body></html>`;

/** A slow site: an index linking PAGES pages, each answered after 60 ms. Counts requests per path. */
async function slowSite(): Promise<{ origin: string; hits: Map<string, number>; close: () => Promise<void> }> {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const p = new URL(req.url!, 'http://x').pathname;
    hits.set(p, (hits.get(p) ?? 0) + 1);
    if (p === '/robots.txt') return void res.writeHead(404).end();
    const m = /^\/side\/(\d+)\/$/.exec(p);
    const body =
      p === '/'
        ? `<!doctype html><html lang="nb"><head><title>Oversikt</title></head><body><main><h1>Oversikt</h1><p>${'Alle sidene om avlastning og omsorgsstønad. '.repeat(10)}</p><ul>${Array.from({ length: PAGES }, (_, i) => `<li><a href="/side/${i}/">Side ${i}</a></li>`).join('')}</ul></main></body></html>`
        : m && Number(m[1]) < PAGES
          ? page(Number(m[1]))
          : undefined;
    setTimeout(() => {
      if (body === undefined) res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Ikke funnet</h1>');
      else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    }, 60);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function workspace(origin: string): Promise<string> {
  const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-crash-'));
  await writeFile(
    path.join(ws, 'sources.yaml'),
    `version: 1
contact: test@example.org
defaults: { delay_ms: 0, allow_private_network: true, render: http, concurrency_per_host: 2, use_sitemap: false }
sources:
  - { id: sakte, name: Sakte, owner: Test, start_urls: ['${origin}/'], include: ['^${origin.replace(/\./g, '\\.')}/side/'], max_depth: 1 }
`,
  );
  return ws;
}

/** Pages with a stored version in the shard file, read the way the next run will read it. */
async function storedPages(ws: string): Promise<string[]> {
  const file = path.join(ws, '.eti', 'index', 'sakte.json');
  if (!existsSync(file)) return [];
  const data = JSON.parse(await readFile(file, 'utf8')) as { pages: Record<string, { versions: unknown[] }> };
  return Object.values(data.pages)
    .filter((p) => p.versions.length > 0)
    .map((p) => (p as unknown as { url: string }).url);
}

/** The `crawl-result` line of `eti crawl --json`. */
function crawlResult(stdout: string): { type: string; counts?: Record<string, number> } {
  const line = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string; counts?: Record<string, number> })
    .find((e) => e.type === 'crawl-result');
  if (!line) throw new Error(`no crawl-result in the output:\n${stdout.slice(0, 500)}`);
  return line;
}

/** Start `eti crawl`, wait until `ready()` says so, then SIGKILL it. */
async function crawlAndKill(ws: string, ready: () => Promise<boolean>): Promise<void> {
  const child = spawn(process.execPath, [CLI, 'crawl', '-w', ws, '--quiet'], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  const deadline = Date.now() + 60_000;
  while (!(await ready()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGKILL');
  await exited;
}

describe('a crawl killed with SIGKILL', () => {
  let site: Awaited<ReturnType<typeof slowSite>>;
  beforeAll(async () => {
    site = await slowSite();
  });
  afterAll(async () => {
    await site.close();
  });

  it('leaves a store the next run opens; the next run does not fetch again what was stored, and finishes the crawl', async () => {
    const ws = await workspace(site.origin);
    site.hits.clear();
    await crawlAndKill(ws, async () => (await storedPages(ws)).length >= 10);
    const storedAtKill = await storedPages(ws);
    expect(storedAtKill.length).toBeGreaterThanOrEqual(10);
    expect(storedAtKill.length).toBeLessThan(PAGES + 1); // it really was cut off
    expect(existsSync(path.join(ws, '.eti', 'lock'))).toBe(true); // the dead process's lock is left behind

    const resumed = await eti(['crawl', '-w', ws, '--json']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const summary = crawlResult(resumed.stdout);
    expect(summary.counts!.resumed).toBe(storedAtKill.length);
    for (const url of storedAtKill) expect(site.hits.get(new URL(url).pathname), url).toBe(1);
    expect((await storedPages(ws)).length).toBe(PAGES + 1);

    // The run after that is an ordinary recrawl again: everything is fetched (conditionally).
    const normal = await eti(['crawl', '-w', ws, '--json']);
    expect(normal.code).toBe(0);
    expect(crawlResult(normal.stdout).counts!.resumed).toBe(0);
    expect(site.hits.get('/side/0/')).toBe(2);
  }, 120_000);

  it('at any moment: after kills at different points, the next run opens the store and the audit reads it', async () => {
    const ws = await workspace(site.origin);
    for (const afterMs of [150, 700, 1500, 2600]) {
      const t0 = Date.now();
      await crawlAndKill(ws, async () => Date.now() - t0 >= afterMs);
      const audit = await eti(['audit', '-w', ws, '--json']);
      expect(audit.stderr).toBe('');
      expect(audit.code).toBe(0);
    }
    const last = await eti(['crawl', '-w', ws, '--quiet']);
    expect(last.stderr).toBe('');
    expect(last.code).toBe(0);
    expect((await storedPages(ws)).length).toBe(PAGES + 1);
  }, 120_000);
});

describe('a crawl of a site that changes under it, killed again and again', () => {
  it('tears no file and loses no update: after the next complete crawl every stored page is the site’s (6 kills here; npm run bench:kills does 50)', async () => {
    const r = await killLoop({ kills: 6, pages: 60, seed: 15 });
    expect(r.kills).toBe(6);
    expect(r.atFlush).toBe(3); // three of them right after a flush
    expect(r.tornFiles).toBe(0);
    expect(r.finalExit, r.finalStderr).toBe(0);
    expect(r.missing).toEqual([]);
    expect(r.differing).toEqual([]);
    expect(r.missingBlobs).toEqual([]);
  }, 170_000);
});

describe('a summarise run killed with SIGKILL', () => {
  let site: Awaited<ReturnType<typeof slowSite>>;
  beforeAll(async () => {
    site = await slowSite();
  });
  afterAll(async () => {
    await site.close();
  });

  /**
   * Summaries and review items in the source's files (schema 4: `sakte.summaries.jsonl`, one
   * summary a line, and `sakte.reviews.json`), as the next run will read them: complete lines only.
   */
  async function storedSummaries(ws: string): Promise<{ summaries: number; items: number }> {
    const dir = path.join(ws, '.eti', 'index');
    const log = path.join(dir, 'sakte.summaries.jsonl');
    const reviews = path.join(dir, 'sakte.reviews.json');
    const lines = existsSync(log) ? (await readFile(log, 'utf8')).split('\n').slice(0, -1) : [];
    const ids = new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id));
    const data = existsSync(reviews) ? (JSON.parse(await readFile(reviews, 'utf8')) as { reviews?: Record<string, unknown> }) : {};
    return { summaries: ids.size, items: Object.keys(data.reviews ?? {}).length };
  }

  it('keeps the summaries made before the kill (saved every few seconds), and the next run pays only for the rest', async () => {
    const ws = await workspace(site.origin);
    await cp(path.join(ROOT, 'prompts'), path.join(ws, 'prompts'), { recursive: true });
    expect((await eti(['crawl', '-w', ws, '--quiet'])).code).toBe(0);
    const api = await startAnthropicServer({ apiKey: 'sk-test-kill' });
    try {
      // The API answers 10 requests, then hangs: the run never finishes on its own.
      api.stallAfter = 10;
      const env = { ...process.env, ANTHROPIC_API_KEY: 'sk-test-kill', ANTHROPIC_BASE_URL: api.url, NO_COLOR: '1' };
      const child = spawn(process.execPath, [CLI, 'summarize', '--provider', 'anthropic', '-w', ws, '--quiet'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env,
      });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      let hasExited = false;
      const exited = new Promise((r) => child.once('exit', r)).then(() => (hasExited = true));
      const deadline = Date.now() + 60_000;
      while ((await storedSummaries(ws)).summaries < 10 && !hasExited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(hasExited, `the run ended on its own: ${stderr}`).toBe(false);
      child.kill('SIGKILL');
      await exited;
      const atKill = await storedSummaries(ws);
      expect(atKill.summaries).toBe(10);
      expect(atKill.items).toBe(10);
      const created = (await readFile(path.join(ws, '.eti', 'review-log.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .filter((l) => l.includes('"created"'));
      expect(created).toHaveLength(10);

      api.stallAfter = Number.POSITIVE_INFINITY;
      const before = api.requests.length;
      const rest = await eti(['summarize', '--provider', 'anthropic', '-w', ws, '--json'], {
        ANTHROPIC_API_KEY: 'sk-test-kill',
        ANTHROPIC_BASE_URL: api.url,
      });
      expect(rest.code, rest.stderr).toBe(0);
      const result = jsonLines(rest.stdout).find((l) => l.type === 'summarize-result')!;
      expect(result.llmCalls).toBe(PAGES + 1 - 10);
      expect(api.requests.length - before).toBe(PAGES + 1 - 10);
      expect(await storedSummaries(ws)).toEqual({ summaries: PAGES + 1, items: PAGES + 1 });
    } finally {
      await api.close();
    }
  }, 120_000);
});
