import { createHash } from 'node:crypto';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { clean } from './extract/clean.js';
import { toMarkdown } from './extract/markdown.js';
import { absolutize, collectLinks, detectLang, readMeta } from './extract/meta.js';
import { blockLines, liftDateStamps, normalizeLine } from './extract/text.js';
import type { ExtractMethod, ExtractResult } from './types.js';

export interface ExtractOptions {
  /** The page's URL: base for relative links, and `Extracted.url`. */
  url: string;
  /** CSS selector of the main content; when it matches, it is used instead of Readability. */
  contentSelector?: string;
  /** CSS selectors of elements to drop before extraction (per-source boilerplate). */
  remove?: readonly string[];
  /** Below this many characters Readability's result counts as too little and the fallbacks run. Default 200. */
  minTextChars?: number;
}

/** jsdom reports CSS it cannot parse on its console; pages are full of it. */
const quietConsole = new VirtualConsole();

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

function parse(html: string, url: string): Document {
  if (!host || hostPages >= PAGES_PER_WINDOW) {
    host?.window.close();
    host = new JSDOM('', { url: 'about:blank', virtualConsole: quietConsole });
    hostPages = 0;
  }
  hostPages++;
  host.reconfigure({ url });
  return new host.window.DOMParser().parseFromString(html, 'text/html');
}

function release(doc: Document | undefined): void {
  doc?.documentElement?.remove();
}

/**
 * Readability with a faster element lookup. Stock Readability finds elements by tag with
 * `querySelectorAll`, which in jsdom goes through a general CSS selector engine and was a sixth
 * of extraction time; `getElementsByTagName` (one tag) or one tree walk (several tags) returns the
 * same elements in the same document order. Tested for identical output in the extract tests.
 */
class FastReadability extends Readability<Node> {
  _getAllNodesWithTag(node: Element | Document, tagNames: string[]): Element[] {
    if (tagNames.length === 1) return Array.from(node.getElementsByTagName(tagNames[0]!));
    const want = new Set(tagNames.map((t) => t.toUpperCase()));
    const out: Element[] = [];
    // Iterative pre-order walk (no recursion: pages can nest thousands of levels deep).
    let el: Element | null = node.firstElementChild;
    while (el) {
      if (want.has(el.tagName)) out.push(el);
      if (el.firstElementChild) {
        el = el.firstElementChild;
        continue;
      }
      while (el && !el.nextElementSibling) {
        const up: Element | null = el.parentElement;
        el = up === node || up === null ? null : up;
      }
      el = el ? el.nextElementSibling : null;
    }
    return out;
  }
}

/** Readability below this share of <main>'s text lost content: <main> wins. */
const MIN_SHARE_OF_MAIN = 0.6;

/**
 * The readable content of one HTML page. Pure and synchronous; never throws for bad input:
 * returns `{ ok: false, code, reason }` for non-HTML, unparsable or empty pages.
 *
 * Path: per-source `contentSelector` → Readability (on a clone, after boilerplate removal) →
 * `<main>`/`[role=main]` → `<body>`; `method` says which. Readability is overruled by `<main>`
 * when it kept less than 60 % of main's text (it drops tables and accordions at times).
 */
export function extract(html: string, opts: ExtractOptions): ExtractResult {
  const head = html.slice(0, 2048).trimStart();
  if (head === '' || head.startsWith('%PDF') || (!/<[a-z!?]/i.test(head) && html.includes('\u0000'))) {
    return { ok: false, code: 'not-html', reason: 'the body is not HTML' };
  }
  let doc: Document;
  try {
    doc = parse(html, opts.url);
  } catch (err) {
    return { ok: false, code: 'parse-error', reason: `jsdom could not parse the page: ${err instanceof Error ? err.message : String(err)}` };
  }
  let fresh: Document | undefined;
  try {
    const meta = readMeta(doc);
    const links = collectLinks(doc);
    const pageTitle = normalizeLine(doc.title ?? '');
    const firstH1 = doc.getElementsByTagName('h1')[0]?.textContent ?? '';
    clean(doc, opts.remove ?? []);

    const minChars = opts.minTextChars ?? 200;
    let root: Element | null = null;
    let method: ExtractMethod = 'body';
    let title = '';
    if (opts.contentSelector) {
      try {
        root = doc.querySelector(opts.contentSelector);
      } catch {
        return { ok: false, code: 'parse-error', reason: `content_selector "${opts.contentSelector}" is not a valid CSS selector` };
      }
      if (root) method = 'selector';
    }
    const main = doc.querySelector('main, [role="main"]');
    const mainText = main?.textContent?.replace(/\s+/g, ' ').trim().length ?? 0;
    if (!root) {
      let article: ReturnType<Readability<Node>['parse']> = null;
      try {
        // Readability runs on the document itself (no clone: it is the common path), and its
        // serializer hands back the article element: no serialise-and-reparse either.
        article = new FastReadability(doc, { charThreshold: minChars, serializer: (el) => el }).parse();
      } catch {
        article = null; // Readability can throw on odd documents: fall back
      }
      const readText = article?.textContent?.replace(/\s+/g, ' ').trim().length ?? 0;
      if (article?.content && readText >= minChars && readText >= mainText * MIN_SHARE_OF_MAIN) {
        root = article.content as Element;
        method = 'readability';
        title = normalizeLine(article.title ?? '');
      } else {
        // Readability has rearranged the document: take the fallback from a fresh parse.
        fresh = parse(html, opts.url);
        clean(fresh, opts.remove ?? []);
        const freshMain = fresh.querySelector('main, [role="main"]');
        if (freshMain && mainText > 0) {
          root = freshMain;
          method = 'main';
        } else {
          root = fresh.body;
          method = 'body';
        }
      }
    }
    if (!root) return { ok: false, code: 'no-content', reason: 'the page has no body' };
    absolutize(root, doc.baseURI);

    const { lines, stamps, dates } = liftDateStamps(blockLines(root));
    const text = lines.join('\n');
    if (text.trim() === '') return { ok: false, code: 'no-content', reason: 'no readable text on the page' };
    const stampSet = new Set(stamps);
    const markdown = toMarkdown(root)
      .split('\n')
      .filter((l) => !stampSet.has(normalizeLine(l.replace(/^[#>*_\-\s]+|[*_\s]+$/g, ''))))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    const h1 = normalizeLine(root.getElementsByTagName('h1')[0]?.textContent ?? firstH1);
    return {
      ok: true,
      page: {
        url: opts.url,
        title: h1 || title || pageTitle || opts.url,
        lang: detectLang(doc, text),
        ...(meta.description ? { description: meta.description } : {}),
        ...(meta.canonicalUrl ? { canonicalUrl: meta.canonicalUrl } : {}),
        text,
        markdown,
        dates: { ...meta.dates, ...dates },
        dateStamps: stamps,
        contentHash: createHash('sha256').update(text).digest('hex'),
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
