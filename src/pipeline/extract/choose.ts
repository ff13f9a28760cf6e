/**
 * Which element of a page holds its content (issue 14): Readability's article, or what overrules
 * it — a thread Readability took one post of (forum.ts), the list it took one card of (shop.ts),
 * <main> widened to the content blocks it left out (choice.ts), <main> cut down to its blocks plus
 * the facts it lost, <main> whole, the heading's container, or <body>.
 */
import { Readability } from '@mozilla/readability';
import { clean, findMain } from './clean.js';
import { dropTitleHeading, readabilityTitle, UNMATCHABLE_TITLE } from './title.js';
import { listOfFragment } from './shop.js';
import { findThread, lostPosts, postStarts, tookPosts } from './thread.js';
import { keepFactBlocks, WIDEN_BELOW_SHARE, widenToMain } from './choice.js';
import { type ExtractDom, parseDocument } from './parse.js';
import { noteHeadings, restoreHeadings } from './headings.js';
import { digitGroups, normalizeSpaces, stripDateStamps } from './text.js';
import type { ExtractMethod } from '../types.js';

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

/**
 * The page's main content landmark: `<main>` or `role="main"`, else the page's one `<article>` (a
 * page without <main> that marks its story so, while Readability at times keeps a fraction of it).
 * Several articles are teasers of other pages: then none.
 */
export function contentLandmark(doc: Document): Element | null {
  const main = findMain(doc);
  if (main) return main;
  const articles = doc.getElementsByTagName('article');
  return articles.length === 1 ? articles[0]! : null;
}

/** Readability below this share of <main>'s text lost content: <main> wins. */
const MIN_SHARE_OF_MAIN = 0.6;

/** Which element holds the content, how it was chosen, and the fresh parse it may come from. */
export interface Chosen {
  root: Element | null;
  method: ExtractMethod;
  /** The page parsed again for a fallback (Readability rearranges the document it runs on). */
  fresh?: Document;
}

/** What the choice needs to know of the page, read before Readability rearranges it. */
export interface ChoiceInput {
  doc: Document;
  html: string;
  opts: { url: string; dom?: ExtractDom; remove?: readonly string[] };
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
    const noted = doc.body ? noteHeadings(doc.body) : [];
    const article = new Readability(doc, { charThreshold: minChars, serializer: (el) => el }).parse();
    // After Readability measured its text: the headings put back do not sway the choice below.
    if (article?.content) restoreHeadings(article.content as Element, noted);
    return article;
  } catch {
    return null; // Readability can throw on odd documents: fall back
  }
}

/** The page parsed again, its boilerplate removed (Readability rearranges the document it runs on). */
function freshClean(c: ChoiceInput): Document {
  const fresh = parseDocument(c.html, c.opts.url, c.opts.dom);
  clean(fresh, c.opts.remove ?? []);
  return fresh;
}

/** The page parsed and cleaned again, and its content landmark. */
function freshLandmark(c: ChoiceInput): { fresh: Document; freshMain: Element | null } {
  const fresh = freshClean(c);
  return { fresh, freshMain: contentLandmark(fresh) };
}

/**
 * Readability's article, or what overrules it (see `extract`): <main> cut down to Readability's
 * blocks plus the blocks with the facts it lost, <main> whole, the heading's container or <body>.
 */
export function chooseRoot(c: ChoiceInput): Chosen {
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
  const bodyText = main ? 0 : (doc.body?.textContent ?? '').replace(/\s+/g, ' ').trim().length;
  // Without <main>, a thread's posts are read off the page as it is (vBulletin 3's tables of posts).
  const thread = main ? null : findThread(doc.body);
  const threadPath = thread ? pathOf(thread.container) : null;
  const posts = main ? postStarts(main) : [];
  const article = runReadability(doc, minChars);
  const readRaw = article?.textContent ?? '';
  const readText = readRaw.replace(/\s+/g, ' ').trim().length;
  // The smallest container of the heading that holds as much text as Readability kept, and not
  // much more (past twice as much it holds the page's chrome too).
  const container = containers.find((x) => x.length >= readText && x.length <= readText * 2);
  const lostNumbers = main
    ? !keepsNumbers(mainOwn, readRaw, firstH1)
    : container !== undefined && !keepsNumbers(container.own, readRaw, firstH1);
  // Readability took one post of a thread for the article: the thread (main, whole) is the content.
  const lostThread = main ? lostPosts(posts, readRaw) : thread !== null && tookPosts(thread, readRaw);
  if (article?.content && readText >= minChars && readText >= mainText * MIN_SHARE_OF_MAIN && !lostNumbers && !lostThread) {
    const read = article.content as Element;
    if (!main) {
      // One card or coupon of a list taken for the article: the list is the content (shop.ts).
      const list = listOfFragment(read, readText, bodyText, () => freshClean(c));
      return list ? { root: list.root, method: 'main', fresh: list.fresh } : { root: read, method: 'readability' };
    }
    if (readText >= mainText * WIDEN_BELOW_SHARE) return { root: read, method: 'readability' };
    return widenToMain(
      read,
      readRaw,
      // Without the title heading, as Readability's own path drops it: the text is Readability's plus
      // the blocks it left out, so a page moving across the share above changes by those blocks only.
      () => {
        const f = freshLandmark(c);
        dropTitleHeading(f.fresh, readabilityTitle(f.fresh));
        return f;
      },
      (t) => digitGroups(stripDateStamps(t)),
    );
  }
  // Readability has rearranged the document: take the fallback from a fresh parse.
  const { fresh, freshMain } = freshLandmark(c);
  const freshContainer = !main && lostNumbers && container ? elementAt(fresh, container.path) : null;
  // No <main>: the heading's container is the page's main content ('main' names that path).
  if (freshContainer) return { root: freshContainer, method: 'main', fresh };
  // No <main>, and Readability took one post of a thread: the posts' parent is the content.
  const freshThread = !main && lostThread && threadPath ? elementAt(fresh, threadPath) : null;
  if (freshThread) return { root: freshThread, method: 'main', fresh };
  if (freshMain && mainText > 0) {
    // Per block: what Readability kept plus the blocks with the facts it lost, not <main> whole.
    // Only when main won on lost numbers alone: below 60 % Readability dropped whole sections
    // (accordions, tabs) that hold no number, and main stays whole (chrome pruned).
    if (readText >= minChars && readText >= mainText * MIN_SHARE_OF_MAIN && !lostThread)
      keepFactBlocks(freshMain, normalizeSpaces(readRaw), (t) => digitGroups(stripDateStamps(t)));
    return { root: freshMain, method: 'main', fresh };
  }
  return { root: fresh.body, method: 'body', fresh };
}
