/**
 * The static preview site for families and editors: a page per published page and per topic,
 * «Hva er nytt», search. Rendered from a bundle folder alone (bundle.json, history.json), so
 * `eti site` needs no store. Pure rendering (`siteFiles`) and one atomic write (`writeSite`).
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { replaceDir } from '../../atomic-file.js';
import { UsageError } from '../../errors.js';
import { bundleSchema, type Bundle } from '../publish/index.js';
import { historySchema, type ChangeEntry } from '../channels/index.js';
import { toSlug } from '../../slugs.js';
import { creditsOf, STYLE } from './html.js';
import {
  indexPage,
  newsPage,
  searchPage,
  sourceGroupPages,
  sourcePage,
  topicPages,
  topicsPage,
  type SourceGroup,
  type Topic,
} from './pages.js';
import { searchIndex, searchLibrary, searchScript } from './search.js';
import { topicSiteList, topicSitePage } from './topics.js';

/** Entries «Hva er nytt» shows (about 400 bytes each: the page stays under 100 KB). */
const NEWS_LIMIT = 150;

/** Topics from the pages' tags: one per tag slug (tags that differ only in case or accents share one), sorted by name. */
export function topicsOf(bundle: Bundle): Topic[] {
  const bySlug = new Map<string, Topic>();
  for (const p of bundle.pages) {
    for (const tag of p.tags) {
      const slug = toSlug(tag) || 'tema';
      const t = bySlug.get(slug) ?? { slug, name: tag, pages: [] };
      if (tag < t.name) t.name = tag;
      if (t.pages.at(-1) !== p) t.pages.push(p); // a page's tags may share a slug: list it once
      bySlug.set(slug, t);
    }
  }
  return [...bySlug.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.slug < b.slug ? -1 : 1));
}

/** The sources of the pages, sorted by name then id. */
export function sourcesOf(bundle: Bundle): SourceGroup[] {
  const byId = new Map<string, SourceGroup>();
  for (const p of bundle.pages) {
    const g = byId.get(p.sourceId) ?? { id: p.sourceId, name: p.sourceName, owner: p.owner, pages: [] };
    g.pages.push(p);
    byId.set(p.sourceId, g);
  }
  return [...byId.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
}

/** Every file of the site, by relative path. Deterministic: the same bundle and history give the same bytes. */
export function siteFiles(bundle: Bundle, history: readonly ChangeEntry[]): Map<string, string> {
  const topics = topicsOf(bundle);
  const sources = sourcesOf(bundle);
  const published = new Map(bundle.pages.map((p) => [p.url, p.slug]));
  const news = history.slice(0, NEWS_LIMIT);
  const files = new Map<string, string>([
    ['index.html', indexPage(bundle, topics, sources, news, published)],
    ['tema.html', topicsPage(topics, topicSiteList(bundle.topics ?? []))],
    ['hva-er-nytt.html', newsPage(news, published)],
    ['sok.html', searchPage(creditsOf(bundle.pages))],
    ['stil.css', STYLE],
    ['sok/sok.js', searchScript()],
    ['sok/minisearch.js', searchLibrary()],
    ['sok/indeks.json', searchIndex(bundle.pages)],
  ]);
  const topicsByUrl = new Map<string, Topic[]>();
  for (const t of topics) for (const p of t.pages) topicsByUrl.set(p.url, [...(topicsByUrl.get(p.url) ?? []), t]);
  const historyByUrl = new Map<string, ChangeEntry[]>();
  for (const e of history) historyByUrl.set(e.url, [...(historyByUrl.get(e.url) ?? []), e]);
  for (const p of bundle.pages)
    files.set(`sider/${p.slug}.html`, sourcePage(p, historyByUrl.get(p.url) ?? [], topicsByUrl.get(p.url) ?? []));
  for (const t of topics) for (const [rel, html] of topicPages(t)) files.set(rel, html);
  for (const t of bundle.topics ?? []) files.set(`temaside/${t.slug}.html`, topicSitePage(t));
  for (const g of sources) for (const [rel, html] of sourceGroupPages(g)) files.set(rel, html);
  return files;
}

/** Read a bundle folder's bundle.json and history.json (an older bundle without history has none). */
export async function readBundleDir(dir: string): Promise<{ bundle: Bundle; history: ChangeEntry[]; feeds: Map<string, string> }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(dir, 'bundle.json'), 'utf8'));
  } catch {
    throw new UsageError(`${dir}: not a bundle (no readable bundle.json)`);
  }
  const parsed = bundleSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${path.join(dir, 'bundle.json')}: ${issue.path.join('.')}: ${issue.message}`);
  }
  let history: ChangeEntry[] = [];
  const feeds = new Map<string, string>();
  try {
    history = historySchema.parse(JSON.parse(await readFile(path.join(dir, 'history.json'), 'utf8'))).entries;
    const index = JSON.parse(await readFile(path.join(dir, 'feeds', 'index.json'), 'utf8')) as { feeds: { json: string; atom: string }[] };
    for (const f of index.feeds)
      for (const rel of [f.json, f.atom])
        if (/^feeds\/[a-z0-9/-]+\.(json|xml)$/.test(rel)) feeds.set(rel, await readFile(path.join(dir, rel), 'utf8'));
    feeds.set('feeds/index.json', await readFile(path.join(dir, 'feeds', 'index.json'), 'utf8'));
  } catch {
    // A bundle from before history.json: no «Hva er nytt», no feeds.
  }
  return { bundle: parsed.data, history, feeds };
}

/** The file that marks a folder as an eti site, which `writeSite` may replace. */
const SITE_MARKER = '.eti-site';

/** Refuse to replace a folder that has files but is not an eti site: nothing of the user's is ever deleted. */
async function assertSiteDir(outDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(outDir);
  } catch {
    return; // not there yet
  }
  if (entries.length > 0 && !entries.includes(SITE_MARKER)) {
    throw new UsageError(
      `${outDir}: not empty and not a site eti wrote; it will not be replaced`,
      'Pass --out with a new or empty folder.',
    );
  }
}

/**
 * Render the bundle in `bundleDir` as a site in `outDir`, replacing what was there: built in a
 * temp folder beside it, then renamed, so a reader never sees half a site. The bundle's feeds
 * are copied in, so the site's «follow» links work.
 */
export async function writeSite(bundleDir: string, outDir: string): Promise<{ files: number; bytes: number }> {
  const { bundle, history, feeds } = await readBundleDir(bundleDir);
  const files = siteFiles(bundle, history);
  for (const [rel, content] of feeds) files.set(rel, content);
  await assertSiteDir(outDir);
  files.set(SITE_MARKER, 'Written by "eti site"; the whole folder is replaced on the next run.\n');
  const tmp = `${outDir.replace(/[/\\]+$/, '')}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  let bytes = 0;
  const dirs = new Set<string>();
  for (const rel of files.keys()) dirs.add(path.dirname(path.join(tmp, rel)));
  for (const d of dirs) await mkdir(d, { recursive: true });
  for (const [rel, content] of files) {
    await writeFile(path.join(tmp, rel), content);
    bytes += Buffer.byteLength(content);
  }
  await replaceDir(tmp, outDir);
  return { files: files.size, bytes };
}
