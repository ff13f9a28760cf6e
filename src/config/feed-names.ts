import { toSlug } from '../slugs.js';

/** What a feed holds: every change, major changes only (with additions and withdrawals), or withdrawals. */
export const FEED_VARIANTS = ['all', 'major', 'withdrawn'] as const;
export type FeedVariant = (typeof FEED_VARIANTS)[number];

/** What a page brings to the feeds it belongs to. */
export interface FeedMember {
  /** Source id. */
  id: string;
  owner: string;
  tags: readonly string[];
  audience: string;
}

/**
 * The scopes a page is in: the whole bundle (`""`), its source, owner, each tag and its audience,
 * as folder paths under `feeds/` (`source/nav`, `owner/helsedirektoratet`, `tag/local-fjordvik`).
 */
export function scopesOf(m: FeedMember): string[] {
  const scopes = ['', `source/${m.id}`, `owner/${toSlug(m.owner) || 'ukjent'}`, `audience/${m.audience}`];
  for (const t of m.tags) scopes.push(`tag/${toSlug(t) || 'ukjent'}`);
  return [...new Set(scopes)];
}

/** A feed's name (its path under `feeds/` without extension): `all`, `major`, `source/nav/withdrawn`. */
export function feedName(scope: string, variant: FeedVariant): string {
  return scope ? `${scope}/${variant}` : variant;
}

/** Every feed name the bundle can write for these sources (what `publish.webhooks[].feed` may name). */
export function knownFeedNames(members: readonly FeedMember[]): Set<string> {
  const names = new Set<string>(FEED_VARIANTS);
  for (const m of members) for (const scope of scopesOf(m)) for (const v of FEED_VARIANTS) names.add(feedName(scope, v));
  return names;
}
