/**
 * One test per rule for collection and listing pages (issue 14, the collection and listing pages
 * of the 2026 corpus): each builds a small page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/pipeline/extract/extract.js';
import { appendProseAfter } from '../../../src/pipeline/extract/listing.js';
import { keepFactBlocks } from '../../../src/pipeline/extract/choice.js';
import { blockLines, digitGroups } from '../../../src/pipeline/extract/text.js';
import { PROSE, prunedMain, textOf } from '../../helpers/extract-rules.js';

describe('a rating on a card of a listing', () => {
  it("keeps a unit's rating value and vote count, and drops a rating widget to click and a reviewer's stars", () => {
    const cards = ['Avlastningsbolig Solsiden', 'Dagsenter Fjellheim', 'Støttekontakt Sentrum']
      .map(
        (name, i) =>
          `<li class="kort"><h3><a href="/t/${i}">${name}</a></h3><span class="info">Åpent alle hverdager</span>` +
          `<span class="tjeneste-rating">${4 + i / 10} (1${i}2 vurderinger)</span></li>`,
      )
      .join('');
    const text = prunedMain(
      `<h1>Tjenester</h1><p>${PROSE}</p><ul class="tjenester">${cards}</ul>` +
        '<div class="page-rating">Var denne siden nyttig? <button>Ja</button> <button>Nei</button></div>' +
        '<div class="star-rating">Gi din vurdering: <button>1</button><button>2</button><button>3</button></div>' +
        '<ul class="reviews"><li><p>Veldig god hjelp, og svar innen en uke.</p><div class="review-rating">(5 av 5 stjerner)</div></li></ul>',
    );
    expect(text).toContain('4 (102 vurderinger)');
    expect(text).toContain('4.2 (122 vurderinger)');
    expect(text).not.toContain('Var denne siden nyttig');
    expect(text).not.toContain('Gi din vurdering');
    expect(text).toContain('Veldig god hjelp');
    expect(text).not.toContain('5 av 5 stjerner');
  });
});

describe('the category text after <main> on a collection page', () => {
  const cards = [
    'Avlastningsbolig Solsiden',
    'Dagsenter Fjellheim',
    'Støttekontakt Sentrum',
    'Korttidsopphold Nordbyen',
    'Aktivitetstilbud Vest',
    'Ferieopphold Kysten',
    'Treningskontakt Øst',
  ]
    .map(
      (name, i) => `<article class="kort"><h3><a href="/t/${i}">${name}</a></h3><span class="pris">${100 + i} kr per døgn</span></article>`,
    )
    .join('');
  const guide =
    '<div class="kategori-tekst"><h2>Slik velger du avlastning</h2><p>Avlastning kan gis i en bolig, i et dagsenter eller hjemme hos familien, og kommunen vurderer hva som passer best for hver familie.</p>' +
    '<p>Søknaden sendes til tildelingskontoret, som svarer innen fire uker. Du kan klage på vedtaket til Statsforvalteren innen tre uker.</p></div>';
  const consent =
    '<div class="iub-banner"><p>Vi og utvalgte tredjeparter bruker informasjonskapsler (cookies) til tekniske formål og, med ditt samtykke, til måling av bruk.</p></div>';

  it('keeps the prose after a <main> that holds a grid of cards, not a consent banner', () => {
    const text = textOf(
      `<!doctype html><html lang="nb"><body><div class="side"><main><h1>Avlastning</h1><p>Alle tilbud om avlastning i kommunen.</p><div class="rutenett">${cards}</div></main>${guide}${consent}</div><footer><p>Kommunen, Rådhusgata 1</p></footer></body></html>`,
    );
    expect(text).toContain('Dagsenter Fjellheim');
    expect(text).toContain('Slik velger du avlastning');
    expect(text).toContain('klage på vedtaket til Statsforvalteren');
    expect(text).not.toContain('informasjonskapsler');
  });

  it('leaves the prose after the <main> of an article outside', () => {
    const doc = parseDocument(
      `<!doctype html><html lang="nb"><body><main><h1>Avlastning</h1><p>${PROSE}</p><p>${PROSE}</p></main>${guide}</body></html>`,
      'https://example.no/side',
    );
    const main = doc.getElementsByTagName('main')[0]!;
    expect(appendProseAfter(main)).toBe(0);
    expect(main.textContent).not.toContain('Statsforvalteren');
  });
});

describe('loading placeholders on the cards of a listing', () => {
  it('drops a card whose whole text is "Laster inn…" or "Loading...", and keeps the word in a sentence', () => {
    const text = textOf(
      `<!doctype html><html lang="nb"><body><main><h1>Tilbud</h1><p>${PROSE}</p><ul class="kort"><li><a href="/a">Avlastningsbolig Solsiden</a><div class="pris">Laster inn…</div></li>` +
        '<li><a href="/b">Dagsenter Fjellheim</a><span>Loading...</span></li></ul>' +
        '<p>Siden viser Laster inn mens søknaden sendes.</p></main></body></html>',
    );
    expect(text).toContain('Dagsenter Fjellheim');
    expect(text).not.toContain('Laster inn…');
    expect(text).not.toContain('Loading');
    expect(text).toContain('Siden viser Laster inn mens søknaden sendes.');
  });
});

describe('the cards of a list Readability kept part of', () => {
  it("keeps every card of a list when <main> is cut down to Readability's blocks, and drops a list it left out", () => {
    const card = (title: string, teaser: string): string => `<li><h3><a href="/${title.length}">${title}</a></h3> <p>${teaser}</p></li>`;
    const doc = parseDocument(
      `<!doctype html><html lang="nb"><body><main><h1>Familie</h1><section><h2>Avlastning</h2><ul class="kort">` +
        card('Slik søker du avlastning', 'Søknaden sendes til tildelingskontoret, som svarer innen fire uker.') +
        card('Avlastning i bolig', 'Familien kan få avlastning i en bolig med fast personale hele døgnet.') +
        card('Støttekontakt for barn', 'En støttekontakt gir barnet en meningsfull fritid sammen med andre.') +
        '</ul></section><ul class="annet">' +
        card('Ledige stillinger i kommunen', 'Se alle ledige stillinger og søk på jobb hos oss.') +
        '</ul></main></body></html>',
      'https://example.no/side',
    );
    const main = doc.getElementsByTagName('main')[0]!;
    const readText =
      'Familie Avlastning Slik søker du avlastning Søknaden sendes til tildelingskontoret, som svarer innen fire uker. Avlastning i bolig Familien kan få avlastning i en bolig med fast personale hele døgnet.';
    keepFactBlocks(main, readText, digitGroups);
    const text = blockLines(main).join('\n');
    expect(text).toContain('Avlastning i bolig');
    expect(text).toContain('Støttekontakt for barn');
    expect(text).not.toContain('Ledige stillinger');
  });
});

describe("a card's repeated call to action", () => {
  it('drops a link label or control every card repeats, and keeps a label said once or with a number', () => {
    const cards = ['Avlastningsbolig Solsiden', 'Dagsenter Fjellheim', 'Støttekontakt Sentrum']
      .map(
        (name, i) =>
          `<div class="kort"><h3>${name}</h3><p>Tilbudet gis etter vedtak fra tildelingskontoret.<br><a href="/t/${i}">Les hele omtalen</a></p>` +
          `<input type="checkbox" id="s${i}"><label for="s${i}">Sammenlign</label><button>Hurtigvisning</button></div>`,
      )
      .join('');
    const text = prunedMain(
      `<h1>Tjenester</h1><p>${PROSE}</p>${cards}<p><a href="/alle">Se alle tjenester</a></p><p><a href="/v">Les alle 18 vurderinger</a></p>`,
    );
    expect(text).toContain('Dagsenter Fjellheim');
    expect(text).toContain('Tilbudet gis etter vedtak fra tildelingskontoret.');
    expect(text).not.toContain('Les hele omtalen');
    expect(text).not.toContain('Sammenlign');
    expect(text).not.toContain('Hurtigvisning');
    expect(text).toContain('Se alle tjenester');
    expect(text).toContain('Les alle 18 vurderinger');
  });
});
