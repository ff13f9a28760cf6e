/**
 * The claims verifier's public face: check one claim against the text of its own spans.
 * Deterministic, offline, no LLM. The implementation behind `verifyClaim` is the verify stage's
 * own business; callers depend only on this signature and `VERIFIER_VERSION`.
 *
 * What it checks, each in its own file: figures with unit, period, comparator and pairing
 * (`figures.ts`, `quantities.ts`), table columns (`columns.ts`), identifiers (`identifiers.ts`), polarity (`polarity.ts`),
 * named benefits and agencies (`entities.ts`), content-word overlap (`overlap.ts`), injected
 * instructions (`instruction.ts`) and, for change summaries, direction (`change.ts`). All read the
 * spans as `text.ts` makes them plain: Markdown and HTML with link targets kept, tables one row per
 * line with each cell labelled by its column.
 */
import type { ClaimFinding, ClaimVerdict } from '../types.js';
import { checkChange } from './change.js';
import { checkColumns } from './columns.js';
import { unnamedEntities } from './entities.js';
import { checkFigures, figureSentences } from './figures.js';
import { findIdentifiers, identifierCode, identifierSupported } from './identifiers.js';
import { findInstruction } from './instruction.js';
import { overlap } from './overlap.js';
import { checkPolarity } from './polarity.js';
import { toLines } from './text.js';

/** Bumped whenever a verdict for the same input can change; stored beside every verdict. */
export const VERIFIER_VERSION = '2';

export interface VerifyOptions {
  /** Written standard of the claim (default `nb`). Both are read the same way; kept for the record. */
  language?: 'nb' | 'nn';
  /**
   * For a change summary: which version each span quotes, in `spanTexts` order (`old` or `new`).
   * Given, the claim's figures are also checked for the direction of the change; absent, no
   * direction check is made. Must have one entry per span (else an Error: a caller's bug).
   */
  spanRoles?: readonly ('old' | 'new')[];
}

export interface ClaimCheck {
  verdict: ClaimVerdict;
  findings: ClaimFinding[];
}

/** Below this share of content words found in the spans, a claim of `MIN_OVERLAP_WORDS` or more content words is unsupported. */
export const MIN_OVERLAP = 0.5;
/** Shorter claims pass with one content word found, or with figures: three words say too little to judge a paraphrase by, but none found is none. */
export const MIN_OVERLAP_WORDS = 4;

function identifierFindings(claimText: string, sourceText: string): ClaimFinding[] {
  const source = findIdentifiers(sourceText).ids;
  return findIdentifiers(claimText)
    .ids.filter((id) => !identifierSupported(id, source, sourceText))
    .map((id) => ({ code: identifierCode(id.kind), reason: `«${id.raw}» står ikke i kildeutdraget.` }));
}

function dedupe(findings: ClaimFinding[]): ClaimFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}\u0000${f.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Check `claimText` against `spanTexts` (the quoted source spans it cites, already resolved in the
 * stored text; an empty list means no evidence). Pure and deterministic.
 *
 * Verdicts: `unsupported` when there is no span (code `span-missing`) or any finding;
 * `not-checkable` when the claim has no words or figures at all (an empty or punctuation-only
 * text: nothing to publish, nothing to check); otherwise `supported`.
 */
export function verifyClaim(claimText: string, spanTexts: readonly string[], opts: VerifyOptions = {}): ClaimCheck {
  const claimLines = toLines(claimText);
  const claim = claimLines.join(' ');
  if (!/[\p{L}\p{N}]/u.test(claim)) return { verdict: 'not-checkable', findings: [] };
  const spans = spanTexts.filter((s) => s.trim() !== '');
  if (spans.length === 0) {
    return { verdict: 'unsupported', findings: [{ code: 'span-missing', reason: 'Påstanden viser ikke til noe sted i kilden.' }] };
  }
  const sourceLines = toLines(spans.join('\n'));
  const source = sourceLines.join('\n');
  const findings: ClaimFinding[] = [];
  const instruction = findInstruction(claim, source);
  if (instruction)
    findings.push({
      code: 'instruction',
      reason: `Påstanden inneholder en instruks til en maskin («${instruction}»), ikke informasjon fra kilden.`,
    });
  findings.push(...identifierFindings(claim, source));
  const claimFigures = figureSentences(claimLines);
  findings.push(...checkFigures(claimFigures, figureSentences(sourceLines), source));
  findings.push(...checkColumns(claim, sourceLines));
  findings.push(...checkPolarity(claim, source));
  for (const name of unnamedEntities(claim, source)) {
    findings.push({ code: 'named-entity', reason: `«${name}» er ikke nevnt i kildeutdraget.` });
  }
  const o = overlap(claim, source);
  // A short claim is anchored by its figures when it has some (checked above); without any, one content word must be found.
  const isAnchored = claimFigures.some((f) => f.all.length > 0) || findIdentifiers(claim).ids.length > 0;
  if ((o.total >= MIN_OVERLAP_WORDS && o.found / o.total < MIN_OVERLAP) || (o.total > 0 && o.found === 0 && !isAnchored)) {
    findings.push({
      code: 'low-overlap',
      reason: `Kildeutdraget støtter ikke påstanden: ${o.total - o.found} av ${o.total} innholdsord finnes ikke der (${o.missing.slice(0, 4).join(', ')}).`,
    });
  }
  if (opts.spanRoles) {
    // A caller's bug, not bad input: roles that do not line up with the spans would judge the wrong text.
    if (opts.spanRoles.length !== spanTexts.length)
      throw new Error(`verifyClaim: ${opts.spanRoles.length} span roles for ${spanTexts.length} spans`);
    const pick = (role: 'old' | 'new') => toLines(spanTexts.filter((_s, i) => opts.spanRoles![i] === role).join('\n'));
    findings.push(...checkChange(claim, pick('old'), pick('new')));
  }
  const all = dedupe(findings);
  return { verdict: all.length === 0 ? 'supported' : 'unsupported', findings: all };
}
