/**
 * Section headings Readability drops while keeping the text they head (issue 14). It removes every
 * `<button>`, so an accordion's question (`<h2><button aria-expanded>Hvem kan få?</button></h2>`,
 * as on nav.no and helsenorge) comes out empty and goes; it removes an element whose class reads
 * "unlikely" (`accordion-header`), and headings of negative class weight. The answers stay, and
 * "100 prosent" no longer says of what. `noteHeadings` reads the headings before Readability runs;
 * `restoreHeadings` puts back, as plain headings, those it dropped whose text it kept.
 */
import { allElements } from './clean.js';
import { HEADING_TAGS, nextNode, normalizeLine } from './text.js';

/** Section heading tags. The page's <h1> is its title, which the Markdown gets back on its own (extract.ts). */
const SECTION_HEADINGS = new Set(['h2', 'h3', 'h4', 'h5', 'h6']);
/** A heading longer than this is a paragraph set as a heading, not a section's name. */
const MAX_HEADING_CHARS = 200;

/** A heading as the page had it: its tag, its text, and the first text node it heads. */
export interface NotedHeading {
  el: Element;
  tag: string;
  text: string;
  /** The first non-blank text node after the heading (not inside it), when no other heading comes first. */
  first: Text;
}

const isHeading = (n: Node): boolean => n.nodeType === 1 && HEADING_TAGS.includes((n as Element).localName);

/** The first non-blank text node after `el`, or null when a heading or nothing comes first. */
function firstTextAfter(el: Element): Text | null {
  for (let n = nextNode(el, true); n; n = nextNode(n, false)) {
    if (isHeading(n)) return null;
    if (n.nodeType === 3 && (n as Text).data.trim() !== '') return n as Text;
  }
  return null;
}

/** The section headings (h2-h6) under `root` with their text and the text each heads, before Readability runs. */
export function noteHeadings(root: Element): NotedHeading[] {
  const out: NotedHeading[] = [];
  for (const el of allElements(root)) {
    if (!SECTION_HEADINGS.has(el.localName)) continue;
    const text = normalizeLine(el.textContent ?? '');
    if (text === '' || text.length > MAX_HEADING_CHARS) continue;
    const first = firstTextAfter(el);
    if (first) out.push({ el, tag: el.localName, text, first });
  }
  return out;
}

/** Whether no text but blanks stands before `node` among its siblings: its parent's text begins with it. */
function leadsParent(node: Node): boolean {
  for (let s = node.previousSibling; s; s = s.previousSibling)
    if ((s.nodeType === 1 || s.nodeType === 3) && (s.textContent ?? '').trim() !== '') return false;
  return true;
}

/**
 * Put back under `read` (Readability's article) the noted headings it dropped or emptied while
 * keeping the text they head: each as a plain element of its tag, before the outermost element of
 * `read` that begins with that text. A heading whose section Readability dropped too (a "Del siden"
 * box, a related list) stays out. A copy of the question that opens its answer is not doubled:
 * `clean()` read it once already (twins.ts: two adjacent blocks with the same words). Returns how
 * many came back.
 */
export function restoreHeadings(read: Element, noted: readonly NotedHeading[]): number {
  let restored = 0;
  for (const h of noted) {
    const kept = read.contains(h.el);
    if (kept && normalizeLine(h.el.textContent ?? '') !== '') continue;
    if (!read.contains(h.first)) continue;
    let at: Node = h.first;
    for (let p = at.parentElement; p && p !== read && leadsParent(at); p = p.parentElement) at = p;
    const heading = read.ownerDocument.createElement(h.tag);
    heading.textContent = h.text;
    at.parentNode?.insertBefore(heading, at);
    if (kept) h.el.remove();
    restored++;
  }
  return restored;
}
