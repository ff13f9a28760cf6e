import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { addUsage, totalTokens } from '../llm/cost.js';
import { canBatch, type Audience, type Language } from '../llm/provider.js';
import { fullGc, limitHeapGrowth } from '../memory.js';
import type { BatchOptions } from '../pipeline/summarize/index.js';
import { plainLanguageTotals } from '../pipeline/verify/index.js';
import { updateReviewQueue, type QueueResult } from '../pipeline/summarize/index.js';
import type { TokenUsage } from '../pipeline/types.js';
import type { Context } from './context.js';
import { runTopics } from './topics.js';
import { runJudgeStep } from './summarize-judge.js';
import type { JudgeBatchOptions } from '../pipeline/judge/index.js';
import type { TopicsResult } from '../pipeline/topics/index.js';
import { intFlag, selectSources } from './shared.js';

export interface SummarizeFlags {
  source?: string[];
  provider?: string;
  model?: string;
  maxCalls?: number;
  /** Estimated cost budget of the run, in USD. */
  maxCost?: number;
  /** Token budget of the run (input, output, cache writes and reads together). */
  maxTokens?: number;
  /** Send the pages as one Message Batch (anthropic only) and wait for it. */
  batch?: boolean;
  /** With --batch: minutes to wait before leaving the batch to the next run. */
  batchWait?: number;
  /** Override every selected source's audience / written standard for this run. */
  audience?: Audience;
  language?: Language;
  /** Tests: batch polling without real waits. */
  batchOptions?: BatchOptions;
  /** After summarising, the LLM judge's second opinion on every pending claim (never the gate). */
  judge?: boolean;
  /** Tests: the judge's batch polling without real waits. */
  judgeBatchOptions?: JudgeBatchOptions;
}

/** A non-negative decimal flag (`--max-cost 2.50`); the error names the flag. */
export function decimalFlag(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0)
      throw new UsageError(`${name}: expected a non-negative number, got "${value}"`);
    return n;
  };
}

function choiceFlag<T extends string>(name: string, choices: readonly T[]): (value: string) => T {
  return (value: string) => {
    if (!(choices as readonly string[]).includes(value))
      throw new UsageError(`${name}: expected ${choices.map((c) => `"${c}"`).join(', ')}, got "${value}"`);
    return value as T;
  };
}

/** "12,345 tokens (input 10,000, output 2,000, cache write 300, cache read 45)". */
export function formatUsage(u: TokenUsage): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  return `${n(totalTokens(u))} tokens (input ${n(u.inputTokens)}, output ${n(u.outputTokens)}, cache write ${n(u.cacheWriteTokens ?? 0)}, cache read ${n(u.cacheReadTokens ?? 0)})`;
}

const usd = (x: number): string => `$${x.toFixed(x < 1 ? 4 : 2)}`;

/** Summarise new and changed content and queue it for review. */
export async function runSummarize(ctx: Context, flags: SummarizeFlags): Promise<QueueResult & { topics?: TopicsResult }> {
  if (flags.batchWait !== undefined && !flags.batch)
    throw new UsageError('--batch-wait only applies with --batch', 'Add --batch, or leave out --batch-wait.');
  const selected = await selectSources(ctx, flags.source);
  const sources = selected.map((s) => ({
    ...s,
    ...(flags.audience ? { audience: flags.audience } : {}),
    ...(flags.language ? { language: flags.language } : {}),
  }));
  const llm = await ctx.llm(flags);
  if (flags.batch && !canBatch(llm))
    throw new UsageError(`--batch: the ${llm.name} provider has no batch API`, 'Use --provider anthropic, or leave out --batch.');
  const store = await ctx.store();
  const { config } = await ctx.config();
  const startedAt = ctx.clock().toISOString();
  limitHeapGrowth();
  const result = await updateReviewQueue(sources, {
    store,
    llm,
    prompts: await ctx.prompts(),
    clock: ctx.clock,
    concurrency: config.summarize.concurrency,
    afterFlush: fullGc,
    ...(flags.maxCalls === undefined ? {} : { maxCalls: flags.maxCalls }),
    ...(flags.maxTokens === undefined ? {} : { maxTokens: flags.maxTokens }),
    ...(flags.maxCost === undefined ? {} : { maxCostUsd: flags.maxCost }),
    ...(config.summarize.prices ? { prices: config.summarize.prices } : {}),
    ...(config.summarize.target_lix === undefined ? {} : { targetLix: config.summarize.target_lix }),
    ...(flags.batch
      ? { batch: { ...(flags.batchWait === undefined ? {} : { maxWaitMs: flags.batchWait * 60_000 }), ...flags.batchOptions } }
      : {}),
    onEvent: summarizeEventPrinter(ctx),
  });
  // Its garbage goes now, not while the next step (topics, publish) grows the heap (see runCrawl).
  fullGc();
  ctx.endProgress();
  const plain = plainLanguageTotals(result.summaries.map((s) => s.plainLanguage));
  const flagged = result.summaries.filter((s) => !s.grounding.isGrounded).length;
  const u = result.usage;
  await recordRun(ctx, store, startedAt, result, flagged);
  printSummarizeReport(ctx, `${llm.name}/${llm.model}`, flags, result, { plain, flagged, targetLix: config.summarize.target_lix ?? 40 });
  // Topics are compiled from approved pages only, so after the queue: never from what was just summarised.
  // --max-calls counts them too: what the pages left over is what the topics may use.
  // So do --max-tokens/--max-cost (what the pages spent is spent) and --batch.
  const left = flags.maxCalls === undefined ? undefined : Math.max(0, flags.maxCalls - result.llmCalls);
  const topics = await runTopics(ctx, llm, left, { ...flags, spent: { usage: u, costUsd: result.costUsd } });
  const spent = topics
    ? { usage: addUsage(u, topics.usage), costUsd: result.costUsd + topics.costUsd }
    : { usage: u, costUsd: result.costUsd };
  if (flags.judge) await runJudgeStep(ctx, flags, spent);
  return topics ? { ...result, topics } : result;
}

/** Each page summarised: a JSON line, the progress line, and a warning for an ungrounded or failed one. */
function summarizeEventPrinter(ctx: Context): (e: Parameters<NonNullable<Parameters<typeof updateReviewQueue>[1]['onEvent']>>[0]) => void {
  let done = 0;
  return (e) => {
    done++;
    ctx.jsonLine(e);
    ctx.progress(`summarize ${done} ${e.outcome.padEnd(10)} ${e.url}`.slice(0, 120));
    if (e.outcome === 'summarized') {
      ctx.debug(
        `  ${e.url}: LIX ${e.lix ?? '-'}, ${e.usage ? formatUsage(e.usage) : ''}${e.costUsd === undefined ? '' : `, ${usd(e.costUsd)}`}`,
      );
      if (e.isGrounded === false)
        ctx.warn(`${e.url}: the summary has figures or claims its sources do not support (item ${e.itemId}; eti review show ${e.itemId})`);
    }
    if (e.outcome === 'failed') ctx.warn(`${e.url}: ${e.message}`);
  };
}

/** The run record of a summarise run (counts, tokens, cost), flushed to the store. */
async function recordRun(
  ctx: Context,
  store: Awaited<ReturnType<Context['store']>>,
  startedAt: string,
  result: QueueResult,
  flagged: number,
): Promise<void> {
  const u = result.usage;
  store.putRun({
    id: `summarize-${startedAt}-${process.pid}`,
    command: 'summarize',
    startedAt,
    finishedAt: ctx.clock().toISOString(),
    counts: {
      llmCalls: result.llmCalls,
      cached: result.cached,
      created: result.created.length,
      deferred: result.deferred,
      flagged,
      inputTokens: u.inputTokens,
      outputTokens: u.outputTokens,
      cacheWriteTokens: u.cacheWriteTokens ?? 0,
      cacheReadTokens: u.cacheReadTokens ?? 0,
      costUsd: result.costUsd,
    },
    failures: result.failures.length,
  });
  await store.flush();
}

/** What a summarise run did, for people (the totals, each new item, what is left) and as one JSON line. */
function printSummarizeReport(
  ctx: Context,
  provider: string,
  flags: SummarizeFlags,
  result: QueueResult,
  totals: { plain: ReturnType<typeof plainLanguageTotals>; flagged: number; targetLix: number },
): void {
  const { plain, flagged } = totals;
  const u = result.usage;
  const limitFlag = result.stoppedBy ? `--${result.stoppedBy}` : flags.batch ? 'batch still running' : '--max-calls';
  ctx.info(
    `Summarised with ${provider}${flags.batch ? ' (message batch)' : ''}: ${result.llmCalls} LLM call${result.llmCalls === 1 ? '' : 's'}, ` +
      `${result.cached} from cache, ${result.created.length} new review item${result.created.length === 1 ? '' : 's'}` +
      (result.deferred > 0 ? `, ${result.deferred} left for the next run (${limitFlag})` : '') +
      (result.failures.length > 0 ? `, ${result.failures.length} failed` : ''),
  );
  if (result.summaries.length > 0) {
    ctx.info(`  ${formatUsage(u)}, estimated ${usd(result.costUsd)}` + ` (${usd(result.costUsd / result.summaries.length)} per page)`);
    ctx.info(
      `  plain language: LIX ${plain.meanSourceLix} on the pages, ${plain.meanSummaryLix} in the summaries; ` +
        `${plain.plain} of ${plain.items} at or under LIX ${totals.targetLix} without bureaucratic terms; ${flagged} with ungrounded figures`,
    );
  }
  if (result.batches) {
    for (const id of result.batches.resumed) ctx.info(`  collected message batch ${id} (submitted by an earlier run)`);
    for (const id of result.batches.submitted) ctx.info(`  submitted message batch ${id}`);
  }
  const summaryOf = new Map(result.summaries.map((s) => [s.url, s]));
  for (const item of result.created) {
    const s = summaryOf.get(item.url);
    const detail = s
      ? `  ${s.grounding.isGrounded ? 'grounded' : 'UNGROUNDED'} LIX ${s.plainLanguage?.summary.lix ?? '-'}${s.plainLanguage?.summary.terms.length ? ` terms: ${s.plainLanguage.summary.terms.map((t) => `${t.term}→${t.plain}`).join(', ')}` : ''}${s.costUsd === undefined ? '' : ` ${usd(s.costUsd)}`}`
      : '';
    ctx.info(`  pending ${item.id}  ${item.kind.padEnd(8)} ${item.url}${detail}`);
  }
  if (result.deferredUrls.length > 0) {
    ctx.info(`Left undone (${limitFlag}), for the next run:`);
    for (const url of result.deferredUrls.slice(0, 20)) ctx.info(`  ${url}`);
    if (result.deferredUrls.length > 20) ctx.info(`  … and ${result.deferredUrls.length - 20} more`);
  }
  ctx.jsonLine({
    type: 'summarize-result',
    llmCalls: result.llmCalls,
    cached: result.cached,
    deferred: result.deferred,
    deferredUrls: result.deferredUrls,
    ...(result.stoppedBy ? { stoppedBy: result.stoppedBy } : {}),
    usage: u,
    costUsd: result.costUsd,
    plainLanguage: plain,
    flagged,
    ...(result.batches ? { batches: result.batches } : {}),
    created: result.created,
    failures: result.failures,
  });
}

/** The summarise flags, shared with `eti run`. */
export function addSummarizeOptions(cmd: Command): Command {
  return cmd
    .option(
      '--provider <name>',
      'offline | anthropic (default: summarize.provider in sources.yaml, else offline; a key alone never switches)',
    )
    .option('--model <id>', 'model for the anthropic provider (default from sources.yaml)')
    .option('--max-calls <n>', 'stop after this many LLM calls; the rest waits for the next run', intFlag('--max-calls'))
    .option('--max-tokens <n>', 'send no request that would take the run over this many tokens (all kinds)', intFlag('--max-tokens'))
    .option('--max-cost <usd>', 'send no request that would take the estimated cost over this many US dollars', decimalFlag('--max-cost'))
    .option('--batch', 'send the pages as one Message Batch (half price, results within 24 h); a killed run resumes it')
    .option(
      '--batch-wait <minutes>',
      'with --batch: wait this long, then leave the batch for the next run (default 1440)',
      intFlag('--batch-wait'),
    )
    .option(
      '--audience <who>',
      'parents | youth | professionals (default: per source in sources.yaml)',
      choiceFlag('--audience', ['parents', 'youth', 'professionals'] as const),
    )
    .option('--language <nb|nn>', 'bokmål (nb) or nynorsk (nn) (default: per source)', choiceFlag('--language', ['nb', 'nn'] as const))
    .option(
      '--judge',
      'then ask an LLM judge about every pending claim (a second opinion beside the verifier, never the gate; cached; within --max-cost; a Message Batch with anthropic)',
    );
}
