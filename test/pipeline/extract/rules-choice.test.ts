/**
 * One test per rule of choice.ts (issue 14: article, service and documentation pages eti has never
 * seen): each builds a small page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { PROSE, textOf } from '../../helpers/extract-rules.js';
import { parseDocument } from '../../../src/pipeline/extract/extract.js';
import { pruneChrome } from '../../../src/pipeline/extract/prune.js';
import { blockLines, digitGroups } from '../../../src/pipeline/extract/text.js';
import { keepFactBlocks } from '../../../src/pipeline/extract/choice.js';

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

describe('a page behind an open modal', () => {
  it('keeps <main> that the modal marks aria-hidden, and still drops hidden text elsewhere', () => {
    const fact = 'Pleiepenger gis til foreldre med barn under 18 år, og du får 100 prosent av inntekten din.';
    const html = `<!doctype html><html lang="nb"><body>
      <div role="region" class="notice"><p>Vi bruker informasjonskapsler for å gi deg en bedre opplevelse. Godta alle eller velg selv hvilke du tillater.</p></div>
      <div aria-hidden="true"><main><h1>Pleiepenger</h1><p>${PROSE}</p><p>${fact}</p><p>${PROSE}</p>
      <p aria-hidden="true">Skjult tekst som bare er for skjermlesere uten betydning</p></main></div></body></html>`;
    const text = textOf(html);
    expect(text).toContain(fact);
    expect(text).not.toContain('Skjult tekst');
  });
});

describe("Readability's article widened to <main>'s content blocks", () => {
  it("keeps a service page's introduction and section text that Readability left out, not the teasers after its last block", () => {
    const intro = 'Kommunen tilbyr avlastning for familier med barn som har store omsorgsbehov, både i hjemmet og utenfor det.';
    const section = 'Du søker om avlastning hos tildelingskontoret i kommunen, og vi tar kontakt med deg for en samtale om behovet.';
    const teaser = 'Les hvordan en familie i Bergen fikk hjelp til å organisere hverdagen med et barn som trenger mye tilsyn.';
    const html = `<!doctype html><html lang="nb"><body><main><h1>Avlastning</h1>
      <div class="hero"><div class="lead"><p>${intro}</p></div></div>
      <div class="section"><div class="col"><h2>Slik søker du</h2><p>${section}</p></div></div>
      <div class="body"><div class="text">${`<p>${PROSE}</p>`.repeat(6)}</div></div>
      <div class="teasers"><div class="card"><h3><a href="/historie">En families historie</a></h3><p>${teaser}</p></div></div>
      </main></body></html>`;
    const text = textOf(html);
    expect(text).toContain(PROSE.trim());
    expect(text).toContain(intro);
    expect(text).toContain(section);
    expect(text).not.toContain(teaser);
  });
});

describe('copies of the title', () => {
  it("drops a block that repeats the page's <h1> elsewhere in the content, and keeps the h1", () => {
    const doc = parseDocument(
      `<!doctype html><html lang="nb"><body><main><div class="sticky"><span>Omsorgsstønad for foreldre med syke barn</span></div>
      <h1>Omsorgsstønad for foreldre med syke barn</h1><p>${PROSE}</p><p>${PROSE}</p></main></body></html>`,
      'https://example.no/side',
    );
    const main = doc.getElementsByTagName('main')[0]!;
    pruneChrome(main);
    const lines = blockLines(main);
    expect(lines.filter((l) => l === 'Omsorgsstønad for foreldre med syke barn')).toHaveLength(1);
    expect(main.getElementsByTagName('h1')).toHaveLength(1);
  });
});

describe('image credits', () => {
  it('drops "Image credit: ©" and "Courtesy of" lines, not the caption prose', () => {
    const doc = parseDocument(
      `<!doctype html><html lang="nb"><body><main><h1>Omsorgsstønad</h1><p>${PROSE}</p>
      <figure><img src="a.jpg"><figcaption><p>Familien fikk avlastning to helger i måneden.</p><div>Image credit: © Depositphotos.com/Ola</div></figcaption></figure>
      <p>${PROSE}</p><figure><img src="b.jpg"><div class="caption">Courtesy of Helsedirektoratet</div></figure><p>${PROSE}</p></main></body></html>`,
      'https://example.no/side',
    );
    const main = doc.getElementsByTagName('main')[0]!;
    pruneChrome(main);
    const text = blockLines(main).join('\n');
    expect(text).not.toContain('Image credit');
    expect(text).not.toContain('Courtesy of');
    expect(text).toContain('Familien fikk avlastning');
  });
});

describe('bylines by their text', () => {
  it('drops a "Skrevet av" line without a byline class, not a sentence that starts so', () => {
    const doc = parseDocument(
      `<!doctype html><html lang="nb"><body><main><h1>Omsorgsstønad</h1><div><span>Skrevet av Kari Nordmann, rådgiver</span></div>
      <p>${PROSE}</p><p>Skrevet av kommunen og sendt til deg i brev innen fire uker.</p><p>${PROSE}</p><p>${PROSE}</p></main></body></html>`,
      'https://example.no/side',
    );
    const main = doc.getElementsByTagName('main')[0]!;
    pruneChrome(main);
    const text = blockLines(main).join('\n');
    expect(text).not.toContain('Skrevet av Kari');
    expect(text).toContain('Skrevet av kommunen og sendt');
  });
});

describe('date and reading-time lines in English', () => {
  it('drops "Updated on December 11, 2025" and "5 min read", not a sentence about an update', () => {
    const doc = parseDocument(
      `<!doctype html><html lang="en"><body><main><h1>Respite care</h1><div><span>5 min read</span></div><p>Updated on December 11, 2025</p>
      <p>${PROSE}</p><p>Updated rates apply from January 1, 2026, for all families.</p><p>${PROSE}</p><p>${PROSE}</p></main></body></html>`,
      'https://example.no/side',
    );
    const main = doc.getElementsByTagName('main')[0]!;
    pruneChrome(main);
    const text = blockLines(main).join('\n');
    expect(text).not.toContain('5 min read');
    expect(text).not.toContain('Updated on December');
    expect(text).toContain('Updated rates apply from January 1, 2026');
  });
});

describe("<main> cut down to Readability's blocks", () => {
  it('keeps a unit whose date Readability has only in a unit the cut drops (its buttons stripped)', () => {
    const doc = parseDocument(
      '<!doctype html><html lang="nb"><body><main><h1>Kurs for foreldre</h1><p>Kurset gir foreldre verktøy for hverdagen med et barn som trenger mye oppfølging.</p>' +
        '<ul class="datoer"><li><h3>Oppstart i januar</h3><p>12.01.26 — 10.04.26</p><button>Detaljer</button><button>Meld deg på</button></li></ul>' +
        '<ul class="annet"><li><a href="/nyheter">Ledige stillinger i kommunen</a></li></ul></main></body></html>',
      'https://example.no/kurs',
    );
    const main = doc.getElementsByTagName('main')[0]!;
    // Readability kept the card without its buttons, and left the link list out.
    const readText =
      'Kurs for foreldre Kurset gir foreldre verktøy for hverdagen med et barn som trenger mye oppfølging. Oppstart i januar 12.01.26 — 10.04.26';
    keepFactBlocks(main, readText, digitGroups);
    const text = blockLines(main).join('\n');
    expect(text).toContain('12.01.26 - 10.04.26');
    expect(text).not.toContain('Ledige stillinger');
  });
});
