import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { diffTexts } from '../pipeline/diff.js';
import { renderHunksText } from '../pipeline/render.js';
import { compareItems, decide, findItem, type Decision } from '../pipeline/review.js';
import type { Change, ReviewItem, ReviewStatus, Summary } from '../pipeline/types.js';
import type { Store } from '../store/store.js';
import type { Context } from './context.js';
import { collect, examples } from './shared.js';

const STATUSES = ['pending', 'approved', 'rejected', 'superseded', 'all'] as const;

interface ListFlags {
  status?: string;
  source?: string[];
  kind?: string;
}

/** The diff an editor sees: against the last approved version, else the previous one. */
export async function itemChange(store: Store, item: ReviewItem): Promise<Change> {
  const base = { url: item.url, sourceId: item.sourceId };
  if (item.kind === 'removed') {
    return diffTexts({ ...base, oldText: (await store.blobs.get(item.contentHash)) ?? '', oldHash: item.contentHash });
  }
  const [oldText, newText] = await Promise.all([
    item.baseHash ? store.blobs.get(item.baseHash) : Promise.resolve(undefined),
    store.blobs.get(item.contentHash),
  ]);
  return diffTexts({
    ...base,
    ...(oldText === undefined ? {} : { oldText, oldHash: item.baseHash! }),
    newText: newText ?? '',
    newHash: item.contentHash,
  });
}

async function listItems(ctx: Context, flags: ListFlags): Promise<ReviewItem[]> {
  const status = flags.status ?? 'pending';
  if (!(STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status: expected ${STATUSES.join(', ')}, got "${status}"`);
  }
  if (flags.kind && !['new', 'changed', 'removed'].includes(flags.kind)) {
    throw new UsageError(`--kind: expected new, changed or removed, got "${flags.kind}"`);
  }
  const store = await ctx.store();
  return (await store.reviews())
    .filter((i) => status === 'all' || i.status === (status as ReviewStatus))
    .filter((i) => !flags.source || flags.source.includes(i.sourceId))
    .filter((i) => !flags.kind || i.kind === flags.kind)
    .sort(compareItems);
}

/** Print the review queue. */
export async function printQueue(ctx: Context, flags: ListFlags): Promise<ReviewItem[]> {
  const items = await listItems(ctx, flags);
  const store = await ctx.store();
  if (ctx.isJson) {
    ctx.jsonLine({ type: 'review-list', items });
    return items;
  }
  if (items.length === 0) {
    ctx.info(`No ${flags.status ?? 'pending'} review items.`);
    return items;
  }
  for (const i of items) {
    const summary = i.summaryId ? await store.summary(i.sourceId, i.summaryId) : undefined;
    const flag = summary && !summary.grounding.isGrounded ? '  ! ungrounded figures' : '';
    ctx.info(`${i.id}  ${i.status.padEnd(9)} ${i.kind.padEnd(8)} ${i.url}${flag}`);
  }
  return items;
}

function printSummary(ctx: Context, item: ReviewItem, summary: Summary | undefined): void {
  if (!summary) {
    ctx.info(item.kind === 'removed' ? 'The page is gone (404/410). Approving removes it from the bundle.' : 'No summary yet: run "eti summarize".');
    return;
  }
  ctx.info(`Summary (${summary.provider}/${summary.model}${item.editedSummary !== undefined ? ', edited by an editor' : ''}):`);
  ctx.info(indent(item.editedSummary ?? summary.content.summary));
  if (summary.changeSummary) ctx.info(`What changed:\n${indent(summary.changeSummary)}`);
  if (summary.content.keyFacts.length > 0) {
    ctx.info('Key facts:');
    for (const f of summary.content.keyFacts) ctx.info(`  - ${f.fact}`);
  }
  const g = summary.grounding;
  ctx.info(
    g.isGrounded
      ? `Grounding: OK (${g.checked} figures checked against the page)`
      : `Grounding: ${g.issues.length} problem${g.issues.length === 1 ? '' : 's'}: ${g.issues.map((i) => `${i.kind} "${i.span}" in ${i.where}`).join('; ')}`,
  );
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

async function showItem(ctx: Context, id: string): Promise<void> {
  const store = await ctx.store();
  const item = findItem(await store.reviews(), id);
  const summary = item.summaryId ? await store.summary(item.sourceId, item.summaryId) : undefined;
  const change = await itemChange(store, item);
  if (ctx.isJson) {
    ctx.jsonLine({ type: 'review-item', item, summary, change });
    return;
  }
  const page = await store.page(item.sourceId, item.url);
  const version = page?.versions.find((v) => v.contentHash === item.contentHash);
  ctx.info(`${item.id}  ${item.status}  ${item.kind}  ${item.sourceId}`);
  ctx.info(`Page:   ${version?.title ?? ''} <${item.url}>`);
  if (item.decidedBy) ctx.info(`Decided by ${item.decidedBy} at ${item.decidedAt}${item.note ? `: ${item.note}` : ''}`);
  if (change.kind === 'changed') {
    ctx.info(`Diff against the ${item.baseHash ? 'last approved or previous' : 'previous'} version (+${change.stats.added} -${change.stats.removed} words):`);
    ctx.info(indent(renderHunksText(change.hunks, ctx.io.isTTY)));
  }
  printSummary(ctx, item, summary);
}

interface DecideFlags {
  as?: string;
  note?: string;
  reason?: string;
  summaryFile?: string;
  override?: string;
}

async function decideItems(ctx: Context, ids: string[], status: Decision['status'], flags: DecideFlags): Promise<void> {
  if (status === 'rejected' && !flags.reason) throw new UsageError('reject needs --reason "why"');
  const by = await ctx.reviewer(flags.as);
  let edited: string | undefined;
  if (flags.summaryFile) {
    const file = path.resolve(ctx.io.cwd, flags.summaryFile);
    try {
      edited = (await readFile(file, 'utf8')).trim();
    } catch {
      throw new UsageError(`--summary-file: cannot read ${file}`);
    }
    if (!edited) throw new UsageError(`--summary-file: ${file} is empty`);
  }
  const release = await ctx.lock('review');
  try {
    const store = await ctx.store();
    const all = await store.reviews();
    const decided: ReviewItem[] = [];
    // Validate every decision before writing any, so a bad id changes nothing.
    for (const id of ids) {
      const item = findItem(all, id);
      const summary = item.summaryId ? await store.summary(item.sourceId, item.summaryId) : undefined;
      const note = status === 'rejected' ? flags.reason : flags.note;
      decided.push(
        decide(item, { status, by, at: ctx.clock().toISOString(), ...(note ? { note } : {}), ...(edited === undefined ? {} : { editedSummary: edited }), ...(flags.override ? { override: flags.override } : {}) }, summary),
      );
    }
    for (const item of decided) await store.putReview(item);
    await store.flush();
    await store.appendLog(
      await Promise.all(
        decided.map(async (item) => {
          const summary = item.summaryId ? await store.summary(item.sourceId, item.summaryId) : undefined;
          return {
            at: item.decidedAt!,
            by,
            action: status,
            itemId: item.id,
            url: item.url,
            contentHash: item.contentHash,
            ...(summary ? { summaryId: summary.id, provider: summary.provider, model: summary.model, promptHash: summary.promptHash } : {}),
            ...(item.note ? { note: item.note } : {}),
          } as const;
        }),
      ),
    );
    for (const item of decided) ctx.info(`${status} ${item.id}  ${item.url}  (by ${by})`);
    ctx.jsonLine({ type: 'review-decided', status, by, items: decided });
  } finally {
    await release();
  }
}

export function reviewCommand(ctx: () => Context, done: (code: number) => void): Command {
  const review = new Command('review').description('List, inspect, approve and reject review items.').addHelpText(
    'after',
    examples([
      'eti review list',
      'eti review show 3f2a9c',
      'eti review approve 3f2a9c --as "Kari Nordmann" --note "rate checked against nav.no"',
      'eti review approve 3f2a9c --summary-file fixed.txt',
      'eti review reject 3f2a9c --reason "the summary misses the income limit"',
      'eti review log',
    ]),
  );
  review
    .command('list')
    .description('List review items (pending by default), changed pages first.')
    .option('--status <status>', `pending | approved | rejected | superseded | all`, 'pending')
    .option('-s, --source <id>', 'only this source (repeatable)', collect)
    .option('--kind <kind>', 'new | changed | removed')
    .action(async (flags: ListFlags) => {
      await printQueue(ctx(), flags);
      done(0);
    });
  review
    .command('show <id>')
    .description('Show an item: the diff against the approved version, the summary and its grounding check.')
    .action(async (id: string) => {
      await showItem(ctx(), id);
      done(0);
    });
  review
    .command('approve <ids...>')
    .description('Approve items for publication (ids or unique prefixes).')
    .option('--as <name>', 'who approves (default: git user.name, else $USER)')
    .option('--note <text>', 'a note for the audit trail')
    .option('--summary-file <file>', 'replace the summary with the text of this file (an edit)')
    .option('--override <reason>', 'approve although the grounding check failed, with the reason recorded')
    .action(async (ids: string[], flags: DecideFlags) => {
      await decideItems(ctx(), ids, 'approved', flags);
      done(0);
    });
  review
    .command('reject <ids...>')
    .description('Reject items: they are not published.')
    .requiredOption('--reason <text>', 'why (kept in the audit trail)')
    .option('--as <name>', 'who rejects (default: git user.name, else $USER)')
    .action(async (ids: string[], flags: DecideFlags) => {
      await decideItems(ctx(), ids, 'rejected', flags);
      done(0);
    });
  review
    .command('log')
    .description('The append-only audit trail: who decided what, when, on which content and summary.')
    .action(async () => {
      const c = ctx();
      const log = await (await c.store()).log();
      if (c.isJson) c.jsonLine({ type: 'review-log', entries: log });
      else for (const e of log) c.info(`${e.at}  ${e.action.padEnd(10)} ${e.itemId}  ${e.by}  ${e.url}${e.note ? `  "${e.note}"` : ''}`);
      done(0);
    });
  return review;
}
