import { extractDocument, extractOptionsFor } from '../pipeline/extract/index.js';
import { comparable, learnSourceChrome } from '../pipeline/extract/index.js';
import { isNoiseOnly } from '../pipeline/diff/index.js';
import type { ResolvedSource } from '../config/schema.js';
import { sha256 } from '../hash.js';
import type { Context } from './context.js';
import { selectSources } from './shared.js';

/** What `eti extract --check-store` found: how many stored pages' text the current extractor would change. */
export interface StoreCheck {
  /** Pages whose current version was re-extracted from its stored raw HTML. */
  checked: number;
  /** Of those, pages whose text (and so content hash) would differ: each a one-time re-review. */
  changed: number;
  /** URLs of the changed pages, sorted. */
  changedUrls: string[];
  /** Pages whose re-extraction failed now although a version is stored (URL and reason). */
  failed: { url: string; reason: string }[];
  /** Current versions whose raw body is not in the blob store (collected by `eti gc`, or never kept). */
  missingRaw: number;
  /** PDF versions: not re-extracted (the store keeps their raw bytes, and pdf.js is not what changed). */
  skippedPdf: number;
  /**
   * Versions whose text came from a browser (render: browser, or auto's fallback): not re-extracted,
   * since the stored raw HTML is the page before its scripts ran; `eti crawl` renders them again.
   */
  skippedRendered: number;
}

/**
 * The dry run behind `eti extract --check-store`: for every stored page of the selected sources
 * (not removed, not a duplicate), re-extract the current version's raw HTML from the blob store
 * with the source's settings and the chrome the next crawl would learn, and compare the text's hash
 * with the stored one; a text that differs only by learned chrome does not count. Nothing is written.
 */
export async function checkStore(ctx: Context, sourceIds: string[] | undefined): Promise<StoreCheck> {
  const sources: ResolvedSource[] = await selectSources(ctx, sourceIds);
  const store = await ctx.store();
  const out: StoreCheck = { checked: 0, changed: 0, changedUrls: [], failed: [], missingRaw: 0, skippedPdf: 0, skippedRendered: 0 };
  for (const source of sources) {
    const shard = await store.shard(source.id);
    // The chrome the next crawl would learn from this store, and drop (see pipeline/extract/learned.ts).
    const chrome = await learnSourceChrome(Object.values(shard.pages), (h) => store.blobs.get(h));
    for (const url of Object.keys(shard.pages).sort()) {
      const page = shard.pages[url]!;
      const current = page.versions[page.versions.length - 1];
      if (!current || page.removedAt || page.duplicateOf) continue;
      if (current.method === 'pdf') {
        out.skippedPdf++;
        continue;
      }
      if (current.via === 'browser') {
        out.skippedRendered++;
        continue;
      }
      const raw = await store.blobs.get(current.rawHash);
      if (raw === undefined) {
        out.missingRaw++;
        continue;
      }
      const opts = extractOptionsFor(source, page.finalUrl);
      const r = await extractDocument({ body: raw }, chrome.size > 0 ? { ...opts, chrome } : opts);
      out.checked++;
      if (!r.ok) {
        out.failed.push({ url, reason: r.reason });
        continue;
      }
      // Learned chrome going is not a change the crawl would queue (it records it as noise).
      const old = chrome.size > 0 ? await store.blobs.get(current.contentHash) : undefined;
      const isChromeOnly =
        old !== undefined &&
        isNoiseOnly(comparable(old, current.ignoredLines, chrome), comparable(r.page.text, r.page.ignoredLines, chrome), {
          patterns: source.ignoreRe,
        });
      if (sha256(r.page.text) !== current.contentHash && !isChromeOnly) {
        out.changed++;
        out.changedUrls.push(url);
      }
    }
  }
  return out;
}

/** Print a StoreCheck: one summary line, then the changed and failed URLs (all in --json). */
export function printStoreCheck(ctx: Context, c: StoreCheck): void {
  if (ctx.isJson) {
    ctx.jsonLine({ type: 'extract-check', ...c });
    return;
  }
  ctx.info(
    `${c.changed} of ${c.checked} stored pages would get new text under the current extractor` +
      (c.failed.length > 0 ? `; ${c.failed.length} would now fail` : '') +
      (c.missingRaw > 0 ? `; ${c.missingRaw} not checked (raw HTML not in the blob store)` : '') +
      (c.skippedPdf > 0 ? `; ${c.skippedPdf} PDFs not checked` : '') +
      (c.skippedRendered > 0
        ? `; ${c.skippedRendered} rendered in a browser not checked (the stored HTML is from before its scripts ran)`
        : ''),
  );
  for (const url of c.changedUrls) ctx.info(`  changed  ${url}`);
  for (const f of c.failed) ctx.info(`  failed   ${f.url}: ${f.reason}`);
}
