/**
 * `summarize --judge`: after summarising, the LLM judge's second opinion on every claim of every
 * pending item's summary (an edited item's claims as the editor left them), within what is left of `--max-cost`/`--max-tokens`, cached, and reported
 * beside the verifier (text, and a `judge-result` JSON line with `--json`). The judge never gates:
 * publication follows the verifier and the editor.
 */
import { AnthropicJudge } from '../llm/anthropic-judge.js';
import { priceFor } from '../llm/cost.js';
import type { JudgeProvider } from '../llm/judge.js';
import { Budget } from '../pipeline/summarize/index.js';
import { JudgeCache } from '../pipeline/judge/index.js';
import { type JudgeBatchOptions, type JudgeRunResult, type JudgeTask, runJudge } from '../pipeline/judge/index.js';
import { OfflineJudge } from '../pipeline/judge/index.js';
import { evidenceTexts } from '../pipeline/publish/index.js';
import type { TokenUsage } from '../pipeline/types.js';
import { itemClaims } from '../pipeline/verify/index.js';
import type { Context } from './context.js';

/** The judge for the provider the summaries used: Claude for `anthropic`, the labelled offline stand-in otherwise. */
export async function judgeProvider(ctx: Context, flags: { provider?: string; model?: string }): Promise<JudgeProvider> {
  const llm = await ctx.llm(flags);
  if (llm.name !== 'anthropic') return new OfflineJudge();
  return new AnthropicJudge({
    ...(ctx.env.anthropicApiKey ? { apiKey: ctx.env.anthropicApiKey } : {}),
    ...(ctx.env.anthropicBaseUrl ? { baseURL: ctx.env.anthropicBaseUrl } : {}),
    model: llm.model,
  });
}

/** The judge step; `spent`: what summarising already used of the run's budget. */
export async function runJudgeStep(
  ctx: Context,
  flags: {
    provider?: string;
    model?: string;
    maxCost?: number;
    maxTokens?: number;
    batchWait?: number;
    judgeBatchOptions?: JudgeBatchOptions;
  },
  spent: { usage: TokenUsage; costUsd: number },
): Promise<JudgeRunResult> {
  const judge = await judgeProvider(ctx, flags);
  const store = await ctx.store();
  const { config } = await ctx.config();
  const tokensSpent =
    spent.usage.inputTokens + spent.usage.outputTokens + (spent.usage.cacheWriteTokens ?? 0) + (spent.usage.cacheReadTokens ?? 0);
  const budget = new Budget(
    {
      ...(flags.maxCost === undefined ? {} : { maxCostUsd: Math.max(0, flags.maxCost - spent.costUsd) }),
      ...(flags.maxTokens === undefined ? {} : { maxTokens: Math.max(0, flags.maxTokens - tokensSpent) }),
    },
    priceFor(judge.name, judge.model, config.summarize.prices ?? {}),
    { isBatch: judge.submitBatch !== undefined },
  );
  const tasks: JudgeTask[] = [];
  const items = (await store.reviews()).filter((i) => i.status === 'pending' && i.summaryId).sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const item of items) {
    const summary = await store.summary(item.sourceId, item.summaryId!);
    if (!summary) continue;
    // An editor's edit is judged as it stands (cached by its text), as generated claims are.
    const isEdited = item.editedSummary !== undefined || item.editedFields !== undefined;
    const claims = isEdited ? itemClaims(item, summary, await evidenceTexts(store, item, summary)) : (summary.claims ?? []);
    for (const c of claims) {
      tasks.push({
        itemId: item.id,
        url: item.url,
        ref: `${c.field}.${c.index}`,
        verifier: c.verdict,
        request: { field: c.field, claim: c.text, spans: c.spans.map((s) => s.quote), language: summary.language ?? 'nb' },
      });
    }
  }
  const cache = await JudgeCache.open(ctx.workspace);
  const r = await runJudge(tasks, {
    judge,
    cache,
    budget,
    clock: ctx.clock,
    batch: { ...(flags.batchWait === undefined ? {} : { maxWaitMs: flags.batchWait * 60_000 }), ...flags.judgeBatchOptions },
  });
  report(ctx, judge, r);
  return r;
}

function report(ctx: Context, judge: JudgeProvider, r: JudgeRunResult): void {
  const judged = r.claims.filter((c) => c.judge !== null);
  const label = judge.name === 'offline' ? 'offline (the verifier, no model)' : `${judge.name}/${judge.model}`;
  ctx.info(
    `Judge ${label}: ${judged.length} of ${r.claims.length} claims judged (${r.calls} requests, ${r.cached} from cache` +
      `${r.deferred > 0 ? `, ${r.deferred} left for the next run${r.stoppedBy ? ` (--${r.stoppedBy})` : ''}` : ''}` +
      `${r.failures.length > 0 ? `, ${r.failures.length} failed` : ''}), estimated $${r.costUsd.toFixed(4)}`,
  );
  for (const id of r.batches.submitted) ctx.info(`  submitted judge batch ${id}`);
  for (const id of r.batches.resumed) ctx.info(`  collected judge batch ${id} (submitted by an earlier run)`);
  for (const c of r.claims.filter((x) => x.isDisagreement))
    ctx.info(`  judge disagrees: ${c.itemId} ${c.ref} verifier ${c.verifier}, judge unsupported: ${c.judge!.reason}`);
  for (const f of r.failures) ctx.warn(f.message);
  ctx.jsonLine({
    type: 'judge-result',
    provider: judge.name,
    model: judge.model,
    calls: r.calls,
    cached: r.cached,
    deferred: r.deferred,
    ...(r.stoppedBy ? { stoppedBy: r.stoppedBy } : {}),
    usage: r.usage,
    costUsd: r.costUsd,
    batches: r.batches,
    claims: r.claims,
    failures: r.failures,
  });
}
