/**
 * Deciding on a compiled topic page, with the same rules as a page summary: only a pending
 * compilation can be decided or edited; an edit is verified again against the members' approved
 * text; an unsupported claim needs an override naming it (`field.index`) with a reason; the approval
 * records the hashes of the text and of its verification report. What is published per topic and
 * audience is its latest approved compilation. Pure.
 */
import { claimTextHash as claimTextHashOf, normalizeText, publishableTexts, type PublishableFields } from '../verify/index.js';
import { approvalRecord, uncovered } from '../verify/index.js';
import { RefusedError } from '../review/index.js';
import type { Claim, ClaimOverride, KeyFact, SummaryContent } from '../types.js';
import { editedTopicClaims } from './claims.js';
import type { TopicCompilation, TopicFile, TopicMember } from './types.js';

/** The fields an editor can edit on a topic page. */
export const TOPIC_FIELDS = ['summary', 'keyFacts', 'appliesTo', 'howToApply', 'deadlines', 'contacts'] as const;

/** A compilation's published fields: the generated ones with the editor's edits applied. */
export function publishedTopicFields(comp: Pick<TopicCompilation, 'content' | 'editedFields'>): SummaryContent {
  const out: SummaryContent = { ...comp.content };
  for (const [field, text] of Object.entries(comp.editedFields ?? {})) {
    const lines = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    if (field === 'keyFacts') out.keyFacts = lines.map((fact): KeyFact => ({ fact, quote: '' }));
    else if (field === 'deadlines' || field === 'contacts') out[field] = lines;
    else if (field === 'summary' || field === 'appliesTo' || field === 'howToApply') out[field] = normalizeText(text);
  }
  return out;
}

/** The claims a compilation publishes: of the edited text when edited, else the generated ones. */
export function publishedTopicClaims(comp: Pick<TopicCompilation, 'claims' | 'editedClaims'>): Claim[] {
  return comp.editedClaims ?? comp.claims;
}

/** All publishable text of a topic page as one string (for the diff against the last approved compilation). */
export function topicText(fields: PublishableFields): string {
  return publishableTexts(fields)
    .map((t) => normalizeText(t.text))
    .filter((t) => t !== '')
    .join('\n');
}

function refuseUnlessPending(comp: TopicCompilation, verb: 'decided' | 'edited'): void {
  if (comp.status === 'pending') return;
  throw new RefusedError(
    {
      kind: 'not-pending',
      status: comp.status,
      ...(comp.decidedBy ? { by: comp.decidedBy } : {}),
      ...(comp.decidedAt ? { at: comp.decidedAt } : {}),
    },
    `topic ${comp.topicId} (${comp.audience}) compilation ${comp.id.slice(0, 10)} is ${comp.status}; only pending compilations can be ${verb}`,
    comp.status === 'superseded'
      ? 'A member changed and the topic was compiled again: decide the newer compilation (eti topics list).'
      : undefined,
  );
}

/**
 * Replace one field's text; the edited page's claims are verified again against the members.
 * Unknown fields are a usage error naming the allowed ones.
 */
export function editTopic(comp: TopicCompilation, field: string, text: string, members: readonly TopicMember[]): TopicCompilation {
  refuseUnlessPending(comp, 'edited');
  if (!(TOPIC_FIELDS as readonly string[]).includes(field)) {
    throw new RefusedError({ kind: 'edit-conflict' }, `topic field "${field}": expected one of ${TOPIC_FIELDS.join(', ')}`);
  }
  const editedFields = { ...comp.editedFields, [field]: normalizeText(text) };
  const fields = publishedTopicFields({ content: comp.content, editedFields });
  return { ...comp, editedFields, editedClaims: editedTopicClaims(fields, members, comp.claims) };
}

export interface TopicDecision {
  status: 'approved' | 'rejected';
  by: string;
  at: string;
  note?: string;
  /** Reasons by claim ref (`summary.0`) for unsupported claims published anyway. */
  overrides?: Record<string, string>;
}

/**
 * Approve or reject a pending compilation. Approval is refused while an unsupported claim has no
 * override with a reason (exit 2, the refs named); the approval records what exactly was approved.
 */
export function decideTopic(comp: TopicCompilation, d: TopicDecision): TopicCompilation {
  refuseUnlessPending(comp, 'decided');
  const base = { ...comp, status: d.status, decidedBy: d.by, decidedAt: d.at, ...(d.note ? { note: d.note } : {}) };
  if (d.status === 'rejected') return base;
  const claims = publishedTopicClaims(comp);
  const overrides: ClaimOverride[] = [];
  for (const [ref, reason] of Object.entries(d.overrides ?? {})) {
    const claim = claims.find((c) => `${c.field}.${c.index}` === ref && c.verdict === 'unsupported');
    if (!claim) throw new RefusedError({ kind: 'edit-conflict' }, `--override ${ref}: no unsupported claim ${ref} on this topic page`);
    if (reason.trim() === '') throw new RefusedError({ kind: 'no-reason' }, `--override ${ref}: a reason is required`);
    overrides.push({ ref, textSha256: claimTextHashOf(claim.text), reason: reason.trim(), by: d.by, at: d.at });
  }
  const open = uncovered(claims, overrides);
  if (open.length > 0) {
    const refs = open.map((c) => `${c.field}.${c.index}`);
    throw new RefusedError(
      { kind: 'ungrounded', spans: open.map((c) => c.text), refs },
      `topic ${comp.topicId} (${comp.audience}): ${open.length} claim${open.length === 1 ? ' is' : 's are'} not supported by the member pages (${refs.join(', ')})`,
      `Edit the text (eti topics edit), or approve with --override ${refs[0]}="reason" for each.`,
    );
  }
  const fields = publishedTopicFields(comp);
  return { ...base, ...(overrides.length > 0 ? { overrides } : {}), approval: approvalRecord(fields, claims) };
}

/** What is published: per topic and audience its latest approved compilation (sorted by topic, then audience). */
export function publishedTopics(files: readonly TopicFile[]): TopicCompilation[] {
  const out: TopicCompilation[] = [];
  for (const f of files) {
    const latest = new Map<string, TopicCompilation>();
    for (const c of f.compilations) {
      if (c.status !== 'approved') continue;
      const prev = latest.get(c.audience);
      if (!prev || (c.decidedAt ?? '') > (prev.decidedAt ?? '') || ((c.decidedAt ?? '') === (prev.decidedAt ?? '') && c.id > prev.id))
        latest.set(c.audience, c);
    }
    out.push(...[...latest.values()].sort((a, b) => (a.audience < b.audience ? -1 : a.audience > b.audience ? 1 : 0)));
  }
  return out.sort((a, b) => (a.topicId < b.topicId ? -1 : a.topicId > b.topicId ? 1 : 0));
}

/**
 * Whether an approved compilation is stale: a member's approved content differs from the one it
 * was compiled from, or the member set changed. Undefined when current; else the reason.
 */
export function staleReason(comp: TopicCompilation, members: readonly TopicMember[]): string | undefined {
  const now = new Map(members.map((m) => [m.url, m.contentHash]));
  const changed = comp.members.filter((m) => now.get(m.url) !== m.contentHash).map((m) => m.url);
  const added = members.filter((m) => !comp.members.some((x) => x.url === m.url)).map((m) => m.url);
  if (changed.length === 0 && added.length === 0) return undefined;
  return [changed.length > 0 ? `changed or gone: ${changed.join(', ')}` : '', added.length > 0 ? `new members: ${added.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
}
