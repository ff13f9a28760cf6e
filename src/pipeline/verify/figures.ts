/**
 * The figures check: every number, date and year of a claim must stand in its spans with the same
 * unit, period, comparator and relation, and figures the claim puts together (a rate and its row,
 * a count and what it counts) must stand together in the spans — a figure taken from another row
 * or clause is a swap. Pure.
 */
import type { ClaimFinding } from '../types.js';
import { findIdentifiers } from './identifiers.js';
import { datesMatch, sameAmount } from './amounts.js';
import { findQuantities, unitOf, type Quantity } from './quantities.js';
import { clausesOf, isStop, sentencesOf, stem, stemsMatch, words } from './text.js';

/** A sentence of text with its quantities, per clause and per pairing segment. */
export interface FigureSentence {
  clauses: Quantity[][];
  /** Context stems of each clause: its content words without units, periods and «sats». */
  clauseContext: string[][];
  /** Each clause opens a condition («Har du 3 barn, …», «Hvis …, …»), so its figures pair with the next clause's. */
  isCondition: boolean[];
  all: Quantity[];
  context: string[];
}

/** What a figure is about: the content stems around it, units and periods left out (they are checked apart). */
function contextOf(text: string): string[] {
  return words(text)
    .filter(
      (w) =>
        !isStop(w) &&
        w.length > 1 &&
        unitOf(w) === null &&
        !/^(sats|satsen|satsene|satsar|kr|per|årlig|månedlig|kalenderår|kalenderåret|id)$/.test(w),
    )
    .map(stem);
}

/** A sentence's first clause opening with a verb or «med» is a condition («Har du 3 barn, …»); «hvis» and its kin open one anywhere. */
const CONDITION_FIRST = /^(har|er|får|med|ved|if|with)\b/i;
const CONDITION = /^(hvis|dersom|når|viss|om|if)\b/i;

/** The quantities of each sentence of plain lines. */
export function figureSentences(lines: readonly string[]): FigureSentence[] {
  return lines
    .flatMap((l) => sentencesOf(l))
    .map((sentence) => {
      const masked = findIdentifiers(sentence).masked;
      const clauseTexts = clausesOf(masked);
      return {
        clauses: clauseTexts.map((c) => findQuantities(c)),
        clauseContext: clauseTexts.map(contextOf),
        isCondition: clauseTexts.map((c, i) => CONDITION.test(c) || (i === 0 && CONDITION_FIRST.test(c))),
        all: findQuantities(masked),
        context: contextOf(masked),
      };
    });
}

const shared = (a: readonly string[], b: readonly string[]): number => a.filter((x) => b.some((y) => stemsMatch(x, y))).length;

const PERIOD_NAME: Record<string, string> = { år: 'per år', måned: 'per måned', uke: 'per uke', dag: 'per dag' };
const BOUND_NAME = { lower: 'en nedre grense (minst/over/fra)', upper: 'en øvre grense (høyst/under/til)' } as const;

function show(q: Quantity): string {
  return q.isWords ? `${q.raw} (skrevet med ord)` : q.raw;
}

/** Words that name each period anywhere in a text. */
const PERIOD_WORDS: Record<string, RegExp> = {
  år: /(?<![\p{L}])(år|året|årlig|årleg|kalenderår\p{L}*|års\p{L}+|yearly|year)(?![\p{L}])/iu,
  måned: /(?<![\p{L}])(måned\p{L}*|månad\p{L}*|mnd|monthly|month)(?![\p{L}])/iu,
  uke: /(?<![\p{L}])(uke\p{L}*|uka|veke\p{L}*|veka|week\p{L}*)(?![\p{L}])/iu,
  dag: /(?<![\p{L}])(dag\p{L}*|døgn\p{L}*|daily|day)(?![\p{L}])/iu,
};

function checkOne(q: Quantity, source: readonly Quantity[], sourceText: string): ClaimFinding | null {
  if (q.unit === 'date') {
    const same = source.filter((o) => o.unit === 'date' && datesMatch(q.date!, o.date!));
    if (same.length > 0) return boundFinding(q, same);
    const md = q.date!.slice(-5);
    const sameDay = q.date!.length > 5 && source.some((o) => o.unit === 'date' && o.date!.endsWith(md));
    return sameDay
      ? { code: 'year', reason: `Årstallet i «${q.raw}» står ikke i kildeutdraget.` }
      : { code: 'date', reason: `Datoen «${q.raw}» står ikke i kildeutdraget.` };
  }
  if (q.unit === 'year') {
    const y = String(q.value);
    if (source.some((o) => (o.unit !== 'date' && o.value === q.value) || (o.unit === 'date' && o.date!.startsWith(`${y}-`)))) return null;
    return { code: 'year', reason: `Årstallet ${y} står ikke i kildeutdraget.` };
  }
  const compatible = source.filter((o) => o.unit !== 'date' && sameAmount(q, o));
  if (compatible.length === 0) {
    const sameNumber = source.some((o) => o.unit !== 'date' && o.value === q.value);
    if (q.isWords) return { code: 'word-duration', reason: `«${show(q)}» stemmer ikke med fristen eller varigheten i kildeutdraget.` };
    return sameNumber
      ? { code: 'unit-mismatch', reason: `«${q.raw}» står i kildeutdraget, men med en annen enhet enn i påstanden.` }
      : { code: 'number-missing', reason: `Tallet «${q.raw}» står ikke i kildeutdraget.` };
  }
  if (q.period && compatible.some((o) => o.period) && !compatible.some((o) => o.period === q.period)) {
    return { code: 'period-mismatch', reason: `«${show(q)}» gjelder ikke ${PERIOD_NAME[q.period] ?? q.period} i kildeutdraget.` };
  }
  // A period the spans never speak of («150 000 kroner per år» for a one-off «150 000 kroner»).
  if (q.period && !compatible.some((o) => o.period) && !PERIOD_WORDS[q.period]?.test(sourceText)) {
    return { code: 'period-mismatch', reason: `Kildeutdraget sier ikke at «${show(q)}» gjelder ${PERIOD_NAME[q.period] ?? q.period}.` };
  }
  return boundFinding(q, compatible);
}

/** The claim's bound or relation contradicts every occurrence of the same figure that has one. */
function boundFinding(q: Quantity, occurrences: readonly Quantity[]): ClaimFinding | null {
  // Of several equal figures («før fylte 67 år … etter at de har fylt 67 år»), judge by those said of the same thing.
  const sharedNear = occurrences.map((o) => shared(q.near, o.near));
  const best = Math.max(0, ...sharedNear);
  const same = best > 0 ? occurrences.filter((_o, i) => sharedNear[i] === best) : occurrences;
  if (q.comparator && !same.some((o) => o.comparator === q.comparator) && same.some((o) => o.comparator && o.comparator !== q.comparator)) {
    return {
      code: 'comparator',
      reason: `Kildeutdraget gir «${show(q)}» som ${BOUND_NAME[q.comparator === 'lower' ? 'upper' : 'lower']}, ikke som ${BOUND_NAME[q.comparator]}.`,
    };
  }
  if (q.relation && !same.some((o) => o.relation === q.relation) && same.some((o) => o.relation && o.relation !== q.relation)) {
    return {
      code: 'comparator',
      reason: `Kildeutdraget sier ${q.relation === 'before' ? '«etter/fra»' : '«før»'} om «${show(q)}», ikke ${q.relation === 'before' ? '«før»' : '«etter/fra»'}.`,
    };
  }
  return null;
}

/**
 * Strict pairing match: the same amount, when both name a unit the same unit, and when both name a
 * bound the same bound («til og med 40 cm» is another row than «over 40 cm»).
 */
function holds(qs: readonly Quantity[], q: Quantity): boolean {
  return qs.some(
    (o) =>
      sameAmount(q, o) &&
      (o.unit === q.unit || o.unit === null || q.unit === null || o.isWords || q.isWords || o.unit === 'year' || q.unit === 'year') &&
      (!o.comparator || !q.comparator || o.comparator === q.comparator),
  );
}

/** `a`'s group names a different value of `b`'s unit and not `b`: evidence that `b` belongs elsewhere. */
function contradicts(group: readonly Quantity[], a: Quantity, b: Quantity): boolean {
  return (
    holds(group, a) && !holds(group, b) && b.unit !== null && b.unit !== 'year' && group.some((o) => o.unit === b.unit && !sameAmount(o, b))
  );
}

function swapped(a: Quantity, b: Quantity, source: readonly FigureSentence[]): boolean {
  // A source sentence that pairs the two figures as the claim does settles it, whatever another span
  // says («Har du 1 eller 2 barn, har du 10 dager» beside «20 dager med 1 eller 2 barn»).
  const same = (x: Quantity, y: Quantity): boolean => holds([x], y);
  if (source.some((s) => pairsOf(s).some(([x, y]) => (same(x, a) && same(y, b)) || (same(x, b) && same(y, a))))) return false;
  for (const level of ['clauses', 'all'] as const) {
    const groups = level === 'clauses' ? source.flatMap((s) => s.clauses) : source.map((s) => s.all);
    if (groups.some((g) => holds(g, a) && holds(g, b))) return false;
    if (groups.some((g) => contradicts(g, a, b) || contradicts(g, b, a))) return true;
  }
  return false;
}

/** Units that measure the same thing: an amount of money is in kroner or in G (the grunnbeløp). */
const DIMENSION: Record<string, string> = { kr: 'money', G: 'money', euro: 'money' };
const sameDimension = (a: string | null, b: string | null): boolean =>
  a !== null && b !== null && (a === b || (DIMENSION[a] !== undefined && DIMENSION[a] === DIMENSION[b]));

/**
 * A figure in the wrong role: the source sentences holding it speak of other things than the
 * claim does, while another source sentence speaks of what the claim does with a different figure
 * of the same unit or dimension («Klagefrist: 4 uker» cited from «Saksbehandlingstiden er 4 uker …
 * klage innen 3 uker»; «Egenandelen er 6 G» cited from «inntekt over 6 G … egenandelen er 150 000 kroner»).
 */
function wrongRole(q: Quantity, context: readonly string[], source: readonly FigureSentence[]): boolean {
  if (context.length === 0 || q.unit === null || q.unit === 'year') return false;
  let best = 0;
  let other = 0;
  for (const s of source) {
    const n = shared(context, s.context);
    if (holds(s.all, q)) best = Math.max(best, n);
    else if (s.all.some((o) => sameDimension(o.unit, q.unit) && !sameAmount(o, q))) other = Math.max(other, n);
  }
  return other > best;
}

/** Figures a claim puts together: neighbours within a clause, and across a condition and its main clause. */
function pairsOf(sentence: FigureSentence): [Quantity, Quantity][] {
  const out: [Quantity, Quantity][] = [];
  sentence.clauses.forEach((qs, c) => {
    for (let i = 0; i + 1 < qs.length; i++) out.push([qs[i]!, qs[i + 1]!]);
    const next = sentence.clauses[c + 1];
    if (sentence.isCondition[c] && qs.length > 0 && next && next.length > 0) out.push([qs[qs.length - 1]!, next[0]!]);
  });
  return out;
}

/** Figure findings for the claim's sentences against the source's sentences. */
export function checkFigures(claim: readonly FigureSentence[], source: readonly FigureSentence[], sourceText: string): ClaimFinding[] {
  const sourceAll = source.flatMap((s) => s.all);
  const out: ClaimFinding[] = [];
  for (const sentence of claim) {
    const found: Quantity[] = [];
    for (const q of sentence.all) {
      const finding = checkOne(q, sourceAll, sourceText);
      if (finding) out.push(finding);
      else found.push(q);
    }
    sentence.clauses.forEach((qs, c) => {
      // A main clause is about what its condition names too: «Er du alene om omsorgen, kan du få 10 ekstra dager».
      const own = [...(c > 0 && sentence.isCondition[c - 1] ? sentence.clauseContext[c - 1]! : []), ...sentence.clauseContext[c]!];
      const context = own.length > 0 ? own : sentence.context;
      for (const q of qs) {
        if (found.some((f) => f === q || (sameAmount(f, q) && f.raw === q.raw)) && wrongRole(q, context, source)) {
          out.push({ code: 'wrong-role', reason: `«${q.raw}» står i kildeutdraget, men om noe annet enn det påstanden sier.` });
        }
      }
    });
    for (const [a, b] of pairsOf(sentence)) {
      if (a.unit === b.unit || a.unit === 'date' || b.unit === 'date') continue;
      if (!found.some((f) => sameAmount(f, a)) || !found.some((f) => sameAmount(f, b))) continue;
      if (swapped(a, b, source)) {
        out.push({ code: 'swap', reason: `I kildeutdraget hører «${a.raw}» ikke sammen med «${b.raw}».` });
      }
    }
  }
  return out;
}
