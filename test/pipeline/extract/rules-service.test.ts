/**
 * One test per rule of docs.ts (issue 14: article, documentation and service pages): each builds a
 * small page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { PROSE, prunedMain, textOf } from '../../helpers/extract-rules.js';

describe("a table of contents' title", () => {
  it('drops the title heading of an in-page table of contents with its list, and keeps the sections', () => {
    const text = prunedMain(`<h1>Omsorgsstønad</h1><p>${PROSE}</p>
      <h2>Innholdsfortegnelse</h2>
      <p>${PROSE}</p>
      <h2 id="hvem">Hvem kan søke</h2><p>${PROSE}</p>
      <h2 id="sats">Hvor mye kan du få</h2><p>Stønaden er 2 500 kroner i måneden.</p>`);
    expect(text).not.toContain('Innholdsfortegnelse');
    expect(text).toContain('Hvem kan søke');
    expect(text).toContain('2 500 kroner i måneden');
  });

  it('drops a <details> whose summary names a table of contents and whose body is links', () => {
    const text = prunedMain(`<h1>Omsorgsstønad</h1><p>${PROSE}</p>
      <details><summary>På denne siden</summary><div><a href="#hvem">Hvem kan søke</a></div><div><a href="#sats">Sats</a></div></details>
      <h2 id="hvem">Hvem kan søke</h2><p>${PROSE}</p>
      <details><summary>Hvor mye kan jeg få?</summary><p>Stønaden er 2 500 kroner i måneden.</p></details>`);
    expect(text).not.toContain('På denne siden');
    expect(text).not.toContain('Sats');
    expect(text).toContain('Hvor mye kan jeg få?');
    expect(text).toContain('2 500 kroner i måneden');
  });
});

describe("the page's date standing alone", () => {
  it('drops the one line that is only an English date, and keeps dates that share a line or are values', () => {
    const text = prunedMain(`<h1>Omsorgsstønad</h1><div class="meta"><span>December 11, 2025</span></div><p>${PROSE}</p>
      <p>Søknaden ble sendt June 9, 2025 og behandlet raskt.</p>
      <dl><dt>Søknadsfrist</dt><dd>March 1, 2026</dd></dl>`);
    expect(text).not.toContain('December 11, 2025');
    expect(text).toContain('Søknaden ble sendt June 9, 2025');
    expect(text).toContain('March 1, 2026');
    // Several are a thread's or a listing's dates: they stay.
    const thread = prunedMain(`<h1>Spørsmål om omsorgsstønad</h1>
      <div class="post"><div>Dec 8, 2025</div><p>${PROSE}</p></div>
      <div class="post"><div>Dec 9, 2025</div><p>${PROSE}</p></div>`);
    expect(thread).toContain('Dec 8, 2025');
    expect(thread).toContain('Dec 9, 2025');
  });
});

describe("a page's revision stamp", () => {
  it('drops a "last modified" line and a "last reviewed" field, and keeps a sentence that speaks of an update', () => {
    const text = prunedMain(`<h1>Omsorgsstønad</h1><p>${PROSE}</p>
      <p>Satsene ble sist endret 1. januar 2026, og last updated satser står i tabellen nedenfor.</p>
      <div class="field"><div class="label">Date Last Reviewed:</div><div class="item"><time datetime="2025-04-14">April 2025</time></div></div>
      <p class="footer-note">This page was last modified on <time datetime="2025-07-15">Jul 15, 2025</time> by MDN contributors.</p>`);
    expect(text).toContain('Satsene ble sist endret 1. januar 2026');
    expect(text).not.toContain('Date Last Reviewed');
    expect(text).not.toContain('April 2025');
    expect(text).not.toContain('last modified');
  });
});

describe('calls to action repeated across sections', () => {
  it('drops a button label that ends every card, and keeps repeated names and numbers', () => {
    const card = (h: string): string =>
      `<div class="card"><h2>${h}</h2><p>${PROSE}</p><p>Utført av <a href="/bergen">Bergen kommune</a></p><div><a class="btn" href="/${h.length}">Les mer</a></div><div><a href="tel:55555555">Ring 55 55 55 55</a></div></div>`;
    const text = prunedMain(`<h1>Tjenester for familier</h1>${card('Avlastning')}${card('Støttekontakt')}${card('Omsorgsstønad')}`);
    expect(text).not.toContain('Les mer');
    expect(text).toContain('Utført av Bergen kommune');
    expect(text).toContain('Ring 55 55 55 55');
    expect(text).toContain('Omsorgsstønad');
  });
});

describe('a grid of feature cards', () => {
  it("keeps cards that are links wrapping a heading and its description when the page's text goes on after them, not teasers that end it", () => {
    const card = (h: string, d: string): string => `<a href="/${h.length}"><div><h3>${h}</h3><p>${d}</p></div></a>`;
    const grid = `<div class="grid">${card('Avlastning i hjemmet', 'En fast avlaster kommer hjem til dere noen timer hver uke.')}${card('Avlastningsbolig', 'Barnet bor noen døgn i måneden i en bolig med ansatte.')}${card('Støttekontakt', 'En voksen som gjør aktiviteter sammen med barnet ditt.')}${card('Omsorgsstønad', 'Penger til deg som har et særlig tyngende omsorgsarbeid.')}</div>`;
    const teasers = `<div class="more">${card('Slik fikk familien Hansen hjelp', 'Les hvordan en familie i Bergen fikk hjelp til hverdagen.')}${card('Ny ordning for avlastning', 'Kommunen har endret hvordan du søker om avlastning.')}${card('Spørsmål og svar om stønad', 'De vanligste spørsmålene om omsorgsstønad besvart.')}${card('Møt tildelingskontoret', 'Bli kjent med de som behandler søknaden din.')}</div>`;
    const text = prunedMain(
      `<h1>Tjenester for familier</h1><p>${PROSE}</p>${grid}<h2>Slik søker du</h2>${`<p>${PROSE}</p>`.repeat(5)}${teasers}`,
    );
    expect(text).toContain('En fast avlaster kommer hjem til dere');
    expect(text).toContain('Penger til deg som har et særlig tyngende omsorgsarbeid');
    expect(text).not.toContain('familien Hansen');
  });
});

describe("an article's closing chrome", () => {
  it('drops the sharing and follow prompts after the text, and keeps a sentence that asks the reader to share', () => {
    const text = prunedMain(`<h1>Omsorgsstønad</h1><p>${PROSE}</p>
      <p>Del gjerne erfaringene dine med andre foreldre i samme situasjon.</p>
      <div class="end">Del artikkelen</div><div class="follow">Følg oss på Facebook</div>`);
    expect(text).toContain('Del gjerne erfaringene dine');
    expect(text).not.toContain('Del artikkelen');
    expect(text).not.toContain('Følg oss på Facebook');
  });
});

describe("a post's pager", () => {
  it('drops the previous and next links after the text, and keeps a sentence about the next step', () => {
    const text = prunedMain(`<h1>Omsorgsstønad</h1><p>${PROSE}</p>
      <p>Neste steg er å sende søknaden til kommunen.</p>
      <div class="pager"><a href="/a">« Forrige artikkel</a> <a href="/b">Neste artikkel »</a></div>
      <div class="pager-next">Neste side: <a href="/c">Slik søker du om avlastning</a></div>`);
    expect(text).toContain('Neste steg er å sende søknaden');
    expect(text).not.toContain('Forrige artikkel');
    expect(text).not.toContain('Slik søker du om avlastning');
  });
});

describe("a post's taxonomy line", () => {
  it('drops a label with its tag links, and keeps a labelled line of text', () => {
    const text = prunedMain(`<h1>Omsorgsstønad</h1><p>${PROSE}</p>
      <p>Tema: stønaden gis til foreldre med særlig tyngende omsorgsarbeid.</p>
      <div class="meta">Emneord: <a href="/t/1">omsorg</a>, <a href="/t/2">familie</a>, <a href="/t/3">avlastning</a></div>`);
    expect(text).toContain('Tema: stønaden gis til foreldre');
    expect(text).not.toContain('Emneord');
  });
});

describe("a sign-up or contact form's title", () => {
  it('drops the heading and line of help above a form that asks for contact details, and keeps a search form heading and a box with a phone number', () => {
    const text = prunedMain(`<h1>Omsorgsstønad</h1><p>${PROSE}</p>
      <div class="box"><h2>Få nyheter om stønader på e-post</h2><p>Fyll inn adressen din under</p>
        <div><form><input type="email" name="epost"><button>Send</button></form></div></div>
      <div class="box"><h2>Finn tjenester i din kommune</h2><form><input type="search" name="q"><button>Søk</button></form></div>
      <div class="box"><h2>Kontakt tildelingskontoret</h2><p>Ring 55 56 60 00</p><form><textarea name="melding"></textarea></form></div>
      <p>${PROSE}</p>`);
    expect(text).not.toContain('Få nyheter om stønader');
    expect(text).not.toContain('Fyll inn adressen din');
    expect(text).toContain('Finn tjenester i din kommune');
    expect(text).toContain('Kontakt tildelingskontoret');
    expect(text).toContain('Ring 55 56 60 00');
  });
});

describe('a code block', () => {
  it('keeps every line of code, however much one reads like an image credit', () => {
    const text = prunedMain(`<h1>Oppsett av tjenesten</h1><p>${PROSE}</p>
      <pre><code><span class="line">services:</span>
<span class="line">  db:</span>
<span class="line">    image: postgres:18</span></code></pre><p>${PROSE}</p>`);
    expect(text).toContain('image: postgres:18');
  });
});

describe('a social-proof section', () => {
  it("keeps a service page's user counts and testimonial in a section named social proof, and drops a social sharing bar", () => {
    const text = textOf(`<!doctype html><html lang="nb"><body><main><h1>Digital postkasse</h1><p>${PROSE}</p>
      <section class="socialProof_container"><p class="socialProof_stat">Over 4 millioner brukere</p>
        <blockquote class="socialProof_quote">Vi får svar fra kommunen samme dag, og slipper å vente på brev i posten.</blockquote></section>
      <div class="social-share"><a href="/fb">Facebook</a> <a href="/x">X</a></div>
      <p>${PROSE}</p></main></body></html>`);
    expect(text).toContain('Over 4 millioner brukere');
    expect(text).toContain('Vi får svar fra kommunen samme dag');
    expect(text).not.toContain('Facebook');
  });
});

describe('a disclosure panel named a drop-down', () => {
  it("keeps an FAQ answer in an accordion's drop-down, and drops a drop-down menu of links", () => {
    const text = prunedMain(`<h1>Omsorgsstønad</h1><p>${PROSE}</p>
      <div class="accordion"><button id="q1">Hvem kan få omsorgsstønad?</button>
        <div class="accordion__dropdown" aria-labelledby="q1"><p>Du kan få omsorgsstønad når du har et særlig tyngende omsorgsarbeid for en person som trenger mye hjelp i hverdagen. Kommunen vurderer hvor stort omsorgsarbeidet er, og om andre tjenester dekker behovet.</p></div></div>
      <div class="dropdown"><a href="/a">Avlastning</a> <a href="/b">Støttekontakt</a> <a href="/c">Brukerstyrt personlig assistanse</a></div>
      <p>${PROSE}</p>`);
    expect(text).toContain('Du kan få omsorgsstønad når du har et særlig tyngende omsorgsarbeid');
    expect(text).not.toContain('Brukerstyrt personlig assistanse');
  });
});
