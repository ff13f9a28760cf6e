/**
 * Checking an answer before anyone sees it: every citation is resolved inside the approved spans
 * of the passage it names (a quote found there becomes a span of the source, with the offsets of
 * that version's stored text), and every sentence is checked by the claims verifier against the
 * spans it cites. A sentence with a citation that does not resolve, or that the verifier does not
 * support, is dropped with its findings. Pure.
 */
import { splitSentences } from '../../llm/norwegian.js';
import { normalizeText, resolveQuote, verifyResolved } from '../verify/index.js';
import type { ClaimFinding, Span } from '../types.js';
import { verifyClaim } from '../verify/index.js';
import type { Passage } from './passages.js';

/** One cited span of an answer sentence, with the page it is from. */
export interface Citation extends Span {
  slug: string;
  url: string;
  title: string;
}

/**
 * A sentence shown to the user. `basis`: `approved` when it is a sentence of an approved claim
 * citing that claim's spans (verified when it was approved, with the page's headings and table
 * headers, which the bundle does not carry); `verified` when it is new and the verifier supports
 * it against the spans it cites now.
 */
export interface CheckedSentence {
  text: string;
  citations: Citation[];
  verdict: 'supported';
  basis: 'approved' | 'verified';
}

/** A sentence never shown: why it was dropped (finding codes and reasons). */
export interface DroppedSentence {
  findings: ClaimFinding[];
}

/** A proposed sentence: text and what it cites (a passage id and a quote, or the passage's own spans). */
export interface Proposal {
  text: string;
  citations: { passage: string; quote?: string }[];
}

function fold(s: string): string {
  return normalizeText(s)
    .toLowerCase()
    .replace(/[«»“”"'’]/g, '')
    .replace(/\s+/g, ' ');
}

/**
 * The span a quote names: found inside one of the passage's approved spans (offsets shifted into
 * the stored text); a quote of the approved sentence itself stands for all of its spans.
 */
function resolveCitation(passage: Passage, quote: string | undefined): Span[] | undefined {
  if (quote === undefined) return passage.spans;
  for (const span of passage.spans) {
    const inner = resolveQuote(span.quote, quote, span.contentHash);
    if (inner) return [{ contentHash: span.contentHash, start: span.start + inner.start, end: span.start + inner.end, quote: inner.quote }];
  }
  const q = fold(quote);
  if (q !== '' && fold(passage.text).includes(q)) return passage.spans;
  return undefined;
}

/**
 * The findings against a new sentence (undefined when supported): a citation that did not resolve
 * makes it unsupported; else the verifier reads the quotes it cites together with the approved
 * sentences of the passages it cites (verified against the page with its headings and table
 * headers when approved), so «686 kroner per måned» is checked against what the row means.
 */
function checkNew(
  sentence: string,
  citations: readonly Span[],
  missing: readonly string[],
  cited: readonly (Passage | undefined)[],
): ClaimFinding[] | undefined {
  if (missing.length > 0 || citations.length === 0) return verifyResolved('answer', 0, sentence, [...citations], [...missing]).findings;
  const evidence = [...citations.map((c) => c.quote), ...cited.flatMap((p) => (p ? [p.text] : []))];
  const check = verifyClaim(sentence, evidence);
  return check.verdict === 'supported'
    ? undefined
    : check.findings.length > 0
      ? check.findings
      : [{ code: check.verdict, reason: check.verdict }];
}

/**
 * Check proposed sentences against the passages (by id). Returns the sentences that pass, each
 * split into sentences and each of those verified on its own, and the findings of those dropped.
 */
export function checkAnswer(
  proposals: readonly Proposal[],
  passages: ReadonlyMap<string, Passage>,
): { shown: CheckedSentence[]; dropped: DroppedSentence[] } {
  const shown: CheckedSentence[] = [];
  const dropped: DroppedSentence[] = [];
  const seen = new Set<string>();
  for (const p of proposals) {
    const citations: Citation[] = [];
    const missing: string[] = [];
    for (const c of p.citations) {
      const passage = passages.get(c.passage);
      const spans = passage ? resolveCitation(passage, c.quote) : undefined;
      if (!passage || !spans) {
        missing.push(c.quote ?? c.passage);
        continue;
      }
      for (const s of spans) {
        if (!citations.some((x) => x.contentHash === s.contentHash && x.start === s.start && x.end === s.end))
          citations.push({ ...s, slug: passage.slug, url: passage.url, title: passage.title });
      }
    }
    const cited = p.citations.map((c) => passages.get(c.passage));
    for (const sentence of splitSentences(normalizeText(p.text))) {
      const key = fold(sentence);
      const isApproved =
        missing.length === 0 &&
        cited.length > 0 &&
        cited.every((x) => x !== undefined && splitSentences(x.text).some((t) => fold(t) === key));
      if (!isApproved) {
        const findings = checkNew(sentence, citations, missing, cited);
        if (findings) {
          dropped.push({ findings });
          continue;
        }
      }
      if (seen.has(key)) continue;
      seen.add(key);
      shown.push({ text: sentence, citations, verdict: 'supported', basis: isApproved ? 'approved' : 'verified' });
    }
  }
  return { shown, dropped };
}
