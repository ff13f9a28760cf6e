/**
 * Footnote markers (noterefs.ts): written "[1]" apart from the word or amount they follow, never
 * glued into a wrong number; a superscript that is no note link stays; the notes' back-links go.
 */
import { describe, expect, it } from 'vitest';
import { textOf } from '../../helpers/extract-rules.js';

const page = (body: string): string =>
  `<!doctype html><html lang="nb"><head><title>Grunnstønad</title></head><body><main><h1>Grunnstønad</h1>${body}</main></body></html>`;

describe('footnote markers', () => {
  it('writes a marker after an amount as "[1]", not glued into the number, and keeps its note', () => {
    const text = textOf(
      page(
        '<p>Grunnstønad gis til personer som har nødvendige ekstrautgifter på grunn av varig sykdom, skade eller lyte. ' +
          'Sats 1 er 8 232 kroner<sup><a href="#fn1" id="ref1">1</a></sup> i året, og sats 6 er 50 000<sup><a href="#fn2">2</a></sup> kroner.</p>' +
          '<h2>Fotnoter</h2><ol><li id="fn1">Satsen gjelder fra 1. januar 2026. <a href="#ref1" data-footnote-backref="">↩</a></li>' +
          '<li id="fn2">Folketrygdloven § 6-3. <a href="#ref2">↩︎</a></li></ol>',
      ),
    );
    expect(text).toContain('8 232 kroner[1] i året');
    expect(text).toContain('50 000[2] kroner');
    expect(text).not.toContain('kroner1');
    expect(text).not.toContain('50 0002');
    expect(text).toContain('Satsen gjelder fra 1. januar 2026.');
    expect(text).toContain('Folketrygdloven § 6-3.');
    expect(text).not.toContain('↩');
  });

  it('reads a bracketed marker once, and leaves a superscript that is no note link in the text', () => {
    const text = textOf(
      page(
        '<p>Boligen må ha et areal på minst 10 m<sup>2</sup> per beboer for at kommunen skal kunne gi tilskudd til tilpasning av boligen.' +
          '<sup class="reference"><a href="#cite_note-3">[3]</a></sup> Søknaden sendes til kommunen der du bor.</p>',
      ),
    );
    expect(text).toContain('minst 10 m2 per beboer');
    expect(text).toContain('tilpasning av boligen.[3] Søknaden');
    expect(text).not.toContain('[[3]]');
  });

  it('writes a raised number with no note link apart from the digit before it: "[1]" after an amount, "^6" after a ten', () => {
    const text = textOf(
      page(
        '<p>Sats 1 er <strong>8 232</strong><sup>1</sup> kroner i året, og egenandelen er 2 150<sup>2</sup> kroner for voksne som bor hjemme.</p>' +
          '<p>En voksen har omtrent 3 × 10<sup>13</sup> celler, og kroppen lager rundt 10<sup>11</sup> nye celler hver dag.</p>' +
          '<p>Rommet må være minst 7 m<sup>2</sup> stort.</p><p>1. Satsen gjelder fra 1. januar 2026.</p><p>2. Gjelder ikke barn.</p>',
      ),
    );
    expect(text).toContain('8 232[1] kroner');
    expect(text).toContain('2 150[2] kroner');
    expect(text).not.toContain('8 2321');
    expect(text).toContain('3 × 10^13 celler');
    expect(text).toContain('rundt 10^11 nye');
    expect(text).toContain('minst 7 m2 stort');
  });
});
