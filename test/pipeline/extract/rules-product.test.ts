/**
 * One test per rule for product pages (issue 14, product pages of the 2026 corpus): each builds a
 * small page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { PROSE, textOf } from '../../helpers/extract-rules.js';

const PRODUCT_LD = '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"Refleksvest"}</script>';

describe("a product page's store terms", () => {
  it("drops the shop's shipping, returns and warranty sections, and keeps the description and specifications", () => {
    const html = `<!doctype html><html lang="nb"><head>${PRODUCT_LD}</head><body><main><h1>Refleksvest for barn</h1>
      <section><h2>Beskrivelse</h2><p>${PROSE}</p><p>Vesten har refleks på begge sider og passer barn fra 3 til 6 år.</p></section>
      <section><h2>Spesifikasjoner</h2><table><tr><th>Vekt</th><td>120 g</td></tr><tr><th>Materiale</th><td>Polyester</td></tr></table></section>
      <div class="boks"><div class="tittel"><h2>Frakt og retur</h2></div><p>Fri frakt på alle ordre over 499 kr. Du kan returnere varen innen 30 dager.</p></div>
      <div><h3>Garanti</h3><p>Alle varer har 2 års reklamasjonsrett etter forbrukerkjøpsloven.</p></div>
      </main></body></html>`;
    const text = textOf(html);
    expect(text).toContain('passer barn fra 3 til 6 år');
    expect(text).toContain('120 g');
    expect(text).not.toContain('Fri frakt');
    expect(text).not.toContain('innen 30 dager');
    expect(text).not.toContain('reklamasjonsrett');
  });

  it('keeps such sections on a page that is not a product page', () => {
    const html = `<!doctype html><html lang="nb"><body><main><h1>Hjelpemidler</h1><p>${PROSE}</p>
      <div><h2>Levering og retur</h2><p>Hjelpemiddelsentralen leverer hjelpemidlet hjem til deg innen 14 dager.</p></div></main></body></html>`;
    expect(textOf(html)).toContain('innen 14 dager');
  });
});

describe('placeholders for what a script loads later', () => {
  it('drops a block whose whole text is "Loading..." or "Laster inn …", and keeps the word inside a sentence', () => {
    const html = `<!doctype html><html lang="nb"><body><main><h1>Refleksvest for barn</h1><p>${PROSE}</p>
      <div class="anbefalinger"><div>Loading...</div><div>Laster inn …</div></div>
      <p>Vesten er laget av et lett materiale. Loading av varer skjer fra lageret i Oslo hver dag.</p></main></body></html>`;
    const text = textOf(html);
    expect(text).not.toMatch(/^Loading\.\.\.$/m);
    expect(text).not.toContain('Laster inn');
    expect(text).toContain('Loading av varer skjer fra lageret');
  });
});
