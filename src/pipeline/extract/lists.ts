/**
 * Lists inside a service page's text (issue 14): a bullet list of what a service checks, a grid of
 * integration cards, the steps of a course. Readability scores lists down (their items are short
 * and often links), and the cut to its blocks (choice.ts) judges each item alone, where a short
 * item is no prose; a list of like items between the blocks it kept is content whole.
 */
import { textLength } from './text.js';

/** A list holds at least this many items. */
const MIN_ITEMS = 3;
/** An item of a menu is a label; an item of content is a phrase or a card: at least this long on average. */
const MIN_AVG_ITEM_CHARS = 20;

/** Past this share of link text, a list whose items hold several links is a menu. */
const MAX_MENU_LINK_SHARE = 0.6;

/**
 * Whether the list `list` (a `<ul>` or `<ol>`) reads as content rather than a menu: at least
 * `MIN_ITEMS` items, none holding a form control, their text `MIN_AVG_ITEM_CHARS` long on average,
 * and each item one link at most (a card, a plain bullet) or the list mostly text outside its
 * links (bullets with a link in their words). A menu's items are links, several to an item.
 */
export function isContentList(list: Element): boolean {
  if (list.localName !== 'ul' && list.localName !== 'ol') return false;
  let items = 0;
  let chars = 0;
  let links = 0;
  let oneLinkEach = true;
  for (const li of list.children) {
    if (li.localName !== 'li') continue;
    for (const tag of ['button', 'input', 'select']) if (li.getElementsByTagName(tag).length > 0) return false;
    const as = li.getElementsByTagName('a');
    if (as.length > 1) oneLinkEach = false;
    for (const a of as) links += textLength(a);
    items++;
    chars += textLength(li);
  }
  if (items < MIN_ITEMS || chars < items * MIN_AVG_ITEM_CHARS) return false;
  return oneLinkEach || links <= chars * MAX_MENU_LINK_SHARE;
}

/** A test of whether a list item belongs to a content list (`isContentList`); one answer per list. */
export function contentListTest(): (el: Element) => boolean {
  const lists = new Map<Element, boolean>();
  return (el) => {
    const list = el.parentElement;
    if (el.localName !== 'li' || !list) return false;
    let ok = lists.get(list);
    if (ok === undefined) lists.set(list, (ok = isContentList(list)));
    return ok;
  };
}
