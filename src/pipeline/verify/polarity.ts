/**
 * Polarity: a negation (ikke/ikkje, ingen, uten/utan, aldri, nei, slipper …) or a restriction
 * (kun, bare/berre) belongs to the words around it. A claim that negates or restricts what its
 * span states plainly, or states plainly what its span negates or restricts, is unsupported.
 * Comparators written with a negation («ikke mer enn») are bounds, not negations. Pure.
 */
import { isStop, stem, stemsMatch, words } from './text.js';

const NEGATIONS = new Set(['ikke', 'ikkje', 'ingen', 'inga', 'ingenting', 'intet', 'uten', 'utan', 'aldri', 'verken', 'korkje', 'nei', 'slipper', 'slepp', 'sleppe', 'slippe', 'not', 'never', 'no', 'without']);
const RESTRICTIONS = new Set(['kun', 'bare', 'berre', 'utelukkende', 'eneste', 'einaste', 'only']);
/** Words that restrict as «bare» does, so a faithful «må» for a span's «bare» is not a dropped restriction. */
const RESTRICTIVE_PARAPHRASE = new Set(['må', 'kun', 'bare', 'berre', 'eneste', 'einaste', 'only', 'must', 'ikke', 'ikkje']);
const BOUND_AFTER_NEGATION = /^(mer|meir|mindre|over|under|høyere|høgare|lavere|lågare|lenger|lengre|kortere|flere|fleire|færre)$/;

/** One negation or restriction and the content stems around it (three words before, six after). */
interface Marker {
  kind: 'negation' | 'restriction';
  word: string;
  scope: string[];
}

function markersOf(text: string): Marker[] {
  const toks = words(text);
  const out: Marker[] = [];
  toks.forEach((w, i) => {
    const kind = NEGATIONS.has(w) ? 'negation' : RESTRICTIONS.has(w) ? 'restriction' : null;
    if (kind === null) return;
    if (kind === 'negation' && BOUND_AFTER_NEGATION.test(toks[i + 1] ?? '')) return;
    if (kind === 'negation' && (toks[i + 1] === 'være' || toks[i + 1] === 'vere') && BOUND_AFTER_NEGATION.test(toks[i + 2] ?? '')) return;
    const scope = toks.slice(Math.max(0, i - 3), i + 7).filter((x, j) => j !== Math.min(i, 3) && !isStop(x) && x.length > 1).map(stem);
    out.push({ kind, word: w, scope });
  });
  return out;
}

const shares = (a: readonly string[], b: readonly string[]): number => a.filter((x) => b.some((y) => stemsMatch(x, y))).length;

export interface PolarityFinding {
  code: 'negation';
  reason: string;
}

/** Polarity findings for a claim against the text of its spans. */
export function checkPolarity(claim: string, source: string): PolarityFinding[] {
  const inClaim = markersOf(claim);
  const inSource = markersOf(source);
  const claimStems = words(claim).filter((w) => !isStop(w)).map(stem);
  const claimWords = new Set(words(claim));
  const out: PolarityFinding[] = [];
  for (const m of inClaim) {
    const backed = inSource.some((s) => shares(m.scope, s.scope) > 0 && (s.kind === m.kind || m.kind === 'negation' || s.word === 'nei'));
    if (!backed) out.push({ code: 'negation', reason: `Påstanden sier «${m.word}» om noe kildeutdraget ikke benekter eller begrenser.` });
  }
  for (const s of inSource) {
    const covered = shares(s.scope, claimStems);
    if (covered < Math.min(2, s.scope.length) || covered === 0) continue;
    const kept = inClaim.some((m) => shares(m.scope, s.scope) > 0 || (m.kind === 'negation' && s.kind === 'negation' && covered >= 2));
    if (kept) continue;
    if (s.kind === 'restriction' && [...claimWords].some((w) => RESTRICTIVE_PARAPHRASE.has(w))) continue;
    if (s.word === 'nei') continue;
    out.push({
      code: 'negation',
      reason: s.kind === 'negation'
        ? `Kildeutdraget sier «${s.word}» her, men påstanden har ikke med nektelsen.`
        : `Kildeutdraget begrenser med «${s.word}», men påstanden har ikke med begrensningen.`,
    });
  }
  return out;
}
