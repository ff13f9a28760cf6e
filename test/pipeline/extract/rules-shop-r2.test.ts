/**
 * One test per rule of the second round for shop and listing pages (issue 14, product, collection
 * and listing pages of the 2026 corpus): each builds a small page by hand and fails if its rule is
 * removed.
 */
import { describe, expect, it } from 'vitest';
import { PROSE, prunedMain } from '../../helpers/extract-rules.js';

/** A section front's teasers: linked titles and dates, mostly link text (no prose page). */
const TEASERS = [
  'Nye regler for avlastning fra sommeren',
  'Slik søker du om støttekontakt',
  'Åpningstider i påsken for servicetorget',
  'Nytt tilbud for ungdom i bydelene',
  'Kommunen utvider tilbudet om korttidsopphold',
  'Foreldremøte om skolestart i august',
]
  .map((t, i) => `<li><a href="/sak/${i}"><h3>${t}</h3></a><span>${i + 3}. mars 2026</span></li>`)
  .join('');

describe("the site's footer inside <main>", () => {
  it('drops a footer of link columns naming privacy and cookie pages, headings and digits or not', () => {
    const text = prunedMain(`<h1>Aktuelt</h1><ul class="saker">${TEASERS}</ul>
      <footer><p>Kommunen har 45 000 innbyggere.</p>
      <h3>Om nettstedet</h3><ul><li><a href="/p">Personvern</a></li><li><a href="/c">Informasjonskapsler</a></li>
      <li><a href="/t">Tilgjengelighetserklæring</a></li><li><a href="/k">Nettstedskart</a></li><li><a href="/j">Ledige stillinger</a></li>
      <li><a href="/x">Presserom for journalister</a></li><li><a href="/y">Kontakt kommunen</a></li></ul></footer>`);
    expect(text).toContain('Slik søker du om støttekontakt');
    expect(text).toContain('Nytt tilbud for ungdom');
    expect(text).not.toContain('Personvern');
    expect(text).not.toContain('Presserom for journalister');
    expect(text).not.toContain('45 000 innbyggere');
  });

  it("keeps an article's own footer, which names no privacy or terms page", () => {
    const text = prunedMain(`<h1>Avlastning</h1><p>${PROSE}</p>
      <footer><h3>Kontakt</h3><p>Tildelingskontoret, telefon 55 56 60 00.</p><a href="/tema/avlastning">Avlastning</a> <a href="/tema/barn">Barn og familie</a></footer>`);
    expect(text).toContain('telefon 55 56 60 00');
  });
});

describe("an ad slot's label", () => {
  it('drops the label an ad left behind as a line of its own, and keeps the word in a sentence and an item marked as sponsored', () => {
    const text = prunedMain(`<h1>Aktuelt</h1><p>${PROSE}</p><div class="slot"><p>Annonse</p></div>
      <p>Kommunen legger ut en <b>annonse</b> når stillingen er ledig, og søknadsfristen står i den.</p>
      <div class="slot"><div>Sponsor Message</div></div><p>${PROSE.replace('kommunen', 'bydelen')}</p>
      <ul class="kort"><li><a href="/a">Avlastningsbolig i sentrum</a><span>Sponsored</span></li></ul>`);
    expect(text).not.toMatch(/^Annonse$/m);
    expect(text).not.toContain('Sponsor Message');
    expect(text).toContain('Kommunen legger ut en annonse når stillingen er ledig');
    expect(text).toContain('Sponsored');
  });
});

describe("a form's field labels", () => {
  it('drops the labels of text fields, and keeps a label with a digit and the text around the form', () => {
    const text = prunedMain(`<h1>Spørsmål om tjenesten</h1><p>${PROSE}</p>
      <div class="sporsmal"><p>Ring oss på 55 56 60 00 eller send oss spørsmålet ditt.</p>
      <label for="q">Spørsmålet ditt</label><textarea id="q"></textarea>
      <label for="n">Fullt navn</label><input id="n" type="text">
      <label>E-postadresse <input type="email"></label>
      <label for="b">Antall barn under 12 år</label><input id="b" type="number"></div>`);
    expect(text).toContain('Ring oss på 55 56 60 00');
    expect(text).not.toContain('Spørsmålet ditt');
    expect(text).not.toContain('Fullt navn');
    expect(text).not.toContain('E-postadresse');
    expect(text).toContain('Antall barn under 12 år');
  });
});

describe("a listing's sort control", () => {
  it('drops the sort label with the order it shows, and keeps a sentence about sorting', () => {
    const text =
      prunedMain(`<h1>Ledige stillinger</h1><div class="verktoy"><span>Sortering: Nyeste først</span><button>Sorter etter</button></div>
      <p>${PROSE}</p><p>Sorter etter søknadsfrist hvis du vil se stillingene som haster mest først i listen.</p>`);
    expect(text).not.toContain('Nyeste først');
    expect(text).not.toMatch(/^Sorter etter$/m);
    expect(text).toContain('Sorter etter søknadsfrist hvis du vil se stillingene');
  });
});
