import { Command } from 'commander';
import type { Context } from '../steps/context.js';
import { type RunFlags, runAll } from '../steps/run.js';
import { collect, examples, intFlag } from '../steps/shared.js';
import { decimalFlag } from '../steps/summarize.js';

export function runCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('run')
    .description('The whole job: crawl, diff, summarise new and changed pages, and publish what is approved.')
    .option('-s, --source <id>', 'only this source (repeatable)', collect)
    .option('--provider <name>', 'offline | anthropic')
    .option('--model <id>', 'model for the anthropic provider')
    .option('--max-calls <n>', 'stop after this many LLM calls', intFlag('--max-calls'))
    .option('--max-tokens <n>', 'token budget of the summaries and topic pages together (all kinds)', intFlag('--max-tokens'))
    .option('--max-cost <usd>', 'estimated cost budget of the summaries and topic pages together, in US dollars', decimalFlag('--max-cost'))
    .option('--batch', 'summarise pages, then topic pages, through Message Batches (half price; waits for them)')
    .option('--batch-wait <minutes>', 'with --batch: wait this long, then leave the batch for the next run', intFlag('--batch-wait'))
    .option('-o, --out <dir>', 'bundle output folder (default: <workspace>/output)')
    .option('--allow-empty', 'publish a bundle with no pages and no topic pages on purpose (else: nothing published, exit 1)')
    .option('--allow-shrink', 'publish a bundle that drops over half of the published pages on purpose (else: exit 1)')
    .option(
      '--ci',
      'for CI: JSON lines with a run id, no prompts or progress; exit 4 when items wait for review; a Markdown report in $GITHUB_STEP_SUMMARY',
    )
    .addHelpText(
      'after',
      examples(['eti run', 'eti run --ci --max-cost 5 > run.jsonl', 'eti run --workspace /data/eti --max-calls 200']) +
        '\nExit codes with --ci: 0 done, 4 done with items for review, 3 some pages or sources failed,\n' +
        '1 nothing published where a bundle was (nothing approved any more, or the bundle would drop over half\n' +
        'of the published pages; outputs left as they were; a new workspace with nothing approved writes no\n' +
        'bundle and is not a failure), 2 bad input (sources.yaml, flags), 5 could not run (workspace locked,\n' +
        'store unreadable, provider refused).\n',
    )
    .action(async (flags: RunFlags) => {
      const c = ctx();
      if (flags.ci) c.enterCi(`run-${c.clock().toISOString().replace(/[:.]/g, '')}-${process.pid}`);
      const release = await c.lock('run');
      try {
        done(await runAll(c, flags));
      } finally {
        await release();
      }
    });
}
