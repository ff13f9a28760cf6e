/**
 * The claims verifier's public face: check one claim against the text of its own spans.
 * Deterministic, offline, no LLM. The implementation behind `verifyClaim` is the verify stage's
 * own business; callers depend only on this signature and `VERIFIER_VERSION`.
 */
import { figureSet, findFigures } from '../../llm/norwegian.js';
import type { ClaimFinding, ClaimVerdict } from '../types.js';

/** Bumped whenever a verdict for the same input can change; stored beside every verdict. */
export const VERIFIER_VERSION = '0';

export interface VerifyOptions {
  /** Written standard of the claim (default `nb`). */
  language?: 'nb' | 'nn';
}

export interface ClaimCheck {
  verdict: ClaimVerdict;
  findings: ClaimFinding[];
}

/**
 * Check `claimText` against `spanTexts` (the quoted source spans it cites, already resolved in the
 * stored text; an empty list means no evidence). Pure.
 */
export function verifyClaim(claimText: string, spanTexts: readonly string[], _opts: VerifyOptions = {}): ClaimCheck {
  if (spanTexts.length === 0) {
    return { verdict: 'unsupported', findings: [{ code: 'span-missing', reason: 'Påstanden viser ikke til noe sted i kilden.' }] };
  }
  const source = figureSet(spanTexts.join('\n'));
  const findings: ClaimFinding[] = [];
  for (const f of findFigures(claimText)) {
    const found = f.norms.some((n) => source.has(`${f.kind}:${n}`) || source.has(`number:${n}`));
    if (!found) findings.push({ code: 'number-missing', reason: `«${f.raw}» står ikke i kildeutdraget.` });
  }
  return { verdict: findings.length === 0 ? 'supported' : 'unsupported', findings };
}
