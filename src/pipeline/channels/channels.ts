/**
 * Channels for those who present eti's content elsewhere: `changes.json`, `history.json`, the
 * feeds and `index.json`, all derived from a bundle and the previous one. Pure and deterministic.
 */
import type { Bundle, BundlePage } from '../publish/index.js';
import { stableJson } from '../../stable-json.js';
import { computeChanges, nextHistory, SCHEMA_BASE, type ChangeEntry } from './changes.js';
import { topicFeed } from './topic-feed.js';
import { buildFeeds, feedFiles, memberScopesOf } from './feeds.js';

/**
 * The channel files of a bundle, by path: `changes.json` (since `previous`), `history.json`
 * (this bundle's changes before `previousHistory`, the previous bundle's history) and
 * `feeds/**` rendered from that history.
 */
export function channelFiles(bundle: Bundle, previous: Bundle | undefined, previousHistory: readonly ChangeEntry[]): Map<string, string> {
  const changes = computeChanges(bundle, previous);
  const history = nextHistory(changes, previousHistory);
  const files = new Map<string, string>([
    ['changes.json', stableJson(changes)],
    ['history.json', stableJson(history)],
  ]);
  const feeds = buildFeeds(history.entries, memberScopesOf(bundle.pages));
  // Topic pages have a feed of their own when the bundle has any (a bundle without keeps its files).
  if (bundle.topics && bundle.topics.length > 0) feeds.push(topicFeed(bundle.topics, bundle.id));
  for (const [rel, content] of feedFiles(feeds, bundle.createdAt)) files.set(rel, content);
  return files;
}

/**
 * A page's description for front matter, index.json and the site: its summary's first sentence,
 * at most ~160 characters, markup-like text (`<…>`, `<`, `>`) dropped: templates of other sites
 * may print it unescaped into a meta tag.
 */
export function describePage(p: Pick<BundlePage, 'summary'>): string {
  const text = p.summary
    .replace(/<[^>]*>/g, ' ')
    .replace(/[<>]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const first = /^(.+?[.!?])(\s|$)/.exec(text)?.[1] ?? text;
  if (first.length <= 160) return first;
  const cut = first.slice(0, 159);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 100))}…`;
}

/** The date a page's content dates from: its own "last updated" date, else when eti first saw it (YYYY-MM-DD). */
export function pageDate(p: Pick<BundlePage, 'pageModified' | 'changedAt'>): string {
  return (p.pageModified ?? p.changedAt).slice(0, 10);
}

/**
 * `index.json`: one record per page with the front matter's fields and the Markdown file's path,
 * sorted by slug; a data file Astro, Eleventy and Hugo read as it is.
 */
export function indexJson(bundle: Bundle): string {
  const pages = [...bundle.pages]
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
    .map((p) => ({
      slug: p.slug,
      path: `pages/${p.slug}.md`,
      title: p.title,
      description: describePage(p),
      date: pageDate(p),
      lastmod: p.approvedAt.slice(0, 10),
      source_url: p.url,
      source: p.sourceName,
      owner: p.owner,
      tags: p.tags,
      audience: p.audience,
      licence: p.licence,
      credit: p.credit,
      ...(p.changeNote ? { change_note: p.changeNote } : {}),
    }));
  return stableJson({ $schema: `${SCHEMA_BASE}/index.schema.json`, bundleId: bundle.id, createdAt: bundle.createdAt, pages });
}
