/** A workspace with real pending review items: the embedded demo site (v1) crawled and summarised in-process. */
import { appendFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli.js';
import { prepareDemoWorkspace } from '../../src/commands/demo.js';
import type { Io } from '../../src/steps/context.js';
import { startDemoServer } from '../../src/demo/server.js';

export type TestIo = Io & { out: string; err: string };

/** An in-process Io collecting output; `env` starts without USER/EDITOR so defaults are explicit. */
export function testIo(env: Record<string, string> = {}): TestIo {
  const o = { out: '', err: '' } as TestIo;
  return Object.assign(o, {
    stdout: (s: string) => void (o.out += s),
    stderr: (s: string) => void (o.err += s),
    env: { ETI_NOW: '2026-11-01T08:00:00.000Z', ...env },
    cwd: os.tmpdir(),
    isTTY: false,
  });
}

/** Run the CLI in-process; returns exit code and output. */
export async function eti(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const io = testIo(env);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

/**
 * Crawl and summarise demo v1 into a new temp workspace at `now`; every item is pending.
 * `extraSources` is YAML appended to the workspace's `sources:` list (more loopback sites).
 */
export async function seedDemoWorkspace(now = '2026-11-01T08:00:00.000Z', extraSources = ''): Promise<string> {
  const server = await startDemoServer({ version: 'v1', preferredPort: 0 });
  try {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-review-'));
    await prepareDemoWorkspace(ws, server.origin);
    if (extraSources) await appendFile(path.join(ws, 'sources.yaml'), extraSources);
    for (const cmd of ['crawl', 'summarize']) {
      const r = await eti([cmd, '-q', '-w', ws], { ETI_NOW: now });
      if (r.code !== 0) throw new Error(`eti ${cmd} exited ${r.code}: ${r.err}`);
    }
    return ws;
  } finally {
    await server.close();
  }
}

/**
 * Two sentences of an item's own page, verbatim (the spans its generated summary cites), in an
 * order the summary does not use: an editor's faithful rewrite, which the verifier must accept.
 */
export async function faithfulLines(ws: string, item: { sourceId: string; summaryId?: string }): Promise<[string, string]> {
  const { Store, storeDirOf } = await import('../../src/store/store.js');
  const summary = await (await Store.open(storeDirOf(ws))).summary(item.sourceId, item.summaryId!);
  const quotes = [
    ...new Set((summary?.claims ?? []).filter((c) => c.verdict === 'supported').flatMap((c) => c.spans.map((s) => s.quote.trim()))),
  ];
  const plain = quotes.filter((q) => !q.includes('\n') && !q.includes('|') && /[.!?]$/.test(q));
  if (plain.length < 2) throw new Error(`faithfulLines: the summary of ${item.summaryId} cites fewer than two plain sentences`);
  return [plain[plain.length - 1]!, plain[plain.length - 2]!];
}
