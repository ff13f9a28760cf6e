import { Command } from 'commander';
import type { Context } from '../steps/context.js';
import { collect, examples } from '../steps/shared.js';
import { type SummarizeFlags, addSummarizeOptions, runSummarize } from '../steps/summarize.js';

export function summarizeCommand(ctx: () => Context, done: (code: number) => void): Command {
  return addSummarizeOptions(
    new Command('summarize')
      .alias('summarise')
      .description('Summarise new and changed pages in plain Norwegian and queue them for review.')
      .option('-s, --source <id>', 'only this source (repeatable)', collect),
  )
    .addHelpText(
      'after',
      examples([
        'eti summarize',
        'ANTHROPIC_API_KEY=... eti summarize --provider anthropic --max-calls 50',
        'eti summarize --provider anthropic --batch --max-cost 5',
        'eti summarize --source nav --audience youth --language nn',
        'eti summarize --provider anthropic --judge --max-cost 2',
      ]) +
        '\nContent already summarised with the same prompts, audience, language, provider and model is never sent again.\n' +
        'Budgets stop before a request would pass them (estimated from the prompt length) and list what is left undone.\n',
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
