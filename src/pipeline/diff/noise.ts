/**
 * Noise: differences between two versions of a page that never count as a change. Date stamps
 * are already lifted out at extraction; this covers the rest — counters ("1 234 visninger",
 * "Viser 1–10 av 57"), a copyright year, lines a source names as noise (`ignore` patterns),
 * the text of elements it names (`ignore_selectors`, lifted at extraction into the version's
 * `ignoredLines`), and blocks that only moved (a reordered menu or link list).
 *
 * Two texts are the same but for noise when their noise keys are equal. Pure.
 */

/** Built-in patterns: masked wherever they occur in a line. */
export const BUILTIN_NOISE: readonly RegExp[] = [
  // Counters: "1 234 visninger", "57 treff", "Lest 300 ganger".
  /\b\d[\d\u00a0 .]*\s*(?:visninger|treff|lesere|delinger|kommentarer|besøk|likerklikk|liker dette|sidevisninger)\b/giu,
  /\b(?:lest|vist|delt)\s+\d[\d\u00a0 .]*\s+ganger\b/giu,
  /\b(?:antall\s+(?:treff|besøk|visninger|resultater))\s*:?\s*\d[\d\u00a0 .]*/giu,
  /\b(?:viser|vis|visar)\s+\d+\s*(?:[-–]\s*\d+\s*)?av\s+\d[\d\u00a0 .]*/giu,
  /\b(?:side|page)\s+\d+\s+(?:av|of)\s+\d+\b/giu,
  // "© 2025 Fjordvik kommune", "Copyright 2024".
  /(?:©|\(c\)|copyright)\s*\d{4}(?:\s*[-–]\s*\d{4})?/giu,
];

export interface NoiseRules {
  /** A source's own patterns (sources.yaml `ignore`), matched against each line. */
  patterns: readonly RegExp[];
}

/** The lines that carry content, with noise masked (as "∅") or dropped, in page order. */
export function maskNoise(text: string, rules: NoiseRules, ignoredLines: readonly string[] = []): string[] {
  const ignored = new Set(ignoredLines);
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    if (ignored.has(raw)) continue;
    let line = raw;
    for (const re of BUILTIN_NOISE) line = line.replace(re, '∅');
    for (const re of rules.patterns) line = line.replace(withGlobal(re), '∅');
    line = line.replace(/\s+/g, ' ').trim();
    if (line !== '' && line !== '∅') lines.push(line);
  }
  return lines;
}

/** `maskNoise` in an order-free form: blocks that only moved are not a change. */
export function noiseKey(text: string, rules: NoiseRules, ignoredLines: readonly string[] = []): string {
  return maskNoise(text, rules, ignoredLines).sort().join('\n');
}

/** True when `a` and `b` differ only by noise (and are not identical). */
export function isNoiseOnly(
  a: { text: string; ignoredLines?: readonly string[] },
  b: { text: string; ignoredLines?: readonly string[] },
  rules: NoiseRules,
): boolean {
  if (a.text === b.text) return false;
  return noiseKey(a.text, rules, a.ignoredLines) === noiseKey(b.text, rules, b.ignoredLines);
}

const globalCache = new WeakMap<RegExp, RegExp>();
function withGlobal(re: RegExp): RegExp {
  if (re.global) return re;
  let g = globalCache.get(re);
  if (!g) {
    g = new RegExp(re.source, `${re.flags}g`);
    globalCache.set(re, g);
  }
  return g;
}
