/**
 * Quantities: every number and date in a clause with what gives it meaning — its unit (kr, %, G,
 * år, måneder, uker, dager, timer, or the noun it counts), its period (per år/måned/uke/dag, «i
 * året», «månedlig»), its comparator (under, over, minst, høyst, fra, til, før, etter, innen …)
 * and a relation after it («4 uker fra», «3 måneder før»). Numbers written in words («en uke»,
 * «tre måneder», «et halvt år», «hvert tredje år») are read as numbers. Bokmål and nynorsk. Pure.
 * This file reads them; whether two are the same amount is `amounts.ts`.
 */
import { normalizeFigure } from '../../llm/norwegian.js';
import { isStop, stem } from './text.js';

export type Bound = 'lower' | 'upper';

export interface Quantity {
  /** The number (a date is 0 and carries `date`). */
  value: number;
  /** Canonical date (`2025-01-01`, or `01-01` without a year) for dates. */
  date?: string;
  /** `kr`, `%`, `G`, `år`, `måned`, `uke`, `dag`, `time`, `sats`, `year` (a bare year), `date`, or a counted noun's stem. */
  unit: string | null;
  /** `år`, `måned`, `uke` or `dag` for "per …" amounts. */
  period: string | null;
  comparator: Bound | null;
  /** A relation written after the figure: `before` («3 måneder før»), `after` («4 uker fra/etter»). */
  relation: 'before' | 'after' | null;
  /** Written in words in the text (a deadline or duration like «en uke»). */
  isWords: boolean;
  /** Given in millions or billions («57 millioner»): a rounded amount, matched within 5 %. */
  isRounded?: boolean;
  raw: string;
  /** Token index in its clause, for pairing. */
  index: number;
  /** Content stems of the three words before it, within its clause: which of several equal figures this is. */
  near: string[];
}

function nearBefore(tokens: string[], at: number): string[] {
  const out: string[] = [];
  for (let k = at - 1; k >= 0 && out.length < 3; k--) {
    const t = tokens[k]!.toLowerCase();
    if (STOPPERS.has(t)) break;
    if (/^\p{L}/u.test(t) && !isStop(t) && unitOf(t) === null) out.push(stem(t));
  }
  return out;
}

const KNOWN_UNITS: [RegExp, string][] = [
  [/^(kr|kroner|krone|nok)$/, 'kr'],
  [/^(%|prosent|percent)$/, '%'],
  [/^g$/, 'G'],
  [/^(år|års|året|åra|årene|years?)$/, 'år'],
  [/^(måned|måneder|måneden|månedene|månad|månader|månaden|månadene|mnd|months?)$/, 'måned'],
  [/^(uke|uker|uka|uken|ukene|veke|veker|veka|vekene|weeks?)$/, 'uke'],
  [/^(dag|dager|dagar|dagen|dagene|dagane|døgn|døgnet|days?|\w+dager|\w+dagar)$/, 'dag'],
  [/^(time|timer|timar|timen|timene|hours?)$/, 'time'],
  [/^(gang|ganger|gonger|gong|gongen|gangen|times)$/, 'gang'],
  [/^(euro|eur|dollar|usd)$/, 'euro'],
  [/^(cm|centimeter)$/, 'cm'],
];

/** The canonical unit of a word, or null when it is no unit we know. */
export function unitOf(word: string): string | null {
  const w = word.toLowerCase();
  for (const [re, unit] of KNOWN_UNITS) if (re.test(w)) return unit;
  return null;
}

const NUMBER_WORDS: Record<string, number> = {
  en: 1,
  ei: 1,
  ett: 1,
  et: 1,
  én: 1,
  éi: 1,
  éin: 1,
  ein: 1,
  eitt: 1,
  eit: 1,
  to: 2,
  tre: 3,
  fire: 4,
  fem: 5,
  seks: 6,
  sju: 7,
  syv: 7,
  åtte: 8,
  ni: 9,
  ti: 10,
  elleve: 11,
  tolv: 12,
  fjorten: 14,
  femten: 15,
  tjue: 20,
  tjuefire: 24,
  tretti: 30,
  førti: 40,
};
/** Whether a lowercase word is a number written in words («seks», «tre», «ein»). */
export function isNumberWord(w: string): boolean {
  return Object.hasOwn(NUMBER_WORDS, w) && !['en', 'ei', 'et', 'ein', 'eit', 'to'].includes(w);
}
const ORDINALS: Record<string, number> = { første: 1, andre: 2, tredje: 3, fjerde: 4, femte: 5, sjette: 6, sjuende: 7, tiende: 10 };
const UNIT_WORD = `(?:uke|uker|uka|uken|ukene|veke|veker|veka|vekene|måned|måneder|måneden|månedene|månad|månader|månaden|år|året|årene|dag|dager|dagar|dagen|dagene|dagane|døgn|time|timer|timar|timen|timene|gang|ganger|gangen|gonger|gong|gongen|barn|barna|satser|satsar|lover|omsorgsdager|omsorgsdagar)`;
const B1 = String.raw`(?<![\p{L}\p{N}])`;
const B2 = String.raw`(?![\p{L}\p{N}])`;

const HALF = new RegExp(String.raw`${B1}(?:et|eit|ett|eitt|ei|en|ein)\s+halv[te]?\s+(?=${UNIT_WORD}${B2})`, 'giu');
const CARDINAL = new RegExp(
  String.raw`${B1}(${Object.keys(NUMBER_WORDS).join('|')})\s+(?:(ekstra|hele|heile|første|siste|fulle)\s+)?(?=${UNIT_WORD}${B2})`,
  'giu',
);
const NUMBER_WORD = `(?:${Object.keys(NUMBER_WORDS).join('|')}|\\d+)`;
/** «to til tre år», «ett eller to barn»: the first number of a range in words counts what the last counts. */
const RANGE_START = new RegExp(
  String.raw`${B1}(${Object.keys(NUMBER_WORDS).join('|')})(?=\s+(?:til|eller|og|à|–)\s+${NUMBER_WORD}\s+(?:(?:ekstra|hele|heile|første|siste|fulle)\s+)?${UNIT_WORD}${B2})`,
  'giu',
);
const ORDINAL = new RegExp(
  String.raw`${B1}(hvert|hver|kvart|kvar|fra|frå)\s+(${Object.keys(ORDINALS).join('|')})\s+(?=${UNIT_WORD}${B2})`,
  'giu',
);

/** Numbers written in words before a unit become digits: «en uke» → «1 uke», «et halvt år» → «0,5 år», «hvert tredje år» → «hvert 3 år». */
export function wordsToDigits(s: string): string {
  return s
    .replace(HALF, '⟦w⟧0,5 ')
    .replace(RANGE_START, (_m, w: string) => `⟦w⟧${NUMBER_WORDS[w.toLowerCase()] ?? w}`)
    .replace(CARDINAL, (_m, w: string, adj: string | undefined) => `⟦w⟧${NUMBER_WORDS[w.toLowerCase()] ?? w} ${adj ? `${adj} ` : ''}`)
    .replace(ORDINAL, (_m, q: string, o: string) => `${q} ⟦w⟧${ORDINALS[o.toLowerCase()]} `);
}

const MONTHS = 'januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember';
const DATE = new RegExp(String.raw`\b\d{1,2}\.\s?(?:${MONTHS})(?:\s\d{4})?\b|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b`, 'gi');

/** `text` with its dates blanked: the figures check judges them, so a month name is no content word. */
export const withoutDates = (text: string): string => text.replace(DATE, ' ');
const TOKEN =
  /⟦d\d+⟧|⟦w⟧|⟦id⟧|\d{1,3}(?:[ .]\d{3})+(?:,\d+)?(?![\d,])|\d{1,3}(?:,\d{3})+(?![\d,])|\d+(?:[.,]\d+)?½?|½|[\p{L}]+(?:-[\p{L}]+)*|%|[.,;:!?()|–]/gu;

const LOWER_WORDS = new Set([
  'over',
  'minst',
  'fra',
  'frå',
  'etter',
  'tidligst',
  'tidlegast',
  'lenger',
  'lengre',
  'mer',
  'meir',
  'flere',
  'fleire',
  'eldre',
  'høyere',
  'høgare',
  'more',
  'least',
  'after',
  'from',
]);
const UPPER_WORDS = new Set([
  'under',
  'høyst',
  'høgst',
  'maks',
  'maksimalt',
  'opptil',
  'inntil',
  'til',
  'før',
  'innen',
  'innan',
  'senest',
  'seinast',
  'mindre',
  'færre',
  'kortere',
  'kortare',
  'yngre',
  'lavere',
  'lågare',
  'ut',
  'before',
  'until',
  'most',
]);
/** Whether a lowercase word states a bound («yngre», «minst», «innen»): the comparator check judges it, not the overlap. */
export function isComparatorWord(w: string): boolean {
  return LOWER_WORDS.has(w) || UPPER_WORDS.has(w);
}
const NEGATORS = new Set(['ikke', 'ikkje', 'not']);
const COPULAS = new Set(['være', 'vere', 'bli', 'blir', 'verte', 'vert', 'be']);
const STOPPERS = new Set([',', '.', ';', ':', '|', '!', '?', '–']);

function parseNumber(tok: string): number {
  let s = tok.replace(/\s/g, '');
  let half = 0;
  if (s.endsWith('½')) {
    half = 0.5;
    s = s.slice(0, -1);
  }
  if (s === '') return half;
  if (/^\d{1,3}([.,]\d{3})+$/.test(s)) return Number(s.replace(/[.,]/g, '')) + half;
  return Number(s.replace(',', '.')) + half;
}

function periodOf(tokens: string[], from: number): string | null {
  for (let k = from; k < Math.min(tokens.length, from + 6); k++) {
    const t = tokens[k]!.toLowerCase();
    if (/^\d/.test(t) || t === '⟦w⟧' || (STOPPERS.has(t) && t !== '|')) break;
    if (/^(årlig|årleg|yearly|annually)$/.test(t)) return 'år';
    if (/^(månedlig|månadleg|monthly)$/.test(t)) return 'måned';
    if (/^(ukentlig|vekentleg|weekly)$/.test(t)) return 'uke';
    if (/^(daglig|dagleg|daily)$/.test(t)) return 'dag';
    if (/^(per|pr|hver|hvert|kvar|kvart|i|a)$/.test(t) && k + 1 < tokens.length) {
      const next = tokens[k + 1]!.toLowerCase();
      if (t === 'i' && !/^(året|måneden|månaden|uka|uken|veka|døgnet|kalenderåret)$/.test(next)) continue;
      if (/^(år|året|kalenderår|kalenderåret|year)$/.test(next)) return 'år';
      if (/^(måned|måneden|månad|månaden|mnd|month)$/.test(next)) return 'måned';
      if (/^(uke|uka|uken|veke|veka|week)$/.test(next)) return 'uke';
      if (/^(dag|døgn|døgnet|day)$/.test(next)) return 'dag';
    }
  }
  return null;
}

function comparatorBefore(tokens: string[], at: number): Bound | null {
  for (let k = at - 1; k >= Math.max(0, at - 6); k--) {
    const t = tokens[k]!.toLowerCase();
    if (STOPPERS.has(t) || /^\d/.test(t) || t.startsWith('⟦d')) return null;
    // "fra 0 til 3 G": "til" right after a number is a range, not a bound.
    if (t === 'til' && k > 0 && /^\d/.test(tokens[k - 1]!)) return null;
    // "graderes ned til 20 prosent" is a floor, "opp til" a ceiling.
    if (t === 'til' && k > 0 && /^(ned|ned-)$/.test(tokens[k - 1]!.toLowerCase())) return 'lower';
    let bound: Bound | null = LOWER_WORDS.has(t) ? 'lower' : UPPER_WORDS.has(t) ? 'upper' : null;
    if (bound === null) continue;
    // «ikke mer enn», «kan ikke bli lavere enn»: a negated bound is the opposite bound.
    const before = tokens[k - 1]?.toLowerCase() ?? '';
    const isNegated = NEGATORS.has(before) || (COPULAS.has(before) && NEGATORS.has(tokens[k - 2]?.toLowerCase() ?? ''));
    if (/^(mer|meir|mindre|høyere|høgare|lavere|lågare|over|under|lenger|lengre|kortere|flere|fleire|færre)$/.test(t) && isNegated) {
      bound = bound === 'lower' ? 'upper' : 'lower';
    }
    return bound;
  }
  return null;
}

function relationAfter(tokens: string[], from: number): 'before' | 'after' | null {
  for (let k = from; k < Math.min(tokens.length, from + 3); k++) {
    const t = tokens[k]!.toLowerCase();
    if (t === 'før' || t === 'before') return 'before';
    if (t === 'etter' || t === 'fra' || t === 'frå' || t === 'after') return 'after';
    if (STOPPERS.has(t) || /^\d/.test(t)) return null;
  }
  return null;
}

function dateNorm(raw: string): string {
  return normalizeFigure('date', raw)[0]!;
}

const SKIP_TO_UNIT = new Set([
  'eller',
  'til',
  'og',
  'flere',
  'fleire',
  'færre',
  'ekstra',
  'hele',
  'heile',
  'første',
  'siste',
  'fulle',
  '–',
  'à',
  'or',
  'and',
  'more',
  'to',
]);

/** The quantities of one clause (identifiers already masked by `findIdentifiers`). */
export function findQuantities(clause: string): Quantity[] {
  const dates: string[] = [];
  const text = wordsToDigits(clause).replace(DATE, (m) => {
    dates.push(m);
    return ` ⟦d${dates.length - 1}⟧ `;
  });
  const tokens = text.match(TOKEN) ?? [];
  const out: Quantity[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const isWords = tokens[i - 1] === '⟦w⟧';
    if (tok.startsWith('⟦d')) {
      const raw = dates[Number(tok.slice(2, -1))]!;
      out.push({
        value: 0,
        date: dateNorm(raw),
        unit: 'date',
        period: null,
        comparator: comparatorBefore(tokens, i),
        relation: null,
        isWords: false,
        raw,
        index: i,
        near: nearBefore(tokens, i),
      });
      continue;
    }
    if (!/^[\d½]/.test(tok)) continue;
    let value = parseNumber(tok);
    let isRounded = false;
    if (/^(millioner|million|mill|mrd|milliarder|milliard)$/i.test(tokens[i + 1] ?? '')) {
      value *= /^m(rd|illiard)/i.test(tokens[i + 1]!) && !/^mill(ioner|ion)?$/i.test(tokens[i + 1]!) ? 1e9 : 1e6;
      isRounded = true;
      tokens.splice(i + 1, 1);
    }
    const prev = tokens[i - 1]?.toLowerCase() ?? '';
    let unit: string | null = null;
    let k = i + 1;
    if (tokens[k] === '.' && k + 1 < tokens.length && unitOf(tokens[k + 1]!)) k++; // "8. dag"
    if (/^(sats|satsen|satsane|satsene)$/.test(prev)) unit = 'sats';
    else if (/^(kr|nok)$/.test(prev)) unit = 'kr';
    else if (prev === 'kl') unit = 'kl';
    else {
      while (k < tokens.length && (SKIP_TO_UNIT.has(tokens[k]!.toLowerCase()) || /^[\d½]/.test(tokens[k]!) || tokens[k] === '⟦w⟧')) k++;
      const next = tokens[k];
      // A counted noun is a content word: «10 per barn» counts nothing named, «3 eller flere barn» counts children.
      if (next && !STOPPERS.has(next) && !next.startsWith('⟦'))
        unit = unitOf(next) ?? (/^\p{L}/u.test(next) && !isStop(next.toLowerCase()) ? `~${stem(next)}` : null);
    }
    if (unit === null && /^(19|20)\d{2}$/.test(tok)) unit = 'year';
    out.push({
      value,
      unit,
      isWords,
      isRounded,
      raw: tok,
      index: i,
      near: nearBefore(tokens, i),
      period: periodOf(tokens, k + 1),
      comparator:
        comparatorBefore(tokens, i) ??
        (/^(eller|og)$/.test(tokens[k + 1]?.toLowerCase() ?? '') &&
        /^(mer|meir|lenger|fleire|flere|eldre)$/.test(tokens[k + 2]?.toLowerCase() ?? '')
          ? 'lower'
          : null),
      relation: relationAfter(tokens, k + 1),
    });
  }
  spreadOverRanges(out, tokens);
  return out;
}

/** In «2 til 3 år eller meir», «minst 2 til 3 år» and «sats 2, 3 eller 4» every number of the range or list has its bound and unit. */
function spreadOverRanges(qs: Quantity[], tokens: string[]): void {
  for (let a = 0; a + 1 < qs.length; a++) {
    const x = qs[a]!;
    const y = qs[a + 1]!;
    const between = tokens.slice(x.index + 1, y.index).map((t) => t.toLowerCase());
    if (between.length !== 1 || !/^(til|–|-|eller|og|,|or|and|to)$/.test(between[0]!)) continue;
    if (between[0] === ',') {
      // «sats 2, 3 eller 4»: a bare number in a list counts what the list's first counts.
      if (y.unit === null && x.unit === 'sats') y.unit = x.unit;
      continue;
    }
    const bound = x.comparator ?? y.comparator;
    x.comparator = bound;
    y.comparator = bound;
    // A date's unit is not spread: «from 0.7.1 to 0.8.41» gives 0.7 no date to compare.
    if (x.unit === null && y.unit !== 'date') x.unit = y.unit;
    if (y.unit === null && x.unit === 'sats') y.unit = x.unit;
    if (!x.period) x.period = y.period;
  }
}
