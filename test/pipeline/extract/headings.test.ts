/**
 * Section headings Readability drops while keeping their text (headings.ts): an accordion's
 * questions in `<h2><button>` come back, before their answers; a heading whose section went too
 * stays out; a heading Readability kept is not doubled.
 */
import { describe, expect, it } from 'vitest';
import { extract } from '../../../src/pipeline/extract/extract.js';
import type { ExtractDom } from '../../../src/pipeline/extract/parse.js';

const INTRO =
  '<p>Når barnet ditt er sykt og trenger tilsyn og pleie hele tiden, kan du få pleiepenger. Pleiepengene skal erstatte inntekten du taper når du må være borte fra jobb for å pleie barnet.</p>' +
  '<p>Du kan få pleiepenger når barnet har vært til undersøkelse eller er innlagt på sykehus, og legen mener barnet trenger kontinuerlig tilsyn og pleie.</p>';

const ANSWERS: readonly [string, string][] = [
  [
    'Hvem kan få pleiepenger?',
    'Du må ha hatt inntekt i minst fire uker rett før du må være borte fra jobb, og barnet må være under 18 år.',
  ],
  ['Hvor mye kan du få?', 'Du får 100 prosent av inntekten din, opptil seks ganger grunnbeløpet, for de dagene du er borte fra jobb.'],
  [
    'Slik søker du',
    'Du søker digitalt på nav.no. Legen sender legeerklæringen direkte til NAV, og arbeidsgiveren sender inntektsmeldingen.',
  ],
];

/** An accordion whose questions are buttons in headings of an "unlikely" class, as Bootstrap and NAV's design system set them. */
const accordion = ANSWERS.map(
  ([q, a], i) =>
    `<div class="accordion-item"><h2 class="accordion-header"><button class="accordion-button" type="button" aria-expanded="false" aria-controls="s${i}">${q}</button></h2>` +
    `<div id="s${i}" class="accordion-collapse"><div class="accordion-body"><p>${a}</p></div></div></div>`,
).join('');

const page = (content: string): string =>
  '<!doctype html><html lang="nb"><head><title>Pleiepenger for sykt barn - helsenorge</title></head><body>' +
  '<header><nav><a href="/">Forside</a> <a href="/sok">Søk</a></nav></header>' +
  `<div class="page"><div class="content"><h1>Pleiepenger for sykt barn</h1>${content}</div></div>` +
  '<footer><p>Helsenorge er en tjeneste fra Helsedirektoratet.</p></footer></body></html>';

function run(html: string, dom: ExtractDom = 'linkedom') {
  const r = extract(html, { url: 'https://www.helsenorge.no/pleiepenger', dom });
  if (!r.ok) throw new Error(r.reason);
  return r.page;
}

describe('headings Readability dropped', () => {
  for (const dom of ['linkedom', 'jsdom'] as const) {
    it(`puts an accordion's questions back before their answers when Readability wins (${dom})`, () => {
      const p = run(page(`${INTRO}<div class="accordion">${accordion}</div>`), dom);
      expect(p.method).toBe('readability');
      for (const [q, a] of ANSWERS) {
        expect(p.text).toContain(`${q}\n${a}`);
        expect(p.markdown).toContain(`## ${q}\n\n${a}`);
        expect(p.text.split('\n').filter((l) => l === q)).toHaveLength(1);
      }
    });
  }

  it('leaves out a heading whose section Readability dropped with it, and doubles none it kept', () => {
    const share =
      '<div class="share-box"><h2 class="share-title">Del siden</h2><ul><li><a href="https://facebook.com/sharer">Facebook</a></li><li><a href="mailto:?s=x">E-post</a></li></ul></div>';
    const kept = ANSWERS.map(([q, a]) => `<h2>${q}</h2><p>${a}</p>`).join('');
    const p = run(page(`${INTRO}${kept}${share}`));
    expect(p.method).toBe('readability');
    expect(p.text).not.toContain('Del siden');
    expect(p.text).not.toContain('Facebook');
    for (const [q, a] of ANSWERS) {
      expect(p.text).toContain(`${q}\n${a}`);
      expect(p.text.split('\n').filter((l) => l === q)).toHaveLength(1);
    }
  });

  it('does not double a question its answer already opens with', () => {
    const restated = ANSWERS.map(
      ([q, a], i) =>
        `<div class="accordion-item"><h2 class="accordion-header"><button class="accordion-button" type="button" aria-controls="r${i}">${q}</button></h2>` +
        `<div id="r${i}" class="accordion-collapse"><div class="accordion-body"><p><strong>${q}</strong></p><p>${a}</p></div></div></div>`,
    ).join('');
    const p = run(page(`${INTRO}<div class="accordion">${restated}</div>`));
    expect(p.method).toBe('readability');
    for (const [q, a] of ANSWERS) {
      expect(p.text).toContain(`${q}\n${a}`);
      expect(p.text.split('\n').filter((l) => l === q)).toHaveLength(1);
    }
  });
});
