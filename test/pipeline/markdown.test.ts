/**
 * toMarkdown (our own serializer) against Turndown configured as eti configured it before
 * (test/helpers/turndown-oracle.ts): byte-identical Markdown on every page we have (extraction
 * fixtures, demo site, generated bench pages), on the body and on <main>/<article>, and on small
 * pages made for the tricky parts (escaping, lists, whitespace, links, tables, buttons). Each side
 * converts its own freshly parsed document.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBenchSite } from '../../bench/site.js';
import { toMarkdown } from '../../src/pipeline/extract/markdown.js';
import { parseDocument } from '../../src/pipeline/extract/extract.js';
import { turndownMarkdown } from '../helpers/turndown-oracle.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/extract');
const DEMO = path.join(ROOT, 'demo/site');

const { window } = new JSDOM('', { url: 'https://example.no/' });
afterAll(() => window.close());

function parse(html: string): Document {
  return new window.DOMParser().parseFromString(html, 'text/html');
}

type Pick = (doc: Document) => Element | null;
const PICKS: [string, Pick][] = [
  ['body', (d) => d.body],
  ['main', (d) => d.querySelector('main')],
  ['article', (d) => d.querySelector('article')],
];

/** New and oracle Markdown of the picked element, each from its own parse; null when the page has none. */
function both(html: string, pick: Pick): { now: string; oracle: string } | null {
  const a = pick(parse(html));
  const b = pick(parse(html));
  if (!a || !b) return null;
  return { now: toMarkdown(a), oracle: turndownMarkdown(b) };
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? htmlFiles(path.join(dir, e.name)) : e.name.endsWith('.html') ? [path.join(dir, e.name)] : []))
    .sort();
}

const fixtures = readdirSync(FIXTURES)
  .sort()
  .map((d) => path.join(FIXTURES, d, 'source.html'))
  .filter((f) => {
    try {
      return readFileSync(f, 'utf8').length > 0;
    } catch {
      return false;
    }
  });
const demoPages = htmlFiles(DEMO);

/**
 * The same, with our side parsed as extraction parses (linkedom) and the oracle on jsdom: the
 * serializer must not depend on the DOM it walks. Pages where the two parsers build different
 * trees (malformed markup) would differ for that reason alone; none of these do.
 */
function bothLinkedom(html: string, pick: Pick): { now: string; oracle: string } | null {
  const a = pick(parseDocument(html, 'https://example.no/'));
  const b = pick(parse(html));
  if (!a || !b) return null;
  return { now: toMarkdown(a), oracle: turndownMarkdown(b) };
}

describe('toMarkdown on linkedom matches Turndown on jsdom', () => {
  for (const [label, files] of [
    ['fixture', fixtures],
    ['demo page', demoPages],
  ] as const) {
    it.each(files.map((f) => [path.relative(ROOT, f), f]))(`${label} %s`, (_name, file) => {
      const html = readFileSync(file, 'utf8');
      let compared = 0;
      for (const [what, pick] of PICKS) {
        const r = bothLinkedom(html, pick);
        if (!r) continue;
        compared++;
        expect(r.now, `${what} of ${file}`).toBe(r.oracle);
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});

describe('toMarkdown matches Turndown on every page we have', () => {
  it('finds the pages', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    expect(demoPages.length).toBeGreaterThanOrEqual(20);
  });

  for (const [label, files] of [
    ['fixture', fixtures],
    ['demo page', demoPages],
  ] as const) {
    it.each(files.map((f) => [path.relative(ROOT, f), f]))(`${label} %s`, (_name, file) => {
      const html = readFileSync(file, 'utf8');
      let compared = 0;
      for (const [what, pick] of PICKS) {
        const r = both(html, pick);
        if (!r) continue;
        compared++;
        expect(r.now, `${what} of ${file}`).toBe(r.oracle);
      }
      expect(compared).toBeGreaterThan(0);
    });
  }

  describe('generated bench pages', () => {
    const pages: string[] = [];
    beforeAll(async () => {
      const site = await startBenchSite(60);
      try {
        for (let i = 0; i < 60; i++) pages.push(await (await fetch(`${site.origin}/p/${i}/`)).text());
      } finally {
        await site.close();
      }
    });

    // CPU-bound (two converters over 180 bodies): a few seconds alone, minutes on a machine whose
    // cores are busy with another job. Nothing here depends on time, so the limit is generous.
    it('60 pages, body and main and article', { timeout: 600_000 }, () => {
      expect(pages).toHaveLength(60);
      for (const [i, html] of pages.entries()) {
        for (const [what, pick] of PICKS) {
          const r = both(html, pick);
          expect(r, `${what} of page ${i}`).not.toBeNull();
          expect(r!.now, `${what} of page ${i}`).toBe(r!.oracle);
        }
      }
    });
  });

  it('leaves the element as it was', () => {
    const doc = parse(readFileSync(fixtures[0]!, 'utf8'));
    const before = doc.body.outerHTML;
    toMarkdown(doc.body);
    expect(doc.body.outerHTML).toBe(before);
  });
});

/** Small bodies for the parts that are easy to get wrong; each must give some Markdown and Turndown's. */
const CASES: Record<string, string> = {
  'escapes at line start':
    '<p>1. november</p><p># not a heading</p><p>- not a bullet</p><p>+ plus</p><p>== equals</p><p>~~~ tilde</p><p>&gt; not a quote</p><p>12. and 3) numbers</p>',
  'escapes anywhere':
    '<p>a*b_c [x] `tick` back\\slash 2*3 snake_case</p><p><span>1. </span>after a span</p><p>text<br>1. after a break</p>',
  'escapes in links, images and emphasis':
    '<p><a href="/a_(b)">l_nk [1]</a> <img src="/i m.png" alt="a*lt [x]" title="say &quot;hi&quot;"> <em>e_m</em> <strong>**</strong></p>',
  'nested lists':
    '<ol><li>one<ul><li>a</li><li>b<ol start="4"><li>deep</li><li>deeper</li></ol></li></ul></li><li><p>para item</p><p>second para</p></li><li>three</li></ol><ul><li></li><li>after blank</li></ul>',
  'list start and odd items':
    '<ol start="7"><li>seven</li><!-- c --><li>eight</li> </ol><ol start="x"><li>nan</li></ol><ul>text<li>item</li>tail</ul>',
  'self-numbered items': '<ol><li><span>1.</span> opplæring</li><li>b) bokstav</li><li>2. <div>block</div></li><li>not numbered</li></ol>',
  'br in paragraphs and headings': '<p>line one<br>line two <br> line three<br></p><h2>Head<br>two</h2><p><br></p><p>a <br><br> b</p>',
  'pre and code':
    '<pre><code class="language-js">const a = 1;\n```\nx  y\n</code></pre><pre>plain *pre*\n  kept</pre><pre><!-- c --><code>after comment</code></pre><p>inline <code>a`b</code> and <code>`x`</code> and <code> sp </code> and <code></code></p><pre><code>a</code> <code>b</code></pre>',
  'inline whitespace between inline elements':
    '<p>a <b>bold </b>c<i> it</i> d <span> </span> e<em> </em>f <a href="/x"> link </a>g</p><p><b>x</b><i>y</i> <span>z </span> <span> w</span></p><p>\u00a0<b>\u00a0nb\u00a0</b>\u00a0</p>',
  'whitespace around blocks and voids':
    '<div> lead <div> inner </div> trail </div><p>x <img src="/a.png"> y</p><p>z<img src="/b.png">  <span> w</span></p><p>before <input> after</p>',
  'empty links and images':
    '<p><a href="/e"></a> <a href="/s"> </a> <a>no href</a> <a href="">empty href</a> <img alt="no src"> <img src="" alt="x"></p>',
  'blockquote with paragraphs': '<blockquote><p>first</p><p>second<br>line</p><blockquote><p>nested</p></blockquote></blockquote>',
  'links around blocks':
    '<a href="/card"><h3>Card title</h3><p>Teaser text</p></a><a href="/d"><div>just a div</div></a><a href="/e"><div> </div></a><p><a href="/in">inline <b>bold</b></a></p>',
  tables:
    '<table><caption>Rates</caption><tr><th>A</th><th>B|pipe</th></tr><tr><td>1</td></tr><tr><td> x <br>y </td><td><p>z</p></td><td>3</td></tr></table><table></table><table><tr></tr></table>',
  'nested tables':
    '<table><tr><td><table><caption>inner</caption><tr><th>i</th></tr><tr><td>j</td></tr></table></td><td>outer cell</td></tr></table>',
  'details and summary':
    '<details><summary> Question <button>?</button></summary><p>Answer</p></details><details><summary><h3>Heading q</h3></summary>text</details>',
  'buttons in headings vs elsewhere':
    '<h2><button type="button">Accordion question</button></h2><p>Click <button>this</button> now</p><dl><dt><button>term</button></dt><dd>definition <button>x</button></dd></dl><div><button> </button></div>',
  'definition lists': '<dl><dt>Term</dt><dd>Def one</dd><dd><p>Def para</p></dd><dt></dt><dd></dd></dl>',
  'removed tags':
    '<p>a<script>var x = " y ";</script> b<style>p{}</style><noscript>ns</noscript> c <select><option>o</option></select> d<textarea> t </textarea>e</p><noscript> </noscript>',
  'headings and rules': '<h1>One</h1><h6> Six </h6><hr><h3><a href="/h">linked</a> heading</h3><h4></h4>',
  'comments and blank text': '<div><!-- a --> <p> x </p> <!-- b --> </div><span> </span><img src="/z.png"> <span></span>',
  'layout cells outside tables': '<div><td>cell-ish</td></div><caption>cap</caption>',
  'svg and foreign content': '<p>before<svg><a href="/s"><text>svg text</text></a><style>.c{}</style><title>t</title></svg>after</p>',
  // After a void element collapsing keeps a leading space: the only way an inline element's text can
  // start (or end) with a space next to a sibling that ends (or starts) with one, and the way empty
  // text nodes stay in the tree (a kept " " whose space a following block trims).
  'whitespace kept after void elements':
    '<p>x <b><img src="/i.png"> y</b> z</p><p><b>y <img src="/i.png"></b> z</p><p><img src="/a.png"> <br>after</p><ul><li>a</li><img src="/c.png"> <li>c</li><img src="/d.png"> <p>p</p></ul><p><img src="/e.png"> <span></span></p>',
  'nbsp and unicode space': '<p>\u00a0lead</p><p>a\u2003<b>\u2003em\u2003</b>\u2003b</p><li>loose item</li>',
};

describe('toMarkdown matches Turndown on tricky markup', () => {
  for (const [name, body] of Object.entries(CASES)) {
    it(name, () => {
      const html = `<!doctype html><html><body>${body}</body></html>`;
      const r = both(html, (d) => d.body)!;
      expect(r.now).not.toBe('');
      expect(r.now).toBe(r.oracle);
    });
  }

  it('an element inside a <pre>, a <code> or an <li> as the root', () => {
    const html =
      '<main><pre id="p"><b>x</b> <code>y</code></pre><code id="c">a*b</code><ul><li id="l">item <ul><li>sub</li></ul></li></ul><h2 id="h"><button>q</button></h2></main>';
    for (const id of ['p', 'c', 'l', 'h']) {
      const r = both(html, (d) => d.getElementById(id))!;
      expect(r.now, id).toBe(r.oracle);
    }
  });
});
