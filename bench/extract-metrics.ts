import { digitGroups, normalizeSpaces, shingles, wordTokens } from '../src/pipeline/extract/text.js';

export { shingles } from '../src/pipeline/extract/text.js';

/**
 * Extraction quality against hand-checked truth (test/fixtures/extract/<slug>/expected.md),
 * shared by the golden test (test/pipeline/extract.test.ts) and `npm run bench:extract`.
 *
 * - Tokens: lower-cased runs of Unicode letters and digits of the text after Markdown syntax is
 *   stripped (headings, table pipes and rules, list markers, emphasis, quotes, link and image
 *   targets, backslash escapes).
 * - Shingles: consecutive 4-token sequences, counted as a multiset. Per page, precision is the
 *   share of the output's shingles also found in the truth, recall the share of the truth's found in
 *   the output (multiset intersection). A corpus score averages precision and recall over pages
 *   and takes F1 of the averages.
 * - Numbers: every digit group of the truth (`8 232`, `§ 3-6` → `3-6`, `08.01.2021`, `18`), with
 *   spaces (NBSP included) normalised, must occur in the output.
 */

/** Markdown to plain text: link/image targets, escapes and structural syntax removed. */
export function stripMarkdown(md: string): string {
  return md
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)/g, '$1')
    .replace(/<(https?:[^>]+)>/g, ' ')
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s*>+\s?/gm, '')
    .replace(/^\s*(?:[-*+]|\d+\.)\s+/gm, '')
    .replace(/^\|?(?:\s*:?-{3,}:?\s*\|)+\s*$/gm, '')
    .replace(/[|*_`]/g, ' ');
}

/** Lower-cased Unicode word tokens (letters and digits) of Markdown or plain text. */
export function tokens(md: string): string[] {
  return (
    stripMarkdown(md)
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

const size = (m: Map<string, number>): number => {
  let s = 0;
  for (const v of m.values()) s += v;
  return s;
};

export interface PageScore {
  precision: number;
  recall: number;
  f1: number;
}

export const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/** Shingle precision, recall and F1 of one page's output (Markdown or text) against its truth (Markdown). */
export function scorePage(output: string, truth: string): PageScore {
  const out = shingles(tokens(output));
  const tru = shingles(tokens(truth));
  let common = 0;
  for (const [k, v] of out) common += Math.min(v, tru.get(k) ?? 0);
  const no = size(out);
  const nt = size(tru);
  const precision = no === 0 ? (nt === 0 ? 1 : 0) : common / no;
  const recall = nt === 0 ? 1 : common / nt;
  return { precision, recall, f1: f1(precision, recall) };
}

/** Mean precision and recall over pages, and F1 of those means. */
export function corpusScore(pages: readonly PageScore[]): PageScore {
  if (pages.length === 0) return { precision: 0, recall: 0, f1: 0 };
  const precision = pages.reduce((s, p) => s + p.precision, 0) / pages.length;
  const recall = pages.reduce((s, p) => s + p.recall, 0) / pages.length;
  return { precision, recall, f1: f1(precision, recall) };
}

/** Digit groups of a text, line by line: `8 232`, `09-06.05`, `1.8.2024`, `18`; link targets are not text. */
export function numberGroups(md: string): string[] {
  const plain = md
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)/g, '$1')
    .replace(/<(https?:[^>]+)>/g, ' ')
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1');
  const out: string[] = [];
  for (const line of plain.split('\n')) {
    out.push(...digitGroups(line));
  }
  return out;
}

/** The truth's digit groups that do not occur, as whole groups, in `output` (after space normalisation); and the total. */
export function missingNumbers(output: string, truth: string): { missing: string[]; total: number } {
  const hay = normalizeSpaces(output.replace(/\\([.\-#+|])/g, '$1'));
  const groups = numberGroups(truth);
  const esc = (g: string): string => g.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Whole groups only: "686" is not found in "8 232686" (two table cells run together).
  const found = (g: string): boolean => new RegExp(`(?<!\\d)${esc(g)}(?!\\d)`).test(hay);
  return { missing: groups.filter((g) => !found(g)), total: groups.length };
}

/** One page under the 2026 benchmark's metric. */
export interface BenchmarkPage {
  precision: number;
  recall: number;
  /** The output had no tokens: left out of the corpus precision, as the benchmark does. */
  empty: boolean;
  /** The truth had tokens (pages without are left out of recall). */
  hasTruth: boolean;
}

/**
 * The 2026 benchmark's page metric (as ../shared/corpora/score.mjs implements it): tokens are
 * runs of Unicode word characters with case kept, 4-token shingles as multisets; precision
 * tp/(tp+fp), recall tp/(tp+fn), 1 when there is nothing to get wrong.
 */
export function benchmarkScore(output: string, truth: string): BenchmarkPage {
  const out = shingles(wordTokens(output));
  const tru = shingles(wordTokens(truth));
  let tp = 0;
  for (const [k, v] of out) tp += Math.min(v, tru.get(k) ?? 0);
  const fp = size(out) - tp;
  const fn = size(tru) - tp;
  return {
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: fp === 0 && fn === 0 ? 1 : tp + fn === 0 ? 1 : tp / (tp + fn),
    empty: tp + fp === 0,
    hasTruth: tp + fn > 0,
  };
}

/** Corpus precision (mean over pages with output), recall (mean over pages with truth) and their F1. */
export function benchmarkCorpus(pages: readonly BenchmarkPage[]): PageScore {
  const withOut = pages.filter((p) => !p.empty);
  const withTruth = pages.filter((p) => p.hasTruth);
  const precision = withOut.length === 0 ? 0 : withOut.reduce((s, p) => s + p.precision, 0) / withOut.length;
  const recall = withTruth.length === 0 ? 0 : withTruth.reduce((s, p) => s + p.recall, 0) / withTruth.length;
  return { precision, recall, f1: f1(precision, recall) };
}
