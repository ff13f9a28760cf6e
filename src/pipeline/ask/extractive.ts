/**
 * The offline answer (no model, no key): sentences of the approved passages retrieval found,
 * chosen greedily to cover the question's terms, the rarest first, each citing its own passage's
 * spans. It only selects; it never writes a word of its own, so it cannot be told what to say.
 * Deterministic: ties go to the better search hit, then to the earlier sentence.
 */
import { splitSentences } from '../../llm/norwegian.js';
import type { Proposal } from './cite.js';
import { PassageIndex, type Retrieval } from './retrieve.js';
import { wantsFigure } from './terms.js';

/** At most this many sentences in an answer. */
export const MAX_SENTENCES = 4;
/** Only the best hits are read for sentences. */
const HITS_READ = 12;
/** A sentence after the first must add at least this share of the question's weight. */
const MIN_GAIN_SHARE = 0.15;
/** A page title's terms count for this share of a term its sentence names itself. */
const TITLE_SHARE = 0.5;
/** When the question asks for a figure, a sentence with digits counts this much more. */
const FIGURE_BONUS = 1.3;

interface Candidate {
  text: string;
  passageId: string;
  rank: number;
  index: number;
  /** Terms the sentence itself names. */
  own: string[];
  /** Terms only its page's title names. */
  title: string[];
  hasFigure: boolean;
}

function candidates(r: Retrieval): Candidate[] {
  const out: Candidate[] = [];
  r.hits.slice(0, HITS_READ).forEach((hit, rank) => {
    const titleTerms = PassageIndex.sentenceTerms(hit.passage.title, r.terms);
    splitSentences(hit.passage.text).forEach((text, index) => {
      const own = PassageIndex.sentenceTerms(text, r.terms);
      if (own.length === 0) return;
      out.push({
        text,
        passageId: hit.passage.id,
        rank,
        index,
        own,
        title: titleTerms.filter((t) => !own.includes(t)),
        hasFigure: /\d/.test(text),
      });
    });
  });
  return out;
}

function gain(c: Candidate, covered: ReadonlySet<string>, weights: ReadonlyMap<string, number>, isFigureWanted: boolean): number {
  let g = 0;
  for (const t of c.own) if (!covered.has(t)) g += weights.get(t) ?? 0;
  for (const t of c.title) if (!covered.has(t)) g += (weights.get(t) ?? 0) * TITLE_SHARE;
  return isFigureWanted && c.hasFigure ? g * FIGURE_BONUS : g;
}

/**
 * The extractive answer: proposals (sentence, own passage) and the question terms they cover
 * (a title's terms count as covered when a chosen sentence is from that page).
 */
export function extractiveAnswer(r: Retrieval, question: string): { proposals: Proposal[]; covered: Set<string> } {
  const isFigureWanted = wantsFigure(question);
  const total = [...r.weights.values()].reduce((a, b) => a + b, 0);
  const pool = candidates(r);
  const covered = new Set<string>();
  const proposals: Proposal[] = [];
  const used = new Set<string>();
  while (proposals.length < MAX_SENTENCES) {
    let best: Candidate | undefined;
    let bestGain = 0;
    for (const c of pool) {
      if (used.has(c.text)) continue;
      const g = gain(c, covered, r.weights, isFigureWanted);
      if (
        g > bestGain + 1e-9 ||
        (best && Math.abs(g - bestGain) <= 1e-9 && (c.rank < best.rank || (c.rank === best.rank && c.index < best.index)))
      ) {
        if (g <= 0) continue;
        best = c;
        bestGain = g;
      }
    }
    if (!best || (proposals.length > 0 && bestGain < MIN_GAIN_SHARE * total)) break;
    used.add(best.text);
    for (const t of [...best.own, ...best.title]) covered.add(t);
    proposals.push({ text: best.text, citations: [{ passage: best.passageId, quote: best.text }] });
  }
  return { proposals, covered };
}
