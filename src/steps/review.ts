import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CannotRunError, UsageError } from '../errors.js';
import { findItem } from '../pipeline/review/index.js';
import { openStore } from '../pipeline/upgrade/index.js';
import { storeDirOf } from '../store/store.js';
import { approveMatching, decideItems as decideStored, editFields, openForWrite } from '../review/actions.js';
import { currentFieldTexts } from '../review/items.js';
import { startReviewServer } from '../review/server.js';
import type { Context } from './context.js';
import { fieldsDocument, parseFieldsDocument, parseOverrides } from './review-edit.js';

import { filtersOf } from './review-list.js';

function changeNoteFlags(flags: DecideFlags): { changeNote?: string; isMajor?: boolean } {
  if (flags.major && flags.minor) throw new UsageError('approve: give --major or --minor, not both');
  return {
    ...(flags.changeNote === undefined ? {} : { changeNote: flags.changeNote }),
    ...(flags.major ? { isMajor: true } : flags.minor ? { isMajor: false } : {}),
  };
}

export interface DecideFlags {
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

export async function decideCli(ctx: Context, ids: string[], status: 'approved' | 'rejected', flags: DecideFlags): Promise<void> {
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
export async function approveAll(ctx: Context, ids: string[], flags: DecideFlags): Promise<void> {
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

export async function editCli(ctx: Context, id: string, flags: { summaryFile?: string; as?: string }): Promise<void> {
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

export interface ServeFlags {
  serve?: boolean;
  host?: string;
  port?: string;
  token?: string;
  as?: string;
}

/** `eti review --serve`: the web page until SIGINT/SIGTERM. */
export async function serve(ctx: Context, flags: ServeFlags): Promise<void> {
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
