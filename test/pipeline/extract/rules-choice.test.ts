/**
 * One test per rule of choice.ts (issue 14: article, service and documentation pages eti has never
 * seen): each builds a small page by hand and fails if its rule is removed.
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

describe('accordion panels', () => {
  it('keeps a hidden panel that a button controls and is labelled by (no aria-expanded)', () => {
    const html = `<!doctype html><html lang="nb"><body><main><h1>Omsorgsstønad</h1><p>${PROSE}</p>
      <div><button id="q1" aria-controls="a1" type="button">Hvem kan søke?</button>
      <div id="a1" aria-labelledby="q1" hidden aria-hidden="true"><p>Foreldre til barn under 18 år med stort pleiebehov kan søke om stønad hos kommunen.</p></div></div>
      <p>${PROSE}</p></main></body></html>`;
    expect(textOf(html)).toContain('Foreldre til barn under 18 år');
  });

  it("keeps a <details>' body that a script hides while it is closed", () => {
    const html = `<!doctype html><html lang="nb"><body><main><h1>Omsorgsstønad</h1><p>${PROSE}</p>
      <details><summary>Hvor mye kan jeg få?</summary><div class="content" aria-hidden="true"><p>Stønaden er 2 500 kroner i måneden for familier med barn under 18 år.</p></div></details>
      <p>${PROSE}</p></main></body></html>`;
    expect(textOf(html)).toContain('2 500 kroner i måneden');
  });
});
