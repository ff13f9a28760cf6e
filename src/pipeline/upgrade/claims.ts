/**
 * Store schema 3: summaries carry claims. A summary stored before has no quotes from the model,
 * so it is re-verified once: each sentence becomes a claim with spans found by locating the
 * sentence (and a key fact's quote) in the stored Markdown, else `span-missing`
 * (`claimsFromStoredText`). Items whose text then has unsupported claims go back to pending with
 * the reason: a pending item keeps its place with a note; an approved item that is a page's newest
 * stays approved and published (nothing published changes until an editor acts) and a new pending
 * item for the same content asks an editor to look again.
 */
import { claimRef, claimsFromStoredText, VERIFIER_VERSION, type EvidenceTexts } from '../verify/index.js';
import { itemClaims, summaryFields } from '../verify/index.js';
import { reviewItemId } from '../review/index.js';
import { withClaims } from '../summarize/index.js';
import type { ReviewItem, Summary } from '../types.js';
import type { Blobs } from '../../store/interface.js';
import type { LegacyShardData } from '../../store/records.js';

/** The Norwegian note an item gets when re-verification leaves claims unsupported. */
export function reverifiedNote(refs: string[]): string {
  return `Kontrollert på nytt da påstandskontrollen kom: ${refs.length} ${refs.length === 1 ? 'påstand er' : 'påstander er'} ikke bekreftet av kilden (${refs.join(', ')}).`;
}

async function textsOf(
  shard: LegacyShardData,
  blobs: Blobs,
  url: string,
  contentHash: string,
  baseHash: string | undefined,
  language: Summary['language'],
): Promise<EvidenceTexts> {
  const versions = shard.pages[url]?.versions ?? [];
  const markdownOf = async (hash: string): Promise<string> => {
    const v = versions.find((x) => x.contentHash === hash);
    return (v ? await blobs.get(v.markdownHash) : undefined) ?? (await blobs.get(hash)) ?? '';
  };
  const base = baseHash ? { contentHash: baseHash, markdown: await markdownOf(baseHash) } : undefined;
  return { contentHash, markdown: await markdownOf(contentHash), ...(base ? { base } : {}), ...(language ? { language } : {}) };
}

/** Migration 3 (see the file comment). Idempotent: summaries with claims and items already noted are left alone. */
export async function migrateClaims(shard: LegacyShardData, blobs: Blobs): Promise<void> {
  const items = Object.values(shard.reviews);
  for (const summary of Object.values(shard.summaries)) {
    if (summary.claims) continue;
    const baseHash = items.find((i) => i.summaryId === summary.id && i.baseHash)?.baseHash;
    const texts = await textsOf(shard, blobs, summary.url, summary.contentHash, baseHash, summary.language);
    const claims = claimsFromStoredText(summaryFields(summary), texts);
    summary.claims = claims;
    summary.verifierVersion = VERIFIER_VERSION;
    summary.grounding = withClaims(summary.grounding, claims);
  }
  for (const item of items) {
    if (item.kind === 'removed' || !item.summaryId || (item.status !== 'pending' && item.status !== 'approved')) continue;
    const summary = shard.summaries[item.summaryId];
    if (!summary) continue;
    const texts = await textsOf(shard, blobs, item.url, item.contentHash, item.baseHash, summary.language);
    const refs = itemClaims(item, summary, texts)
      .filter((c) => c.verdict === 'unsupported')
      .map(claimRef);
    if (refs.length === 0) continue;
    const note = reverifiedNote(refs);
    if (item.status === 'pending') {
      if (!item.note?.includes(note)) item.note = item.note ? `${item.note}; ${note}` : note;
      continue;
    }
    // Approved: only the page's newest item is published as it stands; ask again for exactly that content.
    const pageItems = items.filter((i) => i.url === item.url);
    const isNewest = pageItems.every(
      (i) => i === item || i.createdAt < item.createdAt || (i.createdAt === item.createdAt && i.status !== 'pending'),
    );
    if (!isNewest || pageItems.some((i) => i.status === 'pending' && i.contentHash === item.contentHash)) continue;
    let n = 2;
    let id = reviewItemId(item.url, item.contentHash, item.kind, n);
    while (shard.reviews[id]) id = reviewItemId(item.url, item.contentHash, item.kind, ++n);
    const again: ReviewItem = {
      id,
      sourceId: item.sourceId,
      url: item.url,
      kind: item.kind,
      contentHash: item.contentHash,
      ...(item.baseHash ? { baseHash: item.baseHash } : {}),
      ...(item.changeClass ? { changeClass: item.changeClass } : {}),
      ...(item.classReasons ? { classReasons: item.classReasons } : {}),
      summaryId: item.summaryId,
      ...(item.editedSummary !== undefined ? { editedSummary: item.editedSummary } : {}),
      status: 'pending',
      // After the approval it re-examines, so it is the page's newest item (deterministic: no clock here).
      createdAt: item.decidedAt ?? item.createdAt,
      note,
    };
    shard.reviews[id] = again;
  }
}
