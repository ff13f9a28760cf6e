/**
 * Checking an answer before anyone sees it: every citation is resolved inside the approved spans
 * of the passage it names (a quote found there becomes a span of the source, with the offsets of
 * that version's stored text), and every sentence is checked by the claims verifier against the
 * spans it cites. A sentence with a citation that does not resolve, or that the verifier does not
 * support, is dropped with its findings. Pure.
 */
import { splitSentences } from '../../llm/norwegian.js';
import { normalizeText, resolveQuote, verifyResolved } from '../claims.js';
import type { ClaimFinding, Span } from '../types.js';
import type { Passage } from './passages.js';

/** One cited span of an answer sentence, with the page it is from. */
export interface Citation extends Span {
  slug: string;
  url: string;
  title: string;
}

/** A sentence shown to the user: supported by the verifier against the spans it cites. */
export interface CheckedSentence {
  text: string;
  citations: Citation[];
  verdict: 'supported';
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
    for (const sentence of splitSentences(normalizeText(p.text))) {
      const claim = verifyResolved('answer', shown.length, sentence, citations, missing);
      if (claim.verdict !== 'supported') {
        dropped.push({ findings: claim.findings });
        continue;
      }
      const key = fold(sentence);
      if (seen.has(key)) continue;
      seen.add(key);
      shown.push({ text: sentence, citations, verdict: 'supported' });
    }
  }
  return { shown, dropped };
}
