/**
 * Shop and listing pages (product, collection and listing pages; issue 14). On a page without
 * `<main>` whose content is a list of like units (coupons, product cards, offers), Readability
 * at times takes one unit for the article: the first coupon of five, one card's blurb. The list
 * the unit belongs to is the page's content, not the one unit.
 */
import { textLength } from './text.js';
import { classWords } from './clean.js';
import { release } from './parse.js';

/** A unit of a list: one of at least this many siblings of the same tag and class. */
const MIN_LIKE_UNITS = 3;
/** How far up from Readability's first text a unit of a list is looked for. */
const MAX_CLIMB = 8;
/** Readability's article counts as a fragment only below this share of the page's text. */
const MAX_FRAGMENT_SHARE = 0.5;

/** Readability's article counts as one card only up to this many characters. */
const MAX_CARD_CHARS = 1000;
/** The like units hold at least this share of their list's text (a list, not a page of sections). */
const MIN_UNITS_SHARE = 0.67;

/** Tag and first class word: a card's further words often name the one item (`product_slug_x`). */
const signature = (el: Element): string => `${el.localName} ${classWords(el.getAttribute('class')).trim().split(/\s+/)[0]}`;

/**
 * Whether `el` is one of `MIN_LIKE_UNITS` or more siblings of the same tag and first class word
 * that together hold most of their parent's text.
 */
function isListUnit(el: Element): boolean {
  const parent = el.parentElement;
  if (!parent) return false;
  const sig = signature(el);
  let like = 0;
  let likeText = 0;
  for (const c of parent.children) {
    if (signature(c) !== sig) continue;
    like++;
    likeText += textLength(c);
  }
  return like >= MIN_LIKE_UNITS && likeText >= textLength(parent) * MIN_UNITS_SHARE;
}

/** The first text of `root` at least 20 characters long (else the first non-blank), trimmed. */
function firstText(root: Element): string {
  const doc = root.ownerDocument;
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  let first = '';
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = (n as Text).data.trim();
    if (t.length >= 20) return t;
    if (first === '' && t !== '') first = t;
  }
  return first;
}

/**
 * When Readability's article (`article`, `readText` characters) is a card's worth of text, under half the page's text
 * (`bodyText`) and sits in one unit of a list of like units, the list in a fresh parse of the page
 * (`reparse`, boilerplate removed): its root and that document. Else null. Only for pages without
 * `<main>` (the caller's test): with one, `<main>` already stands in for a fragment.
 */
export function listOfFragment(
  article: Element,
  readText: number,
  bodyText: number,
  reparse: () => Document,
): { root: Element; fresh: Document } | null {
  if (bodyText === 0 || readText > MAX_CARD_CHARS || readText >= bodyText * MAX_FRAGMENT_SHARE) return null;
  const first = firstText(article);
  if (first === '') return null;
  const fresh = reparse();
  const body = fresh.body;
  let hit: Node | null = null;
  if (body) {
    const walker = fresh.createTreeWalker(body, 4 /* NodeFilter.SHOW_TEXT */);
    for (let n = walker.nextNode(); n && !hit; n = walker.nextNode()) if ((n as Text).data.trim() === first) hit = n;
  }
  let k = 0;
  for (let a = hit?.parentElement ?? null; a && a !== body && k < MAX_CLIMB; a = a.parentElement, k++) {
    if (!isListUnit(a)) continue;
    const list = a.parentElement!;
    if (list !== body && textLength(list) >= readText * 1.5) return { root: list, fresh };
    break;
  }
  release(fresh);
  return null;
}
