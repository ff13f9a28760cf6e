/**
 * General boilerplate removal before extraction: what public-sector pages wrap around their
 * content (cookie banners, breadcrumbs, skip links, share/print buttons, feedback widgets,
 * "unsupported browser" notices, SVG titles, menus and footers outside <main>).
 */

import { dropHeadingAnchors } from './anchors.js';
import { markNoteRefs } from './noterefs.js';
import { accordionPanels } from './panels.js';
import { dropStorePolicies, isProductPage } from './product.js';
import { dropDoubleRenderings } from './twins.js';
import { resolveStreamed } from './streamed.js';

const _ALWAYS =
  'script, style, noscript, template, svg, iframe, object, embed, canvas, link, meta, [hidden], [aria-hidden="true"], dialog:not([open])';
/** class, id (and a nav's aria-label) of cookie banners, breadcrumbs, skip links, share/print and feedback widgets. */
// Not a "social proof" section (socialProof_stats): its testimonials and user counts are content.
const BANNER = /cookie|consent|breadcrumb|brødsmule|skip-?link|share|print|feedback|social(?![-_]?proof)/i;

/**
 * The class words that say what an element is: utility-class variants such as Tailwind's
 * `print:hidden` or `hover:shadow` say how it is styled (here: hidden when printed), not that it
 * is a print button, and a `<main>`'s every block carried one on some sites.
 */
export function classWords(cls: string | null): string {
  if (cls === null) return '';
  return cls
    .split(/\s+/)
    .filter((w) => !w.includes(':'))
    .join(' ');
}

/** Short elements whose whole text is one of these are boilerplate. */
const BOILERPLATE_TEXT = new RegExp(
  '^(?:' +
    [
      'gå til (?:hovedinnhold|innhold)(?:et)?',
      'hopp (?:til|over) (?:hovedinnhold|innhold|navigasjon)(?:et)?',
      'skip to (?:main )?content',
      'del(?: siden| på \\w+)?',
      'skriv ut(?: siden)?',
      'last ned som pdf',
      'kopier lenke(?:n)?',
      'lenke til (?:dokumentet|siden)',
      'tips en venn',
      'til toppen',
      'fant du det du lette etter\\??.*',
      'fann du det du leitte etter\\??.*',
      'var denne siden nyttig\\??.*',
      'du benytter en nettleser vi ikke støtter.*',
      'created with sketch\\.?',
      'meny',
      'søk',
      'lukk',
      // A placeholder for what a script loads later: "Loading...", "Loading recommendations", "Laster inn …", "Please wait".
      '(?:(?:loading|laster(?: inn)?|henter)(?: (?:content|recommendations|reviews|results|products|more|innhold|anbefalinger|anmeldelser|resultater|produkter|flere))?|please wait|vennligst vent)(?: ?(?:\\.{1,3}|…))?',
    ].join('|') +
    ')$',
  'i',
);

const WIDGET_TEXT = /^(fant du det du lette etter|fann du det du leitte etter|var denne siden nyttig|du benytter en nettleser)/i;
const CONTAINERS = new Set([
  'P',
  'DIV',
  'SECTION',
  'ASIDE',
  'FORM',
  'SPAN',
  'BUTTON',
  'A',
  'LI',
  'SMALL',
  'FIELDSET',
  'H2',
  'H3',
  'H4',
  'LABEL',
  'STRONG',
]);

/**
 * Remove short elements whose whole text is boilerplate. Walks text nodes once (linear), and
 * for a text node that matches, removes its outermost ancestor that still holds nothing but
 * boilerplate-sized text, so "Fant du det du lette etter? [Ja] [Nei]" goes as a unit.
 */
function removeBoilerplateText(doc: Document): void {
  const walker = doc.createTreeWalker(doc.body ?? doc.documentElement, 4 /* NodeFilter.SHOW_TEXT */);
  const hits: Element[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const data = (n as Text).data;
    if (data.length > 300 || data.trim() === '') continue;
    if (!BOILERPLATE_TEXT.test(data.replace(/\s+/g, ' ').trim())) continue;
    let el = n.parentElement;
    if (!el || !CONTAINERS.has(el.tagName)) continue;
    // The element must hold nothing but the boilerplate ("<p>Søk <a>her</a></p>" stays).
    if (!BOILERPLATE_TEXT.test((el.textContent ?? '').replace(/\s+/g, ' ').trim())) continue;
    // A feedback widget or browser notice goes as a unit with its buttons: climb while small.
    if (WIDGET_TEXT.test(data.trim())) {
      while (el.parentElement && CONTAINERS.has(el.parentElement.tagName) && (el.parentElement.textContent?.length ?? 0) <= 120)
        el = el.parentElement;
    }
    hits.push(el);
  }
  for (const el of hits) el.remove();
}

/** The element after `el` in document order, staying under `root`; null at the end. */
function nextInTree(el: Element, root: Element): Element | null {
  if (el.firstElementChild) return el.firstElementChild;
  let e: Element | null = el;
  while (e && e !== root && !e.nextElementSibling) e = e.parentElement;
  return e && e !== root ? e.nextElementSibling : null;
}

/** Every element under `root` (inclusive) in document order, by an iterative walk. */
export function allElements(root: Element): Element[] {
  const out: Element[] = [];
  for (let el: Element | null = root; el; el = nextInTree(el, root)) out.push(el);
  return out;
}

/**
 * The first element under `root` (exclusive), in document order, that `test` accepts; null when none.
 * A plain walk: jsdom's selector engine costs far more per call than the walk itself.
 */
export function firstDescendant(root: Element, test: (el: Element) => boolean): Element | null {
  for (let el: Element | null = root.firstElementChild; el; el = nextInTree(el, root)) if (test(el)) return el;
  return null;
}

/** Whether `el` is the page's main content landmark by its role: `<main>` or `role="main"`. */
const isMainLandmark = (el: Element): boolean => el.localName === 'main' || el.getAttribute('role') === 'main';

/**
 * The ids of a page's main content where it has no `<main>`: the target of its skip link ("Skip to
 * content" → `#main`, `#main-content`), a landmark by another name.
 */
const MAIN_ID = /^(?:main|main-?content|content-?main)$/i;

/** Whether `el` is the page's main content: `<main>`, `role="main"`, or a block inside <body> whose id names it so (`MAIN_ID`). */
export const isMain = (el: Element): boolean =>
  isMainLandmark(el) || (el.localName !== 'body' && el.localName !== 'html' && MAIN_ID.test(el.getAttribute('id') ?? ''));

/** The first element of `all` that is the page's main content: a landmark by its role, else by its id. */
function firstMain(all: readonly Element[]): Element | undefined {
  return all.find(isMainLandmark) ?? all.find(isMain);
}

/** What `doc.querySelector('main, [role="main"]')` returns, by a walk; else the first block a `MAIN_ID` id names. */
export function findMain(doc: Document): Element | null {
  const root = doc.documentElement;
  if (!root) return null;
  if (isMainLandmark(root)) return root;
  return firstDescendant(root, isMainLandmark) ?? firstDescendant(root, isMain);
}

const CONTAINER_TAGS = new Set(['main', 'article', 'h1', 'table']);

/** Undo the usual ways a collapsed panel is hidden: `hidden`, `aria-hidden`, inline display/visibility. */
function reveal(el: Element): void {
  el.removeAttribute('hidden');
  if (el.getAttribute('aria-hidden') === 'true') el.removeAttribute('aria-hidden');
  const style = el.getAttribute('style');
  if (style && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)) {
    el.setAttribute('style', style.replace(/(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important)?\s*;?/gi, ''));
  }
}

/** A nav whose every link points into the page itself ("#hvem", "#soke"): a table of contents. */
function isInPageToc(nav: Element): boolean {
  const links = nav.getElementsByTagName('a');
  if (links.length === 0) return false;
  for (const a of links) {
    const href = a.getAttribute('href') ?? '';
    if (!href.startsWith('#') || href.length < 2) return false;
  }
  return true;
}

const BLOCK_TAGS = new Set([
  'p',
  'div',
  'section',
  'article',
  'header',
  'footer',
  'aside',
  'main',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'dl',
  'table',
  'figure',
  'blockquote',
  'br',
  'hr',
]);

/**
 * Whether `el` is a line of its own: no text or inline element next to it, only elements of
 * `breaks` (tags that end a line: blocks, `<br>`) or nothing. Each rule passes the tags it counts.
 */
export function standsAlone(el: Element, breaks: ReadonlySet<string> = BLOCK_TAGS): boolean {
  for (const dir of ['previousSibling', 'nextSibling'] as const) {
    let n = el[dir];
    while (n && n.nodeType === 3 && (n.textContent ?? '').trim() === '') n = n[dir];
    if (n && (n.nodeType !== 1 || !breaks.has((n as Element).localName))) return false;
  }
  return true;
}

const BARE_DATE = /^(?:\d{1,2}\.\s*\p{L}+\s+\d{4}|\d{1,2}\.\d{1,2}\.\d{2,4}|\d{4}-\d{2}-\d{2})$/u;

/** Elements that never hold readable content (the `ALWAYS` selector's tags). */
const ALWAYS_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'iframe',
  'object',
  'embed',
  'canvas',
  'link',
  'meta',
  // A drop-down's options ("Antall: 1 2 3 ... 40", "Sorter etter") are a form's, not the page's text.
  'select',
  'datalist',
]);
/** A <noscript> with at least this much text is content, not a notice. */
const NOSCRIPT_KEPT_CHARS = 500;
const CHROME_TAGS = new Set(['header', 'footer', 'nav', 'aside']);
const CHROME_ROLES = new Set(['navigation', 'banner', 'contentinfo']);

/**
 * Show accordion panels and tabs hidden by attributes or inline style: they still hold real text.
 * A panel is a tabpanel, the next sibling of a collapsed toggle, or what a toggle's aria-controls
 * names (the toggle often sits inside a heading, so the panel is no sibling of it).
 */
function revealPanels(all: readonly Element[]): void {
  const controlled = new Set<string>();
  for (const el of all) {
    const ids = el.getAttribute('aria-controls');
    if (ids && (el.hasAttribute('aria-expanded') || el.getAttribute('role') === 'tab'))
      for (const id of ids.split(/\s+/)) if (id) controlled.add(id);
  }
  const panels = accordionPanels(all);
  for (const el of all) {
    const id = el.getAttribute('id');
    if (
      panels.has(el) ||
      el.getAttribute('role') === 'tabpanel' ||
      el.previousElementSibling?.getAttribute('aria-expanded') === 'false' ||
      (id !== null && controlled.has(id))
    )
      reveal(el);
  }
}

/**
 * A modal window built of divs (`role="dialog"`): a sign-up, cookie or "republish this" box that
 * the page opens on a click, hidden until then or marked modal. Its text is not the page's.
 */
function isClosedModal(el: Element): boolean {
  const role = el.getAttribute('role');
  if (role !== 'dialog' && role !== 'alertdialog') return false;
  return el.getAttribute('aria-modal') === 'true' || /display\s*:\s*none/i.test(el.getAttribute('style') ?? '');
}

/**
 * An open modal (a cookie or sign-up box) marks the rest of the page `aria-hidden` so that screen
 * readers stay in it: `<main aria-hidden="true">`, or a wrapper around it. That is the page, not
 * hidden text; taken as hidden, the cookie box was all that was left (an eBay item page).
 */
function unhideInertPage(all: readonly Element[]): void {
  const mains = all.filter((el) => el.localName === 'main' || el.getAttribute('role') === 'main');
  if (mains.length === 0) return;
  for (const el of all) {
    if (el.getAttribute('aria-hidden') === 'true' && mains.some((m) => m === el || el.contains(m))) el.removeAttribute('aria-hidden');
  }
}

/**
 * Drop what never holds readable content: scripts, styles, frames, form drop-downs, hidden
 * elements, closed dialogs. A <noscript> that holds a page's worth of text is what a reader without
 * scripts gets (forum software serves its posts that way): it is unwrapped first. Short ones ("Slå
 * på JavaScript", a tracking pixel) go with the rest.
 */
function removeNeverContent(all: readonly Element[]): void {
  for (const el of all) {
    if (el.localName === 'noscript' && el.isConnected && (el.textContent ?? '').trim().length >= NOSCRIPT_KEPT_CHARS)
      el.replaceWith(...el.childNodes);
  }
  unhideInertPage(all);
  for (const el of all) {
    if (!el.isConnected) continue;
    const tag = el.localName;
    if (
      ALWAYS_TAGS.has(tag) ||
      el.hasAttribute('hidden') ||
      el.getAttribute('aria-hidden') === 'true' ||
      (tag === 'dialog' && !el.hasAttribute('open')) ||
      isClosedModal(el)
    )
      el.remove();
  }
}

/**
 * Drop cookie banners, breadcrumbs, skip links, share/print and feedback widgets by their class, id
 * or (for a nav) aria-label: one regex over them beats a dozen case-insensitive attribute selectors
 * (3x faster here). Never the main content itself because a class name happens to match.
 */
function removeBanners(all: readonly Element[]): void {
  for (const el of all) {
    const cls = el.getAttribute('class');
    const id = el.getAttribute('id');
    const label = el.localName === 'nav' ? el.getAttribute('aria-label') : null;
    if (cls === null && id === null && label === null) continue;
    const key = `${classWords(cls)} ${id ?? ''}${label !== null ? ` ${label}` : ''}`;
    if (!BANNER.test(key) || !el.isConnected) continue;
    const isContainer =
      firstDescendant(el, (d) => CONTAINER_TAGS.has(d.localName)) !== null ||
      ['MAIN', 'ARTICLE', 'BODY', 'HTML', 'TABLE'].includes(el.tagName);
    if (!isContainer && (el.textContent?.length ?? 0) < 1500) el.remove();
  }
}

/**
 * Drop the page's landmarks of chrome: in-page tables of contents ("I dette kapittelet" repeats the
 * page's own headings); with <main>, every header, footer, nav, aside and navigation, banner or
 * contentinfo role outside it; without, every nav and such role and body's own header and footer.
 */
function removeChromeLandmarks(doc: Document, all: readonly Element[]): void {
  const main = firstMain(all);
  const body = doc.body;
  for (const el of all) {
    const isChrome = CHROME_TAGS.has(el.localName) || CHROME_ROLES.has(el.getAttribute('role') ?? '');
    if (!isChrome || !el.isConnected) continue;
    if (el.localName === 'nav' && isInPageToc(el)) el.remove();
    else if (main) {
      if (!main.contains(el) && !el.contains(main)) el.remove();
    } else if (
      el.localName === 'nav' ||
      CHROME_ROLES.has(el.getAttribute('role') ?? '') ||
      ((el.localName === 'header' || el.localName === 'footer') && el.parentElement === body)
    ) {
      el.remove();
    }
  }
}

/**
 * Remove boilerplate from `doc` in place; `remove` adds per-source selectors.
 * One walk collects the elements and plain JavaScript tests them: jsdom's CSS selector engine
 * took ~12 ms a page for the half-dozen selectors this used to run.
 */
export function clean(doc: Document, remove: readonly string[]): void {
  const root = doc.documentElement;
  if (!root) return;
  let all = allElements(root);
  // React's streamed parts, hidden at the end of <body> until a script moves them, go in place first.
  if (resolveStreamed(all) > 0) all = allElements(root);
  // Read before the scripts go: a product page's structured data is a script (product.ts).
  const isProduct = isProductPage(all);
  revealPanels(all);
  removeNeverContent(all);
  for (const sel of remove) {
    for (const el of doc.querySelectorAll(sel)) el.remove();
  }
  all = all.filter((el) => el.isConnected);
  // A footnote's marker is written "[1]": glued, "8 232 kroner1" read as a wrong number (noterefs.ts).
  markNoteRefs(all);
  // A heading's anchor id is its topic ("#social-media-55"), not a role: no vocabulary reads it.
  dropHeadingAnchors(all);
  removeBanners(all);
  removeChromeLandmarks(
    doc,
    all.filter((el) => el.isConnected),
  );
  // A <time> that is a block of its own ("22. mars 2024" under a news heading) is the page's date,
  // already read from its datetime attribute: like a "Publisert" line, it is metadata, not text.
  for (const t of [...doc.getElementsByTagName('time')]) {
    const own = (t.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (t.hasAttribute('datetime') && BARE_DATE.test(own) && standsAlone(t)) t.remove();
  }
  removeBoilerplateText(doc);
  if (isProduct && doc.body) dropStorePolicies(doc.body);
  // A block rendered twice, for wide and for narrow screens, reads once (narrow.ts, twins.ts).
  if (doc.body) dropDoubleRenderings(doc.body, allElements(doc.body));
  for (const d of doc.getElementsByTagName('details')) d.setAttribute('open', '');
}
