/**
 * Strict checks of the two feed formats, written from their specifications so a test can fail on
 * any deviation: JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) as a zod schema, Atom
 * (RFC 4287) through a real XML parser (fast-xml-parser) with the RFC's required elements and
 * cardinalities.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';

/** RFC 3339 date-time, as both formats require. */
const rfc3339 = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'RFC 3339 date-time');
const absUrl = z.url();
const author = z
  .strictObject({ name: z.string().optional(), url: absUrl.optional(), avatar: absUrl.optional() })
  .refine((a) => a.name || a.url || a.avatar, 'an author needs name, url or avatar');

/** JSON Feed 1.1: known keys typed, unknown keys allowed only as extensions (starting with "_"). */
function withExtensions<T extends z.ZodRawShape>(shape: T) {
  return z
    .object(shape)
    .catchall(z.unknown())
    .superRefine((o, ctx) => {
      for (const k of Object.keys(o))
        if (!(k in shape) && !k.startsWith('_'))
          ctx.addIssue({ code: 'custom', message: `unknown key "${k}" (extensions start with "_")` });
    });
}

const item = withExtensions({
  id: z.string().min(1),
  url: absUrl.optional(),
  external_url: absUrl.optional(),
  title: z.string().optional(),
  content_html: z.string().optional(),
  content_text: z.string().optional(),
  summary: z.string().optional(),
  image: absUrl.optional(),
  banner_image: absUrl.optional(),
  date_published: rfc3339.optional(),
  date_modified: rfc3339.optional(),
  authors: z.array(author).optional(),
  tags: z.array(z.string()).optional(),
  language: z.string().optional(),
  attachments: z
    .array(
      z.strictObject({
        url: absUrl,
        mime_type: z.string(),
        title: z.string().optional(),
        size_in_bytes: z.number().optional(),
        duration_in_seconds: z.number().optional(),
      }),
    )
    .optional(),
}).refine((i) => i.content_html !== undefined || i.content_text !== undefined, 'an item needs content_html or content_text');

export const jsonFeedSchema = withExtensions({
  version: z.literal('https://jsonfeed.org/version/1.1'),
  title: z.string().min(1),
  home_page_url: absUrl.optional(),
  feed_url: absUrl.optional(),
  description: z.string().optional(),
  user_comment: z.string().optional(),
  next_url: absUrl.optional(),
  icon: absUrl.optional(),
  favicon: absUrl.optional(),
  authors: z.array(author).optional(),
  language: z.string().optional(),
  expired: z.boolean().optional(),
  hubs: z.array(z.strictObject({ type: z.string(), url: absUrl })).optional(),
  items: z.array(item),
}).superRefine((f, ctx) => {
  const ids = (f.items as { id: string }[]).map((i) => i.id);
  if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'item ids must be unique' });
});

/** Throws with the first problem when `text` is not a valid JSON Feed 1.1; returns the parsed feed. */
export function assertJsonFeed(text: string): { title: string; items: Record<string, unknown>[] } & Record<string, unknown> {
  const r = jsonFeedSchema.safeParse(JSON.parse(text));
  if (!r.success) throw new Error(`not a JSON Feed 1.1: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data as never;
}

const ATOM_NS = 'http://www.w3.org/2005/Atom';
const ONCE_FEED = ['id', 'title', 'updated'];
const AT_MOST_ONCE_FEED = ['generator', 'icon', 'logo', 'rights', 'subtitle'];
const ONCE_ENTRY = ['id', 'title', 'updated'];
const AT_MOST_ONCE_ENTRY = ['content', 'published', 'rights', 'source', 'summary'];
const FEED_CHILDREN = new Set([
  'author',
  'category',
  'contributor',
  'generator',
  'icon',
  'id',
  'link',
  'logo',
  'rights',
  'subtitle',
  'title',
  'updated',
  'entry',
]);
const ENTRY_CHILDREN = new Set([
  'author',
  'category',
  'content',
  'contributor',
  'id',
  'link',
  'published',
  'rights',
  'source',
  'summary',
  'title',
  'updated',
]);
const TEXT_TYPES = new Set(['text', 'html', 'xhtml']);

type El = Record<string, unknown>;
const list = (v: unknown): El[] => (v === undefined ? [] : Array.isArray(v) ? (v as El[]) : [v as El]);
const textOf = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : String((v as El)['#text'] ?? ''));

function checkChildren(el: El, where: string, allowed: Set<string>, once: string[], atMostOnce: string[]): void {
  for (const k of Object.keys(el))
    if (!k.startsWith('@_') && k !== '#text' && !allowed.has(k)) throw new Error(`${where}: unexpected element <${k}>`);
  for (const k of once) if (list(el[k]).length !== 1) throw new Error(`${where}: needs exactly one <${k}>, has ${list(el[k]).length}`);
  for (const k of atMostOnce) if (list(el[k]).length > 1) throw new Error(`${where}: at most one <${k}>`);
  for (const k of ['title', 'summary', 'content', 'rights', 'subtitle']) {
    for (const t of list(el[k])) {
      const type = typeof t === 'object' ? (t['@_type'] as string | undefined) : undefined;
      if (type !== undefined && !TEXT_TYPES.has(type)) throw new Error(`${where}: <${k}> type "${type}"`);
    }
  }
  if (!rfc3339.safeParse(textOf(list(el.updated)[0])).success)
    throw new Error(`${where}: <updated> is not RFC 3339: ${textOf(list(el.updated)[0])}`);
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(textOf(list(el.id)[0]))) throw new Error(`${where}: <id> is not an IRI`);
  for (const a of list(el.author)) if (!textOf(list(a.name)[0])) throw new Error(`${where}: <author> without <name>`);
  for (const l of list(el.link)) if (!l['@_href']) throw new Error(`${where}: <link> without href`);
  for (const c of list(el.category)) if (!c['@_term']) throw new Error(`${where}: <category> without term`);
}

/**
 * Throws with the first problem when `xml` is not an Atom 1.0 feed as RFC 4287 §4 requires:
 * well-formed, atom:feed in the Atom namespace, exactly one id/title/updated on the feed and each
 * entry, an author on the feed or on every entry, and an entry without content has an alternate link.
 */
export function assertAtom(xml: string): { title: string; entries: El[] } {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false, processEntities: true }).parse(xml) as El;
  const feed = doc.feed as El | undefined;
  if (!feed) throw new Error('root element is not <feed>');
  if (feed['@_xmlns'] !== ATOM_NS) throw new Error(`<feed> is not in the Atom namespace`);
  checkChildren(feed, 'feed', FEED_CHILDREN, ONCE_FEED, AT_MOST_ONCE_FEED);
  const entries = list(feed.entry);
  const ids = new Set<string>();
  entries.forEach((e, i) => {
    checkChildren(e, `entry ${i}`, ENTRY_CHILDREN, ONCE_ENTRY, AT_MOST_ONCE_ENTRY);
    if (list(feed.author).length === 0 && list(e.author).length === 0) throw new Error(`entry ${i}: no author on it or on the feed`);
    if (list(e.content).length === 0 && !list(e.link).some((l) => (l['@_rel'] ?? 'alternate') === 'alternate'))
      throw new Error(`entry ${i}: neither content nor an alternate link`);
    const id = textOf(list(e.id)[0]);
    if (ids.has(id)) throw new Error(`entry ${i}: duplicate id ${id}`);
    ids.add(id);
  });
  return { title: textOf(list(feed.title)[0]), entries };
}

/** The text of an Atom element's first child `name` (entities decoded). */
export function atomText(el: El, name: string): string {
  return textOf(list(el[name])[0]);
}
