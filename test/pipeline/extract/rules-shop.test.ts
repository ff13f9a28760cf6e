/**
 * One test per rule for shop and listing pages (issue 14, product, collection and listing pages
 * of the 2026 corpus): each builds a small page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { textOf } from '../../helpers/extract-rules.js';

const LINKS = [
  'Personvern',
  'Tilgjengelighet',
  'Informasjonskapsler',
  'Nettstedskart',
  'Presserom',
  'Ledige stillinger',
  'Politikk og innsyn',
  'Kontakt kommunen',
  'Arrangementer',
  'Beredskap og sikkerhet',
]
  .map((t) => `<a href="/${t.length}">${t}</a>`)
  .join(' ');

describe('a list of like units on a page without <main>', () => {
  it('keeps every offer of the list, not the one Readability took for the article', () => {
    const html = `<!doctype html><html lang="nb"><body><div class="banner"><h1>Tilbud</h1></div>
      <div class="wrapper"><div class="tilbud"><ul>
      <li><a href="/1"><img src="/k1.jpg" alt=""></a><div class="desc"><a href="/a"><h2>Gratis avlastning første helg</h2></a><p><strong>Tilbudet gjelder familier med store omsorgsbehov</strong>.</p><p>Familier med barn som har store omsorgsbehov kan få en gratis avlastningshelg den første måneden. Tilbudet gjelder når vedtaket om avlastning er fattet, og kan ikke kombineres med andre tilbud. Søknaden sendes til tildelingskontoret, som svarer innen fire uker.</p></div></li>
      <li><a href="/2"><img src="/k2.jpg" alt=""></a><div class="desc"><a href="/b"><h2>Rabatt på korttidsopphold</h2></a><p>Må bestilles før oppholdet starter.</p><p>Kan ikke kombineres med andre tilbud, noen vilkår gjelder.</p></div></li>
      <li><a href="/3"><img src="/k3.jpg" alt=""></a><div class="desc"><a href="/c"><h2>Støttekontakt hver uke</h2></a><p>Må bestilles før oppholdet starter.</p><p>Kan ikke kombineres med andre tilbud, noen vilkår gjelder.</p></div></li>
      <li><a href="/4"><img src="/k4.jpg" alt=""></a><div class="desc"><a href="/d"><h2>Kurs for foreldre</h2></a><p>Meld deg på i dag hos helsestasjonen.</p><p>Kan ikke kombineres med andre tilbud, noen vilkår gjelder.</p></div></li>
      </ul></div></div>
      
      <div class="lenker">${LINKS}</div></body></html>`;
    const text = textOf(html);
    expect(text).toContain('gratis avlastningshelg');
    expect(text).not.toContain('Personvern');
    expect(text).toContain('Rabatt på korttidsopphold');
    expect(text).toContain('Støttekontakt hver uke');
    expect(text).toContain('Meld deg på i dag hos helsestasjonen');
  });
});

describe('words that markup alone separates', () => {
  it('reads adjacent inline fields of a card as separate words, and keeps a word split by <wbr> or a text node whole', () => {
    const html = `<!doctype html><html lang="nb"><body><main><h1>Avlastning</h1>
      <p>Avlastning gis til familier med særlig tyngende omsorgsarbeid, og kommunen vurderer behovet i hvert enkelt tilfelle etter søknad.</p>
      <div class="kort"><a href="/a">Avlastningsbolig</a><span>2026</span><span>4 døgn</span><span>Ny</span></div>
      <p>Søk om <span>omsorgs</span><wbr><span>stønad</span> og <b>pleie</b>penger hos kommunen og NAV.</p></main></body></html>`;
    const text = textOf(html);
    expect(text).toContain('Avlastningsbolig 2026 4 døgn Ny');
    expect(text).toContain('omsorgsstønad');
    expect(text).toContain('pleiepenger');
  });
});

describe('lines inside a table cell', () => {
  it('keeps the lines of a cell (a <br>, paragraphs) apart in its row', () => {
    const html = `<!doctype html><html lang="nb"><body><main><h1>Kontakt</h1>
      <p>Her finner du telefonnumre og åpningstider for tjenestene kommunen gir til familier med barn som har særlige behov.</p>
      <table><tr><th>Tjeneste</th><th>Kontakt</th></tr>
      <tr><td><p>Avlastning</p><p>Tildelingskontoret</p></td><td>Telefon<br>55 55 33 33</td></tr></table></main></body></html>`;
    const text = textOf(html);
    expect(text).toContain('Avlastning Tildelingskontoret | Telefon 55 55 33 33');
  });
});
