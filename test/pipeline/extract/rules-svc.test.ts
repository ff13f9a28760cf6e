/**
 * One test per rule of the third round on service, documentation and listing pages (issue 14):
 * each builds a small page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { PROSE, textOf } from '../../helpers/extract-rules.js';
import { parseDocument } from '../../../src/pipeline/extract/extract.js';
import { blockLines, digitGroups } from '../../../src/pipeline/extract/text.js';
import { keepFactBlocks } from '../../../src/pipeline/extract/choice.js';

describe("<main> cut down to Readability's blocks and the facts it lost", () => {
  it("keeps the prose between Readability's blocks (an FAQ's answers), not the teasers after its last", () => {
    const doc = parseDocument(
      `<!doctype html><html lang="nb"><body><main><h1>Omsorgsstønad</h1><p>${PROSE}</p>` +
        '<p>Ring tildelingskontoret på 55 55 33 33 om du har spørsmål.</p>' +
        '<h2>Spørsmål og svar</h2><ul class="faq"><li><h3><button>Hvem kan søke?</button></h3>' +
        '<div><p>Foreldre og andre som har et særlig tyngende omsorgsarbeid for barn eller voksne, kan søke om stønaden.</p></div></li></ul>' +
        `<p>${PROSE}</p><ul class="annet"><li><p>Les også om avlastning, støttekontakt og brukerstyrt personlig assistanse i kommunen vår.</p></li></ul>` +
        '</main></body></html>',
      'https://example.no/omsorgsstonad',
    );
    const main = doc.getElementsByTagName('main')[0]!;
    // Readability kept the prose around the FAQ and lost the phone number: <main> is cut down.
    const readText = `Omsorgsstønad ${PROSE} ${PROSE}`.replace(/\s+/g, ' ');
    keepFactBlocks(main, readText, digitGroups);
    const text = blockLines(main).join('\n');
    expect(text).toContain('55 55 33 33');
    expect(text).toContain('Foreldre og andre som har et særlig tyngende omsorgsarbeid');
    expect(text).not.toContain('Les også om avlastning');
  });
});

describe('headings left without their section', () => {
  it("drops the heading of a section the cut to Readability's blocks emptied, not one over kept text", () => {
    const doc = parseDocument(
      `<!doctype html><html lang="nb"><body><main><h1>Omsorgsstønad</h1><h2>Om stønaden</h2><p>${PROSE}</p>` +
        '<p>Ring tildelingskontoret på 55 55 33 33 om du har spørsmål.</p>' +
        '<h2>Andre brukere forteller</h2><ul class="sitater"><li>Kari, mor til to</li><li>Ola, pårørende</li></ul></main></body></html>',
      'https://example.no/omsorgsstonad',
    );
    const main = doc.getElementsByTagName('main')[0]!;
    keepFactBlocks(main, `Omsorgsstønad Om stønaden ${PROSE}`.replace(/\s+/g, ' '), digitGroups);
    const text = blockLines(main).join('\n');
    expect(text).toContain('Om stønaden');
    expect(text).toContain('55 55 33 33');
    expect(text).not.toContain('Kari, mor til to');
    expect(text).not.toContain('Andre brukere forteller');
  });

  it('drops the heading over a menu that went as chrome, and keeps a heading the page left empty', () => {
    const links = ['Avlastning', 'Støttekontakt', 'Omsorgsstønad', 'Brukerstyrt personlig assistanse']
      .map((t, i) => `<li><a href="/t/${i}">${t}</a></li>`)
      .join('');
    const text = textOf(
      `<!doctype html><html lang="nb"><body><main><h1>Omsorgsstønad</h1><p>${PROSE}</p>` +
        `<h2>Tjenester for familier</h2><nav><ul>${links}</ul></nav>` +
        `<h2>Slik søker du</h2><p>${PROSE}</p><h2>Vedlegg</h2><h2>Klage</h2><p>${PROSE}</p></main></body></html>`,
    );
    expect(text).not.toContain('Brukerstyrt personlig assistanse');
    expect(text).not.toContain('Tjenester for familier');
    expect(text).toContain('Slik søker du');
    expect(text).toContain('Vedlegg');
  });
});
