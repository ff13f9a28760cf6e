/**
 * The extractors `npm run bench:extract` compares, on the golden fixtures and the 2026 corpus:
 * eti's `extract()` on linkedom (what the crawl runs) and on jsdom, and plain Readability on each
 * DOM (a fresh document per page, `new Readability(doc).parse().textContent`).
 */
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { DOMParser } from 'linkedom';
import { extract } from '../src/pipeline/extract/extract.js';

/** One page to extract. */
export interface BenchPage {
  slug: string;
  url: string;
  html: string;
  /** The fixture's expected.md (empty for corpus pages: their truth is scored elsewhere). */
  truth: string;
}

/** What an extractor gives for one page. */
export interface BenchOutput {
  /** What the fixtures' shingle scores are computed on (eti: its Markdown). */
  scored: string;
  /** Where the truth's numbers are looked for. */
  numbers: string;
  /** Plain text, for the corpus (eti: its diffed text; Markdown link targets would count as words). */
  plain: string;
}

/** A named extractor. */
export interface BenchExtractor {
  name: string;
  run: (p: BenchPage) => BenchOutput;
}

const quiet = new VirtualConsole();

function eti(dom: 'linkedom' | 'jsdom'): BenchExtractor {
  return {
    name: `eti ${dom}`,
    run: (p) => {
      const r = extract(p.html, { url: p.url, dom });
      if (!r.ok) return { scored: '', numbers: '', plain: '' };
      return { scored: r.page.markdown, numbers: `${r.page.text}\n${r.page.markdown}`, plain: r.page.text };
    },
  };
}

const plain = (text: string): BenchOutput => ({ scored: text, numbers: text, plain: text });

/** Every extractor, eti's production path first and plain Readability on jsdom (the baseline) second. */
export const EXTRACTORS: readonly BenchExtractor[] = [
  eti('linkedom'),
  {
    name: 'Readability jsdom',
    run: (p) => {
      const dom = new JSDOM(p.html, { url: p.url, virtualConsole: quiet });
      try {
        return plain(new Readability(dom.window.document).parse()?.textContent ?? '');
      } finally {
        dom.window.close();
      }
    },
  },
  eti('jsdom'),
  {
    name: 'Readability linkedom',
    run: (p) =>
      plain(new Readability(new DOMParser().parseFromString(p.html, 'text/html') as unknown as Document).parse()?.textContent ?? ''),
  },
];
