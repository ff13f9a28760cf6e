/**
 * Rules for article pages (issue 14): the lines around an article's text that say who wrote it
 * rather than what it says. Used by prune.ts's per-block judgement.
 */
import { standsAlone } from './clean.js';
import { normalizeLine } from './text.js';

/**
 * A bare byline: "By Md Aynal Haque", "by News Desk", "Av Kari Nordmann", at most with its date
 * ("By Alyssa Maio on January 21, 2023", "Av Kari Nordmann, 12. mars 2025"). Two to five capitalised words make the name: "By
 * appointment only" or "By bus" is no byline.
 */
const BARE_BYLINE = /^(?:[Bb]y|[Aa]v):? \p{Lu}[\p{L}'’.-]*(?: \p{Lu}[\p{L}'’.-]*){1,4}(?:(?:,| on| den| \|| ·| -| –) [^!?]*\d[^!?]*)?$/u;

/** Tags a byline stands in as a line of its own. */
const BYLINE_TAGS = new Set(['div', 'p', 'li', 'section', 'header', 'footer', 'address', 'span', 'small']);
/** Inline tags: a byline in one is a line of its own only between blocks (or alone in its parent). */
const INLINE_TAGS = new Set(['span', 'small']);

/**
 * The article's bare byline ("By Md Aynal Haque") standing as a line of its own under `root`: who
 * wrote the page, not what it says. Only when it is the one such line: several are the bylines of
 * a listing's teasers, which belong to their cards. The outermost element whose whole text it is.
 */
export function loneByline(all: readonly Element[], text: ReadonlyMap<Element, number>, root: Element): Element | null {
  let found: Element | null = null;
  for (const el of all) {
    if (el === root) continue;
    const t = text.get(el) ?? 0;
    if (t < 6 || t > 80 || !BYLINE_TAGS.has(el.localName)) continue;
    const p = el.parentElement;
    if (p && p !== root && (text.get(p) ?? 0) === t) continue;
    if (!BARE_BYLINE.test(normalizeLine(el.textContent ?? ''))) continue;
    if (INLINE_TAGS.has(el.localName) && !standsAlone(el)) continue;
    if (found) return null;
    found = el;
  }
  return found;
}
