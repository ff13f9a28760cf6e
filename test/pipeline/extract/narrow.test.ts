/**
 * Narrow-screen copies (narrow.ts): a block the page renders again for phones, hidden on wide
 * screens by a class, reads once when the rest of the page says the same; a phone-only fact, a
 * copy shown again on wide screens and a phone-only text of its own stay.
 */
import { describe, expect, it } from 'vitest';
import { textOf } from '../../helpers/extract-rules.js';

const page = (body: string): string =>
  `<!doctype html><html lang="nb"><head><title>Grunnstønad</title></head><body><main><h1>Grunnstønad</h1>${body}</main></body></html>`;

const INTRO =
  'Grunnstønad kan du få hvis du har varige ekstrautgifter på grunn av sykdom, skade eller medfødt tilstand, ' +
  'for eksempel til transport, slitasje på klær og sengetøy, eller til å holde en spesiell diett.';
const MORE =
  '<p>Du søker på nav.no, og du må legge ved dokumentasjon på utgiftene. Legen din skriver en erklæring om ' +
  'sykdommen, og NAV vurderer om utgiftene er store nok til at du har rett på stønad.</p>';

/** How many times `needle` stands in `hay`. */
const count = (hay: string, needle: string): number => hay.split(needle).length - 1;

describe('narrow-screen copies', () => {
  it("reads a phone's copy of a block once when it differs from the wide copy only a little", () => {
    const text = textOf(
      page(
        `<div class="d-none d-lg-block"><p>${INTRO}</p><p>Sats 1 er 8 232 kroner i året.</p><p>★★★★★ Les omtaler</p></div>` +
          `<div class="d-lg-none"><p>${INTRO}</p><p>Sats 1 er 8 232 kroner i året.</p></div>${MORE}`,
      ),
    );
    expect(count(text, 'varige ekstrautgifter')).toBe(1);
    expect(count(text, '8 232 kroner')).toBe(1);
    expect(text).toContain('Les omtaler');
    expect(text).toContain('Du søker på nav.no');
  });

  it('reads Tailwind\'s "md:hidden" and WPBakery\'s "vc_hidden-lg" copies once too, further down the page', () => {
    for (const cls of ['block md:hidden', 'vc_hidden-lg vc_hidden-md']) {
      const text = textOf(
        page(`<div class="hidden md:block"><p>${INTRO} Søk digitalt.</p></div>${MORE}<div class="${cls}"><p>${INTRO}</p></div>`),
      );
      expect(count(text, 'varige ekstrautgifter'), cls).toBe(1);
    }
  });

  it("keeps a phone's copy that holds a number the wide copy does not", () => {
    const text = textOf(
      page(
        `<div class="d-none d-lg-block"><p>${INTRO}</p></div>` +
          `<div class="d-lg-none"><p>${INTRO}</p><p>Ring oss på 55 55 33 33</p></div>${MORE}`,
      ),
    );
    expect(text).toContain('55 55 33 33');
  });

  it('keeps one of two phone copies holding a number the wide copy lacks: they are not each other\'s "elsewhere"', () => {
    const phone = `<p>${INTRO}</p><p>Ring 55 55 33 33</p>`;
    const text = textOf(
      page(
        `<div class="d-none d-lg-block"><p>${INTRO} Søk digitalt.</p></div>${MORE}<div class="d-lg-none">${phone}</div><div class="mobile-only">${phone}</div>`,
      ),
    );
    expect(text).toContain('55 55 33 33');
  });

  it('keeps a copy that a class shows again on wide screens, and a phone-only text said nowhere else', () => {
    const shownAgain = textOf(
      page(`<div><p>${INTRO} Søk digitalt.</p></div>${MORE}<div class="d-md-none d-xl-block"><p>${INTRO}</p></div>`),
    );
    expect(count(shownAgain, 'varige ekstrautgifter')).toBe(2);
    const own = textOf(
      page(
        `<div class="mobile-only"><p>Denne siden er laget for deg som er forelder til et barn med store hjelpebehov, og forteller hva du kan søke om.</p></div><p>${INTRO}</p>${MORE}`,
      ),
    );
    expect(own).toContain('Denne siden er laget for deg');
  });
});
