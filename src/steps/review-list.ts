import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { diffPair, diffTexts } from '../pipeline/diff/index.js';
import { renderHunksText } from '../pipeline/publish/index.js';
import { findItem } from '../pipeline/review/index.js';
import type { Change, ChangeClass, Claim, ReviewItem, ReviewStatus, Summary } from '../pipeline/types.js';
import type { Store } from '../store/store.js';
import { ageDays, CHANGE_CLASSES, classOf, claimsOfItem, ITEM_KINDS, loadItem, selectItems, type ItemFilters } from '../review/items.js';
import { itemPage } from '../review/html.js';
import { pendingTopics } from '../review/topics.js';
import type { Context } from './context.js';

export const STATUSES = ['pending', 'approved', 'rejected', 'superseded', 'all'] as const;

export interface ListFlags {
  status?: string;
  source?: string[];
  kind?: string;
  class?: string;
  olderThan?: string;
}

/** The change note and major/minor flag an approval asks for (absent: the proposal is taken). */
/** The diff an editor sees: against the last approved version, else the previous one. */
export async function itemChange(store: Store, item: ReviewItem): Promise<Change> {
  const base = { url: item.url, sourceId: item.sourceId };
  if (item.kind === 'removed') {
    return diffPair({ ...base, oldText: (await store.blobs.get(item.contentHash)) ?? '', oldHash: item.contentHash });
  }
  const [oldText, newText] = await Promise.all([
    item.baseHash ? store.blobs.get(item.baseHash) : Promise.resolve(undefined),
    store.blobs.get(item.contentHash),
  ]);
  // A text missing from the store is compared as empty: not the pair its hash names, so not shared.
  return (newText === undefined ? diffTexts : diffPair)({
    ...base,
    ...(oldText === undefined ? {} : { oldText, oldHash: item.baseHash! }),
    newText: newText ?? '',
    newHash: item.contentHash,
  });
}

/** The filters of `list` and `approve --all`, checked; each bad value is a usage error naming the flag. */
export function filtersOf(flags: ListFlags): ItemFilters {
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

export async function listItems(ctx: Context, flags: ListFlags): Promise<ReviewItem[]> {
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

export function printSummary(ctx: Context, item: ReviewItem, summary: Summary | undefined): void {
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

export function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

export async function showItem(ctx: Context, id: string, flags: { html?: string }): Promise<void> {
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
export function printClaims(ctx: Context, claims: readonly Claim[]): void {
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
