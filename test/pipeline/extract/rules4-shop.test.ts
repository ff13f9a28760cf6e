/**
 * One test per rule of round 4 for product and collection pages (issue 14): each builds a small
 * page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { PROSE, prunedMain } from '../../helpers/extract-rules.js';

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
