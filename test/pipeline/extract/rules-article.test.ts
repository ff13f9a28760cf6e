/**
 * One test per rule for article pages (issue 14, article pages of the 2026 corpus): each builds a
 * small page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { PROSE, prunedMain, textOf } from '../../helpers/extract-rules.js';

describe("an article's byline", () => {
  it('drops the one bare byline, keeps the text and a sentence starting with "Av"', () => {
    const text = prunedMain(`<h1>Ny ordning for omsorgsstønad fra 1. mars</h1>
      <div class="meta"><div>Av Kari Nordmann, 12. mars 2025</div></div>
      <p>${PROSE}</p><p>Av hensyn til personvernet sendes svaret i brev. ${PROSE}</p>`);
    expect(text).not.toContain('Kari Nordmann');
    expect(text).toContain('Søknaden om omsorgsstønad');
    expect(text).toContain('Av hensyn til personvernet');
  });

  it("keeps the bylines of a listing's teasers, one per card", () => {
    const card = (n: number): string =>
      `<li><h2><a href="/${n}">Nytt om omsorgsstønad ${n}</a></h2><div>Av Kari Nordmann</div><p>${PROSE}</p></li>`;
    const text = prunedMain(`<h1>Aktuelt</h1><ul>${card(1)}${card(2)}${card(3)}</ul>`);
    expect(text.match(/Av Kari Nordmann/g)).toHaveLength(3);
  });
});

describe("the author an article's metadata names", () => {
  it("drops a block that is only the author's name or bio, keeps a sign-off paragraph", () => {
    const ld = JSON.stringify({
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'NewsArticle', headline: 'Ny ordning for omsorgsstønad', author: { '@id': '#kari' } },
        {
          '@type': 'Person',
          '@id': '#kari',
          name: 'Kari Nordmann',
          description: 'Kari Nordmann er journalist i kommunens informasjonsavdeling og skriver om helse og omsorg.',
        },
      ],
    });
    const html = `<!doctype html><html lang="nb"><head><script type="application/ld+json">${ld}</script></head><body><main>
      <h1>Ny ordning for omsorgsstønad fra 1. mars</h1>
      <div class="meta"><div><a href="/ansatte/kari">Kari Nordmann</a></div><div>12. mars 2025</div></div>
      <p>${PROSE}</p><p>${PROSE}</p><p>Kari Nordmann</p>
      <div class="box"><div>Kari Nordmann er journalist i kommunens informasjonsavdeling og skriver om helse og omsorg.</div></div>
      </main></body></html>`;
    const text = textOf(html);
    expect(text).toContain('Søknaden om omsorgsstønad');
    expect(text).not.toContain('er journalist i kommunens');
    expect(text.match(/Kari Nordmann/g)).toHaveLength(1);
  });
});

describe('the list of other pages that ends an article', () => {
  it('knows more headings of it ("Les flere saker", "Related reads") and drops them with their links', () => {
    const links = ['Endringer i stønaden', 'Nye satser for avlastning', 'Slik klager du på vedtaket']
      .map((t, i) => `<li><a href="/sak/${i}">${t}</a></li>`)
      .join('');
    const text = prunedMain(`<h1>Ny ordning for omsorgsstønad</h1><p>${PROSE}</p><p>${PROSE}</p>
      <div class="x"><h2>Les flere saker</h2><ul>${links}</ul></div>`);
    expect(text).toContain('Søknaden om omsorgsstønad');
    expect(text).not.toContain('Les flere saker');
    expect(text).not.toContain('Nye satser for avlastning');
  });

  it('drops a box of teasers (a title link, a description and a date each) under such a heading', () => {
    const teaser = (n: number, title: string): string =>
      `<div class="card"><h3><a href="/sak/${n}">${title}</a></h3><p>Kommunen har endret reglene for stønaden, og her er det du må vite før du søker på nytt i år.</p><p>12. mars 2025</p></div>`;
    const text = prunedMain(`<h1>Ny ordning for omsorgsstønad</h1><p>${PROSE}</p><p>${PROSE}</p><p>${PROSE}</p>
      <section><h2>Relaterte artikler</h2><div class="grid">${teaser(1, 'Endringer i stønaden')}${teaser(2, 'Nye satser for avlastning')}${teaser(3, 'Slik klager du')}</div></section>`);
    expect(text).toContain('Søknaden om omsorgsstønad');
    expect(text).not.toContain('Relaterte artikler');
    expect(text).not.toContain('Nye satser for avlastning');
  });
});

describe("an article's author box", () => {
  it('drops the box an "Om forfatteren" label heads, and a label with the bio after it', () => {
    const text = prunedMain(`<h1>Ny ordning for omsorgsstønad</h1><p>${PROSE}</p><p>${PROSE}</p>
      <div class="x"><div class="t">Om forfatteren</div><div class="y"><div>Kari Nordmann, rådgiver</div>
      <div>Kari har jobbet med helse og omsorg i kommunen i tolv år.</div></div></div>
      <p>About the Author:</p><p>Ola Nordmann skriver om stønader og rettigheter for pårørende.</p>`);
    expect(text).toContain('Søknaden om omsorgsstønad');
    expect(text).not.toContain('Om forfatteren');
    expect(text).not.toContain('tolv år');
    expect(text).not.toContain('About the Author');
    expect(text).not.toContain('Ola Nordmann');
  });
});

describe("a picture's caption in an article", () => {
  it("drops a picture's label caption, keeps a caption that is a sentence, one with a digit and a figure's caption without a picture", () => {
    const text = prunedMain(`<h1>Ny ordning for omsorgsstønad</h1><p>${PROSE}</p>
      <figure><img src="/bilde.jpg" alt=""><figcaption>Ordføreren i avlastningsboligen i Storgata</figcaption></figure>
      <figure><img src="/graf.png" alt=""><figcaption>Omsorgsstønad per måned i 2026: 1 234 kroner</figcaption></figure>
      <figure><img src="/b.jpg" alt=""><figcaption>Familien fikk avlastning to helger i måneden.</figcaption></figure>
      <p>${PROSE}</p><figure><blockquote>Vi skal gi svar innen fire uker.</blockquote><figcaption>Kommunedirektøren i bystyret</figcaption></figure>`);
    expect(text).toContain('Søknaden om omsorgsstønad');
    expect(text).not.toContain('Ordføreren i avlastningsboligen');
    expect(text).toContain('Familien fikk avlastning');
    expect(text).toContain('Omsorgsstønad per måned i 2026: 1 234 kroner');
    expect(text).toContain('Kommunedirektøren i bystyret');
  });
});

describe("a short article's author label", () => {
  it('takes only the label and the bio, not the box that holds the whole article', () => {
    const text = prunedMain(`<h1>Ny ordning</h1><div class="body"><p>${PROSE}</p>
      <p>Om forfatteren</p><p>Kari Nordmann er rådgiver i kommunen.</p></div>`);
    expect(text).toContain('Søknaden om omsorgsstønad');
    expect(text).not.toContain('Kari Nordmann er rådgiver');
  });
});
