import { z } from 'zod';
import { stringify as toYaml } from 'yaml';
import { sha256 } from '../../hash.js';
import { stableJson } from '../../stable-json.js';
import { channelFiles, describePage, indexJson, pageDate } from '../channels/index.js';
import type { ChangeEntry } from '../channels/index.js';
import { evidenceFields, footnoteMarks, footnoteRefs, footnotesMarkdown, overriddenFrontMatter } from './evidence.js';
import { bundleTopicSchema, topicMarkdown, type BundleTopic } from './topics.js';

/** Version of the bundle format; bump on incompatible changes. */
export const BUNDLE_FORMAT = 1;

const keyFact = z.strictObject({ fact: z.string(), quote: z.string() });

/** One published page of a bundle. */
export const bundlePageSchema = z.strictObject({
  url: z.string().describe('The page as crawled (normalised URL).'),
  slug: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .describe('File name of pages/<slug>.md.'),
  sourceId: z.string(),
  sourceName: z.string(),
  owner: z.string().describe('The responsible agency.'),
  publisher: z.string().optional().describe('The publisher the page itself names (JSON-LD, meta author, og:site_name), when it names one.'),
  authority: z.enum(['primary', 'secondary']),
  tags: z.array(z.string()),
  audience: z.string(),
  title: z.string(),
  lang: z.string(),
  summary: z.string().describe('Plain-language summary (as approved; an editor may have edited it).'),
  isEdited: z.boolean().describe('True when an editor replaced the generated summary.'),
  keyFacts: z.array(keyFact),
  appliesTo: z.string(),
  howToApply: z.string(),
  deadlines: z.array(z.string()),
  contacts: z.array(z.string()).optional().describe('Contact points the page gives (phone, e-mail, office), as summarised.'),
  changeSummary: z.string().optional(),
  changeClass: z
    .enum(['material', 'wording', 'cosmetic'])
    .optional()
    .describe(
      'How much the approved change mattered: material (figures, eligibility, deadlines, contacts, sections), wording or cosmetic.',
    ),
  contentHash: z.string().describe('sha256 of the extracted text that was summarised and approved.'),
  fetchedAt: z.string().describe('When this content was last confirmed on the site.'),
  changedAt: z.string().describe('When this content was first seen.'),
  pageModified: z.string().optional().describe("The page's own 'last updated' date, when it states one."),
  approvedAt: z.string(),
  approvedBy: z.string(),
  provider: z.string(),
  model: z.string(),
  promptHash: z.string(),
  isGrounded: z.boolean().describe('True when every published claim is supported by its own source spans (an overridden claim is not).'),
  ...evidenceFields,
  licence: z.string().describe('Licence of the source content ("NLOD 2.0" unless sources.yaml says otherwise).'),
  credit: z.string().describe('The credit line the licence asks for, in Norwegian; shown with every published copy.'),
  changeNote: z.string().optional().describe('The public change note in Norwegian, as the editor confirmed it when approving.'),
  isMajor: z.boolean().optional().describe('Major (readers should know) or minor change, as the editor confirmed it.'),
});
export type BundlePage = z.infer<typeof bundlePageSchema>;

/** Where bundle.json says its JSON Schema is. */
export const BUNDLE_SCHEMA_URL = 'https://github.com/eti-project/eti/schema/bundle.schema.json';

export const bundleSchema = z.strictObject({
  $schema: z.string().optional().describe('The JSON Schema of this file.'),
  $id: z.string().optional().describe('urn:eti:bundle:<id>.'),
  format: z.literal(BUNDLE_FORMAT),
  id: z.string(),
  createdAt: z.string().describe('The latest approval time among the pages (deterministic).'),
  previousId: z
    .string()
    .optional()
    .describe('The bundle this one was compared with for CHANGELOG.md (the latest one when it was published).'),
  pages: z.array(bundlePageSchema),
  topics: z
    .array(bundleTopicSchema)
    .optional()
    .describe('Topic pages compiled from several approved pages (absent when sources.yaml has no topics or none is approved).'),
});
export type Bundle = z.infer<typeof bundleSchema>;

/**
 * A file-name-safe slug for a URL: host and path in lower-case letters, digits and dashes,
 * at most ~70 characters, plus 8 hex of the URL's hash so two URLs never share a file.
 * It cannot contain a path separator or dots, so it cannot leave the pages/ folder.
 */
export function slugFor(url: string): string {
  let base: string;
  try {
    const u = new URL(url);
    base = `${u.hostname.replace(/^www\./, '')}${u.pathname}`;
  } catch {
    base = url;
  }
  const slug = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'a')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 70)
    .replace(/-+$/g, '');
  return `${slug || 'page'}-${sha256(url).slice(0, 8)}`;
}

/** Escape text from pages so it cannot become HTML (or a Markdown link/image) in a published site. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([[\]`])/g, '\\$1');
}

/** The id a bundle of these pages gets: the latest approval date and a hash of the pages. */
export function bundleId(
  pages: BundlePage[],
  topics: readonly BundleTopic[] = [],
): { id: string; createdAt: string; sorted: BundlePage[] } {
  const sorted = [...pages].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const times = [...sorted.map((p) => p.approvedAt), ...topics.map((t) => t.approvedAt)];
  const createdAt = times.reduce((max, at) => (at > max ? at : max), '1970-01-01T00:00:00.000Z');
  // Topics join the hash only when there are some, so a bundle without topics keeps its id.
  const hash = sha256(stableJson(sorted) + (topics.length > 0 ? stableJson(topics) : '')).slice(0, 12);
  return { id: `${createdAt.slice(0, 10).replace(/-/g, '')}-${hash}`, createdAt, sorted };
}

/**
 * Build every file of a bundle, keyed by relative path. Pure and deterministic: the same pages
 * and the same previous bundle (for CHANGELOG.md and changes.json) and its history (history.json,
 * the feeds) give byte-identical files. The id depends on the pages only, so publishing the same
 * pages again is recognised as the same bundle.
 */
export function bundleFiles(
  pages: BundlePage[],
  previous?: Bundle,
  previousHistory: readonly ChangeEntry[] = [],
  topics: readonly BundleTopic[] = [],
): { bundle: Bundle; files: Map<string, string> } {
  const sortedTopics = [...topics].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  const { id, createdAt, sorted } = bundleId(pages, sortedTopics);
  const prev = previous && previous.id !== id ? previous : undefined;
  const bundle: Bundle = {
    $schema: BUNDLE_SCHEMA_URL,
    $id: `urn:eti:bundle:${id}`,
    format: BUNDLE_FORMAT,
    id,
    createdAt,
    ...(prev ? { previousId: prev.id } : {}),
    pages: sorted,
    ...(sortedTopics.length > 0 ? { topics: sortedTopics } : {}),
  };
  const files = new Map<string, string>();
  files.set('bundle.json', stableJson(bundle));
  for (const p of sorted) files.set(`pages/${p.slug}.md`, pageMarkdown(p));
  for (const t of sortedTopics) files.set(`topics/${t.slug}.md`, topicMarkdown(t, escapeMarkdown));
  files.set('index.md', indexMarkdown(bundle));
  files.set('index.json', indexJson(bundle));
  files.set('CHANGELOG.md', changelogMarkdown(bundle, prev));
  for (const [rel, content] of channelFiles(bundle, prev, prev ? previousHistory : [])) files.set(rel, content);
  const manifest = {
    format: BUNDLE_FORMAT,
    id,
    files: Object.fromEntries([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([f, c]) => [f, sha256(c)])),
  };
  files.set('manifest.json', stableJson(manifest));
  return { bundle, files };
}

function frontMatter(p: BundlePage): string {
  const fm = {
    title: p.title,
    description: describePage(p),
    date: pageDate(p),
    lastmod: p.approvedAt.slice(0, 10),
    slug: p.slug,
    source_url: p.url,
    source: p.sourceName,
    owner: p.owner,
    publisher: p.publisher,
    authority: p.authority,
    lang: p.lang,
    audience: p.audience,
    updated: (p.pageModified ?? p.changedAt).slice(0, 10),
    fetched: p.fetchedAt.slice(0, 10),
    approved_by: p.approvedBy,
    approved_at: p.approvedAt,
    content_hash: p.contentHash,
    tags: p.tags,
    licence: p.licence,
    credit: p.credit,
    ...overriddenFrontMatter(p),
  };
  const defined = Object.fromEntries(Object.entries(fm).filter(([, v]) => v !== undefined));
  return `---\n${toYaml(defined, { lineWidth: 0 })}---\n`;
}

function pageMarkdown(p: BundlePage): string {
  // Footnote marks after each text name the sources of its sentences (see publish-evidence.ts).
  const refs = footnoteRefs({ ...p, ...(p.changeSummary === undefined ? {} : { changeSummary: p.changeSummary }) }, p);
  const fn = (key: string): string => footnoteMarks(refs, key);
  // No "# title": the title is in the front matter, and static-site layouts print it as the H1.
  const out: string[] = [frontMatter(p), `${escapeMarkdown(p.summary)}${fn('summary:0')}`, ''];
  if (p.keyFacts.length > 0) {
    out.push('## Viktige fakta', '');
    p.keyFacts.forEach((f, i) => {
      out.push(`- ${escapeMarkdown(f.fact)}${fn(`keyFacts:${i}`)}`);
      // Without claims (a bundle page built before them) the quote is shown as before; with them, the footnote carries it.
      if (!p.claims && f.quote && f.quote !== f.fact) out.push(`  > ${escapeMarkdown(f.quote)}`);
    });
    out.push('');
  }
  if (p.appliesTo) out.push('## Hvem gjelder det for?', '', `${escapeMarkdown(p.appliesTo)}${fn('appliesTo:0')}`, '');
  if (p.howToApply) out.push('## Slik søker du', '', `${escapeMarkdown(p.howToApply)}${fn('howToApply:0')}`, '');
  if (p.deadlines.length > 0) out.push('## Frister', '', ...p.deadlines.map((d, i) => `- ${escapeMarkdown(d)}${fn(`deadlines:${i}`)}`), '');
  if (p.contacts && p.contacts.length > 0)
    out.push('## Kontakt', '', ...p.contacts.map((c, i) => `- ${escapeMarkdown(c)}${fn(`contacts:${i}`)}`), '');
  out.push(...footnotesMarkdown(p, escapeMarkdown));
  out.push(
    '---',
    '',
    `Kilde: <${p.url}> (${escapeMarkdown(p.owner)}). Sist kontrollert ${p.fetchedAt.slice(0, 10)}. ` +
      `Godkjent av ${escapeMarkdown(p.approvedBy)} ${p.approvedAt.slice(0, 10)}.`,
    '',
    `Lisens: ${escapeMarkdown(p.licence)}. ${escapeMarkdown(p.credit)}`,
    '',
  );
  return out.join('\n');
}

function indexMarkdown(bundle: Bundle): string {
  const out = [`# Publiserte sammendrag`, '', `Pakke ${bundle.id}, ${bundle.pages.length} sider.`, ''];
  const bySource = new Map<string, BundlePage[]>();
  for (const p of bundle.pages) bySource.set(p.sourceName, [...(bySource.get(p.sourceName) ?? []), p]);
  for (const name of [...bySource.keys()].sort()) {
    out.push(`## ${escapeMarkdown(name)}`, '');
    for (const p of bySource.get(name)!) out.push(`- [${escapeMarkdown(p.title)}](pages/${p.slug}.md)`);
    out.push('');
  }
  return out.join('\n');
}

const CLASS_LABEL = { material: 'vesentlig endring', wording: 'endret ordlyd', cosmetic: 'kosmetisk endring' } as const;

/**
 * What changed since the previous bundle, in Norwegian for the site's readers and editors: pages
 * added, updated (new approved content or an edited summary) and withdrawn. Sorted by title, then url.
 */
export function changelogMarkdown(bundle: Bundle, previous: Bundle | undefined): string {
  const out = ['# Endringslogg', ''];
  if (!previous) {
    out.push(`Første publiserte pakke (${bundle.id}), ${bundle.pages.length} sider.`, '');
    return out.join('\n');
  }
  out.push(`Endringer fra pakke ${previous.id} til ${bundle.id}.`, '');
  const before = new Map(previous.pages.map((p) => [p.url, p]));
  const after = new Map(bundle.pages.map((p) => [p.url, p]));
  const byTitle = (a: BundlePage, b: BundlePage): number =>
    a.title < b.title ? -1 : a.title > b.title ? 1 : a.url < b.url ? -1 : a.url > b.url ? 1 : 0;
  const link = (p: BundlePage): string => `[${escapeMarkdown(p.title)}](pages/${p.slug}.md) (${escapeMarkdown(p.owner)})`;
  const added = bundle.pages.filter((p) => !before.has(p.url)).sort(byTitle);
  const removed = previous.pages.filter((p) => !after.has(p.url)).sort(byTitle);
  const updated = bundle.pages
    .filter((p) => {
      const old = before.get(p.url);
      return old !== undefined && (old.contentHash !== p.contentHash || old.summary !== p.summary || old.approvedAt !== p.approvedAt);
    })
    .sort(byTitle);
  if (added.length + removed.length + updated.length === 0) {
    out.push('Ingen endringer i innholdet.', '');
    return out.join('\n');
  }
  if (added.length > 0) {
    out.push(`## Nye sider (${added.length})`, '');
    for (const p of added) out.push(`- ${link(p)}`);
    out.push('');
  }
  if (updated.length > 0) {
    out.push(`## Oppdaterte sider (${updated.length})`, '');
    for (const p of updated) {
      const old = before.get(p.url)!;
      const what =
        old.contentHash !== p.contentHash
          ? p.changeClass
            ? CLASS_LABEL[p.changeClass]
            : 'nytt innhold på kildesiden'
          : 'sammendraget er redigert';
      out.push(`- ${link(p)}: ${what}, godkjent ${p.approvedAt.slice(0, 10)} av ${escapeMarkdown(p.approvedBy)}.`);
      // The editor's change note when there is one (it is what the public reads), else the proposal.
      const note = p.changeNote ?? (old.contentHash !== p.contentHash ? p.changeSummary : undefined);
      if (note) out.push(`  ${escapeMarkdown(note).replace(/\n+/g, ' ')}`);
    }
    out.push('');
  }
  if (removed.length > 0) {
    out.push(`## Fjernede sider (${removed.length})`, '');
    for (const p of removed) out.push(`- ${escapeMarkdown(p.title)} (${escapeMarkdown(p.owner)}), <${p.url}>`);
    out.push('');
  }
  return out.join('\n');
}
