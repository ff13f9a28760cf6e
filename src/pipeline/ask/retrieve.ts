/**
 * Retrieval over the approved passages: a MiniSearch full-text index (BM25, the library the
 * preview site already ships) whose terms are Norwegian Snowball stems (`terms.ts`), and, per
 * question term, how rare it is among the passages (a term no passage has weighs most: a question
 * about «barnetrygd» is not answered by passages about «barn»). Pure and deterministic: passages
 * are indexed in bundle order and ties are broken by that order.
 */
import MiniSearch from 'minisearch';
import type { Passage } from './passages.js';
import { processTerm, queryTerm, questionTerms, stemSet, termIn } from './terms.js';

/** A passage with its search score and the question terms it contains. */
export interface Hit {
  passage: Passage;
  /** Position in the bundle's passages (for stable ties). */
  order: number;
  score: number;
  /** The question terms this passage's text or page title contains. */
  terms: string[];
}

/** What retrieval found for a question. */
export interface Retrieval {
  /** The question's content terms (stems), in order. */
  terms: string[];
  /** Weight of each term: ln(1 + N / (1 + df)); a term no passage has gets the highest weight plus one. */
  weights: Map<string, number>;
  /** Passages that match at least one term, best first (at most `limit`). */
  hits: Hit[];
}

/** An index of passages, built once per bundle and asked many questions. */
export class PassageIndex {
  readonly passages: readonly Passage[];
  readonly #search: MiniSearch<{ id: number; text: string; title: string }>;
  readonly #stems: Set<string>[];
  readonly #titleStems: Set<string>[];

  constructor(passages: readonly Passage[]) {
    this.passages = passages;
    this.#search = new MiniSearch({ idField: 'id', fields: ['text', 'title'], processTerm });
    this.#search.addAll(passages.map((p, id) => ({ id, text: p.text, title: p.title })));
    this.#stems = passages.map((p) => stemSet(p.text));
    this.#titleStems = passages.map((p) => stemSet(p.title));
  }

  /** The question terms passage `i` contains in its text or its page's title. */
  termsOf(i: number, terms: readonly string[]): string[] {
    return terms.filter((t) => termIn(t, this.#stems[i]!) || termIn(t, this.#titleStems[i]!));
  }

  /** The question terms a sentence contains (its own words only). */
  static sentenceTerms(sentence: string, terms: readonly string[]): string[] {
    const stems = stemSet(sentence);
    return terms.filter((t) => termIn(t, stems));
  }

  /** Pages whose passages look most like the question, spelling forgiven (for a refusal when no term matched): slugs, best first. */
  nearestSlugs(question: string, limit: number): string[] {
    const out: string[] = [];
    for (const r of this.#search.search(question, { processTerm: queryTerm, prefix: true, fuzzy: 0.3 })) {
      const slug = this.passages[r.id as number]!.slug;
      if (!out.includes(slug)) out.push(slug);
      if (out.length === limit) break;
    }
    return out;
  }

  /** Retrieve the best `limit` passages for a question (default 40). */
  retrieve(question: string, limit = 40): Retrieval {
    const terms = questionTerms(question);
    const n = this.passages.length;
    const weights = new Map<string, number>();
    let highest = 0;
    for (const t of terms) {
      let df = 0;
      for (let i = 0; i < n; i++) if (termIn(t, this.#stems[i]!) || termIn(t, this.#titleStems[i]!)) df++;
      if (df > 0) {
        const w = Math.log(1 + n / (1 + df));
        weights.set(t, w);
        highest = Math.max(highest, w);
      }
    }
    for (const t of terms) if (!weights.has(t)) weights.set(t, Math.log(1 + n) + 1);
    if (terms.length === 0) return { terms, weights, hits: [] };
    const results = this.#search.search(question, { processTerm: queryTerm, prefix: (t) => t.length >= 5, boost: { text: 2, title: 1 } });
    const hits = results
      .map((r) => ({
        passage: this.passages[r.id as number]!,
        order: r.id as number,
        score: r.score,
        terms: this.termsOf(r.id as number, terms),
      }))
      .filter((h) => h.terms.length > 0)
      .sort((a, b) => b.score - a.score || a.order - b.order)
      .slice(0, limit);
    return { terms, weights, hits };
  }
}
