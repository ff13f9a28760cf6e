/**
 * Rules for the many-section pages of service and documentation sites (issue 14): a marketing or
 * public-service page made of a hero, feature sections and FAQ accordions.
 */
import type { ExtractMethod } from '../types.js';
import { allElements } from './clean.js';
import { normalizeSpaces } from './text.js';
import { keptListTest } from './listing.js';
import { contentListTest } from './lists.js';
import { dropOrphanedHeadings, emptySections } from './orphans.js';

/** Elements judged as one unit when `<main>` is cut down. */
const UNITS = new Set(['p', 'li', 'table', 'dl', 'pre', 'blockquote', 'figcaption', 'address', 'details']);
/** Units that are content by their kind. */
const SOLID_UNITS = new Set(['table', 'pre', 'dl', 'details', 'address', 'blockquote']);
/** A sentence: sentence punctuation followed by a space or at the end. */
const SENTENCE = /[.!?:;](?:\s|$)|[.!?]["'»”)]?$/;
/** Prose at least this long stays although Readability left it out. */
const MIN_PROSE_CHARS = 80;

/** Tags that start a block of their own inside a div. */
const BLOCK_CHILDREN = new Set([
  'div',
  'section',
  'article',
  'p',
  'ul',
  'ol',
  'dl',
  'table',
  'pre',
  'blockquote',
  'figure',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'footer',
  'aside',
  'nav',
  'form',
  'details',
]);

/** A div holding only text and inline elements (a line of links, a label): a unit of its own. */
function isLeafDiv(el: Element): boolean {
  if (el.localName !== 'div') return false;
  for (const c of el.children) if (BLOCK_CHILDREN.has(c.localName)) return false;
  return true;
}

/** The elements under `main` that `isUnit` accepts and that sit inside no `UNITS` element, in document order. */
function outerUnits(main: Element, isUnit: (el: Element) => boolean): Element[] {
  const units: Element[] = [];
  for (const el of allElements(main)) {
    if (el === main || !isUnit(el)) continue;
    let inner = false;
    for (let a = el.parentElement; a && a !== main && !inner; a = a.parentElement) inner = UNITS.has(a.localName);
    if (!inner) units.push(el);
  }
  return units;
}

/** Link-text length of `el`. */
function linkChars(el: Element): number {
  let n = 0;
  for (const a of el.getElementsByTagName('a')) n += (a.textContent ?? '').replace(/\s+/g, ' ').trim().length;
  return n;
}

/** Prose: a unit whose text `t` is a long sentence with little link text, content wherever Readability left it. */
function isProse(el: Element, t: string): boolean {
  return t.length >= MIN_PROSE_CHARS && SENTENCE.test(t) && linkChars(el) < t.length * 0.3;
}

/**
 * Cut `main` down to Readability's blocks (`readText`, whitespace collapsed), the blocks with a
 * fact it lost (`numbersOf` finds a fact's digits) and blocks that are content on their own
 * (tables, code, definition lists; prose: a long sentence with little link text), in main's order.
 * Past Readability's last block only its blocks and lost facts stay. Headings and text outside
 * units stay. Returns the characters removed; null (nothing removed) when no unit of `main` is one
 * of Readability's blocks, so there is nothing to anchor on.
 */
export function keepContentBlocks(main: Element, readText: string, numbersOf: (s: string) => string[]): number | null {
  const units = outerUnits(main, (el) => UNITS.has(el.localName) || isLeafDiv(el));
  const texts = units.map((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());
  const kept = texts.map((t) => t !== '' && readText.includes(t.slice(0, 60)));
  // Past Readability's last block come the teasers of other pages: only lost facts stay there.
  const end = kept.lastIndexOf(true);
  if (end < 0) return null;
  const emptyBefore = emptySections(main);
  let removed = 0;
  for (const [i, el] of units.entries()) {
    const t = texts[i]!;
    if (t === '' || kept[i]) continue;
    const inArticle = i < end && el.closest('figure') === null;
    if (inArticle && SOLID_UNITS.has(el.localName)) continue;
    if (inArticle && isProse(el, t)) continue;
    if (numbersOf(t).some((g) => !readText.includes(g))) continue;
    removed += t.length;
    el.remove();
  }
  removed += dropAfter(units[end], main, readText, numbersOf);
  return removed + dropOrphanedHeadings(main, emptyBefore);
}

/**
 * Everything of `main` after `last` (Readability's last block) that Readability left out and that
 * holds no fact it lost: pagination, "read next" rows and teasers outside the units.
 */
function dropAfter(last: Element | undefined, main: Element, readText: string, numbersOf: (s: string) => string[]): number {
  let removed = 0;
  for (let a: Element | null = last ?? null; a && a !== main; a = a.parentElement) {
    for (let sib = a.nextElementSibling; sib; ) {
      const next = sib.nextElementSibling;
      const t = (sib.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (t !== '' && !readText.includes(t.slice(0, 60)) && !numbersOf(t).some((g) => !readText.includes(g))) {
        removed += t.length;
        sib.remove();
      }
      sib = next;
    }
  }
  return removed;
}

/** Readability's share of <main>'s text below which the blocks it left out are weighed one by one. */
export const WIDEN_BELOW_SHARE = 0.9;

/**
 * Readability's article widened to `<main>`'s content blocks it left out: on a service page made of
 * many sections (hero, feature cards, steps) Readability keeps the longest run of prose and drops the
 * hero's introduction and the sections' paragraphs, although it kept enough of <main> to win.
 * `<main>` (from the fresh parse `fresh()` gives) is cut to Readability's blocks plus prose, tables
 * and lost facts before its last block (`keepContentBlocks`); Readability's article stays when
 * there is no <main> to anchor on.
 */
export function widenToMain(
  read: Element,
  readRaw: string,
  fresh: () => { fresh: Document; freshMain: Element | null },
  numbersOf: (s: string) => string[],
): { root: Element; method: ExtractMethod; fresh?: Document } {
  const f = fresh();
  if (f.freshMain && keepContentBlocks(f.freshMain, normalizeSpaces(readRaw), numbersOf) !== null)
    return { root: f.freshMain, method: 'main', fresh: f.fresh };
  return { root: read, method: 'readability', fresh: f.fresh };
}

/** Where a copy of the title stands alone: a heading or a block of its own. */
const TITLE_COPY_TAGS = new Set(['h2', 'h3', 'h4', 'h5', 'h6', 'p', 'div', 'span', 'strong', 'a', 'li']);

/**
 * Copies of the page's `<h1>` elsewhere under `root`: the title repeated in a sticky header, a
 * share box or an audio player's caption. The h1 stays; a copy is a block whose whole text is the
 * title's (normalised, case ignored), not inside or around the h1. Only the outermost copy goes.
 */
export function titleCopies(all: readonly Element[], root: Element): Element[] {
  const h1 = all.find((el) => el.localName === 'h1');
  if (!h1) return [];
  const norm = (t: string): string => t.replace(/\s+/g, ' ').trim().toLowerCase();
  const title = norm(h1.textContent ?? '');
  if (title.length < 20) return [];
  const out: Element[] = [];
  for (const el of all) {
    if (el === root || el === h1 || !TITLE_COPY_TAGS.has(el.localName) || el.contains(h1) || h1.contains(el)) continue;
    if (out.some((o) => o.contains(el))) continue;
    const t = el.textContent ?? '';
    if (t.length < title.length || t.length > title.length * 3) continue;
    if (norm(t) === title) out.push(el);
  }
  return out;
}

/**
 * Image credits in the forms prune.ts's `CREDIT` misses: "Image credit: © …", "Bildekreditt: …",
 * "Courtesy of brand", "Photo by …".
 */
const MORE_CREDIT =
  /^(?:foto|photo|photograph|illustrasjon|illustration|bilde|image|grafikk)\s*(?:credit|kreditt)s?\s*[:©]|^(?:courtesy of|photo by|foto:)\s/i;

/** Whether a short block's text `t` is only an image credit (`credit` is prune.ts's own pattern). */
export function isCredit(t: string, credit: RegExp): boolean {
  return credit.test(t) || MORE_CREDIT.test(t);
}

/** A byline's whole text: "Written by …", "Reviewed by …", "Skrevet av …" (names, no sentence). */
const BYLINE_TEXT = /^(?:written|reviewed|edited|fact[- ]checked|medically reviewed|skrevet|fagfellevurdert) (?:by|av)\b[^.!?]*$/i;

/** Whether a short block's text `t` is only a byline. */
export function isByline(t: string): boolean {
  return BYLINE_TEXT.test(t);
}

/** An English date: "December 11, 2025", "Oct 31, 2025", "11 December 2025", "2025-12-11". */
const EN_DATE =
  '(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.? \\d{1,2},? \\d{4}|\\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* \\d{4}|\\d{4}-\\d{2}-\\d{2})';
/** A page's date or reading-time line: "Updated on December 11, 2025", "Published Oct 31, 2025", "5 min read". */
const STAMP_LINE = new RegExp(`^(?:(?:last )?(?:updated|published|modified)(?: on)?:? ${EN_DATE}|\\d{1,3} min(?:ute)?s? read)$`, 'i');

/**
 * Whether a short block's text `t` is only the page's date or reading time (metadata, not content;
 * Norwegian stamps such as "Publisert 12. mars 2025" are lifted by text.ts's date stamps). Not
 * "Posted …": a forum post's time belongs to the post.
 */
export function isStampLine(t: string): boolean {
  return STAMP_LINE.test(t);
}

/**
 * Cut `main` down to the blocks Readability kept plus the blocks that carry a fact it lost, in
 * main's order: a unit (paragraph, list item, table, definition list...) stays when its text
 * occurs in Readability's text `readText`, or when it holds a number Readability's text lacks (a
 * rate, a phone number, a law's id), or when it is prose (`isProse`) before Readability's last
 * block, as in `keepContentBlocks`. Headings and text outside units stay. Everything else in
 * `<main>` (teasers, comment threads, product grids Readability rightly left out) goes.
 * `readText` is Readability's text with whitespace collapsed. Returns the characters removed.
 */
export function keepFactBlocks(main: Element, readText: string, numbersOf: (s: string) => string[]): number {
  const units = outerUnits(main, (el) => UNITS.has(el.localName));
  // Each element's text once: a box holds many units and was re-read for every one of them.
  const texts = new Map<Element, string>();
  const text = (el: Element): string => {
    let t = texts.get(el);
    if (t === undefined) texts.set(el, (t = (el.textContent ?? '').replace(/\s+/g, ' ').trim()));
    return t;
  };
  const lostFact = (t: string): boolean => numbersOf(t).some((g) => !readText.includes(g));
  // A unit with a lost fact keeps its small box with it: the contact box's e-mail line and heading
  // go with its phone number, a table's caption with the table.
  const boxes = new Set<Element>();
  for (const el of units) {
    const box = el.parentElement;
    if (box && box !== main && !boxes.has(box) && lostFact(text(el)) && text(box).length <= 600) boxes.add(box);
  }
  // The cards of a list Readability kept part of stay with it (listing.ts).
  const inKeptList = keptListTest(readText);
  const inContentList = contentListTest();
  // Prose before Readability's last block stays, as when <main> is widened
  // (`keepContentBlocks`): an FAQ's answers, a section's paragraph Readability scored down.
  const isRead = (el: Element): boolean => readText.includes(text(el).slice(0, 60));
  const end = units.findLastIndex((el) => text(el) !== '' && isRead(el));
  const drop = new Set<Element>();
  for (const [i, el] of units.entries()) {
    const t = text(el);
    if (t === '' || isRead(el) || lostFact(t)) continue;
    if ((el.parentElement && boxes.has(el.parentElement)) || inKeptList(el)) continue;
    if (i < end && el.closest('figure') === null && (isProse(el, t) || inContentList(el))) continue;
    drop.add(el);
  }
  // A number is Readability's only where the cut keeps a copy of it: a unit Readability kept with
  // its buttons stripped reads otherwise than in <main> and goes with the others, and its date or
  // amount would then be nowhere. A unit whose number the cut keeps no copy of stays.
  const kept = normalizeSpaces(textOutside(main, drop));
  const emptyBefore = emptySections(main);
  let removed = 0;
  for (const el of drop) {
    if (numbersOf(text(el)).some((g) => !kept.includes(g))) continue;
    removed += text(el).length;
    el.remove();
  }
  return removed + dropOrphanedHeadings(main, emptyBefore);
}

/** The text under `root` outside the elements of `skip`. */
function textOutside(root: Element, skip: ReadonlySet<Element>): string {
  let out = '';
  const walk = (n: Node): void => {
    if (n.nodeType === 3) out += (n as Text).data;
    else if (n.nodeType === 1 && !skip.has(n as Element)) for (let c = n.firstChild; c; c = c.nextSibling) walk(c);
  };
  walk(root);
  return out;
}
