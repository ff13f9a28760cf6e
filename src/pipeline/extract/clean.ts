/**
 * General boilerplate removal before extraction: what public-sector pages wrap around their
 * content (cookie banners, breadcrumbs, skip links, share/print buttons, feedback widgets,
 * "unsupported browser" notices, SVG titles, menus and footers outside <main>).
 */

const ALWAYS = 'script, style, noscript, template, svg, iframe, object, embed, canvas, link, meta, [hidden], [aria-hidden="true"], dialog:not([open])';
const BANNERS =
  '[class*="cookie" i], [id*="cookie" i], [class*="consent" i], [id*="consent" i], [class*="breadcrumb" i], [id*="breadcrumb" i], ' +
  'nav[aria-label*="brødsmule" i], nav[aria-label*="breadcrumb" i], [class*="skip-link" i], [class*="skiplink" i], ' +
  '[class*="share" i], [class*="print" i], [class*="feedback" i], [id*="feedback" i], [class*="social" i]';

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

const BOILERPLATE_CANDIDATES = 'p, div, section, aside, form, span, button, a, li, small, fieldset';

/** Remove boilerplate from `doc` in place; `remove` adds per-source selectors. */
export function clean(doc: Document, remove: readonly string[]): void {
  for (const el of doc.querySelectorAll(ALWAYS)) el.remove();
  for (const sel of remove) {
    for (const el of doc.querySelectorAll(sel)) el.remove();
  }
  for (const el of doc.querySelectorAll(BANNERS)) {
    // Never remove the main content itself because a class name happens to match.
    const isContainer = el.querySelector('main, article, h1, table') !== null || ['MAIN', 'ARTICLE', 'BODY', 'HTML', 'TABLE'].includes(el.tagName);
    if (!isContainer && (el.textContent?.length ?? 0) < 1500) el.remove();
  }
  const main = doc.querySelector('main, [role="main"]');
  if (main) {
    for (const el of doc.querySelectorAll('header, footer, nav, aside, [role="navigation"], [role="banner"], [role="contentinfo"]')) {
      if (!main.contains(el) && !el.contains(main)) el.remove();
    }
  } else {
    for (const el of doc.querySelectorAll('body > header, body > footer, nav, [role="navigation"], [role="banner"], [role="contentinfo"]')) el.remove();
  }
  for (const el of doc.querySelectorAll(BOILERPLATE_CANDIDATES)) {
    const text = el.textContent;
    if (text === null || text.length > 300) continue;
    if (BOILERPLATE_TEXT.test(text.replace(/\s+/g, ' ').trim())) el.remove();
  }
  for (const d of doc.querySelectorAll('details')) d.setAttribute('open', '');
  // Accordion panels and tabs hidden by CSS classes or attributes still hold real text.
  for (const el of doc.querySelectorAll('[aria-expanded="false"] + *, [role="tabpanel"]')) el.removeAttribute('hidden');
}
