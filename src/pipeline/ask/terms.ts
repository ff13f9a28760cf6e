/**
 * The words retrieval compares: lowercase word tokens without function words, each reduced by the
 * Norwegian Snowball stemmer (`@orama/stemmers`, the same algorithm as lunr-languages and
 * @nlpjs/lang-no: their stems were identical on the demo's vocabulary; this one is ESM with types,
 * has no dependencies and is maintained). Numbers stay whole («8 232» is one term). Pure.
 */
import { stemmer } from '@orama/stemmers/norwegian';
import { isStop } from '../verify/index.js';

/** Question words and verbs that say how something is asked, not what about. */
const QUESTION_WORDS = new Set(
  (
    'hvor hvordan hvorfor hvilke hvilket hvilken kva kor korleis mye mykje mange lenge lang langt gammel gammelt ' +
    'hva hvem når får få fått kan jeg meg min mitt mine vi oss vår vårt finnes fins gjelder gjeld bruker bruke ' +
    'skal må gis gir betyr heter stor store høy høyt lavt lav man ens regnes regner kom kommer ny nye nytt mellom står ' +
    'dato datoen alder alderen tid tiden'
  ).split(' '),
);

/** Numbers written as words in questions («tre barn»), as the digits pages use. «en», «ei» and «to» are left: too often not numbers. */
const NUMBER_WORDS: Record<string, string> = {
  ett: '1',
  tre: '3',
  fire: '4',
  fem: '5',
  seks: '6',
  sju: '7',
  syv: '7',
  åtte: '8',
  ni: '9',
  ti: '10',
  elleve: '11',
  tolv: '12',
};

/** Whether a question asks for a figure (an amount, a count, a time, an age, a date, a form or phone number). */
export function wantsFigure(question: string): boolean {
  return /(?<![\p{L}])(hvor (mye|mange|lenge|langt|lang|gammel|gammelt|stor|høy|lavt|lav)|når|dato|sats\p{L}*|skjema\p{L}*|telefon\p{L}*|nummer\p{L}*|alder\p{L}*|frist\p{L}*|beløp\p{L}*|grense\p{L}*|paragraf)(?![\p{L}])/iu.test(
    question,
  );
}

/** Lowercase tokens: words, and numbers written with spaces between thousands as one token («8 232» → «8232»). */
export function tokens(text: string): string[] {
  const joined = text.toLowerCase().replace(/(\d)[ \u00a0](?=\d{3}(?!\d))/g, '$1');
  return joined.match(/[\p{L}\p{N}]+(?:[-/.][\p{L}\p{N}]+)*/gu) ?? [];
}

/** The Snowball stem of one lowercase word; numbers and identifiers unchanged. */
export function stemWord(word: string): string {
  return /\d/.test(word) ? word : stemmer(word);
}

/** MiniSearch's `processTerm`: function words dropped (null), the rest stemmed. */
export function processTerm(term: string): string | null {
  const t = term.toLowerCase();
  if (t.length === 0 || (isStop(t) && !/\d/.test(t))) return null;
  return stemWord(t);
}

/** MiniSearch's `processTerm` for a question: question words dropped too. */
export function queryTerm(term: string): string | null {
  return QUESTION_WORDS.has(term.toLowerCase()) ? null : processTerm(term);
}

/** The content terms of a question: stems of the words that say what it is about, in order, unique. */
export function questionTerms(question: string): string[] {
  const out: string[] = [];
  for (const t of tokens(question)) {
    if (QUESTION_WORDS.has(t)) continue;
    const n = NUMBER_WORDS[t];
    if (n === undefined && isStop(t) && !/\d/.test(t)) continue;
    const s = n ?? stemWord(t);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

/** The stems of a text as a set (for coverage). */
export function stemSet(text: string): Set<string> {
  const out = new Set<string>();
  for (const t of tokens(text)) {
    if (isStop(t) && !/\d/.test(t)) continue;
    out.add(stemWord(t));
  }
  return out;
}

/** Inflection endings the stemmer leaves on short words («uken», «året»): a stem and the stem with one of them are one word. */
const ENDINGS = ['e', 'n', 't', 's', 'en', 'et', 'a', 'ene', 'er'];

/**
 * Whether a question term is in a set of stems: equal, or (for terms of five letters or more) one
 * the start of the other, so the parts of Norwegian compounds meet («omsorgsdag» and «omsorg»).
 */
export function termIn(term: string, stems: ReadonlySet<string>): boolean {
  if (stems.has(term)) return true;
  if (!/\d/.test(term))
    for (const e of ENDINGS)
      if (stems.has(term + e) || (term.endsWith(e) && term.length - e.length >= 2 && stems.has(term.slice(0, -e.length)))) return true;
  if (term.length < 5 || /\d/.test(term)) return false;
  for (const s of stems) {
    if (s.length >= 5 && !/\d/.test(s) && (s.startsWith(term) || term.startsWith(s))) return true;
  }
  return false;
}
