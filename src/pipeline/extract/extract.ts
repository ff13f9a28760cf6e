import { clean, isMain } from './clean.js';
import { type Authors, readAuthors } from './article.js';
import { toMarkdown } from './markdown.js';
import { type PruneOptions, pruneChrome } from './prune.js';
import { dropOrphanedHeadings, emptySections } from './orphans.js';
import { appendProseAfter } from './listing.js';
import { type Chosen, chooseRoot, contentLandmark } from './choose.js';
import { type ExtractDom, parseDocument, release } from './parse.js';
import { absolutize, collectLinks, detectLang, readJsonLd, readMeta } from './meta.js';
import { blockLines, hasDateStamp, liftDateStamps, nextNode, normalizeLine } from './text.js';
import type { ExtractResult } from '../types.js';
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

/** The first `n` text nodes after `el` (not inside it) in document order, normalised, at most 40 characters each. */
function textsAfter(el: Element, n: number): string[] {
  const out: string[] = [];
  for (let node = nextNode(el, true); node && out.length < n; node = nextNode(node, false)) {
    if (node.nodeType !== 3) continue;
    const s = normalizeLine((node as Text).data);
    if (s.length >= 3) out.push(s.slice(0, 40));
  }
  return out;
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

/**
 * `pruneChrome`, and then the headings whose section it emptied (orphans.ts): a heading over the
 * link list, form or widget that went as chrome.
 */
function pruneChromeAndHeadings(root: Element, opts: PruneOptions): void {
  const emptyBefore = emptySections(root);
  pruneChrome(root, opts);
  dropOrphanedHeadings(root, emptyBefore);
}

/** The chosen root made ready for text: what belongs to it added, its chrome removed. */
function finishRoot(root: Element, method: Chosen['method'], opts: ExtractOptions, authors: Authors): void {
  // A collection page's category text stands after <main>, which holds the grid (listing.ts).
  if (method === 'main' && isMain(root)) appendProseAfter(root);
  // Per block, not per container: whatever won, its chrome goes and its facts stay. A per-source
  // content_selector is the editor's own choice and is left alone.
  if (method !== 'selector') pruneChromeAndHeadings(root, { ...(opts.chrome ? { chrome: opts.chrome } : {}), authors });
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
 *
 * `inspect`, for measurement only (bench/extract-blocks.ts), sees the finished root before its
 * text is read, and may remove blocks from it; it is not an option, so the worker pool never
 * carries it.
 */
export function extract(html: string, opts: ExtractOptions, inspect?: (root: Element, method: Chosen['method']) => void): ExtractResult {
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
    const ld = readJsonLd(doc);
    const meta = readMeta(doc, ld);
    const links = collectLinks(doc, base);
    const pageTitle = normalizeLine(doc.title ?? '');
    const firstH1 = doc.getElementsByTagName('h1')[0]?.textContent ?? '';
    const authors = readAuthors(ld);
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
    if (!opts.contentSelector && main) pruneChromeAndHeadings(main, { ...(opts.chrome ? { chrome: opts.chrome } : {}), authors });
    const mainText = (main?.textContent ?? '').replace(/\s+/g, ' ').trim().length;
    const h1El = doc.getElementsByTagName('h1')[0];
    const afterH1 = h1El ? textsAfter(h1El, 5) : [];
    const scopeStamps = stampsNearHeading(h1El, main);
    // Only the Readability path needs the choice (a content_selector match skips it).
    if (!chosen.root) chosen = chooseRoot({ doc, html, opts, main, h1El, firstH1, mainText, minChars: opts.minTextChars ?? 200 });
    const { root, method } = chosen;
    if (!root) return { ok: false, code: 'no-content', reason: 'the page has no body' };
    finishRoot(root, method, opts, authors);
    absolutize(root, base);
    inspect?.(root, method);

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
