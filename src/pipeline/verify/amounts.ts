/**
 * Whether two quantities (`quantities.ts`) are the same amount: equal numbers in compatible units,
 * the same duration in other units, a rounded amount within 5 %, the same date (a claim may leave
 * out the year). Pure.
 */
import type { Quantity } from './quantities.js';

const DAYS_PER: Record<string, number> = { dag: 1, uke: 7 };
const MONTHS_PER: Record<string, number> = { måned: 1, år: 12 };

/** Same amount: equal numbers with compatible units, or the same duration in other units («2 uker» = «14 dager», «et halvt år» = «6 måneder»). */
export function sameAmount(a: Quantity, b: Quantity): boolean {
  if (a.unit === 'date' || b.unit === 'date') return a.unit === b.unit && datesMatch(a.date!, b.date!);
  if (a.value === b.value && unitsCompatible(a.unit, b.unit)) return true;
  if ((a.isRounded || b.isRounded) && unitsCompatible(a.unit, b.unit) && Math.abs(a.value - b.value) <= 0.05 * Math.max(a.value, b.value))
    return true;
  for (const table of [DAYS_PER, MONTHS_PER]) {
    const fa = a.unit ? table[a.unit] : undefined;
    const fb = b.unit ? table[b.unit] : undefined;
    if (fa && fb && Math.abs(a.value * fa - b.value * fb) < 1e-9) return true;
  }
  return false;
}

/** A date in a claim matches a source date that is the same day, or the same day and month when the claim leaves out the year. */
export function datesMatch(claim: string, source: string): boolean {
  return claim === source || (claim.length === 5 && source.endsWith(`-${claim}`));
}

/** Units agree when either is unknown, when they are equal, or when one is a counted noun and the other a unit of time. */
export function unitsCompatible(a: string | null, b: string | null): boolean {
  if (a === null || b === null || a === b) return true;
  // A bare year read as «2025 år»? Only «år» may stand beside a year.
  if (a === 'year' || b === 'year') return a === 'år' || b === 'år';
  if (a.startsWith('~') && b.startsWith('~')) return true;
  return false;
}
