/**
 * Review items as the CLI and the web page read them: filters and queue order, ages, the texts an
 * item would publish now and their claims, and everything the item page shows. Nothing here
 * writes; what editors do is in `actions.ts`.
 */
import { classOf, compareItems } from '../pipeline/review/index.js';
import { evidenceTexts } from '../pipeline/publish/index.js';
import { editableFields, fieldText, itemClaims, normalizeText, publishedFields } from '../pipeline/verify/index.js';
import type { ChangeClass, Claim, ReviewItem, ReviewStatus, Summary } from '../pipeline/types.js';
import type { ReviewLogEntry } from '../store/records.js';
import type { Store } from '../store/store.js';

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

/**
 * The summary text that would be published for an item: the editor's edit, else the generated
 * text, normalised as every edit is (`normalizeText`), so an untouched text box is not an edit.
 */
export function currentSummaryText(item: ReviewItem, summary: Summary | undefined): string | undefined {
  const text = item.editedSummary ?? summary?.content.summary;
  return text === undefined ? undefined : normalizeText(text);
}

/** Text as an editor typed it, normalised exactly as stored text is compared (`normalizeText`). */
export function normalizeSummaryText(text: string): string {
  return normalizeText(text);
}

/** The current text of every editable field of an item (its edits applied), normalised. */
export function currentFieldTexts(item: ReviewItem, summary: Summary): Record<string, string> {
  const fields = publishedFields(item, summary);
  return Object.fromEntries(editableFields(summary).map((f) => [f, fieldText(fields, f)]));
}

/** The claims of what an item would publish now (its edits included), verified now. */
export async function claimsOfItem(store: Store, item: ReviewItem, summary: Summary): Promise<Claim[]> {
  return itemClaims(item, summary, await evidenceTexts(store, item, summary));
}

/** The summary an item was made from, if it has one. */
export async function summaryOf(store: Store, item: ReviewItem): Promise<Summary | undefined> {
  return item.summaryId ? store.summary(item.sourceId, item.summaryId) : undefined;
}

/** What the item page and `show --html` need of one item, read from the store. */
export interface LoadedItem {
  item: ReviewItem;
  title: string;
  summary?: Summary;
  oldText?: string;
  newText?: string;
  log: ReviewLogEntry[];
  /** The claims of what the item would publish now (edits included), verified now. */
  claims?: Claim[];
  /** The current text of every editable field. */
  fieldTexts?: Record<string, string>;
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
    ...(summary ? { claims: await claimsOfItem(store, item, summary), fieldTexts: currentFieldTexts(item, summary) } : {}),
  };
}
