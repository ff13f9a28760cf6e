/**
 * Change summaries: a claim about what changed cites spans of the old and of the new version. A
 * figure only in the old version must be told as the old one («tidligere», «fra X til …»), a
 * figure only in the new version as the new one, and words of direction (økt, redusert, høyere,
 * lavere …) must agree with the figures. Pure.
 */
import type { ClaimFinding } from '../types.js';
import { findIdentifiers } from './identifiers.js';
import { sameAmount } from './amounts.js';
import { findQuantities, type Quantity } from './quantities.js';
import { clausesOf, sentencesOf, words } from './text.js';

const PAST = new Set(['tidligere', 'tidlegare', 'før', 'var', 'gjaldt', 'gamle', 'gammel', 'forrige', 'mot', 'opprinnelig', 'erstatter']);
const UP = /^(økt|øker|økte|auka|aukar|opp|hevet|heva|høyere|høgare|stiger|steget|økning|auke|oppjustert)$/;
const DOWN = /^(redusert|reduserer|reduserte|ned|senket|senka|lavere|lågare|synker|sunket|nedgang|nedjustert|kuttet)$/;

interface Placed {
  q: Quantity;
  clauseWords: string[];
  /** The number stands after «fra» in a «fra X til Y» transition. */
  isFrom: boolean;
  isTo: boolean;
}

function placedQuantities(text: string): Placed[] {
  const out: Placed[] = [];
  for (const sentence of sentencesOf(text)) {
    const masked = findIdentifiers(sentence).masked;
    for (const clause of clausesOf(masked)) {
      const qs = findQuantities(clause);
      const toks = words(clause);
      const fromTo = /\bfra\b.*\btil\b/i.test(clause);
      qs.forEach((q, i) => {
        const before = clause.slice(0, clause.indexOf(q.raw)).toLowerCase();
        const isFrom = fromTo && /\bfra\s*(\S+\s*){0,1}$/.test(`${before.trimEnd()} `) && i + 1 < qs.length;
        const isTo = fromTo && i > 0 && /\btil\s*$/.test(before);
        out.push({ q, clauseWords: toks, isFrom, isTo });
      });
    }
  }
  return out;
}

function quantitiesOf(lines: readonly string[]): Quantity[] {
  return lines.flatMap((l) => sentencesOf(l)).flatMap((s) => findQuantities(findIdentifiers(s).masked));
}

/** Direction findings for a change summary; `oldLines` and `newLines` are the plain lines of the old and new spans. */
export function checkChange(claim: string, oldLines: readonly string[], newLines: readonly string[]): ClaimFinding[] {
  const olds = quantitiesOf(oldLines);
  const news = quantitiesOf(newLines);
  const out: ClaimFinding[] = [];
  const claimWords = words(claim);
  const up = claimWords.some((w) => UP.test(w));
  const down = claimWords.some((w) => DOWN.test(w));
  for (const p of placedQuantities(claim)) {
    if (p.q.unit === 'sats') continue;
    const inOld = olds.some((o) => sameAmount(p.q, o));
    const inNew = news.some((o) => sameAmount(p.q, o));
    const isPast = p.clauseWords.some((w) => PAST.has(w)) || p.isFrom;
    if (inOld && !inNew && !isPast) {
      out.push({ code: 'change-direction', reason: `«${p.q.raw}» er verdien i den gamle versjonen, ikke den nye.` });
    } else if (inNew && !inOld && isPast && !p.isTo) {
      out.push({ code: 'change-direction', reason: `«${p.q.raw}» er verdien i den nye versjonen, ikke den gamle.` });
    }
    if ((up || down) && inNew && !inOld && p.q.unit !== 'date') {
      const newOcc = news.find((o) => sameAmount(p.q, o))!;
      const counterpart = olds.find(
        (o) => o.unit === newOcc.unit && o.period === newOcc.period && o.unit !== 'date' && !news.some((n) => sameAmount(n, o)),
      );
      if (counterpart && ((up && newOcc.value < counterpart.value) || (down && newOcc.value > counterpart.value))) {
        out.push({
          code: 'change-direction',
          reason: `Påstanden sier at verdien gikk ${up ? 'opp' : 'ned'}, men den gikk fra ${counterpart.raw} til ${newOcc.raw}.`,
        });
      }
    }
  }
  return out;
}
