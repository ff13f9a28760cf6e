/**
 * Polarity: a negation (ikke/ikkje, ingen, uten/utan, aldri, nei, slipper …) or a restriction
 * (kun, bare/berre) belongs to the words around it. A claim that negates or restricts what its
 * span states plainly, or states plainly what its span negates or restricts, is unsupported.
 * Comparators written with a negation («ikke mer enn») are bounds, not negations. Pure.
 */
import { isStop, sentencesOf, stem, stemsMatch, words } from './text.js';

const NEGATIONS = new Set([
  'ikke',
  'ikkje',
  'ingen',
  'inga',
  'ingenting',
  'intet',
  'uten',
  'utan',
  'aldri',
  'verken',
  'korkje',
  'nei',
  'slipper',
  'slepp',
  'sleppe',
  'slippe',
  'not',
  'never',
  'without',
]);
/** A span's exclusion («eks. mva», «unntatt helg») backs a claim's «uten» about the same words, but is no negation a claim must keep. */
const EXCLUSIONS = new Set(['eks', 'ekskl', 'eksklusive', 'eksklusiv', 'unntatt', 'unnateke', 'excl', 'excluding']);
const RESTRICTIONS = new Set(['kun', 'bare', 'berre', 'utelukkende', 'eneste', 'einaste', 'only']);
/** Words that restrict as «bare» does, so a faithful «må» for a span's «bare» is not a dropped restriction. */
const RESTRICTIVE_PARAPHRASE = new Set(['må', 'kun', 'bare', 'berre', 'eneste', 'einaste', 'only', 'must', 'ikke', 'ikkje']);
const BOUND_AFTER_NEGATION = /^(mer|meir|mindre|over|under|høyere|høgare|lavere|lågare|lenger|lengre|kortere|flere|fleire|færre)$/;

/** One negation or restriction and the content stems around it (three words before, six after). */
interface Marker {
  kind: 'negation' | 'restriction';
  word: string;
  scope: string[];
  /** The content stems after it: what is negated, in Norwegian word order. */
  after: string[];
  /** The content stems of its whole sentence, to tell which source sentence a claim restates. */
  sentence: string[];
}

/** Markers of each sentence: a negation's scope ends where its sentence does. */
function markersOf(text: string): Marker[] {
  const sentences = text.split('\n').flatMap((line) => sentencesOf(line));
  return sentences.flatMap((s, i) => sentenceMarkers(s, /^nei\b/i.test(s) ? (sentences[i - 1] ?? '') : ''));
}

/** `question`: for an answer starting «Nei», the question it answers, which is what it negates. */
function sentenceMarkers(text: string, question: string): Marker[] {
  const toks = words(text);
  const asked = words(question)
    .filter((x) => !isStop(x) && x.length > 1)
    .map(stem);
  const sentence = toks.filter((x) => !isStop(x) && x.length > 1).map(stem);
  const out: Marker[] = [];
  toks.forEach((w, i) => {
    const kind = NEGATIONS.has(w) || EXCLUSIONS.has(w) ? 'negation' : RESTRICTIONS.has(w) ? 'restriction' : null;
    if (kind === null || (w === 'eks' && toks[i - 1] === 'f')) return;
    // «ikke mer enn 6 G» is a bound on a figure (judged with the figures), not a negation.
    const boundAt = BOUND_AFTER_NEGATION.test(toks[i + 1] ?? '')
      ? i + 1
      : /^(være|vere|bli|blir|verte|vert)$/.test(toks[i + 1] ?? '') && BOUND_AFTER_NEGATION.test(toks[i + 2] ?? '')
        ? i + 2
        : -1;
    if (kind === 'negation' && boundAt > 0 && toks.slice(boundAt + 1, boundAt + 4).some((x) => /^\d/.test(x))) return;
    const content = (xs: string[]) => xs.filter((x) => !isStop(x) && x.length > 1).map(stem);
    out.push({
      kind,
      word: w,
      scope: [...asked, ...content([...toks.slice(Math.max(0, i - 3), i), ...toks.slice(i + 1, i + 7)])],
      after: content(toks.slice(i + 1, i + 7)),
      sentence,
    });
  });
  return out;
}

const shares = (a: readonly string[], b: readonly string[]): number => a.filter((x) => b.some((y) => stemsMatch(x, y))).length;

/** Word pairs that say opposite things; a claim using one where its span uses the other reverses it. */
const OPPOSITES: [RegExp, RegExp][] = [
  [/^skattefri(e|tt)?$/, /^skatteplikt(ig|ige|ug)$/],
  [/^varig(e|t)?$/, /^(midlertidig(e|t)?|mellombels|forbigående)$/],
  [/^gratis$/, /^(betale|betaler|betalast|egenandel(en)?)$/],
  [/^(frivillig(e|t)?|friviljug)$/, /^(obligatorisk(e)?|pliktig(e)?)$/],
];

/** Opposite words: the claim says one, its span the other and not the first. */
function oppositeFindings(claim: string, source: string): PolarityFinding[] {
  const cw = words(claim);
  const sw = words(source);
  const out: PolarityFinding[] = [];
  for (const [a, b] of OPPOSITES) {
    for (const [mine, theirs] of [
      [a, b],
      [b, a],
    ] as const) {
      const said = cw.find((w) => mine.test(w));
      const source_ = sw.find((w) => theirs.test(w));
      if (said && source_ && !sw.some((w) => mine.test(w))) {
        out.push({ code: 'negation', reason: `Påstanden sier «${said}», men kildeutdraget sier «${source_}».` });
      }
    }
  }
  return out;
}

export interface PolarityFinding {
  code: 'negation';
  reason: string;
}

/** Polarity findings for a claim against the text of its spans. */
export function checkPolarity(claim: string, source: string): PolarityFinding[] {
  // A negation with no content words around it («Nei.») cannot be placed; it is left to the overlap test.
  const inClaim = markersOf(claim).filter((m) => m.scope.length > 0 && !EXCLUSIONS.has(m.word));
  const inSource = markersOf(source);
  const claimStems = words(claim)
    .filter((w) => !isStop(w))
    .map(stem);
  // The source sentences the claim restates: a negation in another sentence («… over 6 G, får dere ikke
  // tilskudd») is not dropped by a claim restating its neighbour («mellom 0 og 3 G får dere 100 prosent»).
  const sentences = source
    .split('\n')
    .flatMap((line) => sentencesOf(line))
    .map((x) =>
      words(x)
        .filter((w) => !isStop(w) && w.length > 1)
        .map(stem),
    );
  const best = Math.max(0, ...sentences.map((x) => shares(claimStems, x)));
  const claimWords = new Set(words(claim));
  const out: PolarityFinding[] = oppositeFindings(claim, source);
  for (const m of inClaim) {
    const backed = inSource.some(
      (s) => (s.kind === m.kind || s.word === 'nei') && shares(m.after.length > 0 ? m.after : m.scope, s.scope) > 0,
    );
    if (!backed) out.push({ code: 'negation', reason: `Påstanden sier «${m.word}» om noe kildeutdraget ikke benekter eller begrenser.` });
  }
  for (const s of inSource) {
    if (shares(claimStems, s.sentence) < 0.8 * best) continue;
    const covered = shares(s.scope, claimStems);
    if (covered < Math.min(2, s.scope.length) || covered === 0) continue;
    const kept = inClaim.some((m) => shares(m.scope, s.scope) > 0 || (m.kind === 'negation' && s.kind === 'negation' && covered >= 2));
    if (kept) continue;
    if (s.kind === 'restriction' && [...claimWords].some((w) => RESTRICTIVE_PARAPHRASE.has(w))) continue;
    if (s.word === 'nei' || EXCLUSIONS.has(s.word)) continue;
    out.push({
      code: 'negation',
      reason:
        s.kind === 'negation'
          ? `Kildeutdraget sier «${s.word}» her, men påstanden har ikke med nektelsen.`
          : `Kildeutdraget begrenser med «${s.word}», men påstanden har ikke med begrensningen.`,
    });
  }
  return out;
}
