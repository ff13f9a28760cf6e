/**
 * Parsing a page for extraction: linkedom on the hot path, jsdom (loaded on first use) for the
 * rare page linkedom cannot place in <body> and for the bench; nesting bounded right after.
 */
import { createRequire } from 'node:module';
import type { JSDOM } from 'jsdom';
import { DOMParser as LinkedomParser } from 'linkedom';
import { boundDepth } from './bounds.js';

/** The DOM a page is parsed into (see `ExtractOptions.dom`). */
export type ExtractDom = 'linkedom' | 'jsdom';

/**
 * jsdom, loaded on first use: the hot path parses with linkedom, and jsdom is needed only for the
 * rare page linkedom cannot place in <body> (or `dom: 'jsdom'` in the bench). Loading it costs
 * each extraction worker ~80 MB of resident memory that most crawls never use (2 workers, 2,000
 * bench pages: 1 worker 220 MB peak RSS against 300-320 MB for 2). jsdom is CommonJS, so a
 * synchronous require keeps `extract()` synchronous.
 */
let jsdomModule: typeof import('jsdom') | undefined;
const loadJsdom = (): typeof import('jsdom') => (jsdomModule ??= createRequire(import.meta.url)('jsdom') as typeof import('jsdom'));

/**
 * A jsdom window per thread, reused for `PAGES_PER_WINDOW` pages: each page is parsed into a new
 * Document by the window's DOMParser after `reconfigure({ url })` gives it the page's URL (so
 * `baseURI` and Readability's link fixing are right). Building a window installs hundreds of
 * interface objects (~12 ms); sharing it saves that per page. Documents are not fully released
 * while their window lives (jsdom's named-property tracker and Readability's edits keep
 * references), so the window is replaced every few pages: what it holds is bounded and freed with it.
 * DOMParser documents never run scripts or load sub-resources.
 */
const PAGES_PER_WINDOW = 24;
let host: JSDOM | undefined;
let hostPages = 0;

/**
 * Parse a page as extraction does: linkedom by default (jsdom when linkedom cannot place the text
 * in `<body>`, or when `dom` is 'jsdom'), nesting bounded by `boundDepth`. Exported for tests.
 */
export function parseDocument(html: string, url: string, dom: ExtractDom = 'linkedom'): Document {
  let doc = dom === 'linkedom' ? parseLinkedom(html, url) : parseJsdom(html, url);
  // htmlparser2 does not build the tree the HTML5 way, and on some broken pages (a second
  // </html>, content between </head> and <body>) leaves most of the text outside <body> or
  // detached. Such a page is parsed again by jsdom, which follows the spec.
  if (dom === 'linkedom' && !holdsTheText(doc, html)) doc = parseJsdom(html, url);
  if (doc.documentElement) boundDepth(doc.documentElement);
  return doc;
}

function parseJsdom(html: string, url: string): Document {
  if (!host || hostPages >= PAGES_PER_WINDOW) {
    host?.window.close();
    const { JSDOM: Jsdom, VirtualConsole } = loadJsdom();
    // A console of its own that reports nothing: jsdom logs CSS it cannot parse, and pages are full of it.
    host = new Jsdom('', { url: 'about:blank', virtualConsole: new VirtualConsole() });
    hostPages = 0;
  }
  hostPages++;
  host.reconfigure({ url });
  return new host.window.DOMParser().parseFromString(html, 'text/html');
}

/** Rough length of a page's visible text, from its source: no head, scripts, styles, comments or tags. */
function sourceTextLength(html: string): number {
  return html
    .replace(/<head[\s>][\s\S]*?<\/head>|<(script|style|template|svg)[\s>][\s\S]*?<\/\1>|<!--[\s\S]*?-->/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[#a-z0-9]+;/gi, 'x')
    .replace(/\s+/g, ' ').length;
}

/**
 * Whether linkedom's `<body>` holds the page's text: stray children of `<html>` (content between
 * `</head>` and `<body>`, or after `</body>`) are first moved into the body, where HTML5 puts them;
 * then the body must hold at least half of the text the source suggests.
 */
function holdsTheText(doc: Document, html: string): boolean {
  const root = doc.documentElement;
  const body = doc.body;
  if (!root || !body) return false;
  let before = true;
  const first = body.firstChild;
  for (const el of Array.from(root.children)) {
    if (el === body) before = false;
    else if (el !== doc.head) {
      if (before) body.insertBefore(el, first);
      else body.appendChild(el);
    }
  }
  const expected = sourceTextLength(html);
  return expected < 500 || (body.textContent ?? '').replace(/\s+/g, ' ').length >= expected * 0.5;
}

/**
 * A linkedom document (no window, no scripts, no sub-resources) with `baseURI` and `documentURI`
 * pinned to what a browser would use, since linkedom does not work them out from the URL.
 */
function parseLinkedom(html: string, url: string): Document {
  const doc = new LinkedomParser().parseFromString(html, 'text/html') as unknown as Document;
  const baseHref = doc.getElementsByTagName('base')[0]?.getAttribute('href');
  let base = url;
  if (baseHref) {
    try {
      base = new URL(baseHref, url).href;
    } catch {
      // an unparsable <base href> is ignored, as browsers do
    }
  }
  Object.defineProperty(doc, 'baseURI', { value: base, configurable: true });
  Object.defineProperty(doc, 'documentURI', { value: url, configurable: true });
  // htmlparser2 hands text over in pieces (an entity such as &gt; is a text node of its own); one
  // text node per run, as an HTML5 parser builds it, keeps the Markdown escaping the same.
  doc.documentElement?.normalize();
  return doc;
}

/** Detach a throwaway document's tree, so nothing of it outlives the extraction. */
export function release(doc: Document | undefined): void {
  doc?.documentElement?.remove();
}
