/**
 * Rules for articles, documentation and service pages (issue 14): the labels and lines around an
 * article's text that say where one is in the page rather than what the page says (a table of
 * contents' title, the page's own date and revision stamp, a pager, taxonomy, sharing prompts,
 * repeated calls to action), and the feature cards of a service page that are content although
 * they are links. Used by prune.ts's per-block judgement.
 */
import { standsAlone } from './clean.js';
import { blockLines, HEADING_TAGS, normalizeLine } from './text.js';

/**
 * The whole text of a table of contents' title, in English and Norwegian ("Table of contents",
 * "On this page", "Innholdsfortegnelse", "På denne siden"). Not a bare "Contents" or "Innhold":
 * those head a section of content at times ("Innhold" of a course).
 */
const TOC_LABEL =
  /^(?:table of contents|contents of this (?:page|article)|page contents|on this page|in this (?:article|page|post|guide)|jump to(?: section)?|innholdsfortegnelse|innhold på (?:denne|siden)|på denne siden|i denne artikkelen|hopp til(?: seksjon| avsnitt)?|contents)\s*:?$/i;

/** Whether a short text `t` is only the title of a table of contents (a list of the page's own sections). */
export function isTocLabel(t: string): boolean {
  if (/^contents\s*:?$/i.test(t)) return /:$/.test(t.trim());
  return TOC_LABEL.test(t);
}

/** An English date with its month named: "December 11, 2025", "Dec 17th 2025", "18th Dec 2025", "Friday, December 19, 2025". */
const BARE_EN_DATE =
  /^(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,? )?(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,? \d{4})$/i;

/** Tags that make a line of their own: a date alone in one is a line of its own. */
const LINE_TAGS = new Set(['div', 'p', 'section', 'header', 'footer', 'li', 'h2', 'h3', 'h4', 'h5', 'h6', 'span', 'small', 'time']);
/** Inline tags: a date in one is a line of its own only between blocks (or alone in its parent). */
const INLINE_TAGS = new Set(['span', 'small', 'time']);
/** Tags `blockLines` starts a new line at. */
const BREAKS = new Set(['div', 'p', 'section', 'article', 'header', 'footer', 'ul', 'ol', 'li', 'br', 'figure', 'table', ...HEADING_TAGS]);

/** Where a date is a value of the content (a table's cell, a definition's value), never the page's stamp. */
const VALUE_PARENTS = 'td, th, dd, table, dl';

/**
 * The page's date standing alone as a line ("June 9, 2025" under an article's heading): metadata
 * (read from the page's meta tags), not text. Only when it is the one such line under `root`:
 * several are a thread's or a listing's dates, which belong to their posts and teasers. English
 * dates with the month named only (a Norwegian page's "Publisert" stamps are lifted by text.ts,
 * and a bare Norwegian date can be a deadline). The outermost element whose whole text is the date;
 * a date inside a line with other words stays.
 */
export function loneDateLine(all: readonly Element[], text: ReadonlyMap<Element, number>, root: Element): Element | null {
  return loneLine(all, text, root, {
    min: 8,
    max: 40,
    tags: LINE_TAGS,
    inline: INLINE_TAGS,
    breaks: BREAKS,
    matches: (line) => BARE_EN_DATE.test(line),
    veto: (el) => el.closest(VALUE_PARENTS) !== null,
  });
}

/** What makes a line `loneLine` looks for. */
export interface LoneLineSpec {
  /** Its length in characters, at least and at most. */
  min: number;
  max: number;
  /** The tags its element can have; an element with one of `inline` must stand alone between `breaks` (see `standsAlone`). */
  tags: ReadonlySet<string>;
  inline: ReadonlySet<string>;
  breaks?: ReadonlySet<string>;
  /** Whether a normalised text is such a line. */
  matches: (line: string) => boolean;
  /** Where such a line is a value of the content, not the page's own: one found there means none is taken. */
  veto?: (el: Element) => boolean;
}

/**
 * The one element under `root` (`all` its elements, `text` their text lengths) whose whole text is
 * a line `spec` describes, the outermost with that text; null when there is none or more than
 * one (several are a listing's or a thread's, which belong to their teasers and posts).
 */
export function loneLine(all: readonly Element[], text: ReadonlyMap<Element, number>, root: Element, spec: LoneLineSpec): Element | null {
  let found: Element | null = null;
  for (const el of all) {
    if (el === root) continue;
    const t = text.get(el) ?? 0;
    if (t < spec.min || t > spec.max || !spec.tags.has(el.localName)) continue;
    const p = el.parentElement;
    // Only the outermost element with the line's text.
    if (p && p !== root && (text.get(p) ?? 0) === t) continue;
    if (!spec.matches(normalizeLine(el.textContent ?? '')) || (spec.inline.has(el.localName) && !standsAlone(el, spec.breaks))) continue;
    if (found || spec.veto?.(el)) return null;
    found = el;
  }
  return found;
}

/** A date as a page's stamp gives it: "Oct 31, 2025", "April 2025", "2026-01-26 15:45:07Z". */
const STAMP_DATE =
  '(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.? (?:\\d{1,2}(?:st|nd|rd|th)?,? )?\\d{4}|\\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?,? \\d{4}|\\d{4}-\\d{2}-\\d{2})';
/**
 * The line a page's revision stamp makes: "Date Last Reviewed: April 2025", "This page was last
 * modified on Jul 15, 2025 by MDN contributors.", "Last modified January 07, 2026 at 4:12 AM PST: Fix…".
 */
const LAST_CHANGED = new RegExp(
  `^(?:date |this (?:page|article|document) was )?last (?:modified|updated|edited|reviewed)(?: on)?:? ${STAMP_DATE}\\b.*$`,
  'i',
);
/** A stamp's label standing without its date ("Published on", the date a line of its own). */
const STAMP_LABEL = /^(?:date )?(?:last )?(?:updated|published|modified|reviewed)(?: on)?\s*:?$/i;
/** The words one of which every stamp `isStampField` reads holds (`LAST_CHANGED`, `STAMP_LABEL`). */
const STAMP_WORD = /updated|published|modified|reviewed|edited/i;
/** Inline tags: a label in one stands inside a line ("<span>Updated</span> February 27, 2026"). */
const INLINE_LABEL_TAGS = new Set(['span', 'small']);

/**
 * Whether the small block `el` is only a page's stamp: a revision line (`LAST_CHANGED`, its lines
 * read as `blockLines` gives them) or, a line of its own, a stamp's bare label.
 */
export function isStampField(el: Element): boolean {
  // Every stamp names its kind of date: the block's lines are read only when one of the words is there.
  if (!STAMP_WORD.test(el.textContent ?? '')) return false;
  const t = blockLines(el).join(' ');
  return LAST_CHANGED.test(t) || (!INLINE_LABEL_TAGS.has(el.localName) && STAMP_LABEL.test(t));
}

/**
 * The verbs a call to action starts with, in English and Norwegian ("Learn more", "Get started",
 * "Read case study", "Les mer", "Kom i gang", "Bestill time"): a link that names a thing (an
 * author, a shop, a tag) is no control.
 */
const CTA_START =
  /^(?:learn|read|see|view|get|explore|discover|download|try|start|book|contact|request|apply|enrol|enroll|sign|shop|buy|order|find|know|watch|talk|add|close|back|go|show|open|join|register|subscribe|les|se|finn|kontakt|søk|bestill|meld|last|prøv|kom|vis|åpne|gå|tilbake|lukk)(?![\p{L}\p{N}])/iu;

/** Link or button text at most this long is a control's label, not a sentence. */
const MAX_CONTROL_CHARS = 40;
/** A control label repeated at least this many times under the root is a row of call-to-action buttons. */
const MIN_CONTROL_REPEATS = 3;

/**
 * Call-to-action controls repeated across a page's sections ("KNOW MORE", "Get started", "Read
 * case study" under every card): links or buttons standing as a line of their own whose label
 * occurs `MIN_CONTROL_REPEATS` times or more, without a digit (a phone number or a price on a
 * button is a fact). The outermost element holding only the label goes.
 */
export function repeatedControls(all: readonly Element[], text: ReadonlyMap<Element, number>, root: Element): Element[] {
  const groups = new Map<string, Element[]>();
  for (const el of all) {
    if (el.localName !== 'a' && el.localName !== 'button') continue;
    const t = text.get(el) ?? 0;
    if (t < 2 || t > MAX_CONTROL_CHARS) continue;
    let top = el;
    for (let p = el.parentElement; p && p !== root && (text.get(p) ?? 0) === t; p = p.parentElement) top = p;
    if ((INLINE_TAGS.has(top.localName) || top.localName === 'a' || top.localName === 'button') && !standsAlone(top, BREAKS)) continue;
    if (top.closest('td, th')) continue;
    const label = normalizeLine(el.textContent ?? '').toLowerCase();
    // A digit is a fact; a full stop ends a sentence ("Read our full review."), which a button's label does not.
    if (/\d|[.!]$/.test(label) || !CTA_START.test(label)) continue;
    const g = groups.get(label);
    if (g) g.push(top);
    else groups.set(label, [top]);
  }
  const out: Element[] = [];
  for (const g of groups.values()) if (g.length >= MIN_CONTROL_REPEATS) out.push(...g);
  return out;
}

/** A card's link holds its heading and a sentence or two: past this average link text a link list is cards. */
const MIN_CARD_LINK_CHARS = 50;

/**
 * Whether the link-dense block `el` (`link` characters of link text in `links` links) is a grid of
 * feature cards, each a link wrapping a heading and its description, with prose after it under
 * `root`: a service page's sections, not a menu (short link texts) nor the teasers of other pages
 * that end an article. `text` and `linkText` give every element's text and link-text length.
 */
export function isCardGrid(
  el: Element,
  links: number,
  text: ReadonlyMap<Element, number>,
  linkText: ReadonlyMap<Element, number>,
  root: Element,
): boolean {
  if (links === 0 || (linkText.get(el) ?? 0) / links < MIN_CARD_LINK_CHARS) return false;
  if (!['h2', 'h3', 'h4', 'h5', 'h6'].some((h) => el.getElementsByTagName(h).length > 0)) return false;
  // Teasers of other pages come after the page's own text; a section of the page has more after it.
  for (let a: Element | null = el; a && a !== root; a = a.parentElement)
    for (let n = a.nextElementSibling; n; n = n.nextElementSibling) {
      const t = text.get(n) ?? 0;
      if (t >= 100 && (linkText.get(n) ?? 0) < t * 0.3) return true;
    }
  return false;
}

/**
 * The whole text of an article's closing chrome, in English and Norwegian: the social-media and
 * sharing prompts and end markers after the text ("Follow Us On Social Media", "Share this article
 * with your friends", "End of Article", "Følg oss på Facebook", "Del artikkelen").
 */
const CLOSING_CHROME =
  /^(?:follow us(?: on [\p{L} ]+)?|share this (?:article|post|page|story)(?: with [\p{L} ]+)?|end of (?:the )?(?:article|story)|følg oss(?: på [\p{L} ]+)?|del (?:artikkelen|saken|siden)(?: med [\p{L} ]+)?)\s*[:!.]?$/iu;

/** Whether a short block's whole text `t` is an article's closing chrome (`CLOSING_CHROME`). */
export function isClosingChrome(t: string): boolean {
  return CLOSING_CHROME.test(t);
}

/** A post's pager alone: "Prev Post Next Post", "Previous Next", "« Forrige side Neste side »" (normalizeLine makes guillemets straight quotes). */
const PAGER =
  /^(?:[«‹←"<]?\s*(?:prev(?:ious)?|next|forrige|neste)(?: (?:post|article|page|chapter|story|entry|artikkel|side|sak|kapittel))?\s*[»›→">]?\s*){1,2}$/i;
/** A pager's link with the other page's title: "Previous article: Share Memory By Communicating". */
const PAGER_LINK = /^(?:prev(?:ious)?|next|forrige|neste) (?:post|article|page|chapter|story|entry|artikkel|side|sak|kapittel)\s*:\s*\S/i;

/**
 * Whether a short block (its whole text `t`, `link` characters of it link text) is a post's pager:
 * the previous and next links alone, or one of them with the other page's title as its link.
 */
export function isPager(t: string, link: number): boolean {
  return PAGER.test(t) || (PAGER_LINK.test(t) && link >= t.length * 0.5);
}

/** The label of a post's taxonomy line, in English and Norwegian: "Tags:", "Categories:", "Filed under:", "Emneord:". */
const TAXONOMY_LABEL = /^(?:tags?|tagged(?: with)?|categor(?:y|ies)|filed under|topics?|emneord|stikkord|kategori(?:er)?|tema(?:er)?)\s*:/i;

/**
 * Whether a short block (its whole text `t`, `link` characters of it link text) is a post's
 * taxonomy line: the label alone, or the label and links (tag names) making up the rest.
 */
export function isTaxonomyLine(t: string, link: number): boolean {
  const m = TAXONOMY_LABEL.exec(t);
  if (!m) return false;
  const rest = t.length - m[0].length;
  return rest <= 1 || link >= rest * 0.6;
}

/**
 * Whether `el` is a piece of a code block (inside `<pre>` or `<code>`): a line of a program or a
 * configuration file ("image: postgres:18", "Tags: [a, b]") is the page's text verbatim, however
 * much it reads like a credit, a label or a control.
 */
export function inCode(el: Element): boolean {
  // A walk up by tag name: a selector query per element (`closest`) cost more than the rule's worth.
  for (let p = el.parentElement; p; p = p.parentElement) if (p.localName === 'pre' || p.localName === 'code') return true;
  return false;
}

/** Whether a form asks for the visitor's details (an e-mail address, a phone number, a message): a sign-up or contact form, not a search. */
function asksForContact(form: Element): boolean {
  if (form.getElementsByTagName('textarea').length > 0) return true;
  for (const i of form.getElementsByTagName('input'))
    if (
      /^(?:email|tel)$/i.test(i.getAttribute('type') ?? '') ||
      /e-?mail|e-?post|phone|telefon|mobil|^tel$/i.test(i.getAttribute('name') ?? '')
    )
      return true;
  return false;
}

/** Whether the text before `c` (the branch of a box that holds a form) is a heading, not the page's, with at most one line under it: the form's title. */
function isFormTitle(c: Element, text: ReadonlyMap<Element, number>): boolean {
  const before: Element[] = [];
  for (let n = c.previousElementSibling; n; n = n.previousElementSibling) if ((text.get(n) ?? 0) > 0) before.unshift(n);
  const head = before[0];
  if (!head || before.length > 2 || !HEADING_TAGS.includes(head.localName) || head.localName === 'h1') return false;
  return before.length === 1 || !HEADING_TAGS.includes(before[1]!.localName);
}

/** A form's title and its line of help ("Sign up for deals", "Fill in the details"): at most this long beside the form. */
const MAX_FORM_TITLE_CHARS = 100;

/**
 * What goes with a form that asks for the visitor's details (a sign-up, a contact or an audit
 * request, already judged chrome): the box that holds only the form and, above it, its title (a
 * heading, with at most a line of help under it), else the form alone. The title names the form,
 * not the page's matter; without its fields it is a stray line. Never a box with the page's
 * heading, a table or a digit (a phone number beside the form), nor one with text after the form.
 */
export function formBox(form: Element, text: ReadonlyMap<Element, number>, root: Element): Element {
  if (!asksForContact(form)) return form;
  const own = text.get(form) ?? 0;
  let box = form;
  for (let c: Element = form, p = form.parentElement; p && p !== root; c = p, p = p.parentElement) {
    const rest = (text.get(p) ?? 0) - own;
    if (rest > MAX_FORM_TITLE_CHARS || /\d/.test(p.textContent ?? '') || p.querySelector('h1, table')) break;
    // The title stands above the form: text after it is something else.
    let after = 0;
    for (let n = c.nextElementSibling; n; n = n.nextElementSibling) after += text.get(n) ?? 0;
    if (after > 0) break;
    if (isFormTitle(c, text)) box = p;
  }
  return box;
}

/** Past this much text outside links, a block named a menu or drop-down is a panel of prose. */
const MIN_PANEL_PROSE_CHARS = 200;

/**
 * Whether a block whose class names a menu or a drop-down (`t` characters, `link` of them link
 * text) is rather a disclosure panel of prose (an FAQ's answer in an "accordion__dropdown"): mostly
 * text outside links, and a couple of sentences of it. A menu is its links.
 */
export function isProsePanel(t: number, link: number): boolean {
  return t - link >= MIN_PANEL_PROSE_CHARS && link < t * 0.3;
}
