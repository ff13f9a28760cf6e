/**
 * The feed of topic pages (`feeds/temaer.json` and `.xml`, listed in `feeds/index.json`): one
 * entry per approved version of a topic page, newest first, so a reader sees a new entry each time
 * a topic is compiled again and approved. Entries link to the topic's first member page (a feed
 * entry needs one address) and name every source in their text. Pure.
 */
import type { ChangeEntry } from './changes.js';
import { uuidUrn } from './changes.js';
import type { BundleTopic } from '../publish/index.js';

/** The name of the topic feed under `feeds/`. */
export const TOPIC_FEED = 'temaer';

/** The topic feed of a bundle's topics (empty entries when there are none). */
export function topicFeed(topics: readonly BundleTopic[], bundleId: string): { name: string; title: string; entries: ChangeEntry[] } {
  const entries = topics.map(
    (t): ChangeEntry => ({
      id: uuidUrn(`topic\n${t.slug}\n${t.compilationId}\n${t.approvedAt}`),
      kind: 'added',
      at: t.approvedAt,
      bundleId,
      url: t.members[0]?.url ?? '',
      slug: t.slug,
      title: `temaside om ${t.title}`,
      sourceId: t.members.map((m) => m.sourceId).join('+'),
      sourceName: [...new Set(t.members.map((m) => m.sourceName))].join(', '),
      owner: [...new Set(t.members.map((m) => m.owner))].join(', '),
      tags: [`tema:${t.id}`],
      audience: t.audience,
      licence: 'se kildesidene',
      credit: `Satt sammen fra ${t.members.map((m) => `${m.title} (${m.owner})`).join('; ')}.`,
      contentHash: t.compilationId,
      isMajor: true,
      note: `Temasiden «${t.title}» er satt sammen fra ${t.members.length} godkjente kildesider og godkjent.`,
      summary: t.summary,
    }),
  );
  entries.sort((a, b) => (a.at > b.at ? -1 : a.at < b.at ? 1 : a.slug < b.slug ? -1 : 1));
  return { name: TOPIC_FEED, title: 'Temasider – satt sammen fra flere kilder', entries };
}
