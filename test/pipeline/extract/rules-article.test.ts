/**
 * One test per rule for article pages (issue 14, article pages of the 2026 corpus): each builds a
 * small page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { PROSE, prunedMain } from '../../helpers/extract-rules.js';

describe("an article's byline", () => {
  it('drops the one bare byline, keeps the text and a sentence starting with "Av"', () => {
    const text = prunedMain(`<h1>Ny ordning for omsorgsstønad fra 1. mars</h1>
      <div class="meta"><div>Av Kari Nordmann, 12. mars 2025</div></div>
      <p>${PROSE}</p><p>Av hensyn til personvernet sendes svaret i brev. ${PROSE}</p>`);
    expect(text).not.toContain('Kari Nordmann');
    expect(text).toContain('Søknaden om omsorgsstønad');
    expect(text).toContain('Av hensyn til personvernet');
  });

  it("keeps the bylines of a listing's teasers, one per card", () => {
    const card = (n: number): string =>
      `<li><h2><a href="/${n}">Nytt om omsorgsstønad ${n}</a></h2><div>Av Kari Nordmann</div><p>${PROSE}</p></li>`;
    const text = prunedMain(`<h1>Aktuelt</h1><ul>${card(1)}${card(2)}${card(3)}</ul>`);
    expect(text.match(/Av Kari Nordmann/g)).toHaveLength(3);
  });
});
