/**
 * What an editor does to review items: decide (approve/reject, optionally with an edited
 * summary), edit the summary of a pending item, approve many at once. The CLI (`eti review`)
 * and the web page (`eti review --serve`) both write through these functions only, so the
 * store and the append-only log see the same thing whichever an editor used.
 */
import { UsageError } from '../errors.js';
import { classOf, compareItems, decide, findItem, notPending, RefusedError, type Decision } from '../pipeline/review.js';
import type { ChangeClass, ReviewItem, ReviewStatus, Summary } from '../pipeline/types.js';
import { acquireLock } from '../store/lock.js';
import type { ReviewLogEntry } from '../store/records.js';
import { Store, storeDirOf } from '../store/store.js';

export const CHANGE_CLASSES: readonly ChangeClass[] = ['material', 'wording', 'cosmetic'];
export const ITEM_KINDS: readonly ReviewItem['kind'][] = ['new', 'changed', 'removed'];

export { classOf };

/** Which items a list, a page or a bulk approval is about. Every field narrows; absent fields do not. */
export interface ItemFilters {
  status?: ReviewStatus | 'all';
  sources?: readonly string[];
  kind?: ReviewItem['kind'];
  changeClass?: ChangeClass;
  /** Only items created more than this many days before `now`. */
  olderThanDays?: number;
}

/** Filter items (status defaults to `pending`) and sort them in queue order. Pure. */
export function selectItems(items: readonly ReviewItem[], filters: ItemFilters, now: Date): ReviewItem[] {
  const status = filters.status ?? 'pending';
  const cutoff = filters.olderThanDays === undefined ? undefined : now.getTime() - filters.olderThanDays * 86_400_000;
  return items
    .filter((i) => status === 'all' || i.status === status)
    .filter((i) => !filters.sources || filters.sources.length === 0 || filters.sources.includes(i.sourceId))
    .filter((i) => !filters.kind || i.kind === filters.kind)
    .filter((i) => !filters.changeClass || classOf(i) === filters.changeClass)
    .filter((i) => cutoff === undefined || Date.parse(i.createdAt) < cutoff)
    .sort(compareItems);
}

/** Whole days from `createdAt` to `now` (0 for an item less than a day old). */
export function ageDays(item: ReviewItem, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(item.createdAt)) / 86_400_000));
}

/** The summary text that would be published for an item: the editor's edit, else the generated text. */
export function currentSummaryText(item: ReviewItem, summary: Summary | undefined): string | undefined {
  return item.editedSummary ?? summary?.content.summary;
}

/** Summary text as an editor typed it: line ends normalised (browsers send CRLF), outer space trimmed. */
export function normalizeSummaryText(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

/** Who acts and when (ISO time). */
export interface Actor {
  by: string;
  at: string;
}

/**
 * Open the workspace's store for writing under the workspace lock: a fresh Store (not one with
 * shards read before someone else wrote them). Call `release()` in `finally`.
 */
export async function openForWrite(workspace: string, command: string, now: Date): Promise<{ store: Store; release: () => Promise<void> }> {
  const dir = storeDirOf(workspace);
  const release = await acquireLock(dir, command, now);
  try {
    return { store: await Store.open(dir), release };
  } catch (err) {
    await release();
    throw err;
  }
}

function logEntry(item: ReviewItem, action: ReviewLogEntry['action'], actor: Actor, summary: Summary | undefined, note?: string): ReviewLogEntry {
  return {
    at: actor.at,
    by: actor.by,
    action,
    itemId: item.id,
    url: item.url,
    contentHash: item.contentHash,
    ...(summary ? { summaryId: summary.id, provider: summary.provider, model: summary.model, promptHash: summary.promptHash } : {}),
    ...(note ? { note } : {}),
  };
}

async function summaryOf(store: Store, item: ReviewItem): Promise<Summary | undefined> {
  return item.summaryId ? store.summary(item.sourceId, item.summaryId) : undefined;
}

/** A decision as an editor asks for it: the text in the edit box, if any, is compared with what is there. */
export interface DecideRequest {
  status: Decision['status'];
  note?: string;
  /** The summary text the editor wants published; unchanged text is not an edit. */
  editedSummary?: string;
  override?: string;
  /** The public change note, when the editor wrote or confirmed one (see `Decision.changeNote`). */
  changeNote?: string;
  /** Major or minor, when the editor chose (see `Decision.isMajor`). */
  isMajor?: boolean;
}

/**
 * The `Decision` for one item. An earlier edit (`eti review edit`, the web page's "Lagre") is
 * carried into the decision, so it clears a grounding block exactly as an edit made while
 * approving does; a text equal to the current one is no edit.
 */
function decisionFor(item: ReviewItem, summary: Summary | undefined, req: DecideRequest, actor: Actor): { decision: Decision; isNewEdit: boolean } {
  const asked = req.editedSummary === undefined ? undefined : normalizeSummaryText(req.editedSummary);
  if (asked === '') throw new RefusedError({ kind: 'empty-summary' }, `review item ${item.id}: the edited summary is empty`);
  const isNewEdit = req.status === 'approved' && asked !== undefined && asked !== currentSummaryText(item, summary);
  const edited = isNewEdit ? asked : item.editedSummary;
  return {
    isNewEdit,
    decision: {
      status: req.status,
      by: actor.by,
      at: actor.at,
      ...(req.note ? { note: req.note } : {}),
      ...(edited === undefined ? {} : { editedSummary: edited }),
      ...(req.override ? { override: req.override } : {}),
      ...(req.changeNote === undefined ? {} : { changeNote: req.changeNote }),
      ...(req.isMajor === undefined ? {} : { isMajor: req.isMajor }),
    },
  };
}

/**
 * Approve or reject items by id (or unique prefix). Every decision is validated before any is
 * written, so one bad id or one refused item changes nothing. Writes the items, flushes, and
 * appends one log entry per item (preceded by an `edited` entry when the text was changed).
 */
export async function decideItems(store: Store, ids: readonly string[], req: DecideRequest, actor: Actor): Promise<ReviewItem[]> {
  if (req.status === 'rejected' && !req.note) throw new RefusedError({ kind: 'no-reason' }, 'reject needs a reason');
  const all = await store.reviews();
  const planned: { item: ReviewItem; summary: Summary | undefined; isNewEdit: boolean }[] = [];
  for (const id of ids) {
    const item = findItem(all, id);
    const summary = await summaryOf(store, item);
    const { decision, isNewEdit } = decisionFor(item, summary, req, actor);
    planned.push({ item: decide(item, decision, summary), summary, isNewEdit });
  }
  return write(store, planned, req.status, actor);
}

async function write(store: Store, planned: { item: ReviewItem; summary: Summary | undefined; isNewEdit: boolean }[], action: ReviewLogEntry['action'], actor: Actor): Promise<ReviewItem[]> {
  for (const p of planned) await store.putReview(p.item);
  await store.flush();
  await store.appendLog(planned.flatMap((p) => [...(p.isNewEdit ? [logEntry(p.item, 'edited', actor, p.summary)] : []), logEntry(p.item, action, actor, p.summary, p.item.note)]));
  return planned.map((p) => p.item);
}

/** What a bulk approval did: the items approved, and those left pending with the reason. */
export interface BulkResult {
  approved: ReviewItem[];
  refused: { item: ReviewItem; reason: string }[];
}

/**
 * Approve every pending item that `filters` select. An item that cannot be approved as it is
 * (summary not grounded and neither edited nor overridden, no summary) is left pending and
 * reported, not an error; the others are approved and logged one by one.
 */
export async function approveMatching(store: Store, filters: ItemFilters, req: Omit<DecideRequest, 'status' | 'editedSummary'>, actor: Actor): Promise<BulkResult> {
  const items = selectItems(await store.reviews(), { ...filters, status: 'pending' }, new Date(actor.at));
  const planned: { item: ReviewItem; summary: Summary | undefined; isNewEdit: boolean }[] = [];
  const refused: BulkResult['refused'] = [];
  for (const item of items) {
    const summary = await summaryOf(store, item);
    try {
      const { decision } = decisionFor(item, summary, { ...req, status: 'approved' }, actor);
      planned.push({ item: decide(item, decision, summary), summary, isNewEdit: false });
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      refused.push({ item, reason: err.message });
    }
  }
  return { approved: await write(store, planned, 'approved', actor), refused };
}

/** What an edit did. */
export interface EditResult {
  item: ReviewItem;
  /** False when the text was the same as the current one: nothing was written. */
  isChanged: boolean;
}

/**
 * Replace the summary text of a pending item (kept pending). An unchanged text writes nothing;
 * a text equal to the generated summary removes an earlier edit. With `expected`, the edit is
 * refused when the current text is no longer what the editor started from (someone else
 * edited meanwhile). Logs an `edited` entry.
 */
export async function editSummary(store: Store, id: string, text: string, actor: Actor, opts: { expected?: string } = {}): Promise<EditResult> {
  const item = findItem(await store.reviews(), id);
  if (item.status !== 'pending') throw notPending(item, 'edited');
  const summary = await summaryOf(store, item);
  if (!summary) throw new RefusedError({ kind: 'no-summary', isRemoved: item.kind === 'removed' }, `review item ${item.id} has no summary to edit (${item.kind === 'removed' ? 'the page is gone' : 'run "eti summarize" first'})`);
  const next = normalizeSummaryText(text);
  if (next === '') throw new RefusedError({ kind: 'empty-summary' }, `review item ${item.id}: the edited summary is empty; nothing changed`);
  const current = currentSummaryText(item, summary)!;
  if (opts.expected !== undefined && normalizeSummaryText(opts.expected) !== current) {
    throw new RefusedError({ kind: 'edit-conflict' }, `review item ${item.id}: the summary was changed by someone else while you edited it; nothing changed`, 'Edit it again.');
  }
  if (next === current) return { item, isChanged: false };
  const isRevert = next === summary.content.summary;
  const { editedSummary: _dropped, ...rest } = item;
  const updated: ReviewItem = isRevert ? rest : { ...item, editedSummary: next };
  await store.putReview(updated);
  await store.flush();
  await store.appendLog([logEntry(updated, 'edited', actor, summary, isRevert ? 'back to the generated summary' : undefined)]);
  return { item: updated, isChanged: true };
}

/** What the item page and `show --html` need of one item, read from the store. */
export interface LoadedItem {
  item: ReviewItem;
  title: string;
  summary?: Summary;
  oldText?: string;
  newText?: string;
  log: ReviewLogEntry[];
}

/**
 * Read an item's page title, summary, the two texts to compare (the one it was diffed against,
 * absent for a new page; the current one, absent for a removed page) and its log entries.
 */
export async function loadItem(store: Store, item: ReviewItem): Promise<LoadedItem> {
  const page = await store.page(item.sourceId, item.url);
  const title = page?.versions.find((v) => v.contentHash === item.contentHash)?.title ?? page?.versions.at(-1)?.title ?? '';
  const summary = await summaryOf(store, item);
  const [oldText, newText] =
    item.kind === 'removed'
      ? [await store.blobs.get(item.contentHash), undefined]
      : await Promise.all([item.baseHash ? store.blobs.get(item.baseHash) : Promise.resolve(undefined), store.blobs.get(item.contentHash)]);
  const log = (await store.log()).filter((x) => x.itemId === item.id);
  return {
    item,
    title,
    ...(summary ? { summary } : {}),
    ...(oldText === undefined ? {} : { oldText }),
    ...(item.kind === 'removed' ? {} : { newText: newText ?? '' }),
    log,
  };
}
