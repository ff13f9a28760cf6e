/**
 * End to end: the built CLI (dist/src/cli.js) as a child process, against the embedded demo
 * site served on loopback. Needs `npm run build` first (`npm test` does it).
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDemoWorkspace } from '../../src/commands/demo.js';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import { eti, jsonLines } from '../helpers/cli-process.js';

interface Item {
  id: string;
  url: string;
  kind: string;
  status: string;
  contentHash: string;
}

async function pending(ws: string): Promise<Item[]> {
  const r = await eti(['review', 'list', '--json', '-w', ws]);
  expect(r.code).toBe(0);
  return (jsonLines(r.stdout)[0]!.items as Item[]) ?? [];
}

describe('the pipeline end to end on the demo site', () => {
  let server: DemoServer;
  let ws: string;
  const T1 = '2026-11-01T08:00:00.000Z';
  const T2 = '2026-11-02T08:00:00.000Z';

  beforeAll(async () => {
    server = await startDemoServer({ version: 'v1' });
    ws = await mkdtemp(path.join(os.tmpdir(), 'eti-e2e-'));
    await prepareDemoWorkspace(ws, server.origin);
  });
  afterAll(async () => {
    await server.close();
  });

  it('crawls v1, summarises, and publishes only what an editor approved', async () => {
    const crawl = await eti(['crawl', '-w', ws], { ETI_NOW: T1 });
    expect(crawl.stderr).not.toMatch(/internal error/);
    expect(crawl.code, crawl.stderr).toBe(0);
    expect(crawl.stdout).toMatch(/Crawled \d+ URLs from 6 sources/);
    expect(crawl.stdout).toMatch(/robots|skipped/);
    const sum = await eti(['summarize', '-w', ws], { ETI_NOW: T1 });
    expect(sum.code).toBe(0);
    expect(sum.stdout).toMatch(/offline\/extractive-v1: \d+ LLM calls/);

    const items = await pending(ws);
    const rates = items.find((i) => i.url.endsWith('/nav/satser/grunn-og-hjelpestonad/'));
    const bpa = items.find((i) => i.url.endsWith('/kommune/fjordvik/bpa/'));
    expect(rates, 'rate page queued').toBeDefined();
    expect(bpa, 'bpa page queued').toBeDefined();

    const rest = items.filter((i) => i !== bpa).map((i) => i.id);
    const ok = await eti(['review', 'approve', ...rest, '--as', 'Kari Redaktør', '--note', 'sjekket', '-w', ws], { ETI_NOW: T1 });
    expect(ok.code, ok.stderr).toBe(0);
    const rej = await eti(['review', 'reject', bpa!.id, '--reason', 'mangler timetall', '--as', 'Kari Redaktør', '-w', ws], {
      ETI_NOW: T1,
    });
    expect(rej.code, rej.stderr).toBe(0);

    const pub = await eti(['publish', '-w', ws], { ETI_NOW: T1 });
    expect(pub.code, pub.stderr).toBe(0);
    const out = path.join(ws, 'output');
    const id = (await readFile(path.join(out, 'LATEST'), 'utf8')).trim();
    const bundle = JSON.parse(await readFile(path.join(out, id, 'bundle.json'), 'utf8')) as {
      pages: { url: string; summary: string; keyFacts: { fact: string }[]; approvedBy: string; slug: string }[];
    };
    const ratePage = bundle.pages.find((p) => p.url === rates!.url)!;
    expect(ratePage, 'rate page published').toBeDefined();
    expect(JSON.stringify(ratePage)).toContain('8 232');
    expect(ratePage.approvedBy).toBe('Kari Redaktør');
    expect(bundle.pages.some((p) => p.url === bpa!.url)).toBe(false);
    const md = await readFile(path.join(out, id, 'pages', `${ratePage.slug}.md`), 'utf8');
    expect(md).toMatch(/^---\ntitle: /);
    expect(md).toContain('8 232');

    const check = await eti(['publish', '--check', path.join(out, id)]);
    expect(check.code, check.stderr).toBe(0);
    await writeFile(path.join(out, id, 'index.md'), 'tampered\n', { flag: 'a' });
    const bad = await eti(['publish', '--check', path.join(out, id)]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/index\.md: sha256 differs from manifest\.json/);
  });

  it('gives byte-identical bundles for the same store', async () => {
    const a = path.join(ws, 'out-a');
    const b = path.join(ws, 'out-b');
    const pa = await eti(['publish', '-w', ws, '--out', a]);
    expect(pa.code, pa.stderr).toBe(0);
    expect((await eti(['publish', '-w', ws, '--out', b])).code).toBe(0);
    const id = (await readFile(path.join(a, 'LATEST'), 'utf8')).trim();
    expect((await readFile(path.join(b, 'LATEST'), 'utf8')).trim()).toBe(id);
    const files = await readdir(path.join(a, id), { recursive: true });
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      if (!f.includes('.')) continue;
      expect(await readFile(path.join(b, id, f)), f).toEqual(await readFile(path.join(a, id, f)));
    }
  });

  it('an unchanged recrawl makes no LLM calls and no review items', async () => {
    const crawl = await eti(['crawl', '--json', '-w', ws], { ETI_NOW: T1 });
    const result = jsonLines(crawl.stdout).find((l) => l.type === 'crawl-result') as { counts: Record<string, number> };
    expect(result.counts.new).toBe(0);
    expect(result.counts.changed).toBe(0);
    expect((result.counts['not-modified'] ?? 0) + (result.counts.unchanged ?? 0)).toBeGreaterThan(10);
    const sum = await eti(['summarize', '--json', '-w', ws], { ETI_NOW: T1 });
    const r = jsonLines(sum.stdout).find((l) => l.type === 'summarize-result') as { llmCalls: number; created: unknown[] };
    expect(r.llmCalls).toBe(0);
    expect(r.created).toEqual([]);
  });

  it('v2: names the changed rate, reports the date-only page, queues the changes, keeps the approved text published', async () => {
    server.setVersion('v2');
    const crawl = await eti(['crawl', '-w', ws], { ETI_NOW: T2 });
    expect(crawl.stdout).toMatch(/changed\s+\S+\/nav\/satser\/grunn-og-hjelpestonad\//);
    expect(crawl.stdout).toMatch(/date-only\s+\S+\/kommune\/fjordvik\/avlastning\/\s+\(only the page's date stamp changed\)/);
    expect(crawl.stdout).toMatch(/new\s+\S+\/nav\/ekstra-omsorgsdager\//);
    expect(crawl.stdout).toMatch(/removed\s+\S+\/kommune\/fjordvik\/bpa\//);

    const sum = await eti(['summarize', '-w', ws], { ETI_NOW: T2 });
    expect(sum.code, sum.stderr).toBe(0);
    const items = await pending(ws);
    const rate = items.find((i) => i.url.endsWith('/nav/satser/grunn-og-hjelpestonad/'));
    expect(rate?.kind).toBe('changed');
    expect(items.some((i) => i.url.endsWith('/kommune/fjordvik/avlastning/'))).toBe(false);
    expect(items.find((i) => i.url.endsWith('/nav/ekstra-omsorgsdager/'))?.kind).toBe('new');

    const diff = await eti(['diff', '-w', ws]);
    expect(diff.stdout).toContain('[-8 232-]');
    expect(diff.stdout).toContain('{+8 580+}');

    // The changed page stays published with its approved v1 text until re-approved.
    const pub = await eti(['publish', '-w', ws, '--out', path.join(ws, 'out-v2')]);
    expect(pub.code).toBe(0);
    const id = (await readFile(path.join(ws, 'out-v2', 'LATEST'), 'utf8')).trim();
    const bundle = await readFile(path.join(ws, 'out-v2', id, 'bundle.json'), 'utf8');
    expect(bundle).toContain('8 232');
    expect(bundle).not.toContain('8 580');
  });

  it('a broken sources.yaml gives a one-line error with its line number and exit code 2', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-bad-'));
    await writeFile(
      path.join(dir, 'sources.yaml'),
      'version: 1\ncontact: a@b.no\nsources:\n  - id: nav\n    name: NAV\n    owner: NAV\n    start_urls: [https://www.nav.no/]\n    render: chrome\n',
    );
    const r = await eti(['crawl', '-w', dir]);
    expect(r.code).toBe(2);
    const first = r.stderr.split('\n')[0]!;
    expect(first).toMatch(/^eti: \S*sources\.yaml:8 sources\[0\]\.render: expected "http", "browser" or "auto", got "chrome"$/);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2); // the error, and at most a hint
  });
});

describe('the CLI with the Anthropic provider (real SDK, loopback Messages API)', () => {
  it('summarises through the API once, and never again for content it has seen', async () => {
    const { startAnthropicServer } = await import('../helpers/anthropic-server.js');
    const api = await startAnthropicServer({ apiKey: 'sk-ant-e2e-secret' });
    const server = await startDemoServer({ version: 'v1' });
    try {
      const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-e2e-llm-'));
      await prepareDemoWorkspace(ws, server.origin);
      const env = { ANTHROPIC_API_KEY: 'sk-ant-e2e-secret', ANTHROPIC_BASE_URL: api.url };
      expect((await eti(['crawl', '-w', ws], env)).code).toBe(0);
      // The key alone no longer picks the paid provider (issue 18): the run names it.
      const first = await eti(['summarize', '--provider', 'anthropic', '--json', '-w', ws], env);
      expect(first.code, first.stderr).toBe(0);
      const r1 = jsonLines(first.stdout).find((l) => l.type === 'summarize-result') as { llmCalls: number; created: unknown[] };
      expect(r1.llmCalls).toBeGreaterThan(10);
      expect(api.requests).toHaveLength(r1.llmCalls);
      expect(first.stdout + first.stderr).not.toContain('sk-ant-e2e-secret');
      const items = await pending(ws);
      expect(items.length).toBe(r1.created.length);
      // Recrawl and summarise again: nothing new, so not one request.
      expect((await eti(['crawl', '-w', ws], env)).code).toBe(0);
      const again = await eti(['summarize', '--provider', 'anthropic', '--json', '-w', ws], env);
      const r2 = jsonLines(again.stdout).find((l) => l.type === 'summarize-result') as { llmCalls: number };
      expect(r2.llmCalls).toBe(0);
      expect(api.requests).toHaveLength(r1.llmCalls);
      const store = await readdir(path.join(ws, '.eti'), { recursive: true });
      for (const f of store.filter((x) => x.endsWith('.json') || x.endsWith('.jsonl'))) {
        expect(await readFile(path.join(ws, '.eti', f), 'utf8'), f).not.toContain('sk-ant-e2e-secret');
      }
    } finally {
      await server.close();
      await api.close();
    }
  });
});
