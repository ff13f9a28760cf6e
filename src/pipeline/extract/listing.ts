/**
 * Rules for collection and listing pages (issue 14): a category of products, a chart of films, a
 * section front of stories. Their units (a card's title, price, rating; a teaser's date) are the
 * page's content, not chrome.
 */

/** Form controls: a block holding one is something to click or fill in, not something to read. */
const CONTROL_TAGS = ['button', 'input', 'select', 'textarea'];

/** class/id words of a rating (stars, a score and its vote count, "4 reviews"). */
const RATING_CLASS = /(?:^|[\s_-])rating(?:$|[\s_-])/i;

/**
 * Whether a block with the class/id words `key` is a rating widget to drop: a rating is chrome
 * ("Rate this page", "Var siden nyttig?") unless it shows a value: a digit and no control to rate
 * with. A card's "5.9 (22K)" or "4 reviews with an average rating of 4.8" is a fact of its unit.
 */
export function isRatingWidget(el: Element, key: string): boolean {
  if (!RATING_CLASS.test(key)) return false;
  if (!/\d/.test(el.textContent ?? '')) return true;
  return CONTROL_TAGS.some((t) => el.getElementsByTagName(t).length > 0);
}
