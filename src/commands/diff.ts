import { Command } from 'commander';
import type { Context } from '../steps/context.js';
import { examples } from '../steps/shared.js';
import { type DiffFlags, runDiff } from '../steps/diff.js';

export function diffCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('diff')
    .description('Show what changed: the diffs waiting for review, or the last change of one page.')
    .argument('[url]', 'a stored page: show its last change')
    .option('--format <format>', 'text (coloured on a terminal) | markdown', 'text')
    .addHelpText('after', examples(['eti diff', 'eti diff https://www.nav.no/satser --format markdown', 'eti diff --json']))
    .action(async (url: string | undefined, flags: DiffFlags) => {
      await runDiff(ctx(), url, flags);
      done(0);
    });
}
