/**
 * Topic decisions in the review log: the same append-only trail as page decisions (who, when,
 * what, override reasons), so `eti review log` and the review page's log show both. Pure.
 */
import type { ReviewLogEntry } from '../../store/records.js';
import { approvalRecord } from '../verify/index.js';
import { publishedTopicClaims, publishedTopicFields } from './review.js';
import type { TopicCompilation } from './types.js';

/** The log's `url` of a topic page (a topic has no page of its own on a site): `topic:<id>`. */
export function topicLogUrl(topicId: string): string {
  return `topic:${topicId}`;
}

/**
 * The log entries of one editor's action on a compilation, `before` → `after`: `edited` when the
 * edited fields changed, then `approved` or `rejected` when it was decided. `contentHash` is the
 * hash of the text as it stood (`approvalRecord`'s `textSha256`, so an approval's entry names
 * exactly what was approved); overrides are in the note as `override REF: reason`, as for pages.
 */
export function topicLogEntries(before: TopicCompilation, after: TopicCompilation, actor: { by: string; at: string }): ReviewLogEntry[] {
  const entry = (action: ReviewLogEntry['action'], note: string): ReviewLogEntry => ({
    at: actor.at,
    by: actor.by,
    action,
    itemId: after.id,
    url: topicLogUrl(after.topicId),
    contentHash: approvalRecord(publishedTopicFields(after), publishedTopicClaims(after)).textSha256,
    provider: after.provider,
    model: after.model,
    promptHash: after.promptHash,
    topicId: after.topicId,
    audience: after.audience,
    ...(note ? { note } : {}),
  });
  const out: ReviewLogEntry[] = [];
  const edits = Object.keys(after.editedFields ?? {}).filter((f) => after.editedFields?.[f] !== before.editedFields?.[f]);
  if (edits.length > 0) {
    // Worded as a page edit's entry is (review/actions.ts), so the log reads the same for both.
    const bad = publishedTopicClaims(after)
      .filter((c) => c.verdict === 'unsupported')
      .map((c) => `${c.field}.${c.index}`);
    const checked = bad.length > 0 ? `unsupported: ${bad.join(', ')}` : 'every claim supported';
    out.push(entry('edited', `fields: ${edits.sort().join(', ')}; ${checked}`));
  }
  if (before.status === 'pending' && (after.status === 'approved' || after.status === 'rejected')) {
    const marks = (after.overrides ?? []).map((o) => `override ${o.ref}: ${o.reason}`);
    out.push(entry(after.status, [after.note, ...marks].filter(Boolean).join('; ')));
  }
  return out;
}
