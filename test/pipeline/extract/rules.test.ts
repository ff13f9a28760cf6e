/**
 * One test per block-level rule added for pages eti has never seen (issue 14, the 2026 corpus's
 * kinds of page): each builds a small page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { extract } from '../../../src/pipeline/extract/extract.js';

const PROSE =
  'Søknaden om omsorgsstønad behandles av kommunen innen fire uker etter at den er mottatt, og du får svar i brev. ' +
  'Stønaden skal gi foreldre som har et særlig tyngende omsorgsarbeid mulighet for avlastning og hvile i hverdagen. ';

function textOf(html: string): string {
  const r = extract(html, { url: 'https://example.no/side' });
  if (!r.ok) throw new Error(r.reason);
  return r.page.text;
}

describe('React streamed rendering', () => {
  it('puts a hidden streamed segment where its $RC script moves it', () => {
    const html = `<!doctype html><html lang="nb"><body><main><nav><a href="/a">Tjenester</a></nav>
      <!--$?--><template id="B:0"></template><p>Laster …</p><!--/$--></main>
      <div hidden id="S:0"><h1>Omsorgsstønad</h1><p>${PROSE}</p><p>${PROSE}</p></div>
      <script>$RC=function(a,b){};$RC("B:0","S:0")</script></body></html>`;
    const text = textOf(html);
    expect(text).toContain('Søknaden om omsorgsstønad behandles');
    expect(text).not.toContain('Laster');
  });
});

describe('utility classes', () => {
  it('does not take a Tailwind print:hidden block for a print button', () => {
    const html = `<!doctype html><html lang="nb"><body><main><div class="flex print:hidden"><h2>Hvem kan få stønad?</h2><p>${PROSE}</p></div></main></body></html>`;
    expect(textOf(html)).toContain('Hvem kan få stønad?');
  });
});
