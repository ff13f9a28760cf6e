/**
 * The heading that repeats the page title, owned by eti instead of by overriding Readability's
 * private `_headerDuplicatesTitle` (issue 12): Readability would drop the first h1/h2 whose words
 * all occur in its title, taking a section heading such as "Omsorgspenger" on a page titled
 * "Pleiepenger og omsorgspenger" with it. `dropTitleHeading` removes only the real repeat, and
 * Readability is then given `UNMATCHABLE_TITLE`, so it drops none itself.
 */
import { allElements } from './clean.js';

/** Readability's `_textSimilarity`: the share of `b`'s token text that also occurs in `a`. */
function textSimilarity(a: string, b: string): number {
  const tok = (s: string): string[] =>
    s
      .toLowerCase()
      .split(/\W+/)
      .filter((t) => t.length > 0);
  const ta = tok(a);
  const tb = tok(b);
  if (ta.length === 0 || tb.length === 0) return 0;
  const unique = tb.filter((t) => !ta.includes(t));
  return 1 - unique.join(' ').length / tb.join(' ').length;
}

/** A title of 15+ non-word characters: no heading's words occur in it, so Readability keeps every heading. */
export const UNMATCHABLE_TITLE = '\u2026'.repeat(16);

const words = (s: string): number => s.split(/\s+/).length;

/** The article title Readability 0.6 works out from `<title>` (its `_getArticleTitle`, ported). */
export function readabilityTitle(doc: Document): string {
  const orig = (doc.title ?? '').trim();
  let cur = orig;
  let hierarchical = false;
  if (/ [|\-\\/>»] /.test(cur)) {
    hierarchical = / [\\/>»] /.test(cur);
    const seps = [...orig.matchAll(/ [|\-\\/>»] /gi)];
    cur = orig.substring(0, seps[seps.length - 1]!.index);
    if (words(cur) < 3) cur = orig.replace(/^[^|\-\\/>»]*[|\-\\/>»]/gi, '');
  } else if (cur.includes(': ')) {
    const headings = [...doc.getElementsByTagName('h1'), ...doc.getElementsByTagName('h2')];
    if (!headings.some((h) => (h.textContent ?? '').trim() === cur)) {
      cur = orig.substring(orig.lastIndexOf(':') + 1);
      if (words(cur) < 3) cur = orig.substring(orig.indexOf(':') + 1);
      else if (words(orig.substring(0, orig.indexOf(':'))) > 5) cur = orig;
    }
  } else if (cur.length > 150 || cur.length < 15) {
    const h1s = doc.getElementsByTagName('h1');
    if (h1s.length === 1) cur = (h1s[0]!.textContent ?? '').trim();
  }
  cur = cur.trim().replace(/\s{2,}/g, ' ');
  const n = words(cur);
  if (n <= 4 && (!hierarchical || n !== words(orig.replace(/[|\-\\/>»]+/g, '')) - 1)) cur = orig;
  return cur;
}

/**
 * Remove the first h1/h2 (in document order) that repeats the page title, as Readability would:
 * an h1 whose words all occur in the title, an h2 only when it also covers the title (the title
 * repeated, not a section heading whose words happen to be in it). The Markdown gets the h1 back.
 */
export function dropTitleHeading(doc: Document, title: string): void {
  if (title === '') return;
  for (const el of allElements(doc.body ?? doc.documentElement)) {
    if (el.localName !== 'h1' && el.localName !== 'h2') continue;
    const heading = (el.textContent ?? '').trim();
    if (textSimilarity(title, heading) <= 0.75) continue;
    if (el.localName === 'h1' || textSimilarity(heading, title) > 0.75) {
      el.remove();
      return;
    }
  }
}
