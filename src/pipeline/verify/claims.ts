/**
 * Claims with evidence: every sentence of every publishable field of a summary becomes a `Claim`
 * that carries the spans of stored Markdown it rests on, checked by `verifyClaim` against those
 * spans only. This file splits fields into claims, resolves quoted evidence to offsets in the
 * stored Markdown (exact, then with whitespace, quote marks, dashes, emphasis and link targets
 * folded) and verifies. Pure: the stored texts are passed in.
 */
import { splitSentences } from '../../llm/norwegian.js';
import { sha256 } from '../../hash.js';
import { VERIFIER_VERSION, verifyClaim } from './verifier.js';
import type { Claim, ClaimFinding, Span, SummaryContent } from '../types.js';

/** The evidence a model gives for one sentence: verbatim quotes, each from the new (default) or the old version. */
export interface ClaimEvidence {
  field: string;
  /** The sentence as the model wrote it (matched to the pipeline's own sentence split, folded). */
  text: string;
  quotes: { quote: string; version?: 'new' | 'old' }[];
}

/** The stored Markdown claims are resolved in: the version summarised and, for a change, its base. */
export interface EvidenceTexts {
  contentHash: string;
  markdown: string;
  base?: { contentHash: string; markdown: string };
  language?: 'nb' | 'nn';
}

/** Everything a summary publishes: its content and, for a change, the change summary. */
export type PublishableFields = SummaryContent & { changeSummary?: string };

/** The fields in the order claims and pages show them; fields added later follow, sorted by name. */
const FIELD_ORDER = ['summary', 'changeSummary', 'keyFacts', 'appliesTo', 'howToApply', 'deadlines', 'contacts'];

/** One publishable text of a field (a string field, one list item, one key fact) and the quotes it brings along. */
interface FieldText {
  field: string;
  text: string;
  /** A key fact's own quote: always part of its evidence. */
  ownQuote?: string;
}

/**
 * The publishable texts of a summary, field by field. Generic: any string or string-array field of
 * `SummaryContent` is publishable, so a field added later is split into claims without a change here.
 */
export function publishableTexts(fields: PublishableFields): FieldText[] {
  const record = fields as unknown as Record<string, unknown>;
  const names = Object.keys(record)
    .filter((k) => !FIELD_ORDER.includes(k))
    .sort();
  const out: FieldText[] = [];
  for (const field of [...FIELD_ORDER, ...names]) {
    const value = record[field];
    if (typeof value === 'string') out.push({ field, text: value });
    else if (Array.isArray(value)) {
      for (const v of value) {
        if (typeof v === 'string') out.push({ field, text: v });
        else if (v && typeof v === 'object' && 'fact' in v) {
          const f = v as { fact: string; quote?: string };
          out.push({ field, text: f.fact, ...(f.quote ? { ownQuote: f.quote } : {}) });
        }
      }
    }
  }
  return out;
}

/**
 * Text as stored and compared everywhere (CLI, review page, store): line ends as LF, no trailing
 * space on a line, at most one blank line in a row, no outer whitespace. Browsers send CRLF and a
 * stored text may end in a newline: both must compare equal to what the editor saw.
 */
export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A string with the original index of each of its characters. */
interface Folded {
  text: string;
  map: Int32Array;
}

const LINK = /!?\[([^\]\n]*)\]\(([^()\s]*(?:\([^()\s]*\))?[^()\s]*)(?:\s+"[^"\n]*")?\)/g;

/**
 * Fold text for finding a quote: Markdown link syntax down to the link text, emphasis stars and
 * backslash escapes dropped, typographic quotes and dashes unified, whitespace runs as one space.
 * Keeps, per folded character, its index in the original so a match maps back to exact offsets.
 */
function fold(s: string): Folded {
  const drop = new Uint8Array(s.length);
  for (const m of s.matchAll(LINK)) {
    const open = m[0].startsWith('!') ? 2 : 1;
    for (let i = m.index; i < m.index + open; i++) drop[i] = 1;
    for (let i = m.index + open + m[1]!.length; i < m.index + m[0].length; i++) drop[i] = 1;
  }
  const codes = new Uint16Array(s.length);
  const map = new Int32Array(s.length);
  let n = 0;
  let isSpace = false;
  for (let i = 0; i < s.length; i++) {
    if (drop[i]) continue;
    let c = s.charCodeAt(i);
    if (c === 42) continue; // *
    if (c === 92 && i + 1 < s.length && ESCAPABLE.has(s.charCodeAt(i + 1))) continue;
    if (isWhite(c)) {
      if (!isSpace && n > 0) {
        codes[n] = 32;
        map[n++] = i;
      }
      isSpace = true;
      continue;
    }
    isSpace = false;
    if (c === 0x201c || c === 0x201d || c === 0x201e || c === 0xab || c === 0xbb) c = 34;
    else if (c === 0x2018 || c === 0x2019 || c === 0x201a) c = 39;
    else if (c === 0x2013 || c === 0x2014 || c === 0x2212) c = 45;
    codes[n] = c;
    map[n++] = i;
  }
  if (n > 0 && codes[n - 1] === 32) n--;
  return { text: fromCodes(codes, n), map: map.slice(0, n) };
}

/** The first `n` UTF-16 code units of `codes` as a string (in chunks: no argument-count limit, any byte order). */
function fromCodes(codes: Uint16Array, n: number): string {
  let out = '';
  for (let i = 0; i < n; i += 8192) out += String.fromCharCode(...codes.subarray(i, Math.min(n, i + 8192)));
  return out;
}

const ESCAPABLE = new Set([...'\\`*_{}[]()#+-.!|<>'].map((ch) => ch.charCodeAt(0)));
const WHITE = /\s/;
function isWhite(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || (c > 127 && WHITE.test(String.fromCharCode(c))) || c === 11 || c === 12;
}

const foldedCache = new WeakMap<object, Folded>();

/**
 * Find `quote` in `markdown`: exactly first, then folded (see `fold`). The span's quote is the
 * stored text between its offsets, so it is what the model was shown; undefined when not found.
 */
export function resolveQuote(markdown: string, quote: string, contentHash: string, cache?: { folded?: Folded }): Span | undefined {
  const q = quote.trim();
  if (q === '') return undefined;
  const exact = markdown.indexOf(q);
  if (exact >= 0) return { contentHash, start: exact, end: exact + q.length, quote: q };
  const fq = fold(q).text;
  if (fq === '') return undefined;
  const source = cache?.folded ?? fold(markdown);
  if (cache) cache.folded = source;
  const at = source.text.indexOf(fq);
  if (at < 0) return undefined;
  const start = source.map[at]!;
  const end = source.map[at + fq.length - 1]! + 1;
  return { contentHash, start, end, quote: markdown.slice(start, end) };
}

function foldedOf(markdown: string, box: { markdown: string }): Folded {
  let f = foldedCache.get(box);
  if (!f) {
    f = fold(markdown);
    foldedCache.set(box, f);
  }
  return f;
}

/** The claims' sentences of one publishable text: lines and sentences (`splitSentences`). */
function sentencesOf(text: string): string[] {
  return splitSentences(normalizeText(text));
}

/** The finding for quotes the stored text does not contain: the claim is unsupported, never dropped. */
function spanMissing(quotes: string[]): ClaimFinding {
  return { code: 'span-missing', reason: `Sitatet ${quotes.map((q) => `«${q}»`).join(', ')} står ikke på siden.` };
}

/**
 * The header row of the Markdown table a span lies in, when the span is in a table row below it:
 * a row quoted alone («Sats 1 | 8 232 kroner | 686 kroner») says per year only through its header,
 * so the verifier reads the header with it. Undefined outside tables.
 */
export function tableHeaderOf(markdown: string, start: number): string | undefined {
  const lineStart = markdown.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = markdown.indexOf('\n', lineStart);
  const line = markdown.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  if (!line.includes('|')) return undefined;
  let headerStart = lineStart;
  while (headerStart > 0) {
    const prevStart = markdown.lastIndexOf('\n', headerStart - 2) + 1;
    const prev = markdown.slice(prevStart, headerStart - 1);
    if (!prev.includes('|')) break;
    headerStart = prevStart;
  }
  if (headerStart === lineStart) return undefined;
  const headerEnd = markdown.indexOf('\n', headerStart);
  return markdown.slice(headerStart, headerEnd < 0 ? undefined : headerEnd);
}

/** The nearest Markdown heading above `start` (`## Grunnstønad`), without its marks; undefined when none. */
export function sectionHeadingOf(markdown: string, start: number): string | undefined {
  let heading: string | undefined;
  for (const m of markdown.slice(0, start).matchAll(/(?:^|\n)#{1,6} ([^\n]*)/g)) heading = m[1]!.trim() || heading;
  return heading;
}

/**
 * What the verifier reads for one span: its quote under its section heading (a rate table under
 * «## Grunnstønad» is about grunnstønad), and a table row with its header row and whole, so that
 * each cell lines up with its column («Per år»).
 */
function spanText(span: Span, texts: EvidenceTexts | undefined): string {
  const markdown =
    texts?.base && span.contentHash === texts.base.contentHash
      ? texts.base.markdown
      : span.contentHash === texts?.contentHash
        ? texts.markdown
        : undefined;
  if (markdown === undefined) return span.quote;
  const heading = sectionHeadingOf(markdown, span.start);
  const lead = heading === undefined || span.quote.includes(heading) ? '' : `${heading}\n`;
  const header = tableHeaderOf(markdown, span.start);
  if (header === undefined || span.quote.includes(header)) return `${lead}${span.quote}`;
  const rowsStart = markdown.lastIndexOf('\n', span.start - 1) + 1;
  const rowsEnd = markdown.indexOf('\n', Math.max(span.start, span.end - 1));
  return `${lead}${header}\n${markdown.slice(rowsStart, rowsEnd < 0 ? undefined : rowsEnd)}`;
}

/**
 * Check one claim against its spans; quotes that did not resolve make it unsupported (`span-missing`).
 * `texts` (the stored Markdown the spans are offsets into) gives the language, each span's table
 * header, and for a change summary which spans are of the old version, so that the verifier checks
 * the direction of the change it describes.
 */
export function verifyResolved(field: string, index: number, text: string, spans: Span[], missing: string[], texts?: EvidenceTexts): Claim {
  const baseHash = texts?.base?.contentHash;
  const roles =
    field === 'changeSummary' && baseHash !== undefined
      ? spans.map((s): 'old' | 'new' => (s.contentHash === baseHash ? 'old' : 'new'))
      : undefined;
  const language = texts?.language;
  const check = verifyClaim(
    text,
    spans.map((s) => spanText(s, texts)),
    { ...(language ? { language } : {}), ...(roles ? { spanRoles: roles } : {}) },
  );
  const findings = missing.length > 0 ? [spanMissing(missing), ...check.findings.filter((f) => f.code !== 'span-missing')] : check.findings;
  const verdict = missing.length > 0 ? 'unsupported' : check.verdict;
  return { field, index, text, spans, verdict, findings };
}

function resolveAll(quotes: ClaimEvidence['quotes'], texts: EvidenceTexts): { spans: Span[]; missing: string[] } {
  const spans: Span[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const q of quotes) {
    const target = q.version === 'old' && texts.base ? texts.base : texts;
    const span = resolveQuote(target.markdown, q.quote, target.contentHash, { folded: foldedOf(target.markdown, target) });
    if (!span) {
      if (q.quote.trim()) missing.push(q.quote.trim());
      continue;
    }
    const key = `${span.contentHash}:${span.start}:${span.end}`;
    if (!seen.has(key)) spans.push(span);
    seen.add(key);
  }
  return { spans, missing };
}

/**
 * The claims of a summary: each sentence of each publishable field, with the quotes the model gave
 * for it (evidence entries of the same field whose text contains the sentence or is contained in
 * it, folded) resolved in the stored Markdown, and verified. A key fact always cites its own quote.
 * A sentence without evidence has no spans and is unsupported (`span-missing`). Pure, deterministic.
 */
export function buildClaims(fields: PublishableFields, evidence: readonly ClaimEvidence[], texts: EvidenceTexts): Claim[] {
  const claims: Claim[] = [];
  const counters = new Map<string, number>();
  const byField = new Map<string, { folded: string; e: ClaimEvidence }[]>();
  for (const e of evidence) byField.set(e.field, [...(byField.get(e.field) ?? []), { folded: fold(e.text).text, e }]);
  for (const ft of publishableTexts(fields)) {
    for (const sentence of sentencesOf(ft.text)) {
      const index = counters.get(ft.field) ?? 0;
      counters.set(ft.field, index + 1);
      const fs = fold(sentence).text;
      const quotes: ClaimEvidence['quotes'] = ft.ownQuote ? [{ quote: ft.ownQuote }] : [];
      for (const { folded, e } of byField.get(ft.field) ?? []) {
        if (folded && (folded.includes(fs) || fs.includes(folded))) quotes.push(...e.quotes);
      }
      const { spans, missing } = resolveAll(quotes, texts);
      const claim = verifyResolved(ft.field, index, sentence, spans, missing, texts);
      claims.push(quotes.length === 0 ? { ...claim, verdict: 'unsupported', findings: withSpanMissing(claim.findings) } : claim);
    }
  }
  return claims;
}

function withSpanMissing(findings: ClaimFinding[]): ClaimFinding[] {
  return findings.some((f) => f.code === 'span-missing')
    ? findings
    : [{ code: 'span-missing', reason: 'Påstanden viser ikke til noe sted i kilden.' }, ...findings];
}

/**
 * Claims for a summary stored before claims existed (no quotes from the model): each sentence is
 * its own quote, found in the stored text where it stands there (a key fact also cites its quote),
 * else the claim is unsupported (`span-missing`).
 */
export function claimsFromStoredText(fields: PublishableFields, texts: EvidenceTexts): Claim[] {
  const evidence: ClaimEvidence[] = [];
  for (const ft of publishableTexts(fields)) {
    for (const sentence of sentencesOf(ft.text)) {
      const quotes: ClaimEvidence['quotes'] = [];
      if (resolveQuote(texts.markdown, sentence, texts.contentHash, { folded: foldedOf(texts.markdown, texts) }))
        quotes.push({ quote: sentence });
      else if (ft.field === 'changeSummary' && texts.base && resolveQuote(texts.base.markdown, sentence, texts.base.contentHash))
        quotes.push({ quote: sentence, version: 'old' });
      if (quotes.length > 0) evidence.push({ field: ft.field, text: sentence, quotes });
    }
  }
  return buildClaims(fields, evidence, texts);
}

/** A claim's reference on the command line and in overrides: `field.index` (`summary.0`, `keyFacts.2`). */
export function claimRef(claim: Pick<Claim, 'field' | 'index'>): string {
  return `${claim.field}.${claim.index}`;
}

/** sha256 of a claim's normalised text: what an override is bound to (an edit of the text voids it). */
export function claimTextHash(text: string): string {
  return sha256(normalizeText(text));
}

/** Whether every claim is supported (a claim nobody can check, `not-checkable`, does not block). */
export function isAllSupported(claims: readonly Claim[]): boolean {
  return claims.every((c) => c.verdict !== 'unsupported');
}

export { VERIFIER_VERSION };
