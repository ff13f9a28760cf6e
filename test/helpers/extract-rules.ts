/**
 * What the block-rule tests of issue 14 (test/pipeline/extract/rules*.test.ts) share: a paragraph
 * of Norwegian prose, a page's extracted text, and the text a `<main>` keeps after `pruneChrome`.
 */
import { extract, parseDocument } from '../../src/pipeline/extract/extract.js';
import { pruneChrome } from '../../src/pipeline/extract/prune.js';
import { blockLines } from '../../src/pipeline/extract/text.js';

/** Two sentences of a service page: content by every measure. */
export const PROSE =
  'Søknaden om omsorgsstønad behandles av kommunen innen fire uker etter at den er mottatt, og du får svar i brev. ' +
  'Stønaden skal gi foreldre som har et særlig tyngende omsorgsarbeid mulighet for avlastning og hvile i hverdagen. ';

/** The plain text `extract()` gives for a whole page; throws when it gives none. */
export function textOf(html: string): string {
  const r = extract(html, { url: 'https://example.no/side' });
  if (!r.ok) throw new Error(r.reason);
  return r.page.text;
}

/** The lines left of `<main>${content}</main>` after `pruneChrome`, joined by newlines. */
export function prunedMain(content: string): string {
  const doc = parseDocument(`<!doctype html><html lang="nb"><body><main>${content}</main></body></html>`, 'https://example.no/side');
  const main = doc.getElementsByTagName('main')[0]!;
  pruneChrome(main);
  return blockLines(main).join('\n');
}
