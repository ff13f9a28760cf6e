/**
 * Twin blocks (issue 14): a block a page renders twice in a row, once for wide and once for narrow
 * screens (a product's buy box, a card's label, a carousel's cloned slide, a description marked
 * `data-hidden-mobile` and again `data-hidden-desktop`), reads as the same text twice over. The
 * reader sees one copy; the text keeps one.
 */

import { dropNarrowCopies } from './narrow.js';
import { BLOCK } from './text.js';

/** A twin says something: at least this many words (a lone "Ja" repeats in data). */
const MIN_TWIN_WORDS = 2;

const words = (s: string): number => (s.match(/[\p{L}\p{N}_]+/gu) ?? []).length;
const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Where each element's text starts and ends in its root's text, blanks at either end left out. */
interface Span {
  start: number;
  end: number;
}

/** The root's text and the span of every element with text in it. */
function spans(root: Element): { text: string; of: Map<Element, Span> } {
  const parts: string[] = [];
  let length = 0;
  const raw: [Element, number, number][] = [];
  const walk = (el: Element): void => {
    const from = length;
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) {
        parts.push((c as Text).data);
        length += (c as Text).data.length;
      } else if (c.nodeType === 1) walk(c as Element);
    }
    if (length > from) raw.push([el, from, length]);
  };
  walk(root);
  // Joined once: reading a string while it is still being appended to costs a copy per read.
  const text = parts.join('');
  const of = new Map<Element, Span>();
  for (const [el, from, to] of raw) {
    let start = from;
    let end = to;
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    if (end > start) of.set(el, { start, end });
  }
  return { text, of };
}

/** Whether `a` and `b` are cards of one grid: siblings of one tag and one class (plans listing the same features). */
const likeUnits = (a: Element, b: Element): boolean =>
  a.parentElement === b.parentElement && a.localName === b.localName && a.getAttribute('class') === b.getAttribute('class');

/** Tags that make a line of their own: a twin is a whole line, not a word in a sentence. */
const LINE_TAGS: ReadonlySet<string> = new Set([...BLOCK, 'tr', 'td', 'th']);

/** The block whose line `el` stands in: `el` itself when it is a block, else its nearest block ancestor. */
function lineOf(el: Element): Element {
  let a: Element = el;
  while (!LINE_TAGS.has(a.localName) && a.parentElement) a = a.parentElement;
  return a;
}

/** Whether `el` stands in a table or code: a row or a line of code alike is data. */
function inData(el: Element): boolean {
  for (let a: Element | null = el; a; a = a.parentElement)
    if (a.localName === 'table' || a.localName === 'pre' || a.localName === 'code') return true;
  return false;
}

/**
 * Remove from `root` each block whose text repeats, word for word, the block that ends just
 * before it (nothing but blanks between): the second of two twins. Twins that are cards of one
 * grid (`likeUnits`) stay, as do a table's rows and code; so does a block with a digit (two units
 * side by side can show the same price or date, each a fact of its own) and one under
 * `MIN_TWIN_WORDS` words. `all`: `root` and every element under it, in document order. Returns
 * how many blocks went.
 */
export function dropTwinBlocks(root: Element, all: readonly Element[]): number {
  const { text, of } = spans(root);
  // solid[i]: how many non-blank characters the text holds before offset i.
  const solid = new Int32Array(text.length + 1);
  for (let i = 0; i < text.length; i++) solid[i + 1] = solid[i]! + (/\s/.test(text[i]!) ? 0 : 1);
  // The elements whose text ends at each offset.
  const endingAt = new Map<number, Element[]>();
  for (const [el, s] of of) {
    const list = endingAt.get(s.end) ?? [];
    list.push(el);
    endingAt.set(s.end, list);
  }
  // How many non-blank characters an element's text holds.
  const lineSize = (x: Element): number => {
    const ls = of.get(x);
    return ls ? solid[ls.end]! - solid[ls.start]! : 0;
  };
  const removed = new Set<Element>();
  const kept = new Set<Element>();
  let n = 0;
  for (const el of all) {
    if (el === root) continue;
    const s = of.get(el);
    if (!s) continue;
    let before = s.start;
    while (before > 0 && /\s/.test(text[before - 1]!)) before--;
    const size = lineSize(el);
    // The whole of its line, or `el` is a word in a sentence ("<a>Neural networks</a> are…" under
    // that heading); or one of two halves of a line that says one thing twice ("Buy Now Buy Now").
    const alone = (x: Element): boolean => lineSize(lineOf(x)) === size;
    const pair = alone(el) ? null : lineOf(el);
    if (pair && lineSize(pair) !== 2 * size) continue;
    const twins = endingAt.get(before)?.filter((t) => {
      return lineSize(t) === size && !t.contains(el) && (pair ? lineOf(t) === pair : alone(t));
    });
    if (!twins || twins.length === 0) continue;
    const said = text.slice(s.start, s.end);
    if (/\d/.test(said) || words(said) < MIN_TWIN_WORDS) continue;
    const mine = collapse(said);
    const same = twins.filter((t) => collapse(text.slice(of.get(t)!.start, of.get(t)!.end)) === mine);
    if (same.length === 0 || inData(el)) continue;
    let under = false;
    for (let a = el.parentElement; a && a !== root && !under; a = a.parentElement) under = removed.has(a) || kept.has(a);
    if (under) continue;
    // Cards of one grid stay whole, the blocks inside them too.
    if (same.some((t) => likeUnits(t, el))) kept.add(el);
    else {
      removed.add(el);
      n++;
    }
  }
  for (const el of removed) el.remove();
  return n;
}

/**
 * A block the page renders twice, for wide and for narrow screens, read once: first the copies a
 * class hides on wide screens (narrow.ts), then twins in a row. `all`: `root` and every element
 * under it, in document order.
 */
export function dropDoubleRenderings(root: Element, all: readonly Element[]): void {
  dropTwinBlocks(root, dropNarrowCopies(root, all) > 0 ? all.filter((el) => el.isConnected) : all);
}
