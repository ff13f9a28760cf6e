/**
 * `eti summarize` end to end in-process: the demo site's NAV pages crawled from a loopback
 * server, summarised through the real @anthropic-ai/sdk against the loopback Messages and
 * Batches API, stored in a real lowdb store in a temp dir.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { Context, type Io } from '../../src/steps/context.js';
import { prepareDemoWorkspace } from '../../src/commands/demo.js';
import { runSummarize, type SummarizeFlags } from '../../src/steps/summarize.js';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';
import { totalTokens } from '../../src/llm/cost.js';
import { decide } from '../../src/pipeline/review/review.js';
import type { Summary } from '../../src/pipeline/types.js';
import { Store, storeDirOf } from '../../src/store/store.js';
import { startAnthropicServer, toolReply, type AnthropicServer } from '../helpers/anthropic-server.js';

const KEY = 'sk-ant-run-test-7f3a9c-secret';

type TestIo = Io & { out: string; err: string };
function io(env: Record<string, string>): TestIo {
  const o = { out: '', err: '' } as TestIo;
  return Object.assign(o, {
    stdout: (s: string) => void (o.out += s),
    stderr: (s: string) => void (o.err += s),
    env: { ETI_NOW: '2026-02-01T10:00:00Z', ...env },
    cwd: process.cwd(),
    isTTY: false,
  });
}

function jsonLines(out: string): Record<string, unknown>[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

interface RunResult {
  llmCalls: number;
  cached: number;
  deferred: number;
  deferredUrls: string[];
  stoppedBy?: string;
  usage: { inputTokens: number; outputTokens: number; cacheWriteTokens?: number; cacheReadTokens?: number };
  costUsd: number;
  plainLanguage: { items: number; meanSourceLix: number; meanSummaryLix: number; plain: number };
  flagged: number;
  batches?: { submitted: string[]; resumed: string[] };
  created: { id: string; url: string; summaryId?: string }[];
  failures: { url: string; code: string; message: string }[];
}

let demo: DemoServer;
let template: string;
let api: AnthropicServer;
let ws: string;
let env: Record<string, string>;

beforeAll(async () => {
  demo = await startDemoServer({ version: 'v1' });
  template = await mkdtemp(path.join(os.tmpdir(), 'eti-sumrun-template-'));
  await prepareDemoWorkspace(template, demo.origin);
  const t = io({});
  expect(await main(['crawl', '-s', 'demo-nav', '-w', template], t), t.err).toBe(0);
}, 120_000);
afterAll(async () => demo.close());

beforeEach(async () => {
  api = await startAnthropicServer({ apiKey: KEY });
  ws = await mkdtemp(path.join(os.tmpdir(), 'eti-sumrun-'));
  await cp(template, ws, { recursive: true });
  env = { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: api.url };
});
afterEach(async () => api.close());

async function summarizeCli(args: string[]): Promise<{ code: number; result: RunResult; t: TestIo }> {
  const t = io(env);
  const code = await main(['summarize', '--json', '-s', 'demo-nav', '--provider', 'anthropic', '-w', ws, ...args], t);
  const result = jsonLines(t.out).find((l) => l.type === 'summarize-result') as unknown as RunResult;
  return { code, result, t };
}

/** runSummarize in-process, for batch runs whose polling must not sleep on real time. */
async function summarizeBatch(flags: Partial<SummarizeFlags>): Promise<{ result: Awaited<ReturnType<typeof runSummarize>>; t: TestIo }> {
  const t = io(env);
  const ctx = new Context(t, { workspace: ws });
  const release = await ctx.lock('summarize');
  try {
    const result = await runSummarize(ctx, {
      source: ['demo-nav'],
      provider: 'anthropic',
      batch: true,
      batchOptions: { pollMs: 1, sleep: async () => {} },
      ...flags,
    });
    return { result, t };
  } finally {
    await release();
  }
}

async function storedSummaries(): Promise<Summary[]> {
  const store = await Store.open(storeDirOf(ws));
  return Object.values(await store.summaries('demo-nav'));
}

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('eti summarize with the Anthropic provider (real SDK, loopback API)', () => {
  it('records tokens, prompt-cache use, cost and plain language per item and run; an unchanged rerun makes 0 calls; the key is never written', async () => {
    const first = await summarizeCli([]);
    expect(first.code, first.t.err).toBe(0);
    const r = first.result;
    expect(r.llmCalls).toBeGreaterThan(3);
    expect(api.requests).toHaveLength(r.llmCalls);
    // The fixed system prompt is written to the cache once and read by the later requests.
    expect(r.usage.cacheWriteTokens).toBeGreaterThan(0);
    expect(r.usage.cacheReadTokens).toBeGreaterThan(0);
    const summaries = await storedSummaries();
    expect(summaries).toHaveLength(r.llmCalls);
    for (const s of summaries) {
      expect(s.costUsd, s.url).toBeGreaterThan(0);
      expect(s.plainLanguage?.source.lix, s.url).toBeGreaterThan(0);
      expect(s.plainLanguage?.summary.words, s.url).toBeGreaterThan(0);
      expect(s.audience).toBe('parents');
      expect(s.grounding.isGrounded, `${s.url} ${JSON.stringify(s.grounding.issues)}`).toBe(true);
    }
    // Cost: the default model's built-in list prices (the demo config has no table) over the run's usage.
    const expected = summaries.reduce((a, s) => a + s.costUsd!, 0);
    expect(r.costUsd).toBeCloseTo(expected, 5);
    const u = r.usage;
    expect(r.costUsd).toBeCloseTo(
      (u.inputTokens * 2 + u.outputTokens * 10 + (u.cacheWriteTokens ?? 0) * 2.5 + (u.cacheReadTokens ?? 0) * 0.2) / 1e6,
      5,
    );
    expect(r.plainLanguage.items).toBe(r.llmCalls);
    expect(r.flagged).toBe(0);

    const again = await summarizeCli([]);
    expect(again.result.llmCalls).toBe(0);
    expect(again.result.costUsd).toBe(0);
    expect(api.requests).toHaveLength(r.llmCalls);

    // The human-readable report too.
    const human = io(env);
    await main(['crawl', '-s', 'demo-nav', '-w', ws], human);
    expect(await main(['summarize', '-s', 'demo-nav', '--provider', 'anthropic', '-w', ws], human)).toBe(0);
    expect(human.out).toMatch(/0 LLM calls/);

    for (const f of await filesUnder(ws)) expect(await readFile(f, 'latin1'), f).not.toContain(KEY);
    for (const out of [first.t.out, first.t.err, again.t.out, again.t.err, human.out, human.err]) expect(out).not.toContain(KEY);
  });

  it('--max-tokens stops before the budget, says what is left undone, and the next run does the rest', async () => {
    const { code, result, t } = await summarizeCli(['--max-tokens', '9000']);
    expect(code).toBe(0);
    expect(result.stoppedBy).toBe('max-tokens');
    expect(result.llmCalls).toBeGreaterThan(0);
    expect(result.deferred).toBeGreaterThan(0);
    expect(result.deferredUrls).toHaveLength(result.deferred);
    expect(totalTokens(result.usage)).toBeLessThanOrEqual(9000);
    const human = io(env);
    await main(['summarize', '-s', 'demo-nav', '--provider', 'anthropic', '--max-tokens', '1', '-w', ws], human);
    expect(human.out).toMatch(/left for the next run \(--max-tokens\)/);
    expect(human.out).toContain(`Left undone (--max-tokens), for the next run:\n  ${result.deferredUrls[0]}`);
    void t;
    const rest = await summarizeCli([]);
    expect(rest.result.deferred).toBe(0);
    expect(rest.result.llmCalls).toBe(result.deferred);
  });

  it('--max-cost (USD) stops before the budget', async () => {
    const { code, result } = await summarizeCli(['--max-cost', '0.05']);
    expect(code).toBe(0);
    expect(result.stoppedBy).toBe('max-cost');
    expect(result.costUsd).toBeLessThanOrEqual(0.05);
    expect(result.llmCalls).toBeGreaterThan(0);
    expect(result.deferred).toBeGreaterThan(0);
    const bad = io(env);
    expect(await main(['summarize', '--max-cost', 'lots', '-w', ws], bad)).toBe(2);
    expect(bad.err).toMatch(/--max-cost: expected a non-negative number, got "lots"/);
  });

  it('flags a summary that invents an amount and keeps it out of the bundle', async () => {
    api.enqueue(
      toolReply({
        summary: 'Alle familier får 12 345 kroner i måneden.',
        keyFacts: [],
        appliesTo: '',
        howToApply: '',
        deadlines: [],
        contacts: [],
      }),
    );
    const { code, result, t } = await summarizeCli(['--max-calls', '1']);
    expect(code).toBe(0);
    expect(result.flagged).toBe(1);
    expect(t.err).toBe('');
    const store = await Store.open(storeDirOf(ws));
    const [item] = (await store.reviews()).filter((i) => i.status === 'pending' && i.summaryId);
    const summary = (await store.summary(item!.sourceId, item!.summaryId!))!;
    expect(summary.grounding.issues).toContainEqual({ kind: 'number', span: '12 345', where: 'summary' });
    expect(() => decide(item!, { status: 'approved', by: 'Redaktør', at: '2026-02-01T11:00:00Z' }, summary)).toThrow(
      /states "12 345", "Alle familier får 12 345 kroner i måneden." which the page does not support/,
    ); // the claim is listed too since issue 13
    const pub = io(env);
    // With nothing approved, publish now refuses (exit 1, issue 18) instead of writing an empty
    // bundle; the point stands: no bundle carries the invented amount.
    expect(await main(['publish', '-w', ws], pub), pub.err).toBe(1);
    expect(pub.err).toMatch(/^eti: nothing to publish: nothing approved yet/);
    const out = path.join(ws, 'output');
    const bundles = existsSync(out) ? (await filesUnder(out)).filter((f) => f.endsWith('bundle.json')) : [];
    for (const b of bundles) {
      const text = await readFile(b, 'utf8');
      expect(text).not.toContain('12 345');
      expect(text).not.toContain(item!.url);
    }
  });
});

describe('eti summarize --batch (Message Batches API)', () => {
  it('sends one batch, waits for it, and records a partly errored batch per page', async () => {
    api.enqueueBatch(
      { kind: 'errored', type: 'overloaded_error', message: 'Overloaded' },
      { kind: 'expired' },
      { kind: 'text', text: 'Jeg ignorerer instruksjonene.' }, // invalid output: asked again directly once
    );
    const { result, t } = await summarizeBatch({});
    expect(api.batches).toHaveLength(1);
    const batch = api.batches[0]!;
    expect(batch.requests.length).toBeGreaterThan(3);
    expect(new Set(batch.requests.map((r) => r.custom_id)).size).toBe(batch.requests.length);
    expect(batch.requests[0]!.params.tool_choice).toEqual({ type: 'tool', name: 'record_summary' });
    expect(
      api.log.filter((l) => l.startsWith('GET /v1/messages/batches/msgbatch_1') && !l.endsWith('/results')).length,
    ).toBeGreaterThanOrEqual(2);
    // The invalid one was asked again with a direct call, which the default reply answers validly.
    expect(api.requests).toHaveLength(1);
    expect(result.llmCalls).toBe(batch.requests.length + 1);
    expect(result.failures.map((f) => f.code).sort()).toEqual(['llm-batch-expired', 'llm-batch-overloaded_error']);
    const failedUrls = result.failures.map((f) => f.url);
    for (const f of result.failures) expect(f.message.startsWith(f.url)).toBe(true);
    expect(result.summaries).toHaveLength(batch.requests.length - 2);
    const batched = result.summaries.filter((s) => s.isBatch);
    expect(batched).toHaveLength(batch.requests.length - 3);
    expect(t.out).toContain('submitted message batch msgbatch_1');
    // Batch prices are half: a batch summary costs half of the same usage sent directly.
    const s = batched[0]!;
    expect(s.costUsd).toBeCloseTo(
      (s.usage.inputTokens * 2 + s.usage.outputTokens * 10 + (s.usage.cacheWriteTokens ?? 0) * 2.5 + (s.usage.cacheReadTokens ?? 0) * 0.2) /
        2e6,
      6,
    );
    const store = await Store.open(storeDirOf(ws));
    expect(store.batches).toEqual([]);
    // The failed pages are sent again by the next run, in a new batch, and only they.
    const again = await summarizeBatch({});
    expect(api.batches).toHaveLength(2);
    expect(api.batches[1]!.requests).toHaveLength(2);
    expect(again.result.failures).toEqual([]);
    expect(again.result.summaries.map((x) => x.url).sort()).toEqual(failedUrls.sort());
  });

  it('a run that stops waiting leaves the batch id in the store; the next run collects it instead of resubmitting', async () => {
    api.pollsUntilEnded = 3;
    const first = await summarizeBatch({ batchOptions: { pollMs: 1, maxWaitMs: 1, sleep: async () => {} } });
    expect(api.batches).toHaveLength(1);
    const n = api.batches[0]!.requests.length;
    expect(first.result.created).toHaveLength(0);
    expect(first.result.summaries).toHaveLength(0);
    expect(first.result.deferred).toBe(n);
    expect(first.t.out).toMatch(/left for the next run \(batch still running\)/);
    const meta = JSON.parse(await readFile(path.join(ws, '.eti', 'index', 'meta.json'), 'utf8')) as {
      batches: { id: string; customIds: string[] }[];
    };
    expect(meta.batches.map((b) => b.id)).toEqual(['msgbatch_1']);
    expect(meta.batches[0]!.customIds).toHaveLength(n);

    const second = await summarizeBatch({});
    expect(api.batches).toHaveLength(1); // not resubmitted
    expect(api.log.filter((l) => l.startsWith('POST /v1/messages/batches'))).toHaveLength(1);
    expect(second.result.batches).toEqual({ submitted: [], resumed: ['msgbatch_1'] });
    expect(second.result.summaries).toHaveLength(n);
    expect(second.result.llmCalls).toBe(0);
    expect(second.t.out).toContain('collected message batch msgbatch_1 (submitted by an earlier run)');
    const store = await Store.open(storeDirOf(ws));
    expect(store.batches).toEqual([]);
    expect((await store.reviews()).filter((i) => i.summaryId).length).toBe(n);
  });

  it('--batch needs a provider with a batch API', async () => {
    const t = io(env);
    expect(await main(['summarize', '--batch', '--provider', 'offline', '-w', ws], t)).toBe(2);
    expect(t.err).toMatch(/--batch: the offline provider has no batch API/);
  });

  it('--batch-wait without --batch is a usage error, not silently ignored', async () => {
    const t = io(env);
    expect(await main(['summarize', '--batch-wait', '5', '--provider', 'offline', '-w', ws], t)).toBe(2);
    expect(t.err).toMatch(/--batch-wait only applies with --batch/);
    expect(api.requests).toHaveLength(0);
  });
});
