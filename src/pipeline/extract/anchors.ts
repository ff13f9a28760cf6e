/**
 * A heading's anchor (issue 14): the id a site, a wiki or a documentation generator gives a
 * heading so that a link can point at it ("#4-sociallyin", "#commentary", "#printing",
 * "#h-cookies-og-personvern") is its own text made into a slug. It names the section's topic, not
 * the heading's role: read as a class word, "Social Media 55", "Commentary" or '"Cannot open shared
 * object file" error' was taken for a share widget or a comment section and the heading went
 * (by eti's banner vocabulary and by Readability's "unlikely candidates", both read ids).
 */

import { HEADING_TAGS } from './text.js';

/** Letters and digits of `s`, lower-cased: what a slug keeps of a text. */
function slug(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Whether `id` is the anchor made of `text`: the same letters and digits, give or take a
 * generator's "h-" prefix (WordPress) and a counter that keeps a repeated heading's anchor unique.
 */
export function isAnchorOf(id: string, text: string): boolean {
  const own = slug(text);
  if (own.length < 3) return false;
  const a = slug(id.replace(/^h[-_]/i, ''));
  return a === own || (a.startsWith(own) && /^\d+$/.test(a.slice(own.length)));
}

/**
 * Take the anchor ids off the headings of `all` (h1-h6 whose id is their own text's slug), so that
 * no class-and-id vocabulary reads a topic as a role. Other ids, and headings' classes, stay.
 */
export function dropHeadingAnchors(all: readonly Element[]): void {
  for (const el of all) {
    if (!HEADING_TAGS.includes(el.localName)) continue;
    const id = el.getAttribute('id');
    if (id !== null && isAnchorOf(id, el.textContent ?? '')) el.removeAttribute('id');
  }
}
