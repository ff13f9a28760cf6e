/**
 * General boilerplate removal before extraction: what public-sector pages wrap around their
 * content (cookie banners, breadcrumbs, skip links, share/print buttons, feedback widgets,
 * "unsupported browser" notices, SVG titles, menus and footers outside <main>).
 */

const ALWAYS = 'script, style, noscript, template, svg, iframe, object, embed, canvas, link, meta, [hidden], [aria-hidden="true"], dialog:not([open])';
/** class, id (and a nav's aria-label) of cookie banners, breadcrumbs, skip links, share/print and feedback widgets. */
const BANNER = /cookie|consent|breadcrumb|brødsmule|skip-?link|share|print|feedback|social/i;

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
      'til toppen',
      'fant du det du lette etter\\??.*',
      'fann du det du leitte etter\\??.*',
      'var denne siden nyttig\\??.*',
      'du benytter en nettleser vi ikke støtter.*',
      'created with sketch\\.?',
      'meny',
      'søk',
      'lukk',
    ].join('|') +
    ')$',
  'i',
);

const WIDGET_TEXT = /^(fant du det du lette etter|fann du det du leitte etter|var denne siden nyttig|du benytter en nettleser)/i;
const CONTAINERS = new Set(['P', 'DIV', 'SECTION', 'ASIDE', 'FORM', 'SPAN', 'BUTTON', 'A', 'LI', 'SMALL', 'FIELDSET', 'H2', 'H3', 'H4', 'LABEL', 'STRONG']);

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
      while (el.parentElement && CONTAINERS.has(el.parentElement.tagName) && (el.parentElement.textContent?.length ?? 0) <= 120) el = el.parentElement;
    }
    hits.push(el);
  }
  for (const el of hits) el.remove();
}

/** Every element under `root` (inclusive) in document order, by an iterative walk. */
export function allElements(root: Element): Element[] {
  const out: Element[] = [];
  let el: Element | null = root;
  while (el) {
    out.push(el);
    if (el.firstElementChild) {
      el = el.firstElementChild;
      continue;
    }
    while (el && el !== root && !el.nextElementSibling) el = el.parentElement;
    el = el && el !== root ? el.nextElementSibling : null;
  }
  return out;
}

/** Elements that never hold readable content (the `ALWAYS` selector's tags). */
const ALWAYS_TAGS = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'embed', 'canvas', 'link', 'meta']);
const CHROME_TAGS = new Set(['header', 'footer', 'nav', 'aside']);
const CHROME_ROLES = new Set(['navigation', 'banner', 'contentinfo']);

/**
 * Remove boilerplate from `doc` in place; `remove` adds per-source selectors.
 * One walk collects the elements and plain JavaScript tests them: jsdom's CSS selector engine
 * took ~12 ms a page for the half-dozen selectors this used to run.
 */
export function clean(doc: Document, remove: readonly string[]): void {
  const root = doc.documentElement;
  if (!root) return;
  let all = allElements(root);
  // Accordion panels and tabs hidden by attributes still hold real text: show them first.
  for (const el of all) {
    if (el.getAttribute('role') === 'tabpanel' || el.previousElementSibling?.getAttribute('aria-expanded') === 'false') el.removeAttribute('hidden');
  }
  for (const el of all) {
    const tag = el.localName;
    if (ALWAYS_TAGS.has(tag) || el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true' || (tag === 'dialog' && !el.hasAttribute('open'))) el.remove();
  }
  for (const sel of remove) {
    for (const el of doc.querySelectorAll(sel)) el.remove();
  }
  all = all.filter((el) => el.isConnected);
  // One regex over class/id beats a dozen case-insensitive attribute selectors (3x faster here).
  for (const el of all) {
    const cls = el.getAttribute('class');
    const id = el.getAttribute('id');
    const label = el.localName === 'nav' ? el.getAttribute('aria-label') : null;
    if (cls === null && id === null && label === null) continue;
    const key = `${cls ?? ''} ${id ?? ''}${label !== null ? ` ${label}` : ''}`;
    if (!BANNER.test(key) || !el.isConnected) continue;
    // Never remove the main content itself because a class name happens to match.
    const isContainer = el.querySelector('main, article, h1, table') !== null || ['MAIN', 'ARTICLE', 'BODY', 'HTML', 'TABLE'].includes(el.tagName);
    if (!isContainer && (el.textContent?.length ?? 0) < 1500) el.remove();
  }
  all = all.filter((el) => el.isConnected);
  const main = all.find((el) => el.localName === 'main' || el.getAttribute('role') === 'main');
  const body = doc.body;
  for (const el of all) {
    const isChrome = CHROME_TAGS.has(el.localName) || CHROME_ROLES.has(el.getAttribute('role') ?? '');
    if (!isChrome || !el.isConnected) continue;
    if (main) {
      if (!main.contains(el) && !el.contains(main)) el.remove();
    } else if (el.localName === 'nav' || CHROME_ROLES.has(el.getAttribute('role') ?? '') || ((el.localName === 'header' || el.localName === 'footer') && el.parentElement === body)) {
      // Without <main>: every nav and navigation/banner/contentinfo role, and body's own header/footer.
      el.remove();
    }
  }
  removeBoilerplateText(doc);
  for (const d of doc.getElementsByTagName('details')) d.setAttribute('open', '');
}
