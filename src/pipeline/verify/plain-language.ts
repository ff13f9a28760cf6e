import { splitSentences } from '../../llm/norwegian.js';
import type { PlainLanguageReport, TextReadability } from '../types.js';

/** The LIX a summary should stay at or under (LIX 40: ordinary newspaper text; 30–40 is easy). */
export const DEFAULT_TARGET_LIX = 40;

/**
 * Bureaucratic terms common in Norwegian public-sector text, with a plain alternative. Small on
 * purpose: terms a family-facing summary can always do without. Technical terms a family needs
 * to recognise ("søknadsfrist", "vedtak", "grunnstønad") are not on it.
 */
export const BUREAUCRATIC_TERMS: readonly { term: string; plain: string; pattern: string }[] = [
  { term: 'i henhold til', plain: 'etter', pattern: 'i henhold til' },
  { term: 'iht.', plain: 'etter', pattern: 'iht\\.' },
  { term: 'vedrørende', plain: 'om', pattern: 'vedrørende|vedr\\.' },
  { term: 'innvilge', plain: 'gi', pattern: 'innvilge[ts]?|innvilges|innvilgede?' },
  { term: 'tilstå', plain: 'gi', pattern: 'tilstås|tilstått' },
  { term: 'erholde', plain: 'få', pattern: 'erholde[rst]?' },
  { term: 'påregne', plain: 'regne med', pattern: 'påregne[rs]?' },
  { term: 'fremsette', plain: 'sende', pattern: 'fremsette[rs]?|fremsatt' },
  { term: 'anmode', plain: 'be om', pattern: 'anmode[rst]?|anmodning(?:en)?' },
  { term: 'benytte', plain: 'bruke', pattern: 'benytte[rs]?|benyttet' },
  { term: 'iverksette', plain: 'starte', pattern: 'iverksette[rs]?|iverksatt' },
  { term: 'foreligge', plain: 'finnes / er', pattern: 'foreligge[rs]?|forelå' },
  { term: 'hvorvidt', plain: 'om', pattern: 'hvorvidt' },
  { term: 'således', plain: 'slik', pattern: 'således' },
  { term: 'herunder', plain: 'blant annet', pattern: 'herunder' },
  { term: 'dersom', plain: 'hvis', pattern: 'dersom' },
  { term: 'i forbindelse med', plain: 'ved / når', pattern: 'i forbindelse med|ifm\\.' },
  { term: 'med hensyn til', plain: 'om', pattern: 'med hensyn til|mht\\.' },
  { term: 'for øvrig', plain: 'ellers', pattern: 'for øvrig|forøvrig' },
  { term: 'bistand', plain: 'hjelp', pattern: 'bistand(?:en)?' },
  { term: 'vederlag', plain: 'betaling', pattern: 'vederlag(?:et)?' },
  { term: 'påkrevd', plain: 'nødvendig', pattern: 'påkrevd|påkrevde' },
  { term: 'tidsrom', plain: 'tid / periode', pattern: 'tidsrom(?:met)?' },
];

// Unicode-aware word edges: \b would split "vedrørende" at "ø".
const TERM_RES = BUREAUCRATIC_TERMS.map((t) => ({ ...t, re: new RegExp(`(?<![\\p{L}\\p{N}])(?:${t.pattern})(?![\\p{L}\\p{N}])`, 'giu') }));
const WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;
const HAS_WORD = /[\p{L}\p{N}]/u;

const round1 = (n: number): number => Math.round(n * 10) / 10;

/**
 * LIX, sentence length and bureaucratic terms of a Norwegian text. LIX = words per sentence +
 * 100 × words of more than six letters / words (Björnsson). Sentences come from `splitSentences`,
 * so each line (list item, table row) counts as one. An empty text gives zeros. Pure.
 */
export function readability(text: string): TextReadability {
  const sentences = splitSentences(text).filter((s) => HAS_WORD.test(s));
  const words = text.match(WORD) ?? [];
  const long = words.filter((w) => (w.match(/\p{L}/gu)?.length ?? 0) > 6).length;
  const n = words.length;
  const s = Math.max(sentences.length, n > 0 ? 1 : 0);
  const terms: TextReadability['terms'] = [];
  for (const t of TERM_RES) {
    const count = text.match(t.re)?.length ?? 0;
    if (count > 0) terms.push({ term: t.term, plain: t.plain, count });
  }
  return {
    lix: n === 0 ? 0 : round1(n / s + (100 * long) / n),
    words: n,
    sentences: s,
    wordsPerSentence: s === 0 ? 0 : round1(n / s),
    terms,
  };
}

/**
 * Compare a summary's readability with its source's. `isPlain`: the summary's LIX is at most
 * `targetLix` (default 40) and it uses none of the bureaucratic terms. Pure.
 */
export function plainLanguageReport(sourceText: string, summaryText: string, targetLix: number = DEFAULT_TARGET_LIX): PlainLanguageReport {
  const summary = readability(summaryText);
  return { source: readability(sourceText), summary, targetLix, isPlain: summary.lix <= targetLix && summary.terms.length === 0 };
}

/** Run totals: mean LIX of sources and summaries, and how many summaries met the target. */
export interface PlainLanguageTotals {
  items: number;
  meanSourceLix: number;
  meanSummaryLix: number;
  plain: number;
}

/** Totals over the reports of a run (items without a report are skipped). Pure. */
export function plainLanguageTotals(reports: readonly (PlainLanguageReport | undefined)[]): PlainLanguageTotals {
  const rs = reports.filter((r): r is PlainLanguageReport => r !== undefined);
  const mean = (xs: number[]): number => (xs.length === 0 ? 0 : round1(xs.reduce((a, b) => a + b, 0) / xs.length));
  return {
    items: rs.length,
    meanSourceLix: mean(rs.map((r) => r.source.lix)),
    meanSummaryLix: mean(rs.map((r) => r.summary.lix)),
    plain: rs.filter((r) => r.isPlain).length,
  };
}
