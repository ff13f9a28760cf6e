import { UsageError } from '../../errors.js';
import { sha256 } from '../../hash.js';
import { CLASS_RANK } from '../diff/index.js';
import { claimRef, claimTextHash, type PublishableFields } from '../verify/index.js';
import { approvalRecord, uncovered } from '../verify/index.js';
import type { ChangeClass, Claim, ClaimOverride, ReviewItem, ReviewStatus, Summary } from '../types.js';

/**
 * Stable id of the review item for one content version of a page: 10 hex characters. Content
 * that comes back after another version (A → B → A) needs a second item for the same content:
 * `occurrence` 2, 3 … tells it apart (the first keeps the plain id).
 */
export function reviewItemId(url: string, contentHash: string, kind: ReviewItem['kind'], occurrence = 1): string {
  return sha256(`${kind}\n${url}\n${contentHash}${occurrence > 1 ? `\n${occurrence}` : ''}`).slice(0, 10);
}

/** Why a decision or an edit was refused: what the review page says in Norwegian. */
export type Refusal =
  | { kind: 'not-pending'; status: ReviewStatus; by?: string; at?: string }
  | { kind: 'no-summary'; isRemoved: boolean }
  /** `spans`: the unsupported text; `refs`: the claims (`field.index`) an override must name, when claims were checked. */
  | { kind: 'ungrounded'; spans: string[]; refs?: string[] }
  | { kind: 'empty-summary' }
  | { kind: 'edit-conflict' }
  | { kind: 'no-reason' };

/** A refused decision or edit: a usage error (exit 2) that carries its reason as data. */
export class RefusedError extends UsageError {
  readonly refusal: Refusal;
  constructor(refusal: Refusal, message: string, hint?: string) {
    super(message, hint);
    this.refusal = refusal;
  }
}

/** The refusal to decide or edit an item that is no longer pending (the CLI's words; the page words it from the data). */
export function notPending(item: ReviewItem, verb: 'decided' | 'edited'): RefusedError {
  return new RefusedError(
    {
      kind: 'not-pending',
      status: item.status,
      ...(item.decidedBy ? { by: item.decidedBy } : {}),
      ...(item.decidedAt ? { at: item.decidedAt } : {}),
    },
    `review item ${item.id} is ${item.status}${item.decidedBy ? ` (by ${item.decidedBy} at ${item.decidedAt})` : ''}; only pending items can be ${verb}`,
    item.status === 'superseded'
      ? `The page changed again: ${verb === 'decided' ? 'decide' : 'edit'} the newer item (eti review list).`
      : undefined,
  );
}

/** A decision an editor makes on a pending item. */
export interface Decision {
  status: 'approved' | 'rejected';
  by: string;
  at: string;
  note?: string;
  /** Replacement summary text (approve with an edit). */
  editedSummary?: string;
  /** Replacement texts of the other publishable fields (see `ReviewItem.editedFields`). */
  editedFields?: Record<string, string>;
  /**
   * A reason to approve although the grounding check failed, for a summary without claims (stored
   * before claims existed and not migrated). With claims, overrides are per claim (`overrides`).
   */
  override?: string;
  /** The public change note (Norwegian) the editor confirmed or wrote; default: the summary's `changeSummary`. */
  changeNote?: string;
  /** Major or minor change as the editor decided; default: major when the change class is `material`. */
  isMajor?: boolean;
  /** Per unsupported claim (`field.index`), the reason to publish it anyway. */
  overrides?: { ref: string; reason: string }[];
  /**
   * What the approval publishes and its claims, verified now (`itemClaims`): given, the decision
   * is gated on them, claim by claim; the approval records their hashes.
   */
  checked?: { fields: PublishableFields; claims: Claim[] };
}

/** The claims that block an approval, and the overrides that were used (bound to the claim's text). */
function gate(item: ReviewItem, decision: Decision, claims: Claim[]): ClaimOverride[] {
  const asked = decision.overrides ?? [];
  const unsupported = claims.filter((c) => c.verdict === 'unsupported');
  for (const o of asked) {
    if (!unsupported.some((c) => claimRef(c) === o.ref)) {
      const refs = unsupported.map(claimRef);
      throw new RefusedError(
        { kind: 'ungrounded', spans: unsupported.map((c) => c.text), refs },
        `review item ${item.id}: --override ${o.ref}: no unsupported claim ${o.ref}${refs.length > 0 ? ` (unsupported: ${refs.join(', ')})` : ' (every claim is supported)'}`,
      );
    }
  }
  const used: ClaimOverride[] = unsupported
    .map((c) => ({ c, o: asked.find((x) => x.ref === claimRef(c)) }))
    .filter((x): x is { c: Claim; o: { ref: string; reason: string } } => x.o !== undefined)
    .map(({ c, o }) => ({ ref: o.ref, textSha256: claimTextHash(c.text), reason: o.reason, by: decision.by, at: decision.at }));
  const blocking = uncovered(claims, used);
  if (blocking.length > 0) {
    const list = blocking
      .map((c) => `${claimRef(c)} "${c.text}" (${[...new Set(c.findings.map((f) => f.code))].join(', ') || 'unsupported'})`)
      .join('; ');
    throw new RefusedError(
      { kind: 'ungrounded', spans: blocking.map((c) => c.text), refs: blocking.map(claimRef) },
      `review item ${item.id}: ${blocking.length} claim${blocking.length === 1 ? '' : 's'} not supported by ${blocking.length === 1 ? 'its' : 'their'} source spans: ${list}`,
      `Edit the text, or approve with --override ${claimRef(blocking[0]!)}="reason" per claim.`,
    );
  }
  return used;
}

/**
 * Apply an editor's decision to an item. Pure: returns the new item or throws `UsageError`
 * with a one-line reason. Only pending items can be decided. With `checked` (the claims of what
 * would be published, edits included, verified now), every unsupported claim needs an override
 * of its own; without it (a summary without claims), an ungrounded summary needs `override`.
 * An edit never lifts the block by itself: edited text is verified like generated text.
 */
export function decide(item: ReviewItem, decision: Decision, summary: Summary | undefined): ReviewItem {
  if (item.status !== 'pending') throw notPending(item, 'decided');
  if (decision.status === 'approved' && item.kind !== 'removed') {
    if (!summary) {
      throw new RefusedError(
        { kind: 'no-summary', isRemoved: false },
        `review item ${item.id} has no summary yet`,
        'Run "eti summarize" first.',
      );
    }
    if (decision.checked) {
      const used = gate(item, decision, decision.checked.claims);
      return approved(item, decision, used, decision.checked, summary);
    }
    if (!summary.grounding.isGrounded && !decision.override) {
      const spans = summary.grounding.issues.map((i) => `"${i.span}"`).join(', ');
      throw new RefusedError(
        { kind: 'ungrounded', spans: summary.grounding.issues.map((i) => i.span) },
        `review item ${item.id}: the summary states ${spans} which the page does not support`,
        'Edit the summary (--summary-file), or approve with --override "reason".',
      );
    }
  }
  return approved(item, decision, [], undefined, summary);
}

/** The decided item: edits, overrides (marked in the note too, so the log shows them) and what was approved. */
function approved(
  item: ReviewItem,
  decision: Decision,
  used: ClaimOverride[],
  checked: Decision['checked'],
  summary: Summary | undefined,
): ReviewItem {
  const marks = used.map((o) => `override ${o.ref}: ${o.reason}`);
  const note = [decision.note, decision.override ? `override: ${decision.override}` : undefined, ...marks].filter(Boolean).join('; ');
  const isApproval = decision.status === 'approved' && checked !== undefined;
  // The decision carries the item's edits as they stand after it (an edit back to the generated text removes one).
  const { editedSummary: _s, editedFields: _f, ...rest } = item;
  return {
    ...rest,
    status: decision.status,
    decidedBy: decision.by,
    decidedAt: decision.at,
    ...(note ? { note } : {}),
    ...(decision.editedSummary === undefined ? {} : { editedSummary: decision.editedSummary }),
    ...(decision.status === 'approved' ? changeNoteOf(item, decision, summary) : {}),
    ...(decision.editedFields === undefined || Object.keys(decision.editedFields).length === 0
      ? {}
      : { editedFields: decision.editedFields }),
    ...(used.length > 0 ? { overrides: used } : {}),
    ...(isApproval ? { approval: approvalRecord(checked.fields, checked.claims) } : {}),
  };
}

/**
 * The public change note and major/minor flag an approval records (GOV.UK's way). The proposal
 * is the summary's grounded `changeSummary` and `major` for a `material` change; a new page or a
 * removal is major. What the editor gives wins; an empty note means none.
 */
function changeNoteOf(item: ReviewItem, decision: Decision, summary: Summary | undefined): Pick<ReviewItem, 'changeNote' | 'isMajor'> {
  // An editor's edit of the change summary is the proposal it makes.
  const proposed =
    item.kind === 'changed'
      ? (decision.editedFields?.changeSummary ?? item.editedFields?.changeSummary ?? summary?.changeSummary)
      : undefined;
  const text = (decision.changeNote ?? proposed ?? '').replace(/\s+/g, ' ').trim();
  const isMajor = decision.isMajor ?? (item.kind !== 'changed' || classOf(item) === 'material');
  return { ...(text ? { changeNote: text } : {}), isMajor };
}

const STATUS_RANK: Record<ReviewStatus, number> = { pending: 0, approved: 1, rejected: 2, superseded: 3 };

/** An item's change class; items stored before classes existed count as `material`. */
export function classOf(item: ReviewItem): ChangeClass {
  return item.changeClass ?? 'material';
}

/**
 * Order for queues: pending first; then material before wording before cosmetic (an item stored
 * before classes existed counts as material); then changed before new before removed, then url.
 */
export function compareItems(a: ReviewItem, b: ReviewItem): number {
  const kindRank = { changed: 0, new: 1, removed: 2 } as const;
  return (
    STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
    CLASS_RANK[classOf(a)] - CLASS_RANK[classOf(b)] ||
    kindRank[a.kind] - kindRank[b.kind] ||
    (a.url < b.url ? -1 : a.url > b.url ? 1 : 0) ||
    (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0)
  );
}

/**
 * The item whose content is published for each page: the most recently approved one.
 * A page whose latest approved item is a removal is not published. Pure; sorted by url.
 */
export function publishedItems(items: readonly ReviewItem[]): ReviewItem[] {
  const latest = new Map<string, ReviewItem>();
  for (const item of items) if (isLaterApproval(item, latest.get(item.url))) latest.set(item.url, item);
  return [...latest.values()].filter((i) => i.kind !== 'removed').sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
}

/** Whether `item` is an approval that supersedes `prev` as a page's latest: decided later, ties by id. */
function isLaterApproval(item: ReviewItem, prev: ReviewItem | undefined): boolean {
  if (item.status !== 'approved') return false;
  const at = item.decidedAt ?? '';
  const prevAt = prev?.decidedAt ?? '';
  return !prev || at > prevAt || (at === prevAt && item.id > prev.id);
}

/** The most recently approved of one page's items (what its bundle entry comes from); undefined when none. */
export function latestApproved(items: readonly ReviewItem[]): ReviewItem | undefined {
  let latest: ReviewItem | undefined;
  for (const item of items) if (isLaterApproval(item, latest)) latest = item;
  return latest;
}

/** The shortest id prefix `findItem` accepts (documented in the README). */
export const MIN_ID_PREFIX = 4;

/** Find an item by id or unique id prefix (at least `MIN_ID_PREFIX` characters). */
export function findItem(items: readonly ReviewItem[], idOrPrefix: string): ReviewItem {
  const exact = items.find((i) => i.id === idOrPrefix);
  if (exact) return exact;
  // Shorter prefixes would match by luck as the queue grows: an approval must name its item.
  if (idOrPrefix.length < MIN_ID_PREFIX) {
    throw new UsageError(
      `review item id "${idOrPrefix}" is too short: give the id or at least its first ${MIN_ID_PREFIX} characters`,
      'The ids are in "eti review list".',
    );
  }
  const matches = items.filter((i) => i.id.startsWith(idOrPrefix));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new UsageError(`review item id "${idOrPrefix}" is ambiguous (${matches.length} items match)`);
  throw new UsageError(`no review item "${idOrPrefix}"`, 'List them with "eti review list".');
}
