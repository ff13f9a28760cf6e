/**
 * The evidence a published page carries: its claims with their spans (quote, offsets, content
 * hash), verdicts, the verifier's version and the editors' overrides, in `bundle.json`; footnotes
 * with the quote and a link to the page in the page's Markdown; overridden claims in its front
 * matter. And the check `publish --check` runs: no unsupported claim without a recorded override.
 */
import { z } from 'zod';
import { CheckFailedError } from '../../errors.js';
import { splitSentences } from '../../llm/norwegian.js';
import type { Store } from '../../store/store.js';
import {
  claimRef,
  claimTextHash,
  normalizeText,
  publishableTexts,
  VERIFIER_VERSION,
  type EvidenceTexts,
  type PublishableFields,
} from '../verify/index.js';
import { itemClaims, publishedFields } from '../verify/index.js';
import type { ReviewItem, Summary } from '../types.js';
import type { Judgement } from '../judge/index.js';

const spanSchema = z.strictObject({
  contentHash: z.string().describe('sha256 of the version the quote is from (the current one, or the base of a change).'),
  start: z.number().int().describe("Offset of the quote in that version's stored Markdown (UTF-16 code units)."),
  end: z.number().int().describe('End offset (exclusive).'),
  quote: z.string().describe('The quoted source text, exactly as stored.'),
});

/** One published claim with its evidence. */
export const bundleClaimSchema = z.strictObject({
  ref: z.string().describe('field.index: the claim within its field.'),
  field: z.string(),
  index: z.number().int(),
  text: z.string(),
  verdict: z.enum(['supported', 'unsupported', 'not-checkable']),
  findings: z.array(z.strictObject({ code: z.string(), reason: z.string() })),
  spans: z.array(spanSchema),
  override: z
    .strictObject({ reason: z.string(), by: z.string(), at: z.string() })
    .optional()
    .describe('Present when an editor published this unsupported claim anyway, with the reason.'),
  judge: z
    .strictObject({
      verdict: z.enum(['supported', 'unsupported', 'not-checkable']),
      reason: z.string(),
      provider: z.string(),
      model: z.string(),
    })
    .optional()
    .describe(
      'The LLM judge\'s second opinion (summarize --judge), beside the verdict and never deciding it; provider "offline" is the verifier itself.',
    ),
});
export type BundleClaim = z.infer<typeof bundleClaimSchema>;

/** The bundle page fields this file adds (all optional, so bundles written before them still read). */
export const evidenceFields = {
  claims: z.array(bundleClaimSchema).optional().describe('Every published sentence with the source spans it rests on and its verdict.'),
  verifierVersion: z.string().optional().describe('Version of the claims verifier that judged the claims.'),
};

/** The stored Markdown an item's claims resolve in (its version's and, for a change, the base's). */
export async function evidenceTexts(store: Store, item: ReviewItem, summary: Summary | undefined): Promise<EvidenceTexts> {
  const page = await store.page(item.sourceId, item.url);
  const markdownOf = async (hash: string): Promise<string> => {
    const v = page?.versions.find((x) => x.contentHash === hash);
    return (v ? await store.blobs.get(v.markdownHash) : undefined) ?? (await store.blobs.get(hash)) ?? '';
  };
  const base = item.baseHash ? { contentHash: item.baseHash, markdown: await markdownOf(item.baseHash) } : undefined;
  return {
    contentHash: item.contentHash,
    markdown: await markdownOf(item.contentHash),
    ...(base ? { base } : {}),
    ...(summary?.language ? { language: summary.language } : {}),
  };
}

/**
 * What an approved item publishes and its evidence: the fields with the editor's edits, each key
 * fact's quote taken from its claim's first resolved span (never the model's unverified text), and
 * the claims verified now, overrides attached.
 */
export function pageEvidence(
  item: ReviewItem,
  summary: Summary,
  texts: EvidenceTexts,
  judgements: Readonly<Record<string, Pick<Judgement, 'verdict' | 'reason' | 'provider' | 'model'>>> = {},
): { fields: PublishableFields; claims: BundleClaim[]; isGrounded: boolean } {
  const fields = publishedFields(item, summary);
  const claims = itemClaims(item, summary, texts);
  const out: BundleClaim[] = claims.map((c) => {
    const o = item.overrides?.find((x) => x.ref === claimRef(c) && x.textSha256 === claimTextHash(c.text));
    const j = judgements[claimRef(c)];
    return {
      ref: claimRef(c),
      field: c.field,
      index: c.index,
      text: c.text,
      verdict: c.verdict,
      findings: c.findings,
      spans: c.spans,
      ...(o && c.verdict === 'unsupported' ? { override: { reason: o.reason, by: o.by, at: o.at } } : {}),
      ...(j ? { judge: { verdict: j.verdict, reason: j.reason, provider: j.provider, model: j.model } } : {}),
    };
  });
  const keyFactQuotes = out.filter((c) => c.field === 'keyFacts');
  let k = 0;
  const keyFacts = fields.keyFacts.map((f) => {
    const n = splitSentences(normalizeText(f.fact)).length;
    const mine = keyFactQuotes.slice(k, k + n);
    k += n;
    return { fact: f.fact, quote: mine.find((c) => c.spans.length > 0)?.spans[0]?.quote ?? '' };
  });
  // The figures-against-the-page check still counts for the fields published as generated.
  const isEdited = (field: string): boolean =>
    field === 'summary' ? item.editedSummary !== undefined : item.editedFields?.[field] !== undefined;
  const figuresOk = summary.grounding.issues.every((i) => i.kind === 'claim' || isEdited(i.where));
  return { fields: { ...fields, keyFacts }, claims: out, isGrounded: figuresOk && out.every((c) => c.verdict !== 'unsupported') };
}

/** A page as far as its evidence goes. */
interface EvidencePage {
  url: string;
  claims?: BundleClaim[];
}

/** The footnote numbers of each publishable text (`field:n`, n counting that field's texts), in order. */
export function footnoteRefs(fields: PublishableFields, page: EvidencePage): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const claims = page.claims ?? [];
  const counters = new Map<string, number>();
  const claimCounters = new Map<string, number>();
  let note = 0;
  const numbers = new Map<BundleClaim, number>();
  for (const c of claims) numbers.set(c, ++note);
  for (const t of publishableTexts(fields)) {
    const n = counters.get(t.field) ?? 0;
    counters.set(t.field, n + 1);
    const sentences = splitSentences(normalizeText(t.text)).length;
    const from = claimCounters.get(t.field) ?? 0;
    claimCounters.set(t.field, from + sentences);
    const mine = claims.filter((c) => c.field === t.field && c.index >= from && c.index < from + sentences);
    out.set(
      `${t.field}:${n}`,
      mine.map((c) => numbers.get(c)!),
    );
  }
  return out;
}

/** ` [^1] [^2]` for a text's footnotes. */
export function footnoteMarks(refs: Map<string, number[]>, key: string): string {
  return (refs.get(key) ?? []).map((n) => ` [^${n}]`).join('');
}

/**
 * The page's "Kilder" section: one footnote per claim with its quotes and a link to the page; an
 * unsupported claim says so, and an overridden one names the editor and the reason. `esc` escapes page text.
 */
export function footnotesMarkdown(page: EvidencePage, esc: (s: string) => string): string[] {
  const claims = page.claims ?? [];
  if (claims.length === 0) return [];
  const out = ['## Kilder', ''];
  claims.forEach((c, i) => {
    const quotes = c.spans.map((s) => `«${esc(s.quote.replace(/\s+/g, ' '))}»`).join(' … ');
    const source = quotes ? `${quotes} (<${page.url}>)` : `Ingen kilde funnet på <${page.url}>.`;
    const status =
      c.verdict !== 'unsupported'
        ? ''
        : c.override
          ? ` **Ikke bekreftet av kilden; publisert etter vurdering av ${esc(c.override.by)}: ${esc(c.override.reason)}.**`
          : ` **Ikke bekreftet av kilden.**`;
    out.push(`[^${i + 1}]: ${source}${status}`);
  });
  out.push('');
  return out;
}

/** Front matter for overridden claims (absent when none): what an editor published against the check. */
export function overriddenFrontMatter(page: EvidencePage): {
  overridden_claims?: { claim: string; text: string; reason: string; by: string }[];
} {
  const o = (page.claims ?? []).filter((c) => c.override);
  return o.length === 0
    ? {}
    : { overridden_claims: o.map((c) => ({ claim: c.ref, text: c.text, reason: c.override!.reason, by: c.override!.by })) };
}

/**
 * `publish --check`: every unsupported claim of every page has a recorded override. Throws
 * `CheckFailedError` (`bundle-unsupported`) naming the file, page and claim.
 */
export function checkEvidence(file: string, pages: readonly EvidencePage[]): void {
  pages.forEach((p, i) => {
    for (const c of p.claims ?? []) {
      if (c.verdict === 'unsupported' && !c.override) {
        throw new CheckFailedError(
          'bundle-unsupported',
          `${file}: pages[${i}] (${p.url}) claim ${c.ref} "${c.text}" is not supported by its source spans and has no recorded override`,
        );
      }
    }
  });
}

export { VERIFIER_VERSION };
