/**
 * One test per rule of round 4 for product and collection pages (issue 14): each builds a small
 * page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { PROSE, prunedMain, textOf } from '../../helpers/extract-rules.js';

describe("a product's stock status", () => {
  it('drops the stock status standing as a line of its own, and keeps a sentence that names the stock', () => {
    const text = prunedMain(`<h1>Refleksvest for barn</h1><p>${PROSE}</p>
      <div class="kjop"><p class="pris">Pris: 149 kr</p><strong class="status">På lager</strong>
      <p class="varsel">Low in stock, only 6 left</p><div><b>In Stock!</b></div></div>
      <p>Vesten deles ut gratis til alle skolestartere, og den som ikke er på lager hos skolen kan hentes på servicetorget.</p>`);
    expect(text).toContain('Pris: 149 kr');
    expect(text).not.toContain('På lager');
    expect(text).not.toContain('only 6 left');
    expect(text).not.toContain('In Stock');
    expect(text).toContain('ikke er på lager hos skolen');
  });
});

describe('a placeholder for what a script loads later', () => {
  it('drops "Loading recommendations" and "Laster inn anbefalinger" standing alone, and keeps a sentence about loading', () => {
    const text = textOf(`<!doctype html><html lang="nb"><body><main><h1>Refleksvest for barn</h1><p>${PROSE}</p>
      <div class="boks"><span>Loading recommendations</span></div><p>Laster inn anbefalinger …</p>
      <div class="boks"><div>Loading content</div></div>
      <p>Loading av varer skjer ved rampen bak servicetorget mellom klokken 8 og 10.</p></main></body></html>`);
    expect(text).toContain('Søknaden om omsorgsstønad');
    expect(text).not.toContain('Loading recommendations');
    expect(text).not.toContain('Laster inn anbefalinger');
    expect(text).not.toContain('Loading content');
    expect(text).toContain('Loading av varer skjer ved rampen');
  });
});

describe("a form of choices (a listing's filter)", () => {
  it('drops a form of checkboxes and radio buttons with short labels, digits or not, and keeps the listing and a form with a text field', () => {
    const choice = (name: string, label: string, type = 'checkbox'): string =>
      `<li><label><input type="${type}" name="${name}"><span>${label}</span></label></li>`;
    const text = prunedMain(`<h1>Refleksvester</h1><p>${PROSE}</p>
      <form class="panel"><h2>Størrelse</h2><ul>${['98', '104', '110', '116', '122'].map((x) => choice('str', x)).join('')}</ul>
      <h2>Pris</h2><ul>${['Under 100 kr (4)', '100–200 kr (7)'].map((x) => choice('pris', x, 'radio')).join('')}</ul></form>
      <ul class="liste"><li><a href="/v1">Refleksvest gul</a> 149 kr</li><li><a href="/v2">Refleksvest oransje</a> 179 kr</li></ul>
      <form class="kontakt"><label>Telefon 22 33 44 55</label><input type="tel" name="tlf"></form>`);
    expect(text).not.toContain('Størrelse');
    expect(text).not.toContain('Under 100 kr');
    expect(text).toContain('Refleksvest gul');
    expect(text).toContain('179 kr');
    expect(text).toContain('Telefon 22 33 44 55');
  });
});
