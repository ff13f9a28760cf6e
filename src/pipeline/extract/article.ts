/**
 * Rules for article pages (issue 14): the lines around an article's text that say who wrote it
 * rather than what it says. Used by prune.ts's per-block judgement.
 */
import { standsAlone } from './clean.js';
import { loneLine } from './docs.js';
import { blockLines, normalizeLine } from './text.js';

/**
 * A bare byline: "By Md Aynal Haque", "by News Desk", "Av Kari Nordmann", at most with its date
 * ("By Alyssa Maio on January 21, 2023", "Av Kari Nordmann, 12. mars 2025"). Two to five capitalised words make the name: "By
 * appointment only" or "By bus" is no byline.
 */
const BARE_BYLINE = /^(?:[Bb]y|[Aa]v):? \p{Lu}[\p{L}'’.-]*(?: \p{Lu}[\p{L}'’.-]*){1,4}(?:(?:,| on| den| \|| ·| -| –) [^!?]*\d[^!?]*)?$/u;

/** Tags a byline stands in as a line of its own. */
const BYLINE_TAGS = new Set(['div', 'p', 'li', 'section', 'header', 'footer', 'address', 'span', 'small']);
/** Inline tags: a byline in one is a line of its own only between blocks (or alone in its parent). */
const INLINE_TAGS = new Set(['span', 'small']);

/**
 * The article's bare byline ("By Md Aynal Haque") standing as a line of its own under `root`: who
 * wrote the page, not what it says. Only when it is the one such line: several are the bylines of
 * a listing's teasers, which belong to their cards. The outermost element whose whole text it is.
 */
export function loneByline(all: readonly Element[], text: ReadonlyMap<Element, number>, root: Element): Element | null {
  return loneLine(all, text, root, { min: 6, max: 80, tags: BYLINE_TAGS, inline: INLINE_TAGS, matches: (line) => BARE_BYLINE.test(line) });
}

/** The people an article's metadata names as its authors: their names and self-descriptions, lower-cased. */
export interface Authors {
  names: ReadonlySet<string>;
  /** The first `BIO_PREFIX` characters of each author's description. */
  bios: readonly string[];
}

/** JSON-LD types of an article. */
const ARTICLE_TYPE = /Article$|^BlogPosting$|^Report$/;
/** An author's bio is recognised by its first this many characters. */
const BIO_PREFIX = 60;

const lowerLine = (s: string): string => normalizeLine(s).toLowerCase();

/**
 * The authors the page's JSON-LD names for its article (an `Article`, `NewsArticle`,
 * `BlogPosting`…): people, not organisations, their entries found by `@id` when the article only
 * points at them, in the page's JSON-LD blocks (`readJsonLd`, read before clean() drops the
 * scripts). A forum thread's posters are no article's authors and are not read.
 */
export function readAuthors(ld: readonly unknown[]): Authors {
  const nodes: Record<string, unknown>[] = [];
  const walk = (o: unknown): void => {
    if (!o || typeof o !== 'object') return;
    if (Array.isArray(o)) for (const x of o) walk(x);
    else {
      nodes.push(o as Record<string, unknown>);
      for (const v of Object.values(o)) walk(v);
    }
  };
  for (const data of ld) walk(data);
  const types = (n: Record<string, unknown>): string[] => ([] as unknown[]).concat(n['@type'] ?? []).filter((t) => typeof t === 'string');
  const byId = new Map<string, Record<string, unknown>>();
  for (const n of nodes) if (typeof n['@id'] === 'string' && typeof n.name === 'string') byId.set(n['@id'], n);
  const names = new Set<string>();
  const bios: string[] = [];
  for (const n of nodes) {
    if (!types(n).some((t) => ARTICLE_TYPE.test(t))) continue;
    for (const x of ([] as unknown[]).concat(n.author ?? [])) {
      if (!x || typeof x !== 'object') continue;
      let a = x as Record<string, unknown>;
      if (typeof a.name !== 'string' && typeof a['@id'] === 'string') a = byId.get(a['@id']) ?? a;
      if (types(a).some((t) => t !== 'Person')) continue;
      if (typeof a.name === 'string' && a.name.trim() !== '') names.add(lowerLine(a.name));
      if (typeof a.description === 'string' && a.description.trim().length >= BIO_PREFIX)
        bios.push(lowerLine(a.description).slice(0, BIO_PREFIX));
    }
  }
  return { names, bios };
}

/** Tags an author's name or bio stands in as a block of its own (not a paragraph: a sign-off in the text is the text's). */
const AUTHOR_TAGS = new Set(['div', 'section', 'header', 'footer', 'address', 'li', 'span', 'small', 'a', 'strong', 'b']);
/** A bio is at most this long; past it the block holds more than the bio. */
const MAX_BIO_CHARS = 1500;

/**
 * The blocks under `root` that are only an author's name or bio as the metadata gives them
 * (`authors`): a byline's name ("Mike Marshall" beside the date), an author box's "Archie is a
 * writer from South London…". The outermost element with the text; a paragraph (a newsletter's
 * sign-off) stays.
 */
export function authorBlocks(all: readonly Element[], text: ReadonlyMap<Element, number>, root: Element, authors: Authors): Element[] {
  if (authors.names.size === 0 && authors.bios.length === 0) return [];
  const out: Element[] = [];
  for (const el of all) {
    if (el === root || !AUTHOR_TAGS.has(el.localName)) continue;
    const t = text.get(el) ?? 0;
    if (t === 0 || t > MAX_BIO_CHARS) continue;
    const p = el.parentElement;
    if (p && p !== root && (text.get(p) ?? 0) === t) continue;
    const line = lowerLine(el.textContent ?? '');
    if (authors.names.has(line) || (t >= BIO_PREFIX && authors.bios.some((b) => line.startsWith(b)))) {
      if (INLINE_TAGS.has(el.localName) || el.localName === 'a' || el.localName === 'strong' || el.localName === 'b')
        if (!standsAlone(el)) continue;
      out.push(el);
    }
  }
  return out;
}

/**
 * Headings of a list of other pages in the words prune.ts's `RELATED_HEADING` misses: "Related
 * reads", "Related articles that may interest you", "Read more from our experts", "Read More
 * Blogs", "You may also be interested in…", "Keep reading", "Les flere saker", "Kanskje du også vil lese".
 */
const MORE_RELATED =
  /^(?:related (?:reads|articles|posts|stories|guides|resources)\b.*|read more (?:blogs|articles|posts|stories|from\b.*)|more from (?:our|the) (?:blog|team|experts)\b.*|you (?:may|might) also (?:enjoy|be interested in)\b.*|keep reading|continue reading|les (?:flere|mer fra)\b.*|(?:kanskje du også|du vil kanskje også) (?:vil lese|liker|like)\b.*)$/iu;

/** Whether a heading's text `t` introduces a list of other pages (`MORE_RELATED`). */
export function isRelatedHeading(t: string): boolean {
  return t.length <= 80 && MORE_RELATED.test(t);
}

/**
 * Whether `box`, the parent of the related-pages heading `heading`, is that heading and a list of
 * teasers: two or more like units (one tag), each linking to a page, directly or in one grid
 * element. A teaser's description and date make it too little link text to be a link list.
 */
export function isTeaserBox(box: Element, heading: Element): boolean {
  const filled = (els: Iterable<Element>): Element[] => [...els].filter((c) => c !== heading && (c.textContent ?? '').trim() !== '');
  const rest = filled(box.children);
  const units = rest.length === 1 && rest[0] ? filled(rest[0].children) : rest;
  const tag = units[0]?.localName;
  return units.length >= 2 && units.every((u) => u.localName === tag && (tag === 'a' || u.getElementsByTagName('a').length > 0));
}

/** The label of an article's author box, in English and Norwegian: "About the Author", "About the Contributor", "Om forfatteren". */
const ABOUT_AUTHOR =
  /^(?:about the (?:authors?|contributors?|writers?|reviewers?|experts?)|meet the (?:authors?|writers?)|om (?:forfatteren|forfatterne|skribenten|artikkelforfatteren))\s*:?$/i;
/** An author box is at most this long: past it the label's box holds more than the author. */
const MAX_AUTHOR_BOX_CHARS = 1500;

/**
 * The author box that the label `el` ("About the Author", `t` characters, a heading or a short
 * block) heads under `root`: the label's parent when it holds the label and the author's entry
 * only (at most `MAX_AUTHOR_BOX_CHARS` and half the root's text), else the label and the block
 * after it (the bio, a paragraph under `MAX_AUTHOR_BOX_CHARS` and not a heading). Empty when `el`
 * is no such label.
 */
export function authorBox(el: Element, t: number, text: ReadonlyMap<Element, number>, root: Element): Element[] {
  if (t > 40 || !ABOUT_AUTHOR.test(normalizeLine(el.textContent ?? ''))) return [];
  const box = el.parentElement;
  const boxText = box ? (text.get(box) ?? 0) : 0;
  // Never the box of a short article's whole text, which the label may end.
  if (box && box !== root && boxText > t && boxText <= Math.min(MAX_AUTHOR_BOX_CHARS, (text.get(root) ?? 0) * 0.5)) return [box];
  const next = el.nextElementSibling;
  const n = next ? (text.get(next) ?? 0) : 0;
  if (next && n > 0 && n <= MAX_AUTHOR_BOX_CHARS && !/^h[1-6]$/.test(next.localName) && next.getElementsByTagName('table').length === 0)
    return [el, next];
  return [el];
}

/** A picture's caption is at most this long; a longer figcaption is a text of its own. */
const MAX_CAPTION_CHARS = 300;

/** A sentence's end inside a text: a word's last letter or digit, then a full stop, "!" or "?". */
const SENTENCE_END = /[\p{Ll}\p{N})»”"'][.!?](?:\s|$)/u;

/**
 * Whether `el` is the label caption of a picture in an article (`isProse`: the root is mostly
 * prose): a `<figcaption>` of a figure that holds an image or video, at most `MAX_CAPTION_CHARS`,
 * that is no sentence: the picture's title, the people or work it shows, its credit ("Chantal
 * Joffe, Matrushka Dolls", "Foto: NTB"). A caption that states something
 * ("Familien fikk avlastning to helger i måneden.") is the article's text and stays, as does a caption
 * with a digit (a chart's amount or date can be a fact).
 */
export function isPictureCaption(el: Element, t: number, isProse: boolean): boolean {
  if (!isProse || el.localName !== 'figcaption' || t > MAX_CAPTION_CHARS) return false;
  // A digit can be a fact (an amount, an age, a deadline on a chart's caption): such a caption stays.
  if (/\d/.test(el.textContent ?? '')) return false;
  // Its lines as blocks give them: textContent runs a paragraph's full stop into the credit after it.
  if (SENTENCE_END.test(blockLines(el).join('\n'))) return false;
  const fig = el.closest('figure');
  return fig !== null && fig.querySelector('img, picture, video') !== null && fig.getElementsByTagName('table').length === 0;
}
