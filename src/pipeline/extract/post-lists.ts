/**
 * Lists of other threads' posts set beside a thread or an article (issue 14): a board's "Latest
 * posts", "New threads" and "Similar threads" widgets. Each unit has an author, as a post has, but
 * its text is the link to the other thread (its title) with at most a date, a count and a forum's
 * name beside it: a post's text is its own words. `findPosts` would read such a list as the page's
 * thread (a one-post thread has no thread of its own for it to find); the list goes instead.
 */
import { allElements } from './clean.js';
import { findPosts, marksAuthor } from './forum.js';
import { textLength } from './text.js';

/** A unit of such a list is at most this long: a title, a name, a date, a forum. */
const UNIT_MAX_CHARS = 300;
/** Its text outside the author's mark is at least this share links to other pages. */
const LINK_SHARE = 0.5;
/** A list has at least this many units. */
const MIN_UNITS = 3;
/** The lists hold at most this share of the root's text: a board's index of threads is the page. */
const MAX_SHARE = 0.2;
/** At most this many lists go from one root. */
const MAX_LISTS = 8;

/**
 * Whether `unit` is a teaser of another thread: short, and outside its author's mark mostly the
 * text of links to other pages (not "#" anchors of this page). One walk in document order: an
 * element is in the author's mark when its parent marks the author or is in the mark.
 */
function isThreadTeaser(unit: Element): boolean {
  const total = textLength(unit);
  if (total === 0 || total > UNIT_MAX_CHARS) return false;
  const inMark = new Set<Element>();
  let author = 0;
  let linked = 0;
  for (const el of allElements(unit)) {
    const parent = el.parentElement;
    if (el === unit || !parent) continue;
    if (inMark.has(parent) || (parent !== unit && marksAuthor(parent))) {
      inMark.add(el);
      continue;
    }
    if (marksAuthor(el)) author += textLength(el);
    else if (el.localName === 'a' && !(el.getAttribute('href') ?? '#').startsWith('#')) linked += textLength(el);
  }
  const own = total - author;
  return own > 0 && linked >= own * LINK_SHARE;
}

/**
 * Remove under `root` the lists of other threads' posts (see the module's comment): the group of
 * authored units `findPosts` finds, when each is a teaser of another thread, again until the group
 * found is a thread or nothing. All of them together hold at most a fifth of the root's text
 * (`MAX_SHARE`), else they are put back: a board's index or a site's front page of such teasers is
 * the page. The heading above such a list is left to the orphaned-heading rule. Returns the
 * characters removed and what `findPosts` finds on the root as it is left (for `prunePosts`,
 * which would otherwise walk the tree again for it).
 */
export function dropPostLists(root: Element): { removed: number; posts: Element[] } {
  const first = findPosts(root);
  let units = first;
  // The root's text is measured only when a list is about to go (most pages have none).
  let rootText = -1;
  const gone: { unit: Element; parent: Element; next: Node | null }[] = [];
  let removed = 0;
  for (let i = 0; i < MAX_LISTS && units.length >= MIN_UNITS && units.every(isThreadTeaser); i++) {
    if (rootText < 0) rootText = textLength(root);
    for (const unit of units) {
      if (!unit.parentElement) continue;
      gone.push({ unit, parent: unit.parentElement, next: unit.nextSibling });
      removed += textLength(unit);
      unit.remove();
    }
    units = findPosts(root);
  }
  if (removed === 0 || removed <= rootText * MAX_SHARE) return { removed, posts: units };
  for (const { unit, parent, next } of gone.reverse()) parent.insertBefore(unit, next);
  return { removed: 0, posts: first };
}
