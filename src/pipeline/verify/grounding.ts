import { figureSet, findFigures } from '../../llm/norwegian.js';
import type { GroundingIssue, GroundingReport, SummaryContent } from '../types.js';

/** Whitespace, quotes and dashes folded, for finding a quote in the source. */
function fold(s: string): string {
  return s
    .replace(/[\u201c\u201d\u201e\u00ab\u00bb]/g, '"')
    .replace(/[\u2018\u2019\u201a]/g, "'")
    .replace(/[\u2013\u2014\u2212]/g, '-')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

function checkFigures(text: string, where: GroundingIssue['where'], sources: Set<string>[], issues: GroundingIssue[]): number {
  let checked = 0;
  for (const f of findFigures(text)) {
    checked++;
    const found = sources.some((set) => f.norms.some((n) => set.has(`${f.kind}:${n}`) || set.has(`number:${n}`)));
    if (!found) issues.push({ kind: 'number', span: f.raw, where });
  }
  return checked;
}

/**
 * Check a summary against the page it summarises: every figure (amount, date, age, percentage,
 * G-multiple, § reference, form number, phone number, URL, e-mail) in every field (contacts included) must appear in
 * the source after normalisation ("8 232" = "8.232" = "8232"; "½ G" = "0,5 G"; "1.1.2015" =
 * "1. januar 2015"), and every key-fact quote must be found in the source. For the change
 * summary, figures may come from the old or the new text. Pure.
 */
export function verifyGrounding(content: SummaryContent, sourceText: string, change?: { text: string; oldText: string }): GroundingReport {
  const source = figureSet(sourceText);
  const issues: GroundingIssue[] = [];
  let checked = 0;
  checked += checkFigures(content.summary, 'summary', [source], issues);
  checked += checkFigures(content.appliesTo, 'appliesTo', [source], issues);
  checked += checkFigures(content.howToApply, 'howToApply', [source], issues);
  for (const d of content.deadlines) checked += checkFigures(d, 'deadlines', [source], issues);
  for (const c of content.contacts ?? []) checked += checkFigures(c, 'contacts', [source], issues);
  const foldedSource = fold(sourceText);
  for (const f of content.keyFacts) {
    checked += checkFigures(f.fact, 'keyFacts', [source], issues);
    checked++;
    if (f.quote.trim() === '' || !foldedSource.includes(fold(f.quote))) issues.push({ kind: 'quote', span: f.quote, where: 'keyFacts' });
  }
  if (change) checked += checkFigures(change.text, 'changeSummary', [source, figureSet(change.oldText)], issues);
  return { isGrounded: issues.length === 0, checked, issues };
}
