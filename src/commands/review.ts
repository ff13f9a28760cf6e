import { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { ReviewLogEntry } from '../store/records.js';
import type { Context } from '../steps/context.js';
import { collect, examples } from '../steps/shared.js';
import { type DecideFlags, type ServeFlags, approveAll, decideCli, editCli, serve } from '../steps/review.js';
import { printQueue, showItem, type ListFlags } from '../steps/review-list.js';

type Sub = <T extends unknown[]>(fn: (...args: T) => Promise<void>) => (...args: T) => Promise<void>;

export function reviewCommand(ctx: () => Context, done: (code: number) => void): Command {
  const review = new Command('review')
    .description('List, inspect, edit, approve and reject review items; or serve a web page for editors (--serve).')
    .option('--serve', 'serve the review web page (Norwegian) until Ctrl-C')
    .option('--host <address>', 'address to listen on (default 127.0.0.1; any other needs a token)')
    .option('--port <port>', 'port (default 0: any free port)')
    .option('--token <token>', 'access token for the page (generated when --host is not loopback)')
    .option('--as <name>', 'reviewer name to put in the page (default: none; the page remembers the last name typed in that browser)')
    .addHelpText(
      'after',
      examples([
        'eti review list',
        'eti review list --class material --older-than 7',
        'eti review show 3f2a9c',
        'eti review show 3f2a9c --html 3f2a9c.html',
        'eti review edit 3f2a9c',
        'eti review approve 3f2a9c --as "Kari Nordmann" --note "rate checked against nav.no"',
        'eti review approve 3f2a9c --summary-file fixed.txt',
        'eti review approve 3f2a9c --override summary.1="checked by phone with NAV"',
        'eti review approve --all --class cosmetic --source nav',
        'eti review reject 3f2a9c --reason "the summary misses the income limit"',
        'eti review log',
        'eti review --serve',
        'eti review --serve --host 0.0.0.0 --port 8080',
      ]),
    )
    .action(async (flags: ServeFlags) => {
      if (!flags.serve) {
        review.help({ error: true });
        return;
      }
      await serve(ctx(), flags);
      done(0);
    });
  // commander gives "review"'s own options to "review" wherever they stand, so "approve --as X"
  // arrives as review's --as: a subcommand takes it from there. --serve and its flags go alone.
  const as = (flags: { as?: string }): string | undefined => flags.as ?? review.opts<ServeFlags>().as;
  const sub: Sub =
    <T extends unknown[]>(fn: (...args: T) => Promise<void>) =>
    async (...args: T): Promise<void> => {
      const parent = review.opts<ServeFlags>();
      if (parent.serve || parent.host || parent.port || parent.token)
        throw new UsageError('--serve, --host, --port and --token go with "eti review" alone, not with a subcommand');
      await fn(...args);
    };
  addQueueCommands(review, ctx, done, sub);
  addDecisionCommands(review, ctx, done, sub, as);
  return review;
}

/** `review list`, `review show` and `review log`: reading the queue and the audit trail. */
function addQueueCommands(review: Command, ctx: () => Context, done: (code: number) => void, sub: Sub): void {
  review
    .command('list')
    .description('List review items (pending by default): material changes first, then wording, then cosmetic.')
    .option('--status <status>', `pending | approved | rejected | superseded | all`, 'pending')
    .option('-s, --source <id>', 'only this source (repeatable)', collect)
    .option('--kind <kind>', 'new | changed | removed')
    .option('--class <class>', 'material | wording | cosmetic (items without a class count as material)')
    .option('--older-than <days>', 'only items created more than this many days ago')
    .action(
      sub(async (flags: ListFlags) => {
        await printQueue(ctx(), flags);
        done(0);
      }),
    );
  review
    .command('show <id>')
    .description('Show an item: the diff against the approved version, the summary and its grounding check.')
    .option('--html <file>', 'write the item as an HTML page with a side-by-side diff instead')
    .action(
      sub(async (id: string, flags: { html?: string }) => {
        await showItem(ctx(), id, flags);
        done(0);
      }),
    );
  review
    .command('log')
    .description('The append-only audit trail: who decided what, when, on which content and summary; topic pages too.')
    .action(async () => {
      const c = ctx();
      const log = await (await c.store()).log();
      if (c.isJson) c.jsonLine({ type: 'review-log', entries: log });
      else for (const e of log) c.info(logLine(e));
      done(0);
    });
}

/** One line of `eti review log`: a page item by its url, a topic page's compilation by topic and audience. */
function logLine(e: ReviewLogEntry): string {
  const subject =
    e.topicId === undefined ? `${e.itemId}  ${e.by}  ${e.url}` : `${e.itemId.slice(0, 10)}  ${e.by}  topic ${e.topicId} (${e.audience})`;
  return `${e.at}  ${e.action.padEnd(10)} ${subject}${e.note ? `  "${e.note}"` : ''}`;
}

/** `review edit`, `review approve` and `review reject`: changing an item or deciding it. */
function addDecisionCommands(
  review: Command,
  ctx: () => Context,
  done: (code: number) => void,
  sub: Sub,
  as: (flags: { as?: string }) => string | undefined,
): void {
  review
    .command('edit <id>')
    .description(
      'Edit every publishable field of a pending item in $VISUAL/$EDITOR (or from a file); it stays pending and is verified again.',
    )
    .option(
      '--summary-file <file>',
      'take the new text from this file instead of opening an editor (plain text: the summary; "## field" headings: those fields)',
    )
    .option('--as <name>', 'who edits (default: git user.name, else $USER)')
    .action(
      sub(async (id: string, flags: { summaryFile?: string; as?: string }) => {
        await editCli(ctx(), id, { ...flags, as: as(flags) });
        done(0);
      }),
    );
  review
    .command('approve [ids...]')
    .description('Approve items for publication (ids or unique prefixes), or --all pending items that match filters.')
    .option('--as <name>', 'who approves (default: git user.name, else $USER)')
    .option('--note <text>', 'a note for the audit trail')
    .option('--change-note <text>', "the public change note in Norwegian (default: the summary's proposed change note)")
    .option('--major', 'a major change: readers should know (default for material changes, new and removed pages)')
    .option('--minor', 'a minor change: wording or cosmetic (default for those classes)')
    .option(
      '--summary-file <file>',
      'replace the summary (or, with "## field" headings, those fields) with the text of this file (an edit, verified again)',
    )
    .option(
      '--override <claim=reason>',
      'publish an unsupported claim anyway: CLAIM is field.index as "review show" lists it (ITEM:field.index with --all or several ids); repeat per claim; the reason is recorded in the item, the log and the bundle',
      collect,
    )
    .option('--all', 'every pending item matching --class/--source/--kind/--older-than (at least one is required)')
    .option('--class <class>', 'with --all: material | wording | cosmetic')
    .option('-s, --source <id>', 'with --all: only this source (repeatable)', collect)
    .option('--kind <kind>', 'with --all: new | changed | removed')
    .option('--older-than <days>', 'with --all: only items created more than this many days ago')
    .action(
      sub(async (ids: string[], flags: DecideFlags) => {
        const f = { ...flags, as: as(flags) };
        if (f.all) await approveAll(ctx(), ids, f);
        else {
          if (f.class || f.source || f.kind || f.olderThan !== undefined)
            throw new UsageError('approve: --class, --source, --kind and --older-than go with --all');
          await decideCli(ctx(), ids, 'approved', f);
        }
        done(0);
      }),
    );
  review
    .command('reject <ids...>')
    .description('Reject items: they are not published.')
    .requiredOption('--reason <text>', 'why (kept in the audit trail)')
    .option('--as <name>', 'who rejects (default: git user.name, else $USER)')
    .action(
      sub(async (ids: string[], flags: DecideFlags) => {
        await decideCli(ctx(), ids, 'rejected', { ...flags, as: as(flags) });
        done(0);
      }),
    );
}
