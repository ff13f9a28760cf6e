import { UsageError } from '../errors.js';
import { diffPair, diffTexts } from '../pipeline/diff/index.js';
import { normalizeUrl } from '../pipeline/fetch/index.js';
import { describeChange, renderHunksMarkdown, renderHunksText } from '../pipeline/publish/index.js';
import { compareItems } from '../pipeline/review/index.js';
import type { Change } from '../pipeline/types.js';
import type { Context } from './context.js';
import { itemChange } from './review-list.js';

export interface DiffFlags {
  format?: string;
}

function print(ctx: Context, change: Change, format: string): void {
  if (ctx.isJson) {
    ctx.jsonLine({ type: 'diff', ...change });
    return;
  }
  if (format === 'markdown') {
    ctx.info(`### ${change.kind}: <${change.url}>\n`);
    if (change.kind === 'changed') ctx.info(`${renderHunksMarkdown(change.hunks)}\n`);
    return;
  }
  ctx.info(describeChange(change));
  if (change.kind === 'changed') ctx.info(`${renderHunksText(change.hunks, ctx.isColor).replace(/^/gm, '    ')}\n`);
}

/** Show the diffs waiting for review, or the last change of one page. */
export async function runDiff(ctx: Context, url: string | undefined, flags: DiffFlags): Promise<Change[]> {
  const format = flags.format ?? 'text';
  if (format !== 'text' && format !== 'markdown') throw new UsageError(`--format: expected text or markdown, got "${format}"`);
  const store = await ctx.store();
  const changes: Change[] = [];
  if (url === undefined) {
    const pending = (await store.reviews()).filter((i) => i.status === 'pending').sort(compareItems);
    for (const item of pending) changes.push(await itemChange(store, item));
    if (changes.length === 0) ctx.info('No changes are waiting for review.');
  } else {
    const wanted = normalizeUrl(url) ?? url;
    const shards = await store.allShards();
    const page = shards.map((s) => s.pages[wanted]).find((p) => p !== undefined);
    if (!page) throw new UsageError(`no stored page ${wanted}`, 'Crawl it first, or check the URL with "eti audit --pages".');
    const [prev, cur] = page.versions.slice(-2);
    const [oldText, newText] = await Promise.all([
      cur ? store.blobs.get(prev!.contentHash) : Promise.resolve(undefined),
      store.blobs.get((cur ?? prev)!.contentHash),
    ]);
    // A text missing from the store is compared as empty: not the pair its hash names, so not shared.
    changes.push(
      (oldText === undefined || newText === undefined ? diffTexts : diffPair)({
        url: page.url,
        sourceId: page.sourceId,
        ...(cur ? { oldText: oldText ?? '', oldHash: prev!.contentHash } : {}),
        ...(page.removedAt ? {} : { newText: newText ?? '', newHash: (cur ?? prev)!.contentHash }),
      }),
    );
  }
  for (const c of changes) print(ctx, c, format);
  return changes;
}
