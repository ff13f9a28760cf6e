/**
 * The claims of what an item publishes: the summary's claims, with every field an editor
 * edited split into claims again and verified again. An edited sentence found verbatim in the
 * version's Markdown cites exactly that span. Any other is checked against the spans of the claims
 * it replaces (all spans of the same field: an editor rewrites a field, not one sentence, and may
 * split or merge sentences) together with the best-matching sentences of the version's Markdown
 * (most shared content words, at most two), so a correction taken from elsewhere on the page is
 * not flagged while a figure found in none of them still is. Also: the text and report hashes an
 * approval records, and which unsupported claims an override covers. Pure.
 */
import { sha256 } from '../../hash.js';
import {
  claimRef,
  claimsFromStoredText,
  claimTextHash,
  normalizeText,
  publishableTexts,
  resolveQuote,
  verifyResolved,
  VERIFIER_VERSION,
  type EvidenceTexts,
  type PublishableFields,
} from './claims.js';
import { splitSentences } from '../../llm/norwegian.js';
import type { ApprovalRecord, Claim, ClaimOverride, KeyFact, ReviewItem, Span, Summary } from '../types.js';
import { sortKeys } from '../../stable-json.js';

/** The editable part of an item: the summary edit and the edits of the other fields. */
export type ItemEdits = Pick<ReviewItem, 'editedSummary' | 'editedFields'>;

/** Every field an editor can edit, in page order: `summary`, the change summary when there is one, then the rest. */
export function editableFields(summary: Summary): string[] {
  const names = new Set(publishableTexts(summaryFields(summary)).map((t) => t.field));
  for (const f of ['summary', 'keyFacts', 'appliesTo', 'howToApply', 'deadlines', 'contacts']) names.add(f);
  if (summary.changeSummary !== undefined) names.add('changeSummary');
  const order = ['summary', 'changeSummary', 'keyFacts', 'appliesTo', 'howToApply', 'deadlines', 'contacts'];
  return [...names].sort((a, b) => rank(a, order) - rank(b, order) || (a < b ? -1 : 1));
}

function rank(f: string, order: string[]): number {
  const i = order.indexOf(f);
  return i < 0 ? order.length : i;
}

/** The generated fields of a summary (content plus change summary). */
export function summaryFields(summary: Summary): PublishableFields {
  return { ...summary.content, ...(summary.changeSummary !== undefined ? { changeSummary: summary.changeSummary } : {}) };
}

/** A field as editable text: a string as it is, a list one item per line, key facts one fact per line. */
export function fieldText(fields: PublishableFields, field: string): string {
  const v = (fields as unknown as Record<string, unknown>)[field];
  if (typeof v === 'string') return normalizeText(v);
  if (Array.isArray(v)) return normalizeText(v.map((x) => (typeof x === 'string' ? x : (x as KeyFact).fact)).join('\n'));
  return '';
}

function editOf(edits: ItemEdits, field: string): string | undefined {
  return field === 'summary' ? edits.editedSummary : edits.editedFields?.[field];
}

/** The fields an item publishes: the generated ones with the editor's edits applied. */
export function publishedFields(edits: ItemEdits, summary: Summary): PublishableFields {
  const base = summaryFields(summary);
  const out = { ...base } as unknown as Record<string, unknown>;
  for (const field of editableFields(summary)) {
    const text = editOf(edits, field);
    if (text === undefined) continue;
    const original = (base as unknown as Record<string, unknown>)[field];
    const lines = text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if (field === 'keyFacts') {
      const quotes = new Map(base.keyFacts.map((f) => [normalizeText(f.fact), f.quote]));
      out[field] = lines.map((fact): KeyFact => ({ fact, quote: quotes.get(fact) ?? '' }));
    } else if (Array.isArray(original) || field === 'deadlines' || field === 'contacts') out[field] = lines;
    else out[field] = text;
  }
  return out as unknown as PublishableFields;
}

/** Sentences of a Markdown text with their offsets. */
function sentenceSpans(texts: EvidenceTexts): Span[] {
  const out: Span[] = [];
  let from = 0;
  for (const s of splitSentences(texts.markdown)) {
    const at = texts.markdown.indexOf(s, from);
    if (at < 0) continue;
    out.push({ contentHash: texts.contentHash, start: at, end: at + s.length, quote: s });
    from = at + s.length;
  }
  return out;
}

const words = (s: string): Set<string> => new Set(s.toLowerCase().match(/[\p{L}\d]{4,}/gu) ?? []);

/** The (at most two) sentences of the page sharing the most content words with `sentence`; none share any → none. */
function bestSpans(sentence: string, all: Span[]): Span[] {
  const mine = words(sentence);
  return all
    .map((s, i) => ({ s, i, n: [...words(s.quote)].filter((w) => mine.has(w)).length }))
    .filter((x) => x.n > 0)
    .sort((a, b) => b.n - a.n || a.i - b.i)
    .slice(0, 2)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.s);
}

/**
 * The claims of what an item publishes, all verified now with the current verifier: unedited
 * fields keep the summary's spans (a quote that was missing stays `span-missing`), edited fields
 * are split and checked as described above. Summaries stored before claims get claims from their
 * stored text (`claimsFromStoredText`).
 */
export function itemClaims(edits: ItemEdits, summary: Summary, texts: EvidenceTexts): Claim[] {
  const stored = summary.claims ?? claimsFromStoredText(summaryFields(summary), texts);
  const edited = new Set(editableFields(summary).filter((f) => editOf(edits, f) !== undefined));
  let pageSentences: Span[] | undefined;
  const out: Claim[] = [];
  for (const c of stored) {
    if (edited.has(c.field)) continue;
    const again = verifyResolved(c.field, c.index, c.text, c.spans, [], texts);
    // A quote the stored text lacked stays a finding: re-verifying the spans that did resolve must not hide it.
    const lost = c.findings.find((f) => f.code === 'span-missing');
    out.push(
      lost ? { ...again, verdict: 'unsupported', findings: [lost, ...again.findings.filter((f) => f.code !== 'span-missing')] } : again,
    );
  }
  const fields = publishedFields(edits, summary);
  for (const field of edited) {
    const old = stored.filter((c) => c.field === field).flatMap((c) => c.spans);
    const spans = dedupe(old);
    let index = 0;
    for (const ft of publishableTexts(fields).filter((t) => t.field === field)) {
      for (const sentence of splitSentences(normalizeText(ft.text))) {
        // A sentence the editor copied from the page cites exactly that; any other is checked against
        // the spans it replaces and the (at most two) page sentences sharing the most words with it.
        const verbatim = resolveQuote(texts.markdown, sentence, texts.contentHash);
        const evidence = verbatim ? [verbatim] : dedupe([...spans, ...bestSpans(sentence, (pageSentences ??= sentenceSpans(texts)))]);
        out.push(verifyResolved(field, index++, sentence, evidence, [], texts));
      }
    }
  }
  const order = editableFields(summary);
  return out.sort(
    (a, b) => rank(a.field, order) - rank(b.field, order) || (a.field < b.field ? -1 : a.field > b.field ? 1 : a.index - b.index),
  );
}

/** Compact JSON with object keys sorted, for hashing. */
function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function dedupe(spans: Span[]): Span[] {
  const seen = new Set<string>();
  return spans.filter((s) => {
    const k = `${s.contentHash}:${s.start}:${s.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Unsupported claims that no override covers (same ref and the same text). */
export function uncovered(claims: readonly Claim[], overrides: readonly Pick<ClaimOverride, 'ref' | 'textSha256'>[]): Claim[] {
  return claims.filter(
    (c) => c.verdict === 'unsupported' && !overrides.some((o) => o.ref === claimRef(c) && o.textSha256 === claimTextHash(c.text)),
  );
}

/** The hashes an approval records: of the normalised published text and of the verification report. */
export function approvalRecord(fields: PublishableFields, claims: readonly Claim[]): ApprovalRecord {
  const text = Object.fromEntries(publishableTexts(fields).map((t, i) => [`${t.field}.${i}`, normalizeText(t.text)]));
  const report = claims.map((c) => ({
    ref: claimRef(c),
    verdict: c.verdict,
    findings: c.findings.map((f) => f.code),
    spans: c.spans.map((s) => [s.contentHash, s.start, s.end]),
  }));
  return { textSha256: sha256(stableJson(text)), reportSha256: sha256(stableJson(report)), verifierVersion: VERIFIER_VERSION };
}
