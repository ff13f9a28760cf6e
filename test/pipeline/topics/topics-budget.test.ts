/**
 * `--max-cost` and `--batch` apply to topic pages as to page summaries: the demo workspace (crawled
 * and summarised offline, its grounded pages approved), then `summarize` with the Anthropic
 * provider through the real SDK against the loopback Messages and Batches API. The topic pages
 * are reserved against what the pages left of the budget; one that does not fit is skipped with a
 * reason for the next run; with `--batch` they go as one Message Batch at batch prices, and a run
 * that stops waiting leaves the batch to the next, which collects it instead of paying again.
 */
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { costUsd, priceFor } from '../../../src/llm/cost.js';
import { decide } from '../../../src/pipeline/review/review.js';
import { loadMemberPages, prepareTopic, readAllTopicFiles, selectMembers, topicsDirOf } from '../../../src/pipeline/topics/index.js';
import { Context } from '../../../src/steps/context.js';
import { runSummarize, type SummarizeFlags } from '../../../src/steps/summarize.js';
import { runTopics } from '../../../src/steps/topics.js';
import { Store, storeDirOf } from '../../../src/store/store.js';
import { startAnthropicServer, toolReply, type AnthropicServer } from '../../helpers/anthropic-server.js';
import { seedDemoWorkspace, testIo } from '../../review/seed.js';

const KEY = 'sk-ant-test-topics';
let template: string;
let ws: string;
let api: AnthropicServer;

beforeAll(async () => {
  template = await seedDemoWorkspace();
  const store = await Store.open(storeDirOf(template));
  for (const item of (await store.reviews()).filter((i) => i.status === 'pending')) {
    const summary = item.summaryId ? await store.summary(item.sourceId, item.summaryId) : undefined;
    if (summary?.grounding.isGrounded)
      store.putReview(decide(item, { status: 'approved', by: 'Kari', at: '2026-11-01T08:00:00.000Z' }, summary));
  }
  await store.flush();
}, 180_000); // crawls and summarises the demo site: seconds on a loaded machine, never a timing assertion

beforeEach(async () => {
  api = await startAnthropicServer({ apiKey: KEY });
  ws = await mkdtemp(path.join(os.tmpdir(), 'eti-topics-budget-'));
  await cp(template, ws, { recursive: true });
});
afterEach(async () => api.close());

function context(): { ctx: Context; out: () => string } {
  const t = testIo({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: api.url });
  return { ctx: new Context(t, { workspace: ws }), out: () => t.out };
}

async function summarize(flags: Partial<SummarizeFlags>) {
  const { ctx, out } = context();
  const release = await ctx.lock('summarize');
  try {
    return { result: await runSummarize(ctx, { provider: 'anthropic', ...flags }), out: out() };
  } finally {
    await release();
  }
}

/** What the run will reserve for each topic page, in the order it plans them: the provider's own estimate at list prices. */
async function estimatedCosts(): Promise<number[]> {
  const { ctx } = context();
  const llm = await ctx.llm({ provider: 'anthropic' });
  const { config, sources } = await ctx.config();
  const pages = await loadMemberPages(await ctx.store(), sources, config.topics);
  const price = priceFor(llm.name, llm.model, config.summarize.prices ?? {})!;
  const out: number[] = [];
  for (const topic of config.topics) {
    const sel = selectMembers(topic, pages.candidates, pages.approved, sources);
    if (!sel.ok) continue;
    for (const audience of topic.audiences) {
      const prepared = prepareTopic(
        { topicId: topic.id, title: topic.title, audience, language: 'nb', members: sel.members },
        {
          llm,
          prompts: await ctx.prompts(),
        },
      );
      out.push(costUsd(llm.estimate!(prepared.request), price));
    }
  }
  return out;
}

/** A valid topic page from the model (the loopback's default answer reads one page, not a topic's several). */
const reply = () =>
  toolReply(
    { summary: 'Kommunen kan gi avlastning.', keyFacts: [], appliesTo: '', howToApply: '', deadlines: [], contacts: [] },
    { evidence: [{ field: 'summary', text: 'Kommunen kan gi avlastning.', quotes: [{ quote: 'avlastning' }] }] },
  );

const compiledIds = async (): Promise<string[]> =>
  (await readAllTopicFiles(topicsDirOf(storeDirOf(ws)))).flatMap((f) => f.compilations.map((c) => c.topicId)).sort();

describe('topic pages within the run budget', () => {
  it('--max-cost: the topic pages that do not fit are skipped with the reason, not sent, and compiled by the next run', async () => {
    const est = await estimatedCosts();
    expect(est).toHaveLength(3);
    const [first, ...rest] = est as [number, ...number[]];
    const maxCost = first + Math.min(...rest) / 2; // room for the first topic page only
    api.enqueue(reply(), reply(), reply());
    const { result, out } = await summarize({ maxCost });
    const topics = result.topics!;
    expect(result.llmCalls).toBe(0); // the pages were summarised before; only topic pages cost anything here
    expect(topics.llmCalls).toBe(1);
    expect(api.requests).toHaveLength(1);
    expect(topics.compiled).toHaveLength(1);
    expect(topics.stoppedBy).toBe('max-cost');
    expect(topics.skipped.map((s) => s.reason)).toEqual([
      'left for the next run (--max-cost: the budget left after the pages)',
      'left for the next run (--max-cost: the budget left after the pages)',
    ]);
    expect(topics.costUsd).toBeGreaterThan(0);
    expect(topics.costUsd).toBe(topics.compiled[0]!.costUsd);
    expect(out).toContain('2 skipped');
    expect(await compiledIds()).toEqual([topics.compiled[0]!.topicId]);

    // Nothing left at all: no request is sent.
    const none = await summarize({ maxCost: 0 });
    expect(none.result.topics!.llmCalls).toBe(0);
    expect(api.requests).toHaveLength(1);

    // The next run without a limit compiles the two left over, and not the first again.
    const next = await summarize({});
    const later = next.result.topics!.compiled.map((c) => c.topicId);
    expect(later).toHaveLength(2);
    expect(later).not.toContain(topics.compiled[0]!.topicId);
    expect(next.result.topics!.cached).toBe(1);
    expect(await compiledIds()).toHaveLength(3);
    expect(api.requests).toHaveLength(3);
  });

  it('counts what the pages spent: the topic pages get only what is left of --max-cost', async () => {
    const est = await estimatedCosts();
    const [first, ...rest] = est as [number, ...number[]];
    api.enqueue(reply(), reply(), reply());
    const { ctx } = context();
    const llm = await ctx.llm({ provider: 'anthropic' });
    const pagesSpent = { usage: { inputTokens: 400_000, outputTokens: 20_000 }, costUsd: 1.5 };
    // Without the pages' spend there would be room for all three; with it, for the first only.
    const maxCost = pagesSpent.costUsd + first + Math.min(...rest) / 2;
    expect(first + rest.reduce((a, b) => a + b, 0)).toBeLessThan(maxCost);
    const r = (await runTopics(ctx, llm, undefined, { maxCost, spent: pagesSpent }))!;
    expect(r.compiled).toHaveLength(1);
    expect(r.skipped).toHaveLength(2);
    expect(r.stoppedBy).toBe('max-cost');
    // --max-tokens likewise: the pages' 420,000 tokens leave none under a 420,000 limit.
    const none = (await runTopics(ctx, llm, undefined, { maxTokens: 420_000, spent: pagesSpent }))!;
    expect(none.llmCalls).toBe(0);
    expect(none.stoppedBy).toBe('max-tokens');
  });

  it('--batch: the topic pages go as one Message Batch at batch prices', async () => {
    api.enqueueBatch(reply(), reply(), reply());
    const { result, out } = await summarize({ batch: true, batchOptions: { pollMs: 1, sleep: async () => {} } });
    const topics = result.topics!;
    expect(api.batches).toHaveLength(1);
    expect(api.requests).toHaveLength(0); // nothing sent directly
    const ids = api.batches[0]!.requests.map((r) => r.custom_id);
    expect(ids.sort()).toEqual(topics.compiled.map((c) => c.id).sort());
    expect(topics.compiled).toHaveLength(3);
    expect(topics.batches).toEqual({ submitted: ['msgbatch_1'], resumed: [] });
    expect(out).toContain('submitted topic batch msgbatch_1');
    const c = topics.compiled[0]!;
    const full = costUsd(c.usage, priceFor('anthropic', c.model, {})!);
    expect(c.costUsd).toBeCloseTo(full / 2, 5); // costs are kept to 6 decimals
    expect(c.costUsd).toBeLessThan(full * 0.51);
    expect(JSON.parse(await readFile(path.join(ws, '.eti', 'topic-batches.json'), 'utf8'))).toEqual({ batches: [] });
  });

  it('--batch: a run that stops waiting leaves the batch; the next collects it instead of resubmitting', async () => {
    api.pollsUntilEnded = 3;
    api.enqueueBatch(reply(), reply(), reply());
    const first = await summarize({ batch: true, batchOptions: { pollMs: 1, maxWaitMs: 1, sleep: async () => {} } });
    expect(first.result.topics!.compiled).toEqual([]);
    expect(first.result.topics!.skipped.map((s) => s.reason)).toEqual(
      Array(3).fill('left for the next run (batch msgbatch_1 is still running; the next --batch run collects it)'),
    );
    const pending = JSON.parse(await readFile(path.join(ws, '.eti', 'topic-batches.json'), 'utf8'));
    expect(pending.batches.map((b: { id: string; keys: string[] }) => [b.id, b.keys.length])).toEqual([['msgbatch_1', 3]]);

    const second = await summarize({ batch: true, batchOptions: { pollMs: 1, sleep: async () => {} } });
    expect(api.batches).toHaveLength(1); // not resubmitted
    expect(second.result.topics!.batches).toEqual({ submitted: [], resumed: ['msgbatch_1'] });
    expect(second.result.topics!.llmCalls).toBe(0);
    expect(second.result.topics!.compiled).toHaveLength(3);
    expect(second.out).toContain('collected topic batch msgbatch_1 (submitted by an earlier run)');
    expect((await compiledIds()).length).toBe(3);
  });
});
