/**
 * `eti summarize --judge` in-process on the demo workspace: the offline judge (labelled, free) and
 * the Anthropic judge through the real SDK against the loopback Messages + Batches API (one batch,
 * cost counted, nothing judged twice), reported in the `judge-result` JSON line.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { Io } from '../../src/steps/context.js';
import { prepareDemoWorkspace } from '../../src/commands/demo.js';
import { startDemoServer } from '../../src/demo/server.js';
import { startReviewServer } from '../../src/review/server.js';
import { type AnthropicServer, startAnthropicServer } from '../helpers/anthropic-server.js';

async function eti(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const o = { out: '', err: '' };
  const io: Io = {
    stdout: (s: string) => void (o.out += s),
    stderr: (s: string) => void (o.err += s),
    env,
    cwd: os.tmpdir(),
    isTTY: false,
  };
  const code = await main(args, io);
  return { code, ...o };
}

interface JudgeLine {
  type: string;
  provider: string;
  calls: number;
  cached: number;
  costUsd: number;
  batches: { submitted: string[]; resumed: string[] };
  claims: { ref: string; verifier: string; gate: string; judge: { verdict: string; reason: string } | null }[];
}
const judgeLine = (out: string): JudgeLine =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as JudgeLine)
    .find((l) => l.type === 'judge-result')!;

async function crawledWorkspace(): Promise<string> {
  const server = await startDemoServer({ version: 'v1', preferredPort: 0 });
  try {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-judge-cli-'));
    await prepareDemoWorkspace(ws, server.origin);
    expect((await eti(['crawl', '-q', '-s', 'demo-nav', '-w', ws])).code).toBe(0);
    return ws;
  } finally {
    await server.close();
  }
}

describe('eti summarize --judge', () => {
  let api: AnthropicServer;
  let offlineWs: string;
  let anthropicWs: string;
  let editWs: string;
  beforeAll(async () => {
    api = await startAnthropicServer({ apiKey: 'sk-judge' });
    api.pollsUntilEnded = 0; // the batch has ended at the first poll: no wait between polls
    offlineWs = await crawledWorkspace();
    anthropicWs = await crawledWorkspace();
    editWs = await crawledWorkspace();
  }, 120_000);
  afterAll(async () => {
    await api.close();
  });

  it('offline: every claim judged from the verifier, labelled as no model, free; the gate is the verifier', async () => {
    const r = await eti(['summarize', '--judge', '--json', '-w', offlineWs]);
    expect(r.code).toBe(0);
    const j = judgeLine(r.out);
    expect(j.provider).toBe('offline');
    expect(j.claims.length).toBeGreaterThan(10);
    expect(j.costUsd).toBe(0);
    for (const c of j.claims) {
      expect(c.judge!.reason).toMatch(/^Offline, ingen KI: /);
      expect(c.gate).toBe(c.verifier);
    }
  }, 60_000);

  it('anthropic: one Message Batch for the claims, cost counted, cached so a second run sends nothing', async () => {
    const env = { ANTHROPIC_API_KEY: 'sk-judge', ANTHROPIC_BASE_URL: api.url };
    const first = await eti(['summarize', '--provider', 'anthropic', '--judge', '--json', '-w', anthropicWs], env);
    expect(first.code).toBe(0);
    const j = judgeLine(first.out);
    expect(j.provider).toBe('anthropic');
    expect(j.batches.submitted).toHaveLength(1);
    const batch = api.batches.find((b) => b.id === j.batches.submitted[0])!;
    expect(batch.requests.every((r) => r.params.tool_choice?.name === 'record_judgement')).toBe(true);
    expect(j.calls).toBe(batch.requests.length);
    expect(j.costUsd).toBeGreaterThan(0);
    expect(j.claims.every((c) => c.judge?.verdict === 'supported')).toBe(true);
    const stored = JSON.parse(await readFile(path.join(anthropicWs, '.eti/judgements.json'), 'utf8'));
    expect(Object.keys(stored.judgements)).toHaveLength(batch.requests.length);

    const batches = api.batches.length;
    const again = judgeLine((await eti(['summarize', '--provider', 'anthropic', '--judge', '--json', '-w', anthropicWs], env)).out);
    expect(again.calls).toBe(0);
    expect(again.cached).toBe(j.claims.length);
    expect(api.batches.length).toBe(batches);

    // The review page shows the judge's opinion under the verifier's, named as not deciding.
    const itemId = (j.claims[0] as unknown as { itemId: string }).itemId;
    const s = await startReviewServer({ workspace: anthropicWs, reviewer: 'Kari' });
    try {
      const page = await (await fetch(`${s.url}item/${itemId}`)).text();
      expect(page).toContain('Andre vurdering (KI-modell');
      expect(page).toContain('ikke avgjørende): bekreftet. Utdraget sier det samme.');
    } finally {
      await s.close();
    }

    // The bundle carries the judge beside each claim's verdict; the same store gives the same bundle.
    expect((await eti(['review', 'approve', '--all', '--kind', 'new', '--as', 'Kari', '-q', '-w', anthropicWs], env)).code).toBe(0);
    expect((await eti(['publish', '-q', '-w', anthropicWs], env)).code).toBe(0);
    const id = (await readFile(path.join(anthropicWs, 'output', 'LATEST'), 'utf8')).trim();
    const bundle = JSON.parse(await readFile(path.join(anthropicWs, 'output', id, 'bundle.json'), 'utf8')) as {
      pages: { claims: { verdict: string; judge?: { verdict: string; provider: string; reason: string } }[] }[];
    };
    const claims = bundle.pages.flatMap((p) => p.claims);
    expect(claims.length).toBeGreaterThan(0);
    expect(claims.every((c) => c.judge?.provider === 'anthropic' && c.judge.reason === 'Utdraget sier det samme.')).toBe(true);
  }, 60_000);

  it('an edited summary is judged as the editor left it, before approval, and cached by its text', async () => {
    const env = { ANTHROPIC_API_KEY: 'sk-judge', ANTHROPIC_BASE_URL: api.url };
    const judge = async () => judgeLine((await eti(['summarize', '--provider', 'anthropic', '--judge', '--json', '-w', editWs], env)).out);
    const first = await judge();
    const itemId = (first.claims[0] as unknown as { itemId: string }).itemId;
    const sentence = 'Grunnstønad gis til alle familier uten søknad.';
    const file = path.join(editWs, 'edit.txt');
    await writeFile(file, `${sentence}\n`);
    const edit = await eti(['review', 'edit', itemId, '--summary-file', file, '--as', 'Kari', '-w', editWs], env);
    expect(edit.code, edit.err).toBe(0);

    const before = api.batches.length;
    const second = await judge();
    // Only the edited sentence is new to the judge: one request, which carries it; the rest comes from the cache.
    expect(second.calls).toBe(1);
    expect(api.batches.length).toBe(before + 1);
    const asked = api.batches.at(-1)!.requests.map((r) => JSON.stringify(r.params.messages));
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain(sentence);
    const mine = second.claims.filter((c) => (c as unknown as { itemId: string }).itemId === itemId);
    expect(mine.map((c) => c.ref)).toContain('summary.0');
    expect(mine.find((c) => c.ref === 'summary.0')!.judge?.verdict).toBe('supported');
    expect(mine.find((c) => c.ref === 'summary.0')!.gate).toBe(mine.find((c) => c.ref === 'summary.0')!.verifier);

    // Cached on the text: judging again sends nothing.
    const third = await judge();
    expect(third.calls).toBe(0);
    expect(api.batches.length).toBe(before + 1);
  }, 60_000);
});
