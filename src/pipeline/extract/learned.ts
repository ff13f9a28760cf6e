/**
 * Learned chrome (issue 14): text blocks that recur on many stored pages of one source are that
 * source's site-wide chrome ("Har du spørsmål? Kontakt servicetorget", a campaign box, a fixed
 * "Les også" teaser) and are dropped from its pages' content. Learned at the start of a source's
 * crawl from the text already in the store, so the same store gives the same set (deterministic),
 * and passed to every extraction of that source (the worker pool included, through
 * `ExtractOptions.chrome`).
 *
 * When a block is learned, the pages that carried it lose it at their next extraction: that is not
 * a change of content, so `chromeLines` tells the crawl's noise check which stored lines to ignore.
 */
import type { PageRecord } from '../../store/records.js';
import { sha256 } from '../../hash.js';
import { normalizeLine } from './text.js';
import type { Sizes } from './prune.js';

/** At most this many stored pages per source are read to learn its chrome (a deterministic sample). */
export const CHROME_SAMPLE_PAGES = 200;

/** Options of `learnSourceChrome`. */
export interface LearnOptions {
  /** Pages read at most (default `CHROME_SAMPLE_PAGES`); past it, a sample chosen by URL hash. */
  maxPages?: number;
  /** A line must occur on at least this many sampled pages (default 3). */
  minPages?: number;
  /** ...and on at least this share of them (default 0.5). */
  minShare?: number;
}

/**
 * The chrome fingerprints of one source, from the current text of its stored pages (live, not
 * duplicates, with a version). `readText(contentHash)` reads a stored text (the store's blobs);
 * a text it cannot find is skipped. Pages are sampled by the hash of their URL, so the set depends
 * only on the store's content, never on the order pages were stored in. Empty below `minPages` pages.
 */
export async function learnSourceChrome(
  pages: Iterable<PageRecord>,
  readText: (contentHash: string) => Promise<string | undefined>,
  opts: LearnOptions = {},
): Promise<Set<string>> {
  const minPages = opts.minPages ?? 3;
  const hashes: { key: string; contentHash: string }[] = [];
  for (const p of pages) {
    const last = p.versions[p.versions.length - 1];
    // A PDF's lines are not HTML blocks; a noise version's own text is what the page shows now.
    if (!last || p.removedAt || p.duplicateOf || last.method === 'pdf') continue;
    hashes.push({ key: sha256(p.url), contentHash: last.contentHash });
  }
  if (hashes.length < minPages) return new Set();
  hashes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const texts: string[] = [];
  for (const h of hashes.slice(0, opts.maxPages ?? CHROME_SAMPLE_PAGES)) {
    const text = await readText(h.contentHash);
    if (text !== undefined) texts.push(text);
  }
  return learnChrome(texts, minPages, opts.minShare ?? 0.5);
}

/** The lines of `text` that are learned chrome (`chrome` from `learnSourceChrome`), in text order. */
export function chromeLines(text: string, chrome: ReadonlySet<string>): string[] {
  if (chrome.size === 0) return [];
  return text.split('\n').filter((l) => chrome.has(blockFingerprint(l)));
}

/**
 * A stored or new text as the crawl's noise check compares it (`isNoiseOnly`): its ignored lines
 * plus its lines learned as chrome. A block learned after a text was stored is dropped by the
 * extractor at the next crawl; that is the extractor's doing, not the page's, so not a change.
 */
export function comparable(
  text: string,
  ignoredLines: readonly string[] | undefined,
  chrome: ReadonlySet<string> | undefined,
): { text: string; ignoredLines?: readonly string[] } {
  const learned = chrome ? chromeLines(text, chrome) : [];
  const all = learned.length > 0 ? [...(ignoredLines ?? []), ...learned] : ignoredLines;
  return all && all.length > 0 ? { text, ignoredLines: all } : { text };
}

/** The fingerprint of a block's text: its normalised, lower-cased text (what repeats site-wide). */
export function blockFingerprint(text: string): string {
  return normalizeLine(text).toLowerCase();
}

/**
 * Learn a source's site-wide chrome from its stored pages: the fingerprints of text lines (as in
 * `Extracted.text`, one per block) that occur on at least `minShare` of the pages and on at least
 * `minPages` of them. Pure: the caller reads the texts from the store and passes the result to
 * `extract()` as `ExtractOptions.chrome`. Lines are counted once per page.
 */
export function learnChrome(pageTexts: readonly string[], minPages = 3, minShare = 0.5): Set<string> {
  const counts = new Map<string, number>();
  for (const text of pageTexts) {
    for (const fp of new Set(text.split('\n').map(blockFingerprint))) if (fp.length >= 12) counts.set(fp, (counts.get(fp) ?? 0) + 1);
  }
  const need = Math.max(minPages, Math.ceil(pageTexts.length * minShare));
  const out = new Set<string>();
  for (const [fp, n] of counts) if (n >= need) out.add(fp);
  return out;
}

/**
 * The outermost blocks under `all[0]` whose every line is learned chrome (see `learnChrome`): a
 * block whose own text is a learned line, or whose text-bearing children all are (a menu list, a
 * box of learned lines), inline elements only with their block. A block with a digit is never chrome here (facts are kept), and a heading
 * alone is not either ("Slik søker du" heads a section on every page of nav.no): it goes only with
 * the box it heads. Bottom-up, one `textContent` read per small element. `units`: the tags that
 * can go whole (pruneChrome's blocks, list items, definitions).
 */
export function learnedBlocks(all: readonly Element[], s: Sizes, chrome: ReadonlySet<string>, units: ReadonlySet<string>): Element[] {
  const marked = new Set<Element>();
  for (let i = all.length - 1; i >= 0; i--) {
    const el = all[i]!;
    const t = s.text.get(el) ?? 0;
    if (t === 0 || t > 600 || s.solid.get(el)) continue;
    const text = el.textContent ?? '';
    if (/\d/.test(text)) continue;
    if (chrome.has(blockFingerprint(text))) {
      marked.add(el);
      continue;
    }
    let hasChrome = false;
    let isAllChrome = true;
    for (let c = el.firstChild; c && isAllChrome; c = c.nextSibling) {
      if (c.nodeType === 3) isAllChrome = (c as Text).data.trim() === '';
      else if (c.nodeType === 1) {
        const ce = c as Element;
        if (marked.has(ce)) hasChrome = true;
        else isAllChrome = (s.text.get(ce) ?? 0) === 0;
      }
    }
    if (hasChrome && isAllChrome) marked.add(el);
  }
  const out: Element[] = [];
  for (const el of marked) {
    // Only whole blocks: a learned phrase inside a sentence (a link, an emphasis) stays.
    if (!units.has(el.localName) || (el.parentElement && marked.has(el.parentElement))) continue;
    out.push(el);
  }
  return out;
}

/**
 * Blocks whose text repeats an earlier block of the same root word for word (normalised): a
 * filter list or menu rendered once for wide and once for narrow screens, a teaser shown twice.
 * The first copy stays, so nothing the page says is lost. Blocks under 200 characters (a card's
 * "Les mer", a table cell's "Ja") and over 3,000 are left alone, as are tables and a copy standing
 * beside the first in the same parent (cards of one grid).
 */
export function repeatedBlocks(all: readonly Element[], s: Sizes, root: Element, units: ReadonlySet<string>): Element[] {
  const seen = new Map<string, Element>();
  const out: Element[] = [];
  for (const el of all) {
    if (el === root || !units.has(el.localName)) continue;
    const t = s.text.get(el) ?? 0;
    if (t < 200 || t > 3000 || s.solid.get(el)) continue;
    const fp = blockFingerprint(el.textContent ?? '');
    const first = seen.get(fp);
    if (!first) seen.set(fp, el);
    // Siblings are cards of one grid (plans listing the same features): the page shows them all.
    else if (!first.contains(el) && !el.contains(first) && first.parentElement !== el.parentElement) out.push(el);
  }
  return out;
}
