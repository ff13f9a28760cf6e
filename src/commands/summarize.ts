import { Command } from 'commander';
import { updateReviewQueue, type QueueResult } from '../pipeline/queue.js';
import type { Context } from './context.js';
import { collect, examples, intFlag, selectSources } from './shared.js';

export interface SummarizeFlags {
  source?: string[];
  provider?: string;
  model?: string;
  maxCalls?: number;
}

/** Summarise new and changed content and queue it for review. */
export async function runSummarize(ctx: Context, flags: SummarizeFlags): Promise<QueueResult> {
  const sources = await selectSources(ctx, flags.source);
  const llm = await ctx.llm(flags);
  const store = await ctx.store();
  const { config } = await ctx.config();
  let done = 0;
  const startedAt = ctx.clock().toISOString();
  const result = await updateReviewQueue(sources, {
    store,
    llm,
    prompts: await ctx.prompts(),
    clock: ctx.clock,
    concurrency: config.summarize.concurrency,
    ...(flags.maxCalls === undefined ? {} : { maxCalls: flags.maxCalls }),
    onEvent: (e) => {
      done++;
      ctx.jsonLine(e);
      ctx.progress(`summarize ${done} ${e.outcome.padEnd(10)} ${e.url}`.slice(0, 120));
      if (e.outcome === 'summarized' && e.isGrounded === false) ctx.warn(`${e.url}: the summary states figures the page does not support (item ${e.itemId})`);
      if (e.outcome === 'failed') ctx.warn(`${e.url}: ${e.message}`);
    },
  });
  ctx.endProgress();
  store.putRun({
    id: `summarize-${startedAt}-${process.pid}`,
    command: 'summarize',
    startedAt,
    finishedAt: ctx.clock().toISOString(),
    counts: { llmCalls: result.llmCalls, cached: result.cached, created: result.created.length, deferred: result.deferred },
    failures: result.failures.length,
  });
  await store.flush();
  ctx.info(
    `Summarised with ${llm.name}/${llm.model}: ${result.llmCalls} LLM call${result.llmCalls === 1 ? '' : 's'}, ` +
      `${result.cached} from cache, ${result.created.length} new review item${result.created.length === 1 ? '' : 's'}` +
      (result.deferred > 0 ? `, ${result.deferred} left for the next run (--max-calls)` : '') +
      (result.failures.length > 0 ? `, ${result.failures.length} failed` : ''),
  );
  for (const item of result.created) ctx.info(`  pending ${item.id}  ${item.kind.padEnd(8)} ${item.url}`);
  ctx.jsonLine({ type: 'summarize-result', llmCalls: result.llmCalls, cached: result.cached, deferred: result.deferred, created: result.created, failures: result.failures });
  return result;
}

export function summarizeCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('summarize')
    .alias('summarise')
    .description('Summarise new and changed pages in plain Norwegian and queue them for review.')
    .option('-s, --source <id>', 'only this source (repeatable)', collect)
    .option('--provider <name>', 'offline | anthropic (default: anthropic when ANTHROPIC_API_KEY is set, else offline)')
    .option('--model <id>', 'model for the anthropic provider (default from sources.yaml)')
    .option('--max-calls <n>', 'stop after this many LLM calls; the rest waits for the next run', intFlag('--max-calls'))
    .addHelpText(
      'after',
      examples(['eti summarize', 'ANTHROPIC_API_KEY=... eti summarize --provider anthropic --max-calls 50']) +
        '\nContent already summarised with the same prompts, provider and model is never sent again.\n',
    )
    .action(async (flags: SummarizeFlags) => {
      const c = ctx();
      const release = await c.lock('summarize');
      try {
        const r = await runSummarize(c, flags);
        done(r.failures.length > 0 ? 3 : 0);
      } finally {
        await release();
      }
    });
}
