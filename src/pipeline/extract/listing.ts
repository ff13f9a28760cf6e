/**
 * Rules for collection and listing pages (issue 14): a category of products, a chart of films, a
 * section front of stories. Their units (a card's title, price, rating; a teaser's date) are the
 * page's content, not chrome.
 */
import { allElements, classWords, standsAlone } from './clean.js';
import { HEADING_TAGS, textLength } from './text.js';

/** Form controls: a block holding one is something to click or fill in, not something to read. */
const CONTROL_TAGS = ['button', 'input', 'select', 'textarea'];

/** class/id words of a rating (stars, a score and its vote count, "4 reviews"). */
const RATING_CLASS = /(?:^|[\s_-])rating(?:$|[\s_-])/i;
/** class/id words of a list of reviews or testimonials: each one's stars are its writer's, no fact of the item. */
const REVIEWS_CLASS = /(?:^|[\s_-])(?:reviews?|testimonials?|comments?|anmeldelser?|omtaler?)(?:$|[\s_-])/i;
/** How far up from a rating a review around it is looked for. */
const MAX_REVIEW_CLIMB = 8;

/** Whether `el` stands inside a review (an ancestor within `MAX_REVIEW_CLIMB` has review class/id words). */
function inReview(el: Element): boolean {
  for (let a = el.parentElement, k = 0; a && k < MAX_REVIEW_CLIMB; a = a.parentElement, k++)
    if (REVIEWS_CLASS.test(`${classWords(a.getAttribute('class'))} ${a.getAttribute('id') ?? ''}`)) return true;
  return false;
}

/**
 * Whether a block with the class/id words `key` is a rating widget to drop: a rating is chrome
 * ("Rate this page", "Var siden nyttig?", one reviewer's "5 out of 5") unless it shows a value of
 * the unit: a digit, no control to rate with, and no review around it. A card's "5.9 (22K)" or
 * "4 reviews with an average rating of 4.8" is a fact of its unit.
 */
export function isRatingWidget(el: Element, key: string): boolean {
  if (!RATING_CLASS.test(key)) return false;
  if (!/\d/.test(el.textContent ?? '')) return true;
  return CONTROL_TAGS.some((t) => el.getElementsByTagName(t).length > 0) || inReview(el);
}

/** Tag and first class word: what the cards of one grid share. */
const signature = (el: Element): string => `${el.localName} ${classWords(el.getAttribute('class')).trim().split(/\s+/)[0]}`;

/** A grid holds at least this many like units. */
const MIN_GRID_UNITS = 6;
/** A card is short: a title, a teaser line, a price; longer units are sections or paragraphs. */
const MAX_CARD_CHARS = 400;
/** A card's title links to its page: at least this share of the cards' text is link text. */
const MIN_CARD_LINK_SHARE = 0.2;

const linkLength = (el: Element): number => {
  let n = el.localName === 'a' ? textLength(el) : 0;
  if (n === 0) for (const a of el.getElementsByTagName('a')) n += textLength(a);
  return n;
};

/**
 * The share of `root`'s text held by its largest grid of cards: `MIN_GRID_UNITS` or more sibling
 * elements of the same tag and first class word, short (`MAX_CARD_CHARS` on average) and titled by
 * a link (products, films, stories). Paragraphs with links in them and long sections are no cards.
 */
export function gridShare(root: Element): number {
  const total = textLength(root);
  if (total === 0) return 0;
  let best = 0;
  for (const parent of allElements(root)) {
    if (parent.children.length < MIN_GRID_UNITS) continue;
    const groups = new Map<string, { n: number; chars: number; links: number }>();
    for (const c of parent.children) {
      if (c.localName === 'p') continue;
      const links = linkLength(c);
      if (links === 0) continue;
      const sig = signature(c);
      const g = groups.get(sig) ?? { n: 0, chars: 0, links: 0 };
      g.n++;
      g.chars += textLength(c);
      g.links += links;
      groups.set(sig, g);
    }
    for (const g of groups.values())
      if (g.n >= MIN_GRID_UNITS && g.chars <= g.n * MAX_CARD_CHARS && g.links >= g.chars * MIN_CARD_LINK_SHARE)
        best = Math.max(best, g.chars);
  }
  return best / total;
}

/** A paragraph of prose: this long at least, with sentence punctuation. */
const MIN_PROSE_CHARS = 80;
const SENTENCE = /[.!?:;](?:\s|$)/;
/** A block after `<main>` is the listing's text when it holds this much prose. */
const MIN_AFTER_PROSE = 200;
/** …and at most this share of its text is link text (a footer's link columns are no text). */
const MAX_AFTER_LINK_SHARE = 0.3;
/** The grid's share of `<main>`'s text from which `<main>` is a listing (see `gridShare`). */
const MIN_GRID_SHARE = 0.3;
/** Consent banners: their prose is about cookies, in English and Norwegian. */
const CONSENT_TEXT = /\b(?:cookies?|informasjonskapsler|samtykke|consent)\b/i;

/** The prose characters of `el`: its paragraphs of at least `MIN_PROSE_CHARS` with a sentence. */
function proseChars(el: Element): number {
  let n = 0;
  for (const p of el.getElementsByTagName('p')) {
    const t = textLength(p);
    if (t >= MIN_PROSE_CHARS && SENTENCE.test((p.textContent ?? '').trim())) n += t;
  }
  return n;
}

/**
 * The category text a shop sets after `<main>` (`main`): on a collection page `<main>` holds the
 * grid of products, and the buying guide, FAQ or description below it stands outside, before the
 * footer. When `main` is a listing (its grid of cards holds `MIN_GRID_SHARE` of its text), the
 * blocks after it (siblings of it and of its ancestors, the page's landmarks of chrome already
 * gone) that hold prose with little link text and are no consent banner move to the end of
 * `main`. Returns how many blocks moved.
 */
export function appendProseAfter(main: Element): number {
  const body = main.ownerDocument.body;
  const after: Element[] = [];
  for (let a: Element | null = main; a && a !== body; a = a.parentElement) {
    for (let s = a.nextElementSibling; s; s = s.nextElementSibling) {
      const t = textLength(s);
      if (proseChars(s) < MIN_AFTER_PROSE || linkLength(s) > t * MAX_AFTER_LINK_SHARE || CONSENT_TEXT.test(s.textContent ?? '')) continue;
      after.push(s);
    }
  }
  if (after.length === 0 || gridShare(main) < MIN_GRID_SHARE) return 0;
  for (const s of after) main.appendChild(s);
  return after.length;
}

/**
 * A test of whether a list item belongs to a list Readability kept part of: on a section front
 * (a "Cameras" row of story cards) Readability keeps some cards of a list and leaves out others
 * by their score, but the cards of one list are alike and the list is content whole. `readText`
 * is Readability's text, whitespace collapsed; one answer per list.
 */
export function keptListTest(readText: string): (el: Element) => boolean {
  const lists = new Map<Element, boolean>();
  return (el) => {
    const list = el.parentElement;
    if (el.localName !== 'li' || !list) return false;
    let kept = lists.get(list);
    if (kept === undefined) {
      kept = false;
      for (const li of list.children) {
        if (li.localName !== 'li') continue;
        const t = (li.textContent ?? '').replace(/\s+/g, ' ').trim();
        if (t !== '' && readText.includes(t.slice(0, 60))) {
          kept = true;
          break;
        }
      }
      lists.set(list, kept);
    }
    return kept;
  };
}

/** A call to action: a link label that starts with a verb to go on (English and Norwegian). */
const CALL_TO_ACTION =
  /^(?:read|see|view|shop|explore|learn|discover|continue|les|se|vis|kjøp|handle|utforsk|oppdag|lær|finn ut)\b[\p{L} '&-]*$/iu;
/** A call to action is a card's when the page repeats it at least this often. */
const MIN_CALL_REPEATS = 3;
/** …and it is short: a label, not a sentence. */
const MAX_CALL_CHARS = 30;

/** Tags that end a line beside an element: a break or a block of their own. */
const LINE_BREAKERS = new Set(['br', 'p', 'div', 'ul', 'ol', 'li', 'section', 'header', 'footer', 'figure', 'img', ...HEADING_TAGS]);

/**
 * The card controls under a root (`all` its elements): a link that stands alone as a call to
 * action (a line of its own, a verb to go on: "Read entire review", "See all reviews", "Se
 * detaljer"), a button or a form label ("Quickview", "Compare"), short and repeated word for word
 * on `MIN_CALL_REPEATS` or more cards. Each card says it; the page's content is what the card
 * shows and links to, not its controls. A label with a digit is left alone ("Read all 18
 * reviews"), as is a link label with sentence punctuation ("Read our full review.").
 */
export function repeatedCalls(all: readonly Element[]): Element[] {
  const byText = new Map<string, Element[]>();
  for (const a of all) {
    const control = a.localName === 'button' || a.localName === 'label';
    if (a.localName !== 'a' && !control) continue;
    const t = (a.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (t === '' || t.length > MAX_CALL_CHARS || /\d/.test(t)) continue;
    if (!control && (!CALL_TO_ACTION.test(t) || !standsAlone(a, LINE_BREAKERS))) continue;
    const key = t.toLowerCase();
    const list = byText.get(key) ?? [];
    list.push(a);
    byText.set(key, list);
  }
  const out: Element[] = [];
  for (const list of byText.values()) if (list.length >= MIN_CALL_REPEATS) out.push(...list);
  return out;
}

/**
 * The links of a site's footer: its legal pages and the site's own pages about itself, in English
 * and Norwegian ("Privacy", "Terms of Use", "Cookies", "Sitemap", "Accessibility", "Careers",
 * "Personvern", "Informasjonskapsler", "Nettstedskart", "Tilgjengelighetserklæring").
 */
const SITE_FOOTER_LINK =
  /^(?:privacy(?: policy| notice| statement| settings)?|your privacy choices|terms(?: of (?:use|service))?|terms (?:&|and) conditions|cookies?(?: policy| settings| preferences)?|site ?map|accessibility(?: statement)?|careers|jobs|personvern(?:erklæring)?|vilkår(?: for bruk)?|informasjonskapsler|nettstedskart|tilgjengelighet(?:serklæring)?|ledige stillinger)$/i;
/** A footer names at least this many of them… */
const MIN_FOOTER_LINKS = 2;
/** …and is mostly links: at least this share of its text. */
const MIN_FOOTER_LINK_SHARE = 0.5;

/**
 * Whether `el` (`chars` characters) is the site's footer set inside the content area: a `<footer>`
 * or contentinfo landmark, mostly links (`<a>` or script links with `role="link"`), among them
 * `MIN_FOOTER_LINKS` or more of the site's legal and about pages. A listing's or section front's
 * `<main>` at times closes with the page's footer; its link columns, copyright line and blurb
 * about the site are no part of the listing, headings and digits or not. An article's own footer
 * (its tags, its contact line) names no privacy or terms page.
 */
export function isSiteFooter(el: Element, chars: number): boolean {
  if (chars === 0 || (el.localName !== 'footer' && el.getAttribute('role') !== 'contentinfo')) return false;
  const named = new Set<string>();
  let linkChars = 0;
  for (const a of el.querySelectorAll('a, [role="link"]')) {
    if (a.parentElement?.closest('a, [role="link"]')) continue;
    const t = (a.textContent ?? '').replace(/\s+/g, ' ').trim();
    linkChars += t.length;
    if (SITE_FOOTER_LINK.test(t)) named.add(t.toLowerCase());
  }
  return named.size >= MIN_FOOTER_LINKS && linkChars >= chars * MIN_FOOTER_LINK_SHARE;
}

/**
 * The label of an ad slot, in English and Norwegian: "Advertisement", "Sponsor Message", "Skip
 * advertisement", "Story continues below advertisement", "Annonse", "Reklame". The ad itself is a
 * script's and went with it; its label stays behind as a line of its own between a listing's
 * teasers or an article's paragraphs. Not "Sponsored", which marks an item of the list as paid for
 * and belongs to it.
 */
const AD_LABEL =
  /^(?:advertisement|ad|sponsor message|skip advertisement|advertisement\s*[-–]\s*(?:scroll|continue reading) (?:to continue|below)|(?:story|article|content) continues below(?: this)? (?:advertisement|ad)|annonse|reklame|annonsørinnhold)$/i;
/** An ad label is short: a few words. */
export const MAX_AD_LABEL_CHARS = 60;

/** Whether a short block's whole text `t` is only an ad slot's label. */
export function isAdLabel(t: string): boolean {
  return AD_LABEL.test(t);
}

/** Inputs one types into (a text field's label names what to type, not a fact). */
const TYPED_INPUT = /^(?:|text|email|tel|number|search|password|url|date)$/i;
/** A field's label is short: "Full Name", "E-post", "Phone (optional)". */
const MAX_FIELD_LABEL_CHARS = 60;

/** Whether `el` is a field one types into. */
function isTypedField(el: Element): boolean {
  if (el.localName === 'textarea') return true;
  return el.localName === 'input' && TYPED_INPUT.test((el.getAttribute('type') ?? '').trim());
}

/**
 * The labels of a form's text fields under a root (`all` its elements, `text` their text
 * lengths): "Your question", "Full Name", "Email", "Phone (optional)", "Navn", "E-post". The
 * fields are gone from the text (nothing typed in them is the page's), and their labels stand as
 * lines of their own with nothing to label. A `<label>` that holds such a field or names one by
 * `for`, short and without a digit (a calculator's "Antall barn under 12 år" says a fact).
 */
export function fieldLabels(all: readonly Element[], text: ReadonlyMap<Element, number>): Element[] {
  const ids = new Set<string>();
  let any = false;
  for (const el of all) {
    if (!isTypedField(el)) continue;
    any = true;
    if (el.id) ids.add(el.id);
  }
  if (!any) return [];
  const out: Element[] = [];
  for (const el of all) {
    if (el.localName !== 'label' || (text.get(el) ?? 0) > MAX_FIELD_LABEL_CHARS || /\d/.test(el.textContent ?? '')) continue;
    const target = el.getAttribute('for');
    if (
      (target !== null && ids.has(target)) ||
      [...el.getElementsByTagName('input'), ...el.getElementsByTagName('textarea')].some(isTypedField)
    )
      out.push(el);
  }
  return out;
}

/**
 * A listing's sort control, with the order it shows: "Sort By", "Sort: Best Match", "Sort &
 * Filter", "Filter and Sort", "Sorter etter", "Sortering: Nyeste først". The order is the
 * visitor's choice, not the listing's content (clean() already drops a `<select>`'s options).
 */
const SORT_CONTROL =
  /^(?:sort(?: by)?|sort (?:&|and) filter|filter (?:&|and) sort|sorter(?: etter)?|sortering|sorter og filtrer|filtrer og sorter)(?:\s*:\s*[\p{L} ,'-]{0,30})?$/iu;
/** A sort control is short: a label and the order's name. */
const MAX_SORT_CONTROL_CHARS = 40;

/**
 * A shop's stock status, in English and Norwegian: "In Stock!", "Low Stock", "Out of stock", "Low
 * in stock, only 6 left", "Only 3 left in stock", "12 in stock", "På lager", "Ikke på lager", "Få
 * igjen på lager", "Lagerstatus: 5 stk". The state of the store's shelf at the moment of the crawl,
 * not a fact of the item: it changes from one visit to the next while the page does not.
 */
const STOCK_STATUS =
  /^(?:(?:in|out of|low|limited|back in) stock(?: online| now| and ready to ship)?|low in stock(?:,? only \d+ left)?|only \d+ left(?: in stock)?|\d+ (?:in stock|left in stock|på lager)|(?:ikke |få |få igjen |fåtall )?på lager(?: i nettbutikken)?|utsolgt fra lager(?:et)?|lagerstatus:?[\p{L}\d ,.-]{0,20})\s*[!.]?$/iu;
/** A stock status is short: a few words. */
const MAX_STOCK_STATUS_CHARS = 50;
/** Emphasis and list items: a stock status may stand in one, a sort control is looked for in a block, heading, button or label. */
const STATUS_ONLY_TAGS = new Set(['strong', 'b', 'em', 'li', 'dd']);

/**
 * Whether a short line (tag `tag`, `t` characters, its normalised whole text `line()`) is the
 * state of the shop rather than content: a listing's sort control or a product's stock status.
 */
export function isShopStateLine(tag: string, t: number, line: () => string): boolean {
  if (t <= MAX_STOCK_STATUS_CHARS && STOCK_STATUS.test(line())) return true;
  return !STATUS_ONLY_TAGS.has(tag) && t <= MAX_SORT_CONTROL_CHARS && SORT_CONTROL.test(line());
}

/** A form of choices offers at least this many checkboxes or radio buttons. */
const MIN_FILTER_CHOICES = 5;
/** …each with a short label: a size, a colour, a brand and its count of results. */
const MAX_FILTER_CHARS_PER_CHOICE = 40;

/**
 * Whether the form `el` (`t` characters) is a form of choices: `MIN_FILTER_CHOICES` or more
 * checkboxes and radio buttons, no field to type in (a search box aside), and no more text than
 * short labels for them. A listing's filter ("Size 8 8.5 9", "Under $75", "Brand BOTE (7)") or a
 * calculator's options ("AI Search $35/user"): what the visitor can pick, whose counts change with
 * the stock, not what the page says; the listing or the result is outside it. Digits do not keep
 * it, as they keep a form with a text field (a sign-up's phone line).
 */
export function isFilterForm(el: Element, t: number): boolean {
  if (el.localName !== 'form' || el.getElementsByTagName('textarea').length > 0) return false;
  let choices = 0;
  for (const i of el.getElementsByTagName('input')) {
    const type = (i.getAttribute('type') ?? 'text').toLowerCase();
    if (type === 'checkbox' || type === 'radio') choices++;
    else if (!/^(?:hidden|submit|button|reset|search|range|number)$/.test(type)) return false;
  }
  return choices >= MIN_FILTER_CHOICES && t <= choices * MAX_FILTER_CHARS_PER_CHOICE;
}
