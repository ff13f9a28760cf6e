/**
 * One test per rule for product and collection pages, third round (issue 14): each builds a small
 * page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { extract } from '../../../src/pipeline/extract/extract.js';
import { PROSE, textOf } from '../../helpers/extract-rules.js';

const count = (text: string, s: string): number => text.split(s).length - 1;

describe('a block rendered twice in a row', () => {
  const html = `<!doctype html><html lang="nb"><body><main><h1>Trygghetsalarm</h1>
    <p>${PROSE}</p>
    <div class="kun-mobil"><p>Alarmen monteres av kommunens hjemmetjeneste.</p><p>Ingen bindingstid</p></div>
    <div class="kun-skjerm"><p>Alarmen monteres av kommunens hjemmetjeneste.</p><p>Ingen bindingstid</p></div>
    <ul class="kort"><li><h2>Alarm med GPS</h2><p>Pris 250 kr per måned</p></li><li><h2>Alarm uten GPS</h2><p>Pris 250 kr per måned</p></li></ul>
    <div class="a"><p>Pris 180 kr per måned</p></div><div class="b"><p>Pris 180 kr per måned</p></div>
    </main></body></html>`;

  it('keeps one copy of the twin (a box for wide and one for narrow screens) in the text and the Markdown', () => {
    const r = extract(html, { url: 'https://example.no/side' });
    if (!r.ok) throw new Error(r.reason);
    expect(count(r.page.text, 'Alarmen monteres av kommunens hjemmetjeneste.')).toBe(1);
    expect(count(r.page.text, 'Ingen bindingstid')).toBe(1);
    expect(count(r.page.markdown, 'Alarmen monteres av kommunens hjemmetjeneste.')).toBe(1);
    expect(r.page.text).toContain('Søknaden om omsorgsstønad');
  });

  it('keeps both copies of a line with a digit: two units can show the same price', () => {
    const text = textOf(html);
    expect(count(text, 'Pris 250 kr per måned')).toBe(2);
    expect(count(text, 'Pris 180 kr per måned')).toBe(2);
  });
});
