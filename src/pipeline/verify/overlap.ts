/**
 * Content-word overlap: the share of a claim's content words (stop words removed, stemmed) that
 * its spans contain. A sentence the spans do not support at all — an injected instruction, a
 * sentence about something else — shares few. Compounds count: «legeerklæringen» is found in a
 * span saying «legeerklæring», «omsorgsdager» in one saying «dager». Pure.
 */
import { kindOf } from './entities.js';
import { isComparatorWord, isNumberWord, unitOf, withoutDates } from './quantities.js';
import { isStop, stem, stemsMatch, words } from './text.js';

/** Words a faithful plain-language paraphrase adds without adding a fact (names and units are judged by their own checks). */
const PARAPHRASE = new Set([
  'vanligvis',
  'altså',
  'typisk',
  'normalt',
  'regel',
  'hovedregel',
  'helt',
  'også',
  'dermed',
  'derfor',
  'eksempel',
  'dømes',
  'trenger',
  'treng',
  'lag',
  'omtrent',
  'cirka',
  'rundt',
  'drøyt',
  'nesten',
  'million',
  'millioner',
  'finnes',
  'finst',
  'fins',
  'finns',
  'få',
  'får',
  'fått',
  'kan',
  'søke',
  'ha',
  'gjelder',
  'gjeld',
  'betyr',
  'tyder',
  'dvs',
  'hjelp',
  'hjelper',
]);

export interface Overlap {
  /** Content stems of the claim. */
  total: number;
  /** Of those, how many the spans contain. */
  found: number;
  /** The claim's words the spans do not contain, in order. */
  missing: string[];
}

/** How much of `claim` its source text covers. */
export function overlap(claim: string, source: string): Overlap {
  // Units and periods are the figures check's business; here they would only punish «i året» for a column «Per år».
  // Dates too: «1. januar 2012» for a span's «01.01.2012» is the same date, and its month is no word to find.
  const claimWords = words(withoutDates(claim))
    .filter(
      (w) =>
        !isStop(w) &&
        w.length > 1 &&
        !PARAPHRASE.has(w) &&
        !isNumberWord(w) &&
        !isComparatorWord(w) &&
        unitOf(w) === null &&
        kindOf(w) === null,
    )
    .filter((w) => !/^(per|årlig|årleg|månedlig|månadleg|kalenderår|kalenderåret)$/.test(w));
  const sourceStems = [
    ...new Set(
      words(source)
        .filter((w) => !isStop(w) && w.length > 1)
        .map(stem),
    ),
  ];
  const sourceJoined = words(source).join(' ');
  const missing: string[] = [];
  let found = 0;
  for (const w of claimWords) {
    const s = stem(w);
    const hit =
      sourceStems.some((x) => stemsMatch(s, x)) ||
      (s.length >= 5 && sourceJoined.includes(s)) ||
      sourceStems.some((x) => x.length >= 5 && s.length > x.length && s.endsWith(x));
    if (hit) found++;
    else missing.push(w);
  }
  return { total: claimWords.length, found, missing };
}
