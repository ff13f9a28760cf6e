/**
 * One test per rule of docs.ts (issue 14: article, documentation and service pages): each builds a
 * small page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { PROSE, prunedMain } from '../../helpers/extract-rules.js';

describe("a table of contents' title", () => {
  it('drops the title heading of an in-page table of contents with its list, and keeps the sections', () => {
    const text = prunedMain(`<h1>Omsorgsstønad</h1><p>${PROSE}</p>
      <h2>Innholdsfortegnelse</h2>
      <p>${PROSE}</p>
      <h2 id="hvem">Hvem kan søke</h2><p>${PROSE}</p>
      <h2 id="sats">Hvor mye kan du få</h2><p>Stønaden er 2 500 kroner i måneden.</p>`);
    expect(text).not.toContain('Innholdsfortegnelse');
    expect(text).toContain('Hvem kan søke');
    expect(text).toContain('2 500 kroner i måneden');
  });

  it('drops a <details> whose summary names a table of contents and whose body is links', () => {
    const text = prunedMain(`<h1>Omsorgsstønad</h1><p>${PROSE}</p>
      <details><summary>På denne siden</summary><div><a href="#hvem">Hvem kan søke</a></div><div><a href="#sats">Sats</a></div></details>
      <h2 id="hvem">Hvem kan søke</h2><p>${PROSE}</p>
      <details><summary>Hvor mye kan jeg få?</summary><p>Stønaden er 2 500 kroner i måneden.</p></details>`);
    expect(text).not.toContain('På denne siden');
    expect(text).not.toContain('Sats');
    expect(text).toContain('Hvor mye kan jeg få?');
    expect(text).toContain('2 500 kroner i måneden');
  });
});
