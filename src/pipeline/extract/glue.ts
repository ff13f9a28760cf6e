/**
 * Words that markup alone separates (issue 14). Shops and listings lay out a card's fields as
 * adjacent inline elements with no whitespace between them (`<span>2026</span><span>1h 54m</span>
 * <span>R</span>`, a badge rendered twice as `<span>New</span><span>New</span>`, a menu of `<a>`s):
 * their CSS sets them apart on screen, and a reader sees separate words. Read as text they ran
 * together ("20261h 54mR"), a word found nowhere on the page.
 */

const ENDS_WORD = /[\p{L}\p{N}]$/u;
const STARTS_WORD = /^[\p{L}\p{N}]/u;

/**
 * The first (`from` 'first') or last non-empty text node's data under `el`, by a walk that stops
 * there: its edge character is that of `el.textContent`.
 */
function edgeText(el: Node, from: 'first' | 'last'): string {
  const next = from === 'first' ? 'nextSibling' : 'previousSibling';
  for (let c = from === 'first' ? el.firstChild : el.lastChild; c; c = c[next]) {
    if (c.nodeType === 3) {
      const t = (c as Text).data;
      if (t !== '') return t;
    } else if (c.nodeType === 1) {
      const t = edgeText(c, from);
      if (t !== '') return t;
    }
  }
  return '';
}

/**
 * Whether inline element `el` starts a new word although no whitespace precedes it: it directly
 * follows another element (no text node between them) whose text ends in a letter or digit, as
 * the text so far (`current`) does, and its own text starts with one. A word split by `<wbr>` is
 * left whole. Only the edges of the two elements are read (not their whole text): this runs for
 * every inline element of every page.
 */
export function startsGluedWord(current: string, el: Element): boolean {
  const prev = el.previousSibling;
  if (prev?.nodeType !== 1 || (prev as Element).localName === 'wbr') return false;
  if (!ENDS_WORD.test(current) || !STARTS_WORD.test(edgeText(el, 'first'))) return false;
  return ENDS_WORD.test(edgeText(prev, 'last'));
}
