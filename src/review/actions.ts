/**
 * What an editor does to review items: decide (approve/reject, optionally with an edited
 * summary), edit the summary of a pending item, approve many at once. The CLI (`eti review`)
 * and the web page (`eti review --serve`) both write through these functions only, so the
 * store and the append-only log see the same thing whichever an editor used. Reading items
 * (filters, queue order, an item's page) is `items.ts`.
 */
import { UsageError } from '../errors.js';
import { decide, findItem, notPending, RefusedError, type Decision } from '../pipeline/review/index.js';
import { editableFields, fieldText, normalizeText, publishedFields, type ItemEdits } from '../pipeline/verify/index.js';
import type { Claim, ReviewItem, Summary } from '../pipeline/types.js';
import { acquireLock } from '../store/lock.js';
import type { ReviewLogEntry } from '../store/records.js';
import { openStore } from '../pipeline/upgrade/index.js';
import { type Store, storeDirOf } from '../store/store.js';
import { claimsOfItem, currentFieldTexts, type ItemFilters, selectItems, summaryOf } from './items.js';

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
    return { store: await openStore(dir), release };
  } catch (err) {
    await release();
    throw err;
  }
}

function logEntry(
  item: ReviewItem,
  action: ReviewLogEntry['action'],
  actor: Actor,
  summary: Summary | undefined,
  note?: string,
): ReviewLogEntry {
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

/** A decision as an editor asks for it: the text in the edit box, if any, is compared with what is there. */
export interface DecideRequest {
  status: Decision['status'];
  note?: string;
  /** The summary text the editor wants published; unchanged text is not an edit. */
  editedSummary?: string;
  /** Texts of other fields the editor wants published (field → text; lists one item per line); unchanged text is not an edit. */
  editedFields?: Record<string, string>;
  /** For a summary without claims only: one reason for the whole item. */
  override?: string;
  /** The public change note, when the editor wrote or confirmed one (see `Decision.changeNote`). */
  changeNote?: string;
  /** Major or minor, when the editor chose (see `Decision.isMajor`). */
  isMajor?: boolean;
  /** Per unsupported claim (`field.index`), the reason to publish it anyway. */
  overrides?: { ref: string; reason: string }[];
}

/**
 * The item's edits after applying `asked` (field → text): a text equal to the current one is no
 * edit, a text equal to the generated one removes an earlier edit. Empty texts of the summary are refused.
 */
function mergeEdits(
  item: ReviewItem,
  summary: Summary | undefined,
  asked: Record<string, string>,
): { edits: ItemEdits; isChanged: boolean } {
  let editedSummary = item.editedSummary;
  const editedFields: Record<string, string> = { ...(item.editedFields ?? {}) };
  let isChanged = false;
  if (!summary) return { edits: item, isChanged };
  const current = currentFieldTexts(item, summary);
  const generated = Object.fromEntries(editableFields(summary).map((f) => [f, fieldText(publishedFields({}, summary), f)]));
  for (const [field, raw] of Object.entries(asked)) {
    if (!(field in current))
      throw new UsageError(`review item ${item.id}: no field "${field}" to edit (fields: ${Object.keys(current).join(', ')})`);
    const text = normalizeText(raw);
    if (field === 'summary' && text === '')
      throw new RefusedError({ kind: 'empty-summary' }, `review item ${item.id}: the edited summary is empty; nothing changed`);
    if (text === current[field]) continue;
    isChanged = true;
    const isRevert = text === generated[field];
    if (field === 'summary') editedSummary = isRevert ? undefined : text;
    else if (isRevert) delete editedFields[field];
    else editedFields[field] = text;
  }
  return {
    edits: { ...(editedSummary === undefined ? {} : { editedSummary }), ...(Object.keys(editedFields).length > 0 ? { editedFields } : {}) },
    isChanged,
  };
}

function askedEdits(req: Pick<DecideRequest, 'editedSummary' | 'editedFields'>): Record<string, string> {
  return { ...(req.editedFields ?? {}), ...(req.editedSummary === undefined ? {} : { summary: req.editedSummary }) };
}

/**
 * The `Decision` for one item. An earlier edit (`eti review edit`, the web page's "Lagre") is
 * carried into the decision, so it clears a grounding block exactly as an edit made while
 * approving does; a text equal to the current one is no edit.
 */
async function decisionFor(
  store: Store,
  item: ReviewItem,
  summary: Summary | undefined,
  req: DecideRequest,
  actor: Actor,
): Promise<{ decision: Decision; isNewEdit: boolean }> {
  // The public change note is the change summary as the editor leaves it: a note the editor writes
  // is an edit of that field, verified against the old and new text like any claim, never free text
  // that bypasses the check. New and removed pages have no change summary and get no written note.
  const asked = askedEdits(req);
  if (req.changeNote !== undefined && item.kind === 'changed' && asked.changeSummary === undefined) asked.changeSummary = req.changeNote;
  const merged = req.status === 'approved' ? mergeEdits(item, summary, asked) : { edits: item, isChanged: false };
  const { editedSummary, editedFields } = merged.edits;
  // What is approved is verified now, edits included: an edit is checked like generated text.
  const checked =
    req.status === 'approved' && summary && item.kind !== 'removed'
      ? { fields: publishedFields(merged.edits, summary), claims: await claimsOfItem(store, { ...item, ...merged.edits }, summary) }
      : undefined;
  return {
    isNewEdit: merged.isChanged,
    decision: {
      status: req.status,
      by: actor.by,
      at: actor.at,
      ...(req.note ? { note: req.note } : {}),
      ...(editedSummary === undefined ? {} : { editedSummary }),
      ...(editedFields === undefined ? {} : { editedFields }),
      ...(req.override ? { override: req.override } : {}),
      ...(req.isMajor === undefined ? {} : { isMajor: req.isMajor }),
      ...(req.overrides && req.overrides.length > 0 ? { overrides: req.overrides } : {}),
      ...(checked ? { checked } : {}),
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
  const unqualified = (req.overrides ?? []).filter((o) => !o.ref.includes(':'));
  if (unqualified.length > 0 && ids.length > 1)
    throw new UsageError(`--override ${unqualified[0]!.ref}: with several items, name the item too (ITEM:${unqualified[0]!.ref}=reason)`);
  for (const id of ids) {
    const item = findItem(all, id);
    const summary = await summaryOf(store, item);
    const { decision, isNewEdit } = await decisionFor(
      store,
      item,
      summary,
      { ...req, overrides: overridesFor(item, req.overrides) },
      actor,
    );
    planned.push({ item: decide(item, decision, summary), summary, isNewEdit });
  }
  return write(store, planned, req.status, actor);
}

/** The overrides meant for one item: `field.index`, or `ITEM:field.index` where ITEM is the item's id or a prefix of it. */
function overridesFor(item: ReviewItem, overrides: DecideRequest['overrides']): { ref: string; reason: string }[] {
  const out: { ref: string; reason: string }[] = [];
  for (const o of overrides ?? []) {
    const at = o.ref.indexOf(':');
    if (at < 0) out.push(o);
    else if (item.id.startsWith(o.ref.slice(0, at))) out.push({ ref: o.ref.slice(at + 1), reason: o.reason });
  }
  return out;
}

async function write(
  store: Store,
  planned: { item: ReviewItem; summary: Summary | undefined; isNewEdit: boolean }[],
  action: ReviewLogEntry['action'],
  actor: Actor,
): Promise<ReviewItem[]> {
  for (const p of planned) store.putReview(p.item);
  await store.flush();
  await store.appendLog(
    planned.flatMap((p) => [
      ...(p.isNewEdit ? [logEntry(p.item, 'edited', actor, p.summary)] : []),
      logEntry(p.item, action, actor, p.summary, p.item.note),
    ]),
  );
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
export async function approveMatching(
  store: Store,
  filters: ItemFilters,
  req: Omit<DecideRequest, 'status' | 'editedSummary'>,
  actor: Actor,
): Promise<BulkResult> {
  const items = selectItems(await store.reviews(), { ...filters, status: 'pending' }, new Date(actor.at));
  const planned: { item: ReviewItem; summary: Summary | undefined; isNewEdit: boolean }[] = [];
  const refused: BulkResult['refused'] = [];
  for (const item of items) {
    const summary = await summaryOf(store, item);
    try {
      const { decision } = await decisionFor(
        store,
        item,
        summary,
        { ...req, status: 'approved', overrides: overridesFor(item, req.overrides) },
        actor,
      );
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
  /** False when every text was the same as the current one: nothing was written. */
  isChanged: boolean;
  /** The claims of what the item would now publish, verified again. */
  claims: Claim[];
}

/**
 * Replace the summary text of a pending item (kept pending). See `editFields`.
 */
export async function editSummary(
  store: Store,
  id: string,
  text: string,
  actor: Actor,
  opts: { expected?: string } = {},
): Promise<EditResult> {
  return editFields(store, id, { summary: text }, actor, opts.expected === undefined ? {} : { expected: { summary: opts.expected } });
}

/**
 * Replace texts of a pending item's publishable fields (field → text; lists one item per line);
 * the item stays pending and its claims are verified again. An unchanged text writes nothing; a
 * text equal to the generated one removes an earlier edit. With `expected` (field → the text the
 * editor started from), the edit is refused when a current text is no longer that (someone else
 * edited meanwhile). Logs one `edited` entry naming the fields and the claims left unsupported.
 */
export async function editFields(
  store: Store,
  id: string,
  texts: Record<string, string>,
  actor: Actor,
  opts: { expected?: Record<string, string> } = {},
): Promise<EditResult> {
  const item = findItem(await store.reviews(), id);
  if (item.status !== 'pending') throw notPending(item, 'edited');
  const summary = await summaryOf(store, item);
  if (!summary)
    throw new RefusedError(
      { kind: 'no-summary', isRemoved: item.kind === 'removed' },
      `review item ${item.id} has no summary to edit (${item.kind === 'removed' ? 'the page is gone' : 'run "eti summarize" first'})`,
    );
  const current = currentFieldTexts(item, summary);
  for (const [field, text] of Object.entries(opts.expected ?? {})) {
    if (normalizeText(text) !== current[field]) {
      throw new RefusedError(
        { kind: 'edit-conflict' },
        `review item ${item.id}: the ${field} text was changed by someone else while you edited it; nothing changed`,
        'Edit it again.',
      );
    }
  }
  const { edits, isChanged } = mergeEdits(item, summary, texts);
  if (!isChanged) return { item, isChanged: false, claims: await claimsOfItem(store, item, summary) };
  const { editedSummary: _s, editedFields: _f, ...rest } = item;
  const updated: ReviewItem = { ...rest, ...edits };
  const claims = await claimsOfItem(store, updated, summary);
  const changed = Object.keys(texts).filter((f) => normalizeText(texts[f]!) !== current[f]);
  const bad = claims.filter((c) => c.verdict === 'unsupported').map((c) => `${c.field}.${c.index}`);
  const isRevert = edits.editedSummary === undefined && edits.editedFields === undefined;
  const note = [
    isRevert ? 'back to the generated summary' : `fields: ${changed.join(', ')}`,
    bad.length > 0 ? `unsupported: ${bad.join(', ')}` : 'every claim supported',
  ].join('; ');
  store.putReview(updated);
  await store.flush();
  await store.appendLog([logEntry(updated, 'edited', actor, summary, note)]);
  return { item: updated, isChanged: true, claims };
}
