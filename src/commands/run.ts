import { Command } from 'commander';
import type { Context } from './context.js';
import { runCrawl } from './crawl.js';
import { runPublish } from './publish.js';
import { collect, examples, intFlag } from './shared.js';
import { decimalFlag, runSummarize } from './summarize.js';

interface RunFlags {
  source?: string[];
  provider?: string;
  model?: string;
  maxCalls?: number;
  out?: string;
}
  maxCost?: number;
  maxTokens?: number;
  batch?: boolean;
  batchWait?: number;

/** crawl → diff → summarise → publish what is approved; returns the exit code. */
export async function runAll(ctx: Context, flags: RunFlags): Promise<number> {
  const crawled = await runCrawl(ctx, flags);
  const queued = await runSummarize(ctx, flags);
  const published = await runPublish(ctx, flags);
  const pending = (await (await ctx.store()).reviews()).filter((i) => i.status === 'pending').length;
  ctx.info(`${pending} item${pending === 1 ? '' : 's'} waiting for review: eti review list`);
  ctx.jsonLine({ type: 'run-result', bundle: published.bundle.id, pending, failures: crawled.failures.length + queued.failures.length });
  return crawled.failures.length + queued.failures.length > 0 ? 3 : 0;
}

export function runCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('run')
    .description('The whole job: crawl, diff, summarise new and changed pages, and publish what is approved.')
    .option('-s, --source <id>', 'only this source (repeatable)', collect)
    .option('--provider <name>', 'offline | anthropic')
    .option('--model <id>', 'model for the anthropic provider')
    .option('--max-calls <n>', 'stop after this many LLM calls', intFlag('--max-calls'))
    .option('-o, --out <dir>', 'bundle output folder (default: <workspace>/output)')
    .addHelpText('after', examples(['eti run', 'eti run --json --quiet > run.jsonl', 'eti run --workspace /data/eti --max-calls 200']))
    .action(async (flags: RunFlags) => {
      const c = ctx();
      const release = await c.lock('run');
      try {
        done(await runAll(c, flags));
      } finally {
        await release();
      }
    });
}
    .option('--max-tokens <n>', 'token budget of the summaries (all kinds)', intFlag('--max-tokens'))
    .option('--max-cost <usd>', 'estimated cost budget of the summaries, in US dollars', decimalFlag('--max-cost'))
    .option('--batch', 'summarise through one Message Batch (half price; waits for it)')
    .option('--batch-wait <minutes>', 'with --batch: wait this long, then leave the batch for the next run', intFlag('--batch-wait'))
