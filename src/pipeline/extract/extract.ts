import { Readability } from '@mozilla/readability';
import { createRequire } from 'node:module';
import type { JSDOM } from 'jsdom';
import { DOMParser as LinkedomParser } from 'linkedom';
import { boundDepth } from './bounds.js';
import { clean, findMain, isMain } from './clean.js';
import { toMarkdown } from './markdown.js';
import { dropTitleHeading, readabilityTitle, UNMATCHABLE_TITLE } from './title.js';
import { keepFactBlocks, pruneChrome } from './prune.js';
import { absolutize, collectLinks, detectLang, readMeta } from './meta.js';
import { blockLines, digitGroups, hasDateStamp, liftDateStamps, normalizeLine, normalizeSpaces, stripDateStamps } from './text.js';
import type { ExtractMethod, ExtractResult } from '../types.js';
import { sha256 } from '../../hash.js';

export interface ExtractOptions {
  /** The page's URL: base for relative links, and `Extracted.url`. */
  url: string;
  /** CSS selector of the main content; when it matches, it is used instead of Readability. */
  contentSelector?: string;
  /** CSS selectors of elements to drop before extraction (per-source boilerplate). */
  remove?: readonly string[];
  /** Below this many characters Readability's result counts as too little and the fallbacks run. Default 200. */
  minTextChars?: number;
  /** CSS selectors of noise elements: their lines are reported in `ignoredLines`, not removed. */
  ignoreSelectors?: readonly string[];
  /**
   * The DOM the page is parsed into. Default `linkedom` (htmlparser2: linear, ~15x faster than
   * jsdom on the golden fixtures at the same output); `jsdom` (exact HTML5 tree building) for
   * comparison in the bench.
   */
  dom?: 'linkedom' | 'jsdom';
  /**
   * Wall-clock budget for this page in ms, enforced by ExtractPool (which stops and replaces a
   * worker that overruns it); default the pool's `deadlineMs`. `extract()` itself ignores it.
   */
  deadlineMs?: number;
  /**
   * Fingerprints (`blockFingerprint`) of blocks learned to be this source's site-wide chrome
   * (`learnChrome` over its stored pages): dropped wherever they occur in the content.
   */
  chrome?: ReadonlySet<string>;
}

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
export function parseDocument(html: string, url: string, dom: ExtractOptions['dom'] = 'linkedom'): Document {
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

function release(doc: Document | undefined): void {
  doc?.documentElement?.remove();
}

/**
 * Whether Readability's text keeps every number of <main>'s own text (rates, amounts, ages, phone
 * numbers, § numbers) other than those of date stamps and of the title heading, which Readability
 * drops on purpose. Readability weighs class names such as "contact" and "meta" down and can drop a
 * whole block with them; for these pages a lost number is lost content, and <main> wins.
 */
function keepsNumbers(mainOwn: string, readRaw: string, h1: string): boolean {
  if (mainOwn.trim() === '') return true;
  const read = normalizeSpaces(readRaw);
  const own = h1.trim() === '' ? mainOwn : mainOwn.split(h1).join(' ');
  return digitGroups(stripDateStamps(own)).every((g) => read.includes(g));
}

/** Text of `el` without its in-page navigation (tables of contents, chapter lists, pagination). */
function ownText(el: Element): string {
  let own = el.textContent ?? '';
  for (const tag of ['nav', 'aside']) {
    for (const n of el.getElementsByTagName(tag)) {
      const t = n.textContent ?? '';
      if (t.trim() !== '') own = own.split(t).join(' ');
    }
  }
  return own;
}

/** Child-element indices from the root element down to `el`. */
function pathOf(el: Element): number[] {
  const path: number[] = [];
  for (let e: Element | null = el; e?.parentElement; e = e.parentElement)
    path.unshift(Array.prototype.indexOf.call(e.parentElement.children, e));
  return path;
}

/** The element at `path` (see `pathOf`) in `doc`, or null. */
function elementAt(doc: Document, path: readonly number[]): Element | null {
  let el: Element | null = doc.documentElement;
  for (const i of path) el = el?.children[i] ?? null;
  return el;
}

/** The first `n` text nodes after `el` (not inside it) in document order, normalised, at most 40 characters each. */
function textsAfter(el: Element, n: number): string[] {
  const out: string[] = [];
  // A plain walk rather than a TreeWalker with a moved currentNode, which not every DOM supports.
  let node: Node | null = el;
  const next = (x: Node, skipKids: boolean): Node | null => {
    if (!skipKids && x.firstChild) return x.firstChild;
    for (let y: Node | null = x; y; y = y.parentNode) if (y.nextSibling) return y.nextSibling;
    return null;
  };
  for (node = next(el, true); node && out.length < n; node = next(node, false)) {
    if (node.nodeType !== 3) continue;
    const s = normalizeLine((node as Text).data);
    if (s.length >= 3) out.push(s.slice(0, 40));
  }
  return out;
}

/** Readability below this share of <main>'s text lost content: <main> wins. */
const MIN_SHARE_OF_MAIN = 0.6;

/**
 * The readable content of one HTML page. Pure and synchronous; never throws for bad input:
 * returns `{ ok: false, code, reason }` for non-HTML, unparsable or empty pages.
 *
 * Path: per-source `contentSelector` → Readability (on a clone, after boilerplate removal) →
 * `<main>`/`[role=main]` → `<body>`; `method` says which. Readability is overruled by `<main>`
 * when it kept less than 60 % of main's text (it drops tables and accordions at times), or when it
 * lost a number of main's own text (a contact box, a law's metadata); on a page without `<main>`,
 * by the smallest container of the `<h1>` that holds its text, on the same numbers test.
 */
export function extract(html: string, opts: ExtractOptions): ExtractResult {
  const head = html.slice(0, 2048).trimStart();
  if (head === '' || head.startsWith('%PDF') || (!/<[a-z!?]/i.test(head) && html.includes('\u0000'))) {
    return { ok: false, code: 'not-html', reason: 'the body is not HTML' };
  }
  let doc: Document;
  try {
    doc = parseDocument(html, opts.url, opts.dom);
  } catch (err) {
    return { ok: false, code: 'parse-error', reason: `the page could not be parsed: ${err instanceof Error ? err.message : String(err)}` };
  }
  let fresh: Document | undefined;
  try {
    // jsdom works out baseURI afresh on every read, by a selector query for <base href> over the
    // whole document (~1 ms here); it is read three times a page (links, absolutize, Readability's
    // link fixing). Read once, and pinned on this throwaway document for Readability.
    const base = doc.baseURI;
    Object.defineProperty(doc, 'baseURI', { value: base, configurable: true });
    const meta = readMeta(doc);
    const links = collectLinks(doc, base);
    const pageTitle = normalizeLine(doc.title ?? '');
    const firstH1 = doc.getElementsByTagName('h1')[0]?.textContent ?? '';
    clean(doc, opts.remove ?? []);
    const ignoredLines: string[] = [];
    for (const sel of opts.ignoreSelectors ?? []) {
      let found: NodeListOf<Element>;
      try {
        found = doc.querySelectorAll(sel);
      } catch {
        return { ok: false, code: 'parse-error', reason: `ignore_selectors "${sel}" is not a valid CSS selector` };
      }
      for (const el of found) ignoredLines.push(...blockLines(el));
    }

    const minChars = opts.minTextChars ?? 200;
    let root: Element | null = null;
    let method: ExtractMethod = 'body';
    const title = '';
    if (opts.contentSelector) {
      try {
        root = doc.querySelector(opts.contentSelector);
      } catch {
        return { ok: false, code: 'parse-error', reason: `content_selector "${opts.contentSelector}" is not a valid CSS selector` };
      }
      if (root) method = 'selector';
    }
    const main = findMain(doc);
    // Chrome inside the content area goes before anything is measured or chosen: otherwise a longer
    // "Relatert innhold" list tips the choice between Readability and <main>, and the text changes
    // although only the chrome did (a phantom change in the editors' queue).
    if (!opts.contentSelector && main) pruneChrome(main, opts.chrome ? { chrome: opts.chrome } : {});
    const mainRaw = main?.textContent ?? '';
    const mainText = mainRaw.replace(/\s+/g, ' ').trim().length;
    // Date stamps near the heading, read before Readability, which at times drops the line that
    // holds them (a byline, a "meta" block) and with it the page's dates.
    const h1El = doc.getElementsByTagName('h1')[0];
    const afterH1 = h1El ? textsAfter(h1El, 5) : [];
    let stampScope: Element | null = main;
    for (let a: Element | null = h1El ?? null; a; a = a.parentElement) {
      if (a.localName === 'article' || isMain(a)) {
        stampScope = a;
        break;
      }
    }
    const scopeStamps = stampScope && hasDateStamp(stampScope.textContent ?? '') ? liftDateStamps(blockLines(stampScope)) : undefined;
    if (!root) {
      // Only the Readability path needs these (a content_selector match skips them):
      // Main's own text for the numbers check: without its in-page navigation (tables of contents,
      // chapter lists, pagination), which Readability is right to drop.
      const mainOwn = main ? ownText(main) : '';
      // Without <main>, the heading's containers stand in for it in the numbers check below.
      const containers: { path: number[]; length: number; own: string }[] = [];
      if (!main && h1El) {
        for (let a = h1El.parentElement; a && a !== doc.body && a !== doc.documentElement; a = a.parentElement) {
          containers.push({ path: pathOf(a), length: (a.textContent ?? '').replace(/\s+/g, ' ').trim().length, own: ownText(a) });
        }
      }
      let article: ReturnType<Readability<Node>['parse']> = null;
      try {
        // Readability runs on the document itself (no clone: it is the common path), and its
        // serializer hands back the article element: no serialise-and-reparse either.
        // Readability drops the first h1/h2 whose words all occur in the article title, which would
        // take a section heading such as "Omsorgspenger" on a page titled "Pleiepenger og
        // omsorgspenger" with it. eti owns that step (dropTitleHeading) and gives Readability a
        // title no heading can match, so it drops none itself.
        dropTitleHeading(doc, readabilityTitle(doc));
        // Readability drops "unlikely candidates" by class and id, sparing <body> but not <html>:
        // <html class="sidebar-visible"> or "footer-sticky" took the whole document with it (5 of
        // the 300 pages of the 2026 corpus came out empty). The root's own names say nothing of content.
        doc.documentElement?.removeAttribute('class');
        doc.documentElement?.removeAttribute('id');
        doc.title = UNMATCHABLE_TITLE;
        article = new Readability(doc, { charThreshold: minChars, serializer: (el) => el }).parse();
      } catch {
        article = null; // Readability can throw on odd documents: fall back
      }
      const readRaw = article?.textContent ?? '';
      const readText = readRaw.replace(/\s+/g, ' ').trim().length;
      // The smallest container of the heading that holds as much text as Readability kept, and not
      // much more (past twice as much it holds the page's chrome too).
      const container = containers.find((c) => c.length >= readText && c.length <= readText * 2);
      const lostNumbers = main
        ? !keepsNumbers(mainOwn, readRaw, firstH1)
        : container !== undefined && !keepsNumbers(container.own, readRaw, firstH1);
      if (article?.content && readText >= minChars && readText >= mainText * MIN_SHARE_OF_MAIN && !lostNumbers) {
        root = article.content as Element;
        method = 'readability';
      } else {
        // Readability has rearranged the document: take the fallback from a fresh parse.
        fresh = parseDocument(html, opts.url, opts.dom);
        clean(fresh, opts.remove ?? []);
        const freshMain = findMain(fresh);
        const freshContainer = !main && lostNumbers && container ? elementAt(fresh, container.path) : null;
        if (freshContainer) {
          // No <main>: the heading's container is the page's main content ('main' names that path).
          root = freshContainer;
          method = 'main';
        } else if (freshMain && mainText > 0) {
          // Per block: what Readability kept plus the blocks with the facts it lost, not <main> whole.
          // Only when main won on lost numbers alone: below 60 % Readability dropped whole sections
          // (accordions, tabs) that hold no number, and main stays whole (chrome pruned).
          if (readText >= minChars && readText >= mainText * MIN_SHARE_OF_MAIN)
            keepFactBlocks(freshMain, normalizeSpaces(readRaw), (t) => digitGroups(stripDateStamps(t)));
          root = freshMain;
          method = 'main';
        } else {
          root = fresh.body;
          method = 'body';
        }
      }
    }
    if (!root) return { ok: false, code: 'no-content', reason: 'the page has no body' };
    // Per block, not per container: whatever won, its chrome goes and its facts stay. A per-source
    // content_selector is the editor's own choice and is left alone.
    if (method !== 'selector') pruneChrome(root, opts.chrome ? { chrome: opts.chrome } : {});
    absolutize(root, base);

    let { lines, stamps, dates } = liftDateStamps(blockLines(root));
    if (stamps.length === 0 && scopeStamps && scopeStamps.stamps.length > 0) ({ stamps, dates } = scopeStamps);
    const text = lines.join('\n');
    if (text.trim() === '') return { ok: false, code: 'no-content', reason: 'no readable text on the page' };
    const stampSet = new Set(stamps);
    // toMarkdown escapes "7. november" as "7\. november" (as Turndown did): compare stamps with the escapes undone.
    const unescape = (l: string): string => l.replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1');
    let markdown = toMarkdown(root)
      .split('\n')
      .filter((l) => !stampSet.has(normalizeLine(unescape(l).replace(/^[#>*_\-\s]+|[*_\s]+$/g, ''))))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    const h1 = normalizeLine(root.getElementsByTagName('h1')[0]?.textContent ?? firstH1);
    // Readability drops the heading that repeats the article title: the Markdown (not the text,
    // whose hash says whether the page changed) gets the page's <h1> back as its first heading.
    const mdLines = markdown.split('\n');
    if (h1 && !mdLines.some((l) => /^#{1,6}\s/.test(l) && normalizeLine(unescape(l).replace(/^#+\s*/, '')) === h1)) {
      // Where it stood: before the line that holds the first text that followed it (a kicker such as
      // "Kapittel 2" above the heading stays above it); else at the top.
      const plain = mdLines.map((l) =>
        /^[\s|]/.test(l)
          ? ''
          : normalizeLine(
              unescape(l)
                .replace(/^(?:#{1,6}|[-*>]|\d+\.)\s+/, '')
                .replace(/^[*_]+/, ''),
            ),
      );
      let at = 0;
      for (const t of afterH1) {
        const i = plain.findIndex((l) => l !== '' && l.startsWith(t));
        if (i >= 0) {
          at = i;
          break;
        }
      }
      const heading = `# ${h1.replace(/([\\`*_[\]])/g, '\\$1').replace(/^(\d+)\.(\s)/, '$1\\.$2')}`;
      mdLines.splice(at, 0, heading, '');
      markdown = mdLines.join('\n');
    }
    return {
      ok: true,
      page: {
        url: opts.url,
        title: h1 || title || pageTitle || opts.url,
        lang: detectLang(doc, text),
        ...(meta.description ? { description: meta.description } : {}),
        ...(meta.canonicalUrl ? { canonicalUrl: meta.canonicalUrl } : {}),
        ...(meta.publisher ? { publisher: meta.publisher } : {}),
        text,
        markdown,
        dates: { ...meta.dates, ...dates },
        dateStamps: stamps,
        contentHash: sha256(text),
        ...(ignoredLines.length > 0 ? { ignoredLines: [...new Set(ignoredLines)].sort() } : {}),
        method,
        links,
      },
    };
  } catch (err) {
    // Readability, Turndown or our own walk can fail on pathological markup (e.g. a stack
    // overflow on thousands of nested elements): a recorded outcome, not a crash.
    return { ok: false, code: 'parse-error', reason: `extraction failed: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    release(doc);
    release(fresh);
  }
}
