/**
 * Footnote reference markers (issue 14): the raised "2" or "[3]" that links to a note lower on the
 * page (`<sup><a href="#fn-2">2</a></sup>`, GitHub's `data-footnote-ref`, DPUB's
 * `role="doc-noteref"`, Wikipedia's `sup.reference`). In plain text it is glued to the word or the
 * number before it: "daily2", "adults.1", and after an amount "8 232 kroner1" or "50 0002", a wrong
 * number. The marker is written "[2]", apart from the word, so that the note it points at (which
 * stays where it stands: it can hold a condition of the sentence) can still be found; the note's
 * link back up ("↩") goes.
 * A superscript that is no link to a note stays the text's ("m<sup>2</sup>" reads "m2"), except
 * after a digit, where glued it would read as another number: "8 232<sup>1</sup>" is written
 * "8 232[1]" (a note marker after an amount), "10<sup>6</sup>" is written "10^6" (a power of ten).
 */

/** A marker's text: a number, a letter or two, a symbol, at most bracketed. */
const MARKER = /^[[(]?(?:\d{1,3}|[a-z]{1,2}|[*†‡§])[\])]?$/i;

/** Whether `a` links to a note on the same page: a fragment link, or one its markup names a note reference. */
function isNoteLink(a: Element): boolean {
  const role = a.getAttribute('role');
  if (role === 'doc-noteref' || a.hasAttribute('data-footnote-ref')) return true;
  const href = a.getAttribute('href') ?? '';
  return href.startsWith('#') && href.length > 1;
}

/**
 * Whether `el` is a footnote marker: a `<sup>` whose whole text is a marker and is a link to a note
 * (or a `<sup>` Wikipedia marks `reference`), or such a link standing on its own.
 */
function isNoteRef(el: Element): boolean {
  const t = (el.textContent ?? '').replace(/\s+/g, '');
  if (!MARKER.test(t)) return false;
  if (el.localName === 'a') return el.getAttribute('role') === 'doc-noteref' || el.hasAttribute('data-footnote-ref');
  if (el.localName !== 'sup') return false;
  if (/(?:^|\s)reference(?:\s|$)/.test(el.getAttribute('class') ?? '')) return true;
  const links = el.getElementsByTagName('a');
  return links.length === 1 && (links[0]!.textContent ?? '').replace(/\s+/g, '') === t && isNoteLink(links[0]!);
}

/** A note's link back to its marker: "↩", "↑", "^" (GitHub's `data-footnote-backref`, DPUB's `doc-backlink`). */
function isBackLink(el: Element): boolean {
  if (el.localName !== 'a' || !(el.getAttribute('href') ?? '').startsWith('#')) return false;
  if (el.hasAttribute('data-footnote-backref') || el.getAttribute('role') === 'doc-backlink') return true;
  return /^[↩↑⤴^][\uFE0E\uFE0F]?$/u.test((el.textContent ?? '').trim());
}

/** The text just before `el` in its line: its previous sibling's, else (through inline parents) its parent's previous sibling's. */
function textBefore(el: Element): string {
  for (let n: Node = el; ; n = n.parentNode!) {
    if (n.previousSibling) return n.previousSibling.textContent ?? '';
    const up = n.parentNode;
    if (up?.nodeType !== 1 || !/^(?:a|b|strong|em|i|span|small)$/.test((up as Element).localName)) return '';
  }
}

/**
 * A raised number that is no note link but stands right after a digit ("8 232<sup>1</sup>",
 * "10<sup>6</sup>"): the text to write for it, else null. Glued, it would read as one number.
 */
function raisedAfterDigit(el: Element): string | null {
  if (el.localName !== 'sup' || el.children.length > 0) return null;
  const t = (el.textContent ?? '').trim();
  if (!/^\d{1,3}$/.test(t)) return null;
  const before = textBefore(el);
  if (!/\d$/.test(before)) return null;
  // A power of ten stands after a "10" of its own ("10<sup>6</sup> celler", "3 × 10<sup>8</sup>"),
  // not after the end of an amount ("8 210").
  return /(?:^|[\s×x·*(])10$/.test(before) ? `^${t}` : `[${t}]`;
}

/**
 * Footnote markers among `all` written as "[2]" where they stand, so that no marker is glued to the
 * word or number before it ("8 232 kroner[1]", not "8 232 kroner1") and the note it points at can
 * still be found; the notes' links back to them ("↩") go. Returns how many markers were rewritten.
 */
export function markNoteRefs(all: readonly Element[]): number {
  let n = 0;
  for (const el of all) {
    if (!el.isConnected) continue;
    const raised = raisedAfterDigit(el);
    if (raised) {
      el.replaceWith(el.ownerDocument.createTextNode(raised));
      n++;
    } else if (isBackLink(el)) el.remove();
    else if ((el.localName === 'sup' || el.localName === 'a') && isNoteRef(el)) {
      const t = (el.textContent ?? '').replace(/[\s[\]()]+/g, '');
      el.replaceWith(el.ownerDocument.createTextNode(`[${t}]`));
      n++;
    }
  }
  return n;
}
