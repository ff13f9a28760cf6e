import { z } from 'zod';
import { regexString } from './regex.js';

/**
 * `topics:` in sources.yaml: a topic (avlastning, pleiepenger …) compiled from the approved texts of
 * several member pages into one plain-Norwegian page per audience. Members are chosen by source tag,
 * source id or URL pattern; a page is a member when any of them matches.
 */

const audience = z.enum(['parents', 'youth', 'professionals']);

const pattern = regexString;

export const topicSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes')
      .max(80)
      .describe('Stable slug of the topic: used in the store, review and bundles. Never rename it.'),
    title: z.string().min(1).describe('The topic page\'s title in Norwegian ("Avlastning").'),
    audiences: z
      .array(audience)
      .min(1)
      .default(['parents'])
      .describe('Who the topic page is written for; one page (and one review item) per audience.'),
    members: z
      .strictObject({
        tags: z.array(z.string().min(1)).default([]).describe('Pages of every source with one of these tags.'),
        sources: z.array(z.string().min(1)).default([]).describe('Every page of these sources (by id).'),
        urls: z
          .array(pattern)
          .default([])
          .describe('Regexes on the whole normalised URL of a stored page (any source); each must match a page once crawled.'),
      })
      .describe('Which pages the topic is compiled from; at least one of tags, sources or urls.'),
  })
  .describe('A topic compiled from the approved texts of several pages.');

export type TopicConfig = z.infer<typeof topicSchema>;

export const topicsSchema = z.array(topicSchema).default([]).describe('Topic pages compiled from several sources (see README "Topics").');

/**
 * Rules about topics that need the whole file: unique ids, at least one member rule, known sources
 * and tags, and URL patterns that can match a page some source may crawl (its start URLs or include
 * patterns' literal prefixes are in the same origin). Issues carry their path, so load.ts gives them a line.
 */
export function checkTopics(
  cfg: { topics: TopicConfig[]; sources: { id: string; tags: string[]; start_urls: string[] }[] },
  ctx: z.RefinementCtx,
): void {
  const ids = new Set(cfg.sources.map((s) => s.id));
  const tags = new Set(cfg.sources.flatMap((s) => s.tags));
  const origins = new Set(cfg.sources.flatMap((s) => s.start_urls.map((u) => new URL(u).origin)));
  const seen = new Map<string, number>();
  cfg.topics.forEach((t, i) => {
    const first = seen.get(t.id);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['topics', i, 'id'], message: `duplicate topic id "${t.id}" (also topics[${first}])` });
    } else seen.set(t.id, i);
    const m = t.members;
    if (m.tags.length + m.sources.length + m.urls.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['topics', i, 'members'], message: 'empty topic: give at least one of tags, sources or urls' });
    }
    m.sources.forEach((s, j) => {
      if (!ids.has(s)) ctx.addIssue({ code: 'custom', path: ['topics', i, 'members', 'sources', j], message: `unknown source "${s}"` });
    });
    m.tags.forEach((tag, j) => {
      if (!tags.has(tag)) {
        ctx.addIssue({ code: 'custom', path: ['topics', i, 'members', 'tags', j], message: `no source has the tag "${tag}"` });
      }
    });
    m.urls.forEach((u, j) => {
      if (!couldMatchCrawled(u, origins)) {
        ctx.addIssue({
          code: 'custom',
          path: ['topics', i, 'members', 'urls', j],
          message: `the pattern "${u}" names no origin any source crawls (${[...origins].sort().join(', ')})`,
        });
      }
    });
  });
}

/**
 * Whether a URL pattern can match a page of the crawled origins: checkable when the pattern starts
 * with a literal origin (`^https://www.nav.no/…`); a pattern without one (`/pleiepenger`) is
 * checked only once pages are stored (a topic whose patterns match nothing is skipped with a reason).
 */
function couldMatchCrawled(pattern: string, origins: Set<string>): boolean {
  const literal = /^\^?(https?):(?:\\\/|\/)(?:\\\/|\/)((?:[a-z0-9-]|\\\.|\.|:)+)/i.exec(pattern);
  if (!literal) return true;
  const origin = `${literal[1]!.toLowerCase()}://${literal[2]!.replace(/\\\./g, '.').toLowerCase()}`;
  return origins.has(origin);
}
