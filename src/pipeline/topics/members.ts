/**
 * Which pages a topic is compiled from, and their approved text. A page is a member when its
 * source has one of the topic's tags, is one of its sources, or its URL matches one of its
 * patterns; only the content version of a page's latest approval is ever used, never pending text.
 */
import type { ResolvedSource } from '../../config/schema.js';
import type { TopicConfig } from '../../config/topics.js';
import type { Store } from '../../store/store.js';
import { publishedItems } from '../review/index.js';
import type { TopicMember } from './types.js';

/** A stored page that could be a member (approved or not). */
export interface CandidatePage {
  url: string;
  sourceId: string;
}

/** Whether a page belongs to a topic by its rules. */
export function isMember(topic: TopicConfig, page: CandidatePage, tagsOf: (sourceId: string) => readonly string[]): boolean {
  const m = topic.members;
  if (m.sources.includes(page.sourceId)) return true;
  if (tagsOf(page.sourceId).some((t) => m.tags.includes(t))) return true;
  return m.urls.some((u) => new RegExp(u).test(page.url));
}

/** The members of a topic, or why there are none to compile from. */
export type MemberSelection = { ok: true; members: TopicMember[] } | { ok: false; reason: string };

/**
 * Select a topic's approved members (sorted by URL, so the cache key and prompt are stable).
 * No stored page matching is a reason naming the rules that matched nothing; pages that match but
 * none approved is a reason too: a topic is never compiled from pending text.
 */
export function selectMembers(
  topic: TopicConfig,
  candidates: readonly CandidatePage[],
  approved: ReadonlyMap<string, TopicMember>,
  sources: readonly ResolvedSource[],
): MemberSelection {
  const tags = new Map(sources.map((s) => [s.id, s.tags]));
  const tagsOf = (id: string): readonly string[] => tags.get(id) ?? [];
  const matching = candidates.filter((p) => tags.has(p.sourceId) && isMember(topic, p, tagsOf));
  if (matching.length === 0) {
    const deadPatterns = topic.members.urls.filter((u) => !candidates.some((p) => new RegExp(u).test(p.url)));
    const which = deadPatterns.length > 0 ? ` (urls ${deadPatterns.map((u) => `"${u}"`).join(', ')} match nothing)` : '';
    return { ok: false, reason: `no stored page matches its members${which}; crawl first` };
  }
  const members = matching
    .map((p) => approved.get(p.url))
    .filter((m): m is TopicMember => m !== undefined)
    .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  if (members.length === 0) {
    return {
      ok: false,
      reason: `none of its ${matching.length} member page${matching.length === 1 ? ' is' : 's is'} approved; a topic is compiled from approved text only`,
    };
  }
  return { ok: true, members };
}

/**
 * Every stored page (not removed, not a duplicate) as a candidate, and the approved text of each
 * approved page some topic's rules match (only those blobs are read: a store of 50,000 pages pays
 * for the members, not for every page).
 */
export async function loadMemberPages(
  store: Store,
  sources: readonly ResolvedSource[],
  topics: readonly TopicConfig[],
): Promise<{ candidates: CandidatePage[]; approved: Map<string, TopicMember> }> {
  const byId = new Map(sources.map((s) => [s.id, s]));
  const candidates: CandidatePage[] = [];
  for (const shard of await store.allShards()) {
    for (const p of Object.values(shard.pages)) {
      if (!p.removedAt && !p.duplicateOf && p.versions.length > 0) candidates.push({ url: p.url, sourceId: p.sourceId });
    }
  }
  const approved = new Map<string, TopicMember>();
  const tagsOf = (id: string): readonly string[] => byId.get(id)?.tags ?? [];
  for (const item of publishedItems(await store.reviews())) {
    if (!topics.some((t) => isMember(t, item, tagsOf))) continue;
    const source = byId.get(item.sourceId);
    const page = source ? await store.page(item.sourceId, item.url) : undefined;
    const version = page?.versions.find((v) => v.contentHash === item.contentHash);
    if (!source || !version || page?.removedAt) continue;
    const markdown = (await store.blobs.get(version.markdownHash)) ?? '';
    const text = (await store.blobs.get(version.contentHash)) ?? '';
    approved.set(item.url, {
      url: item.url,
      sourceId: source.id,
      sourceName: source.name,
      owner: source.owner,
      contentHash: item.contentHash,
      title: version.title,
      markdown,
      text,
    });
  }
  return { candidates: candidates.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0)), approved };
}
