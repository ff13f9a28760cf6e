import { stableJson } from '../../stable-json.js';
import type { ChangeEntry } from './changes.js';
import { feedName, FEED_VARIANTS, scopesOf, type FeedVariant } from '../../config/feed-names.js';

/** The most entries one feed shows (the newest). */
export const FEED_LIMIT = 100;

const AUDIENCE_LABEL: Record<string, string> = { parents: 'foreldre', youth: 'ungdom', professionals: 'fagfolk' };
const VARIANT_LABEL: Record<FeedVariant, string> = {
  all: 'Alle endringer',
  major: 'Viktige endringer',
  withdrawn: 'Sider trukket tilbake',
};
const KIND_LABEL: Record<ChangeEntry['kind'], string> = { added: 'Ny side', updated: 'Endret', withdrawn: 'Trukket tilbake' };

/** One feed: its name, Norwegian title and entries (newest first). */
export interface Feed {
  name: string;
  title: string;
  entries: ChangeEntry[];
}

function scopeLabel(scope: string, e: ChangeEntry): string {
  const [kind, key] = scope.split('/') as [string, string];
  if (kind === 'source') return e.sourceName;
  if (kind === 'owner') return e.owner;
  if (kind === 'audience') return `for ${AUDIENCE_LABEL[key] ?? key}`;
  return `tema ${e.tags.find((t) => scopesOf({ id: '', owner: '', tags: [t], audience: '' }).includes(scope)) ?? key}`;
}

function isInVariant(e: ChangeEntry, v: FeedVariant): boolean {
  return v === 'all' || (v === 'major' ? e.isMajor : e.kind === 'withdrawn');
}

/**
 * Every feed of a bundle: the whole bundle and each source, owner, tag and audience, each as all
 * changes, major changes and withdrawals. `entries` must be newest first (history order); the
 * scopes are those of the entries and of `memberScopes` (the current pages), so a scope with
 * nothing yet still has its (empty) feeds. Sorted by name.
 */
export function buildFeeds(entries: readonly ChangeEntry[], memberScopes: ReadonlyMap<string, string>): Feed[] {
  const byScope = new Map<string, { label: string; entries: ChangeEntry[] }>([['', { label: 'alle sider', entries: [] }]]);
  for (const [scope, label] of memberScopes) if (!byScope.has(scope)) byScope.set(scope, { label, entries: [] });
  for (const e of entries) {
    for (const scope of scopesOf({ id: e.sourceId, owner: e.owner, tags: e.tags, audience: e.audience })) {
      let s = byScope.get(scope);
      if (!s) byScope.set(scope, (s = { label: scopeLabel(scope, e), entries: [] }));
      s.entries.push(e);
    }
  }
  const feeds: Feed[] = [];
  for (const [scope, s] of byScope) {
    for (const v of FEED_VARIANTS) {
      feeds.push({
        name: feedName(scope, v),
        title: `${VARIANT_LABEL[v]} – ${s.label}`,
        entries: s.entries.filter((e) => isInVariant(e, v)).slice(0, FEED_LIMIT),
      });
    }
  }
  return feeds.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The scope labels the current pages give (source names, owners, tags, audiences), by scope. */
export function memberScopesOf(
  pages: readonly { sourceId: string; sourceName: string; owner: string; tags: readonly string[]; audience: string }[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of pages) {
    const e = { sourceName: p.sourceName, owner: p.owner, tags: [...p.tags], audience: p.audience } as ChangeEntry;
    for (const scope of scopesOf({ id: p.sourceId, owner: p.owner, tags: p.tags, audience: p.audience })) {
      if (scope && !out.has(scope)) out.set(scope, scopeLabel(scope, e));
    }
  }
  return out;
}

function entryTitle(e: ChangeEntry): string {
  return `${KIND_LABEL[e.kind]}: ${e.title}`;
}

/** The entry as plain text: note, summary, source, licence and credit. */
function entryText(e: ChangeEntry): string {
  return [e.note, ...(e.summary ? [e.summary] : []), `Kilde: ${e.url} (${e.owner})`, `Lisens: ${e.licence}. ${e.credit}`].join('\n\n');
}

function newest(feed: Feed, fallback: string): string {
  return feed.entries[0]?.at ?? fallback;
}

/**
 * A feed as JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). Entries link to the source
 * page; eti's own fields (kind, major, note, licence, credit) are under `_eti`, as the spec lets
 * extensions do.
 */
export function jsonFeed(feed: Feed, updatedFallback: string): string {
  return stableJson({
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    description: `Endringer i publiserte sammendrag fra eti (${feed.name}).`,
    language: 'nb',
    _eti: { feed: feed.name, updated: newest(feed, updatedFallback) },
    items: feed.entries.map((e) => ({
      id: e.id,
      url: e.url,
      title: entryTitle(e),
      summary: e.note,
      content_text: entryText(e),
      date_published: e.at,
      authors: [{ name: e.owner }],
      tags: [...e.tags],
      language: 'nb',
      _eti: {
        kind: e.kind,
        is_major: e.isMajor,
        note: e.note,
        ...(e.changeClass ? { change_class: e.changeClass } : {}),
        source_url: e.url,
        slug: e.slug,
        source_id: e.sourceId,
        licence: e.licence,
        credit: e.credit,
        bundle_id: e.bundleId,
        content_hash: e.contentHash,
      },
    })),
  });
}

/** XML text: markup characters escaped, and characters XML 1.0 cannot carry dropped. */
export function xmlText(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A feed as Atom (RFC 4287): id, title, updated and author on the feed and every entry; rights carry licence and credit. */
export function atomFeed(feed: Feed, updatedFallback: string): string {
  const x = xmlText;
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="nb">',
    `  <id>${x(`urn:eti:feed:${feed.name}`)}</id>`,
    `  <title type="text">${x(feed.title)}</title>`,
    `  <updated>${x(newest(feed, updatedFallback))}</updated>`,
    '  <author><name>eti</name></author>',
    '  <generator>eti</generator>',
  ];
  for (const e of feed.entries) {
    out.push(
      '  <entry>',
      `    <id>${x(e.id)}</id>`,
      `    <title type="text">${x(entryTitle(e))}</title>`,
      `    <updated>${x(e.at)}</updated>`,
      `    <author><name>${x(e.owner)}</name></author>`,
      `    <link rel="alternate" href="${x(e.url)}"/>`,
      `    <category term="${e.kind}" label="${x(KIND_LABEL[e.kind])}"/>`,
      `    <category term="${e.isMajor ? 'major' : 'minor'}" label="${e.isMajor ? 'Viktig endring' : 'Mindre endring'}"/>`,
      ...e.tags.map((t) => `    <category term="${x(t)}"/>`),
      `    <summary type="text">${x(e.note)}</summary>`,
      `    <content type="text">${x(entryText(e))}</content>`,
      `    <rights type="text">${x(`${e.licence}. ${e.credit}`)}</rights>`,
      '  </entry>',
    );
  }
  out.push('</feed>', '');
  return out.join('\n');
}

/** Every feed file (`feeds/<name>.json`, `feeds/<name>.xml`) and `feeds/index.json`, by path. */
export function feedFiles(feeds: readonly Feed[], updatedFallback: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of feeds) {
    files.set(`feeds/${f.name}.json`, jsonFeed(f, updatedFallback));
    files.set(`feeds/${f.name}.xml`, atomFeed(f, updatedFallback));
  }
  files.set(
    'feeds/index.json',
    stableJson({
      feeds: feeds.map((f) => ({
        name: f.name,
        title: f.title,
        entries: f.entries.length,
        json: `feeds/${f.name}.json`,
        atom: `feeds/${f.name}.xml`,
      })),
    }),
  );
  return files;
}
