/**
 * A topic page's claims: every sentence of every publishable field, with the quotes the model gave
 * for it resolved in the approved Markdown of whichever member page contains them (content hash +
 * offsets + quote), and verified by the same verifier as page summaries (`verifyResolved`). A
 * sentence without evidence, or whose quotes stand on no member page, is unsupported. Pure.
 */
import { splitSentences } from '../../llm/norwegian.js';
import type { ClaimEvidence, PublishableFields } from '../verify/index.js';
import { normalizeText, publishableTexts, resolveQuote, verifyResolved } from '../verify/index.js';
import type { Claim, Span } from '../types.js';
import type { BrokenClaim, TopicMember, TopicMemberRef } from './types.js';

/** Loose form for matching a model's evidence text to the pipeline's own sentences. */
function loose(s: string): string {
  return s
    .toLowerCase()
    .replace(/[\u201c\u201d\u201e\u00ab\u00bb"'*]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Resolve one quote in the first member whose approved Markdown contains it (members in URL order). */
export function resolveInMembers(quote: string, members: readonly Pick<TopicMember, 'markdown' | 'contentHash'>[]): Span | undefined {
  for (const m of members) {
    const span = resolveQuote(m.markdown, quote, m.contentHash);
    if (span) return span;
  }
  return undefined;
}

/** Verify one sentence against quotes resolved across the members. */
function claimOf(field: string, index: number, sentence: string, quotes: string[], members: readonly TopicMember[]): Claim {
  const spans: Span[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const q of quotes) {
    const span = resolveInMembers(q, members);
    if (!span) {
      if (q.trim()) missing.push(q.trim());
      continue;
    }
    const key = `${span.contentHash}:${span.start}:${span.end}`;
    if (!seen.has(key)) spans.push(span);
    seen.add(key);
  }
  const home = members.find((m) => m.contentHash === spans[0]?.contentHash);
  const texts = home ? { contentHash: home.contentHash, markdown: home.markdown, language: 'nb' as const } : undefined;
  const claim = verifyResolved(field, index, sentence, spans, missing, texts);
  if (quotes.length > 0) return claim;
  const findings = claim.findings.some((f) => f.code === 'span-missing')
    ? claim.findings
    : [{ code: 'span-missing', reason: 'Påstanden viser ikke til noe sted i kildene.' }, ...claim.findings];
  return { ...claim, verdict: 'unsupported', findings };
}

/**
 * The claims of a topic page: the model's evidence entries of the same field whose text contains
 * the sentence or is contained in it give its quotes; a key fact always cites its own quote.
 */
export function topicClaims(fields: PublishableFields, evidence: readonly ClaimEvidence[], members: readonly TopicMember[]): Claim[] {
  const claims: Claim[] = [];
  const counters = new Map<string, number>();
  for (const ft of publishableTexts(fields)) {
    for (const sentence of splitSentences(normalizeText(ft.text))) {
      const index = counters.get(ft.field) ?? 0;
      counters.set(ft.field, index + 1);
      const ls = loose(sentence);
      const quotes = ft.ownQuote ? [ft.ownQuote] : [];
      for (const e of evidence) {
        const le = loose(e.text);
        if (e.field === ft.field && le && (le.includes(ls) || ls.includes(le))) quotes.push(...e.quotes.map((q) => q.quote));
      }
      claims.push(claimOf(ft.field, index, sentence, quotes, members));
    }
  }
  return claims;
}

/**
 * Claims of an editor's text, verified again: a sentence the generated page had (same field, same
 * text) keeps the quotes it had; any other sentence is its own quote, found on a member page where
 * it stands there, else it is unsupported.
 */
export function editedTopicClaims(fields: PublishableFields, members: readonly TopicMember[], previous: readonly Claim[] = []): Claim[] {
  const evidence: ClaimEvidence[] = [];
  for (const ft of publishableTexts(fields)) {
    for (const sentence of splitSentences(normalizeText(ft.text))) {
      const before = previous.find((c) => c.field === ft.field && loose(c.text) === loose(sentence) && c.spans.length > 0);
      if (before) evidence.push({ field: ft.field, text: sentence, quotes: before.spans.map((s) => ({ quote: s.quote })) });
      else if (resolveInMembers(sentence, members)) evidence.push({ field: ft.field, text: sentence, quotes: [{ quote: sentence }] });
    }
  }
  return topicClaims(fields, evidence, members);
}

/**
 * Claims of an earlier (approved) compilation whose spans no longer stand in the members' approved
 * text: a member that left the topic, or a quote gone from the member's new approved version.
 * These are what the editor sees first on the new compilation.
 */
export function brokenClaims(
  claims: readonly Claim[],
  previousMembers: readonly TopicMemberRef[],
  members: readonly TopicMember[],
): BrokenClaim[] {
  const urlOf = new Map(previousMembers.map((m) => [m.contentHash, m.url]));
  const now = new Map(members.map((m) => [m.url, m]));
  const out: BrokenClaim[] = [];
  for (const c of claims) {
    for (const span of c.spans) {
      const url = urlOf.get(span.contentHash) ?? '';
      const member = now.get(url);
      const reason = !member
        ? 'Siden er ikke lenger med i temaet.'
        : member.contentHash !== span.contentHash && !resolveQuote(member.markdown, span.quote, member.contentHash)
          ? 'Sitatet står ikke lenger i den godkjente teksten på siden.'
          : undefined;
      if (reason) {
        out.push({ ref: `${c.field}.${c.index}`, text: c.text, url, quote: span.quote, reason });
        break;
      }
    }
  }
  return out;
}
