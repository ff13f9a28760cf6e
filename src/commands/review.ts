import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { CannotRunError, UsageError } from '../errors.js';
import { diffTexts } from '../pipeline/diff/index.js';
import { renderHunksText } from '../pipeline/publish/index.js';
import { findItem } from '../pipeline/review/index.js';
import type { Change, ChangeClass, Claim, ReviewItem, ReviewStatus, Summary } from '../pipeline/types.js';
import { openStore } from '../pipeline/upgrade/index.js';
import { type Store, storeDirOf } from '../store/store.js';
import {
  ageDays,
  approveMatching,
  CHANGE_CLASSES,
  classOf,
  claimsOfItem,
  currentFieldTexts,
  decideItems as decideStored,
  editFields,
  ITEM_KINDS,
  loadItem,
  openForWrite,
  selectItems,
  type ItemFilters,
} from '../review/actions.js';
import { itemPage } from '../review/html.js';
import { startReviewServer } from '../review/server.js';
import { pendingTopics } from '../review/topics.js';
import type { Context } from './context.js';
import { fieldsDocument, parseFieldsDocument, parseOverrides } from './review-edit.js';
import { collect, examples } from './shared.js';

const STATUSES = ['pending', 'approved', 'rejected', 'superseded', 'all'] as const;

interface ListFlags {
  status?: string;
  source?: string[];
  kind?: string;
  class?: string;
  olderThan?: string;
}

/** The change note and major/minor flag an approval asks for (absent: the proposal is taken). */
function changeNoteFlags(flags: DecideFlags): { changeNote?: string; isMajor?: boolean } {
  if (flags.major && flags.minor) throw new UsageError('approve: give --major or --minor, not both');
  return {
    ...(flags.changeNote === undefined ? {} : { changeNote: flags.changeNote }),
    ...(flags.major ? { isMajor: true } : flags.minor ? { isMajor: false } : {}),
  };
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

/** The filters of `list` and `approve --all`, checked; each bad value is a usage error naming the flag. */
function filtersOf(flags: ListFlags): ItemFilters {
  const status = flags.status ?? 'pending';
  if (!(STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status: expected ${STATUSES.join(', ')}, got "${status}"`);
  }
  if (flags.kind && !(ITEM_KINDS as readonly string[]).includes(flags.kind)) {
    throw new UsageError(`--kind: expected new, changed or removed, got "${flags.kind}"`);
  }
  if (flags.class && !(CHANGE_CLASSES as readonly string[]).includes(flags.class)) {
    throw new UsageError(`--class: expected material, wording or cosmetic, got "${flags.class}"`);
  }
  let olderThanDays: number | undefined;
  if (flags.olderThan !== undefined) {
    olderThanDays = Number(flags.olderThan);
    if (flags.olderThan.trim() === '' || !Number.isFinite(olderThanDays) || olderThanDays < 0) {
      throw new UsageError(`--older-than: expected a number of days (0 or more), got "${flags.olderThan}"`);
    }
  }
  return {
    status: status as ReviewStatus | 'all',
    ...(flags.source ? { sources: flags.source } : {}),
    ...(flags.kind ? { kind: flags.kind as ReviewItem['kind'] } : {}),
    ...(flags.class ? { changeClass: flags.class as ChangeClass } : {}),
    ...(olderThanDays === undefined ? {} : { olderThanDays }),
  };
}

async function listItems(ctx: Context, flags: ListFlags): Promise<ReviewItem[]> {
  const filters = filtersOf(flags);
  const store = await ctx.store();
  return selectItems(await store.reviews(), filters, ctx.clock());
}

/** Print the review queue. */
export async function printQueue(ctx: Context, flags: ListFlags): Promise<ReviewItem[]> {
  const items = await listItems(ctx, flags);
  const store = await ctx.store();
  // Compiled topic pages wait in the same queue (decided with eti topics or on the review page).
  const topics = (flags.status ?? 'pending') === 'pending' && !flags.source && !flags.kind ? await pendingTopics(ctx.workspace) : [];
  if (ctx.isJson) {
    ctx.jsonLine({ type: 'review-list', items });
    if (topics.length > 0)
      ctx.jsonLine({ type: 'review-topics', topics: topics.map((c) => ({ topicId: c.topicId, audience: c.audience, id: c.id })) });
    return items;
  }
  for (const c of topics) {
    const bad = c.claims.some((x) => x.verdict === 'unsupported') ? '  ! unsupported claims' : '';
    ctx.info(
      `topic ${c.topicId} (${c.audience}) pending ${c.changeClass ?? 'material'}: ${c.title}, from ${c.members.length} pages${bad}; eti topics show ${c.topicId}`,
    );
  }
  if (items.length === 0) {
    ctx.info(`No ${flags.status ?? 'pending'} review items.`);
    return items;
  }
  for (const i of items) {
    const summary = i.summaryId ? await store.summary(i.sourceId, i.summaryId) : undefined;
    const flag = summary && !summary.grounding.isGrounded ? '  ! ungrounded figures' : '';
    const edited = i.editedSummary !== undefined && i.status === 'pending' ? '  (edited)' : '';
    const age = `${ageDays(i, ctx.clock())}d`;
    ctx.info(`${i.id}  ${i.status.padEnd(9)} ${classOf(i).padEnd(9)} ${i.kind.padEnd(8)} ${age.padStart(4)}  ${i.url}${flag}${edited}`);
  }
  return items;
}

function printSummary(ctx: Context, item: ReviewItem, summary: Summary | undefined): void {
  if (!summary) {
    ctx.info(
      item.kind === 'removed'
        ? 'The page is gone (404/410). Approving removes it from the bundle.'
        : 'No summary yet: run "eti summarize".',
    );
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

async function showItem(ctx: Context, id: string, flags: { html?: string }): Promise<void> {
  const store = await ctx.store();
  const item = findItem(await store.reviews(), id);
  if (flags.html) {
    const file = path.resolve(ctx.io.cwd, flags.html);
    const page = itemPage(await loadItem(store, item), { nonce: randomBytes(16).toString('base64'), now: ctx.clock() });
    try {
      await writeFile(file, page);
    } catch (err) {
      throw new UsageError(`--html: cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    ctx.info(`Wrote ${file}`);
    ctx.jsonLine({ type: 'review-html', itemId: item.id, file });
    return;
  }
  const summary = item.summaryId ? await store.summary(item.sourceId, item.summaryId) : undefined;
  const change = await itemChange(store, item);
  const claims = summary ? await claimsOfItem(store, item, summary) : [];
  if (ctx.isJson) {
    ctx.jsonLine({ type: 'review-item', item, summary, change, claims });
    return;
  }
  const page = await store.page(item.sourceId, item.url);
  const version = page?.versions.find((v) => v.contentHash === item.contentHash);
  ctx.info(
    `${item.id}  ${item.status}  ${item.kind}  ${classOf(item)}${item.classReasons?.length ? ` (${item.classReasons.join('; ')})` : ''}  ${item.sourceId}`,
  );
  ctx.info(`Page:   ${version?.title ?? ''} <${item.url}>`);
  if (item.decidedBy) ctx.info(`Decided by ${item.decidedBy} at ${item.decidedAt}${item.note ? `: ${item.note}` : ''}`);
  if (change.kind === 'changed') {
    ctx.info(
      `Diff against the ${item.baseHash ? 'last approved or previous' : 'previous'} version (+${change.stats.added} -${change.stats.removed} words):`,
    );
    ctx.info(indent(renderHunksText(change.hunks, ctx.isColor)));
  }
  printSummary(ctx, item, summary);
  printClaims(ctx, claims);
}

/** Each claim of what would be published (edits included, verified now) with its verdict and sources. */
function printClaims(ctx: Context, claims: readonly Claim[]): void {
  if (claims.length === 0) return;
  const bad = claims.filter((c) => c.verdict === 'unsupported').length;
  ctx.info(
    `Claims: ${claims.length}, ${bad} unsupported${bad > 0 ? ' (approve needs an edit or --override CLAIM="reason" for each)' : ''}:`,
  );
  for (const c of claims) {
    ctx.info(`  ${c.verdict === 'unsupported' ? '!' : ' '} ${c.field}.${c.index}  ${c.verdict}  ${c.text}`);
    for (const f of c.findings) ctx.info(`      ${f.code}: ${f.reason}`);
    for (const sp of c.spans)
      ctx.info(`      source ${sp.contentHash.slice(0, 8)}:${sp.start}-${sp.end} «${sp.quote.replace(/\s+/g, ' ')}»`);
  }
}

interface DecideFlags {
  as?: string;
  note?: string;
  reason?: string;
  summaryFile?: string;
  override?: string[];
  all?: boolean;
  class?: string;
  source?: string[];
  kind?: string;
  olderThan?: string;
  changeNote?: string;
  major?: boolean;
  minor?: boolean;
}

async function readSummaryFile(ctx: Context, name: string): Promise<Record<string, string>> {
  const file = path.resolve(ctx.io.cwd, name);
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch {
    throw new UsageError(`--summary-file: cannot read ${file}`);
  }
  if (!text) throw new UsageError(`--summary-file: ${file} is empty`);
  return parseFieldsDocument(text, file);
}

async function decideCli(ctx: Context, ids: string[], status: 'approved' | 'rejected', flags: DecideFlags): Promise<void> {
  if (status === 'rejected' && !flags.reason) throw new UsageError('reject needs --reason "why"');
  if (ids.length === 0)
    throw new UsageError(
      `${status === 'approved' ? 'approve' : 'reject'}: name at least one item id${status === 'approved' ? ', or use --all with a filter' : ''}`,
    );
  const by = await ctx.reviewer(flags.as);
  const edited = flags.summaryFile ? await readSummaryFile(ctx, flags.summaryFile) : undefined;
  const note = status === 'rejected' ? flags.reason : flags.note;
  const { overrides, legacy } = parseOverrides(flags.override);
  const { summary: editedSummary, ...editedFields } = edited ?? {};
  const { store, release } = await openForWrite(ctx.workspace, 'review', ctx.clock());
  try {
    const decided = await decideStored(
      store,
      ids,
      {
        status,
        ...(note ? { note } : {}),
        ...(editedSummary === undefined ? {} : { editedSummary }),
        ...(Object.keys(editedFields).length > 0 ? { editedFields } : {}),
        ...(legacy ? { override: legacy } : {}),
        ...(overrides.length > 0 ? { overrides } : {}),
        ...(status === 'approved' ? changeNoteFlags(flags) : {}),
      },
      { by, at: ctx.clock().toISOString() },
    );
    for (const item of decided) ctx.info(`${status} ${item.id}  ${item.url}  (by ${by})`);
    ctx.jsonLine({ type: 'review-decided', status, by, items: decided });
  } finally {
    await release();
  }
}

/**
 * `approve --all`: every pending item the filters select. At least one filter is required, so
 * a bare `--all` never approves a whole queue by accident; ungrounded items are left pending
 * (and listed) unless `--override` gives a reason.
 */
async function approveAll(ctx: Context, ids: string[], flags: DecideFlags): Promise<void> {
  if (ids.length > 0) throw new UsageError('approve: give item ids or --all with filters, not both');
  if (flags.summaryFile) throw new UsageError('approve --all: --summary-file edits one item; approve it by id');
  if (!flags.class && !flags.source?.length && !flags.kind && flags.olderThan === undefined) {
    throw new UsageError(
      'approve --all needs at least one filter: --class, --source, --kind or --older-than',
      'e.g. eti review approve --all --class cosmetic',
    );
  }
  const filters = filtersOf({ ...flags, status: 'pending' });
  const by = await ctx.reviewer(flags.as);
  const { store, release } = await openForWrite(ctx.workspace, 'review', ctx.clock());
  try {
    const { overrides, legacy } = parseOverrides(flags.override);
    const result = await approveMatching(
      store,
      filters,
      {
        ...(flags.note ? { note: flags.note } : {}),
        ...(legacy ? { override: legacy } : {}),
        ...(overrides.length > 0 ? { overrides } : {}),
        ...changeNoteFlags(flags),
      },
      { by, at: ctx.clock().toISOString() },
    );
    for (const item of result.approved) ctx.info(`approved ${item.id}  ${item.url}  (by ${by})`);
    for (const r of result.refused) ctx.warn(`left pending ${r.item.id}  ${r.item.url}: ${r.reason}`);
    if (result.approved.length === 0 && result.refused.length === 0) ctx.info('No pending items match.');
    else
      ctx.info(
        `Approved ${result.approved.length}; left ${result.refused.length} pending${result.refused.length > 0 ? ' (see the warnings; edit them, or use --override ITEM:field.index="reason" per claim)' : ''}.`,
      );
    ctx.jsonLine({
      type: 'review-decided',
      status: 'approved',
      by,
      items: result.approved,
      refused: result.refused.map((r) => ({ id: r.item.id, url: r.item.url, reason: r.reason })),
    });
  } finally {
    await release();
  }
}

/** Run `$VISUAL`/`$EDITOR` on a file as git does (`sh -c '$EDITOR "$1"'`), so "code --wait" works. */
async function runEditor(editor: string, file: string): Promise<void> {
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('sh', ['-c', `${editor} "$1"`, editor, file], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0)
    throw new CannotRunError(
      'editor-failed',
      `the editor ("${editor}") exited with ${code === null ? 'a signal' : `code ${code}`}; nothing changed`,
    );
}

async function editCli(ctx: Context, id: string, flags: { summaryFile?: string; as?: string }): Promise<void> {
  const by = await ctx.reviewer(flags.as);
  // Read what the editor starts from with a store of our own, then write under the lock with a
  // fresh one: the editor may stay open for minutes while a crawl writes.
  const before = await openStore(storeDirOf(ctx.workspace));
  const item = findItem(await before.reviews(), id);
  const summary = item.summaryId ? await before.summary(item.sourceId, item.summaryId) : undefined;
  if (item.status !== 'pending') throw new UsageError(`review item ${item.id} is ${item.status}; only pending items can be edited`);
  if (summary === undefined) throw new UsageError(`review item ${item.id} has no summary to edit`);
  const start = currentFieldTexts(item, summary);
  let texts: Record<string, string>;
  if (flags.summaryFile) {
    texts = await readSummaryFile(ctx, flags.summaryFile);
  } else {
    const editor = ctx.env.editor;
    if (!editor) throw new UsageError('eti review edit: no editor: set $VISUAL or $EDITOR, or pass --summary-file FILE');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-edit-'));
    const file = path.join(dir, `${item.id}.txt`);
    try {
      await writeFile(file, fieldsDocument(start));
      await runEditor(editor, file);
      texts = parseFieldsDocument(await readFile(file, 'utf8'), file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const expected = Object.fromEntries(
    Object.keys(texts)
      .filter((f) => f in start)
      .map((f) => [f, start[f]!]),
  );
  const { store, release } = await openForWrite(ctx.workspace, 'review', ctx.clock());
  try {
    const r = await editFields(store, item.id, texts, { by, at: ctx.clock().toISOString() }, { expected });
    if (r.isChanged) ctx.info(`edited ${r.item.id}  ${r.item.url}  (by ${by}); still pending: eti review approve ${r.item.id}`);
    else ctx.info(`The summary of ${r.item.id} is unchanged; nothing was written.`);
    for (const c of r.claims.filter((x) => x.verdict === 'unsupported'))
      ctx.warn(`unsupported ${c.field}.${c.index} "${c.text}": ${c.findings.map((f) => f.code).join(', ')}`);
    ctx.jsonLine({ type: 'review-edited', isChanged: r.isChanged, by, item: r.item, claims: r.claims });
  } finally {
    await release();
  }
}

interface ServeFlags {
  serve?: boolean;
  host?: string;
  port?: string;
  token?: string;
  as?: string;
}

/** `eti review --serve`: the web page until SIGINT/SIGTERM. */
async function serve(ctx: Context, flags: ServeFlags): Promise<void> {
  const port = flags.port === undefined ? 0 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: expected a port number 0-65535, got "${flags.port}"`);
  if (flags.token !== undefined && flags.token.length < 16)
    throw new UsageError(`--token: expected at least 16 characters, got ${flags.token.length}`);
  // Only a name given with --as is put in the page: a guess (git user.name, $USER) would log
  // decisions under whoever set up the machine. The page remembers what an editor typed.
  const reviewer = flags.as?.trim() ?? '';
  const sourceNames = await ctx.config().then(
    ({ sources }) => new Map(sources.map((s) => [s.id, s.name])),
    () => undefined, // without a readable sources.yaml the page shows ids
  );
  const server = await startReviewServer({
    workspace: ctx.workspace,
    ...(flags.host ? { host: flags.host } : {}),
    port,
    ...(flags.token ? { token: flags.token } : {}),
    ...(reviewer ? { reviewer } : {}),
    ...(sourceNames ? { sourceNames } : {}),
    clock: ctx.clock,
  });
  // The address is printed even with --quiet: without it the page cannot be opened.
  if (ctx.isJson) ctx.jsonLine({ type: 'review-serve', url: server.url, ...(server.token ? { token: server.token } : {}) });
  else {
    ctx.io.stdout(`Review page: ${server.url}\n`);
    if (server.token && !flags.token) ctx.io.stdout(`Access token (generated): ${server.token}\n`);
    ctx.io.stdout('Ctrl-C stops it.\n');
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  ctx.info('Review page stopped.');
}

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
  const sub =
    <T extends unknown[]>(fn: (...args: T) => Promise<void>) =>
    async (...args: T): Promise<void> => {
      const parent = review.opts<ServeFlags>();
      if (parent.serve || parent.host || parent.port || parent.token)
        throw new UsageError('--serve, --host, --port and --token go with "eti review" alone, not with a subcommand');
      await fn(...args);
    };
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
