import { Command } from 'commander';
import type { Context } from '../steps/context.js';
import { collect, examples } from '../steps/shared.js';
import { type TopicFlags, changeTopic, listTopics } from '../steps/topics.js';

export function topicsCommand(ctx: () => Context, done: (code: number) => void): Command {
  const cmd = new Command('topics').description('Topic pages compiled from several approved pages: list, show, edit, approve, reject.');
  const withPick = (c: Command): Command =>
    c
      .option('--audience <who>', 'parents | youth | professionals (when a topic has several)')
      .option('--id <prefix>', 'a compilation id (default: the pending one)');
  cmd.addCommand(
    new Command('list')
      .description('Each topic and audience: published, stale, pending or skipped (why).')
      .action(async () => done(await listTopics(ctx()))),
  );
  cmd.addCommand(
    withPick(new Command('show').argument('<topic>'))
      .description('A compilation: broken claims first, then each claim with its sources.')
      .action(async (t: string, f: TopicFlags) => done(await changeTopic(ctx(), t, f, 'show'))),
  );
  cmd.addCommand(
    withPick(new Command('approve').argument('<topic>'))
      .description('Approve the pending compilation; unsupported claims need --override REF=REASON each.')
      .option('--as <name>', 'who approves (default: git user.name)')
      .option('--note <text>', 'a note for the review log')
      .option('--override <ref=reason>', 'publish an unsupported claim anyway, with the reason (repeatable)', collect)
      .action(async (t: string, f: TopicFlags) => done(await changeTopic(ctx(), t, f, 'approve'))),
  );
  cmd.addCommand(
    withPick(new Command('reject').argument('<topic>'))
      .option('--as <name>', 'who rejects (default: git user.name)')
      .option('--note <text>', 'why (kept in the review log)')
      .action(async (t: string, f: TopicFlags) => done(await changeTopic(ctx(), t, f, 'reject'))),
  );
  cmd.addCommand(
    withPick(new Command('edit').argument('<topic>'))
      .description('Replace one field (summary, keyFacts, appliesTo, howToApply, deadlines, contacts); verified again.')
      .requiredOption('--field <name>', 'the field')
      .requiredOption('--text <text>', 'the new text (list fields: one item per line)')
      .option('--as <name>', 'who edits (default: git user.name; kept in the review log)')
      .action(async (t: string, f: TopicFlags) => done(await changeTopic(ctx(), t, f, 'edit'))),
  );
  cmd.addHelpText(
    'after',
    examples([
      'eti topics list',
      'eti topics show avlastning',
      'eti topics approve avlastning --as "Kari"',
      'eti topics approve avlastning --override summary.2="står i loven"',
    ]),
  );
  return cmd;
}
