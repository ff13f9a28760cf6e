import { Readability } from '@mozilla/readability';
import { clean, findMain, isMain } from './clean.js';
import { toMarkdown } from './markdown.js';
import { dropTitleHeading, readabilityTitle, UNMATCHABLE_TITLE } from './title.js';
import { keepFactBlocks, pruneChrome } from './prune.js';
import { WIDEN_BELOW_SHARE, widenToMain } from './choice.js';
import { type ExtractDom, parseDocument, release } from './parse.js';
import { absolutize, collectLinks, detectLang, readMeta } from './meta.js';
import { blockLines, digitGroups, hasDateStamp, liftDateStamps, normalizeLine, normalizeSpaces, stripDateStamps } from './text.js';
import type { ExtractMethod, ExtractResult } from '../types.js';
import { sha256 } from '../../hash.js';

export { parseDocument } from './parse.js';

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
  dom?: ExtractDom;
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

/**
 * The page's main content landmark: `<main>` or `role="main"`, else the page's one `<article>` (a
 * page without <main> that marks its story so, while Readability at times keeps a fraction of it).
 * Several articles are teasers of other pages: then none.
 */
function contentLandmark(doc: Document): Element | null {
  const main = findMain(doc);
  if (main) return main;
  const articles = doc.getElementsByTagName('article');
  return articles.length === 1 ? articles[0]! : null;
}

/** Readability below this share of <main>'s text lost content: <main> wins. */
const MIN_SHARE_OF_MAIN = 0.6;

/** Which element holds the content, how it was chosen, and the fresh parse it may come from. */
interface Chosen {
  root: Element | null;
  method: ExtractMethod;
  /** The page parsed again for a fallback (Readability rearranges the document it runs on). */
  fresh?: Document;
}

/** What the choice needs to know of the page, read before Readability rearranges it. */
interface ChoiceInput {
  doc: Document;
  html: string;
  opts: ExtractOptions;
  main: Element | null;
  h1El: Element | undefined;
  firstH1: string;
  /** <main>'s text length, whitespace collapsed (after its chrome was pruned). */
  mainText: number;
  minChars: number;
}

/**
 * Readability on `doc` itself (no clone: it is the common path); its serializer hands back the
 * article element, so there is no serialise-and-reparse either. Null when it finds nothing or throws.
 */
function runReadability(doc: Document, minChars: number): ReturnType<Readability<Node>['parse']> {
  try {
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
    return new Readability(doc, { charThreshold: minChars, serializer: (el) => el }).parse();
  } catch {
    return null; // Readability can throw on odd documents: fall back
  }
}

/** The page parsed and cleaned again (Readability rearranges the document it runs on), and its content landmark. */
function freshLandmark(c: ChoiceInput): { fresh: Document; freshMain: Element | null } {
  const fresh = parseDocument(c.html, c.opts.url, c.opts.dom);
  clean(fresh, c.opts.remove ?? []);
  return { fresh, freshMain: contentLandmark(fresh) };
}

/**
 * Readability's article, or what overrules it (see `extract`): <main> cut down to Readability's
 * blocks plus the blocks with the facts it lost, <main> whole, the heading's container or <body>.
 */
function chooseRoot(c: ChoiceInput): Chosen {
  const { doc, main, h1El, firstH1, mainText, minChars } = c;
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
  const article = runReadability(doc, minChars);
  const readRaw = article?.textContent ?? '';
  const readText = readRaw.replace(/\s+/g, ' ').trim().length;
  // The smallest container of the heading that holds as much text as Readability kept, and not
  // much more (past twice as much it holds the page's chrome too).
  const container = containers.find((x) => x.length >= readText && x.length <= readText * 2);
  const lostNumbers = main
    ? !keepsNumbers(mainOwn, readRaw, firstH1)
    : container !== undefined && !keepsNumbers(container.own, readRaw, firstH1);
  if (article?.content && readText >= minChars && readText >= mainText * MIN_SHARE_OF_MAIN && !lostNumbers) {
    const read = article.content as Element;
    if (!main || readText >= mainText * WIDEN_BELOW_SHARE) return { root: read, method: 'readability' };
    return widenToMain(
      read,
      readRaw,
      () => freshLandmark(c),
      (t) => digitGroups(stripDateStamps(t)),
    );
  }
  // Readability has rearranged the document: take the fallback from a fresh parse.
  const { fresh, freshMain } = freshLandmark(c);
  const freshContainer = !main && lostNumbers && container ? elementAt(fresh, container.path) : null;
  // No <main>: the heading's container is the page's main content ('main' names that path).
  if (freshContainer) return { root: freshContainer, method: 'main', fresh };
  if (freshMain && mainText > 0) {
    // Per block: what Readability kept plus the blocks with the facts it lost, not <main> whole.
    // Only when main won on lost numbers alone: below 60 % Readability dropped whole sections
    // (accordions, tabs) that hold no number, and main stays whole (chrome pruned).
    if (readText >= minChars && readText >= mainText * MIN_SHARE_OF_MAIN)
      keepFactBlocks(freshMain, normalizeSpaces(readRaw), (t) => digitGroups(stripDateStamps(t)));
    return { root: freshMain, method: 'main', fresh };
  }
  return { root: fresh.body, method: 'body', fresh };
}

/** The lines of the elements the per-source `ignore_selectors` match, or the selector that is not valid CSS. */
function ignoredLinesOf(doc: Document, selectors: readonly string[]): string[] | { invalid: string } {
  const lines: string[] = [];
  for (const sel of selectors) {
    let found: NodeListOf<Element>;
    try {
      found = doc.querySelectorAll(sel);
    } catch {
      return { invalid: sel };
    }
    for (const el of found) lines.push(...blockLines(el));
  }
  return lines;
}

/** The element the per-source `content_selector` matches (null when none or unset), or the selector that is not valid CSS. */
function selectorMatch(doc: Document, selector: string | undefined): { el: Element | null } | { invalid: string } {
  if (!selector) return { el: null };
  try {
    return { el: doc.querySelector(selector) };
  } catch {
    return { invalid: selector };
  }
}

/**
 * Date stamps near the heading, read before Readability, which at times drops the line that holds
 * them (a byline, a "meta" block) and with it the page's dates: those of the heading's <article>
 * or <main> (else of `main`), when it has any.
 */
function stampsNearHeading(h1El: Element | undefined, main: Element | null): ReturnType<typeof liftDateStamps> | undefined {
  let scope: Element | null = main;
  for (let a: Element | null = h1El ?? null; a; a = a.parentElement) {
    if (a.localName === 'article' || isMain(a)) {
      scope = a;
      break;
    }
  }
  return scope && hasDateStamp(scope.textContent ?? '') ? liftDateStamps(blockLines(scope)) : undefined;
}

/** toMarkdown escapes "7. november" as "7\. november" (as Turndown did): the escapes undone. */
const unescapeMd = (l: string): string => l.replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1');

/** `root`'s Markdown without the lines that are date stamps (`stamps`, lifted into metadata). */
function markdownOf(root: Element, stamps: readonly string[]): string {
  const stampSet = new Set(stamps);
  return toMarkdown(root)
    .split('\n')
    .filter((l) => !stampSet.has(normalizeLine(unescapeMd(l).replace(/^[#>*_\-\s]+|[*_\s]+$/g, ''))))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Readability drops the heading that repeats the article title: the Markdown (not the text, whose
 * hash says whether the page changed) gets the page's <h1> back as its first heading, where it
 * stood: before the line that holds the first text that followed it (`afterH1`; a kicker such as
 * "Kapittel 2" above the heading stays above it), else at the top.
 */
function withHeading(markdown: string, h1: string, afterH1: readonly string[]): string {
  const mdLines = markdown.split('\n');
  if (!h1 || mdLines.some((l) => /^#{1,6}\s/.test(l) && normalizeLine(unescapeMd(l).replace(/^#+\s*/, '')) === h1)) return markdown;
  const plain = mdLines.map((l) =>
    /^[\s|]/.test(l)
      ? ''
      : normalizeLine(
          unescapeMd(l)
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
  return mdLines.join('\n');
}

/** Whether the page's first 2 KB say it is not HTML (empty, a PDF, binary). */
function isNotHtml(html: string): boolean {
  const head = html.slice(0, 2048).trimStart();
  return head === '' || head.startsWith('%PDF') || (!/<[a-z!?]/i.test(head) && html.includes('\u0000'));
}

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
  if (isNotHtml(html)) return { ok: false, code: 'not-html', reason: 'the body is not HTML' };
  let doc: Document;
  try {
    doc = parseDocument(html, opts.url, opts.dom);
  } catch (err) {
    return { ok: false, code: 'parse-error', reason: `the page could not be parsed: ${err instanceof Error ? err.message : String(err)}` };
  }
  let chosen: Chosen = { root: null, method: 'body' };
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
    const ignoredLines = ignoredLinesOf(doc, opts.ignoreSelectors ?? []);
    if (!Array.isArray(ignoredLines))
      return { ok: false, code: 'parse-error', reason: `ignore_selectors "${ignoredLines.invalid}" is not a valid CSS selector` };
    const selected = selectorMatch(doc, opts.contentSelector);
    if ('invalid' in selected)
      return { ok: false, code: 'parse-error', reason: `content_selector "${selected.invalid}" is not a valid CSS selector` };
    if (selected.el) chosen = { root: selected.el, method: 'selector' };
    const main = contentLandmark(doc);
    // Chrome inside the content area goes before anything is measured or chosen: otherwise a longer
    // "Relatert innhold" list tips the choice between Readability and <main>, and the text changes
    // although only the chrome did (a phantom change in the editors' queue).
    if (!opts.contentSelector && main) pruneChrome(main, opts.chrome ? { chrome: opts.chrome } : {});
    const mainText = (main?.textContent ?? '').replace(/\s+/g, ' ').trim().length;
    const h1El = doc.getElementsByTagName('h1')[0];
    const afterH1 = h1El ? textsAfter(h1El, 5) : [];
    const scopeStamps = stampsNearHeading(h1El, main);
    // Only the Readability path needs the choice (a content_selector match skips it).
    if (!chosen.root) chosen = chooseRoot({ doc, html, opts, main, h1El, firstH1, mainText, minChars: opts.minTextChars ?? 200 });
    const { root, method } = chosen;
    if (!root) return { ok: false, code: 'no-content', reason: 'the page has no body' };
    // Per block, not per container: whatever won, its chrome goes and its facts stay. A per-source
    // content_selector is the editor's own choice and is left alone.
    if (method !== 'selector') pruneChrome(root, opts.chrome ? { chrome: opts.chrome } : {});
    absolutize(root, base);

    let { lines, stamps, dates } = liftDateStamps(blockLines(root));
    if (stamps.length === 0 && scopeStamps && scopeStamps.stamps.length > 0) ({ stamps, dates } = scopeStamps);
    const text = lines.join('\n');
    if (text.trim() === '') return { ok: false, code: 'no-content', reason: 'no readable text on the page' };
    const h1 = normalizeLine(root.getElementsByTagName('h1')[0]?.textContent ?? firstH1);
    const markdown = withHeading(markdownOf(root, stamps), h1, afterH1);
    return {
      ok: true,
      page: {
        url: opts.url,
        title: h1 || pageTitle || opts.url,
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
    release(chosen.fresh);
  }
}
