/**
 * The labelled claims set (test/fixtures/claims/claims.jsonl) and its scoring: recall per
 * fabrication category, false-positive rate on faithful claims, per split. Shared by
 * `npm run bench:verify` and the labelled-set test, so both report the same figures.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ClaimCheck, VerifyOptions } from '../src/pipeline/verify/index.js';

export interface LabelledClaim {
  id: string;
  split: 'dev' | 'heldout';
  category: string;
  label: 'faithful' | 'fabricated';
  field: string;
  language: 'nb' | 'nn';
  claim: string;
  spans: string[];
  source: string;
  spanSources?: string[];
  spanRoles?: ('old' | 'new')[];
}

/** Read the set from `root` (the package root). */
export function loadLabelledSet(root: string): LabelledClaim[] {
  const file = path.join(root, 'test/fixtures/claims/claims.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as LabelledClaim;
      } catch (e) {
        throw new Error(`${file}:${i + 1}: not JSON (${(e as Error).message})`);
      }
    });
}

/** The options a caller would pass for this claim. */
export function optionsOf(c: LabelledClaim): VerifyOptions {
  return c.spanRoles ? { language: c.language, spanRoles: c.spanRoles } : { language: c.language };
}

export interface Score {
  size: number;
  faithful: number;
  falsePositives: number;
  fabricated: number;
  caught: number;
  perCategory: Record<string, { total: number; caught: number }>;
  /** Ids of fabrications not caught and faithful claims flagged. */
  misses: string[];
  falseAlarms: string[];
}

/** Score a checker on some claims: a claim counts as flagged when its verdict is `unsupported`. */
export function score(claims: readonly LabelledClaim[], check: (c: LabelledClaim) => ClaimCheck): Score {
  const s: Score = {
    size: claims.length,
    faithful: 0,
    falsePositives: 0,
    fabricated: 0,
    caught: 0,
    perCategory: {},
    misses: [],
    falseAlarms: [],
  };
  for (const c of claims) {
    const isFlagged = check(c).verdict === 'unsupported';
    if (c.label === 'faithful') {
      s.faithful++;
      if (isFlagged) {
        s.falsePositives++;
        s.falseAlarms.push(c.id);
      }
      continue;
    }
    s.fabricated++;
    const cat = (s.perCategory[c.category] ??= { total: 0, caught: 0 });
    cat.total++;
    if (isFlagged) {
      s.caught++;
      cat.caught++;
    } else {
      s.misses.push(c.id);
    }
  }
  return s;
}
