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
 * Whether inline element `el` starts a new word although no whitespace precedes it: it directly
 * follows another element (no text node between them) whose text ends in a letter or digit, as
 * the text so far (`current`) does, and its own text starts with one. A word split by `<wbr>` is
 * left whole.
 */
export function startsGluedWord(current: string, el: Element): boolean {
  const prev = el.previousSibling;
  if (prev?.nodeType !== 1 || (prev as Element).localName === 'wbr') return false;
  if (!ENDS_WORD.test(current) || !STARTS_WORD.test(el.textContent ?? '')) return false;
  return ENDS_WORD.test((prev as Element).textContent ?? '');
}
