/**
 * One test per block-level rule added for pages eti has never seen (issue 14, the 2026 corpus's
 * kinds of page): each builds a small page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { PROSE, prunedMain, textOf } from '../../helpers/extract-rules.js';

describe('React streamed rendering', () => {
  it('puts a hidden streamed segment where its $RC script moves it', () => {
    const html = `<!doctype html><html lang="nb"><body><main><nav><a href="/a">Tjenester</a></nav>
      <!--$?--><template id="B:0"></template><p>Laster …</p><!--/$--></main>
      <div hidden id="S:0"><h1>Omsorgsstønad</h1><p>${PROSE}</p><p>${PROSE}</p></div>
      <script>$RC=function(a,b){};$RC("B:0","S:0")</script></body></html>`;
    const text = textOf(html);
    expect(text).toContain('Søknaden om omsorgsstønad behandles');
    expect(text).not.toContain('Laster');
  });
});

describe('utility classes', () => {
  it('does not take a Tailwind print:hidden block for a print button', () => {
    const html = `<!doctype html><html lang="nb"><body><main><div class="flex print:hidden"><h2>Hvem kan få stønad?</h2><p>${PROSE}</p></div></main></body></html>`;
    expect(textOf(html)).toContain('Hvem kan få stønad?');
  });
});

/** The text left of `<main>` holding three paragraphs of prose and `extra`, after `pruneChrome`. */
function pruned(extra: string): string {
  return prunedMain(`<h1>Omsorgsstønad</h1><p>${PROSE}</p><p>${PROSE}</p>${extra}<p>${PROSE}</p>`);
}

describe('menus, controls and bylines inside the content', () => {
  it('drops a <nav> inside the content', () => {
    const text = pruned('<nav><a href="/a">Avlastning</a> <a href="/b">Støttekontakt</a></nav>');
    expect(text).not.toContain('Avlastning');
    expect(text).toContain('Søknaden om omsorgsstønad');
  });

  it('drops a block whose class says menu or dropdown, unless it holds a digit', () => {
    const text = pruned(
      '<div class="site-menu"><p>Tjenester og tilbud for familier</p></div><div class="dropdown"><p>Telefon 55 55 33 33</p></div>',
    );
    expect(text).not.toContain('Tjenester og tilbud for familier');
    expect(text).toContain('55 55 33 33');
  });

  it('drops a promotion box by its class, unless it holds a digit (a promoted deadline is a fact)', () => {
    const text = pruned(
      '<div class="promo"><p>Les mer om tilbudene våre for familier</p></div><div class="promo-box"><p>Søk innen 1. mars for å få stønad fra sommeren</p></div>',
    );
    expect(text).not.toContain('Les mer om tilbudene');
    expect(text).toContain('Søk innen 1. mars');
  });

  it('drops small call-to-action and byline blocks by class, not a button with a number', () => {
    const text = pruned(
      '<div class="cta"><p>Bestill time i dag</p></div><p class="byline">Skrevet av Kari Nordmann 12.03.2024</p><div class="btn">Ring 800 12 345</div>',
    );
    expect(text).not.toContain('Bestill time');
    expect(text).not.toContain('Kari Nordmann');
    expect(text).toContain('800 12 345');
  });
});

describe('post furniture inside the content', () => {
  it('drops a header or footer without a heading or a digit, keeps one with a phone number', () => {
    const text = pruned(
      '<footer><p>Emner: Familie, Helse</p></footer><header><p>Del denne saken med andre</p></header><footer><p>Spørsmål? Ring 21 07 00 00</p></footer>',
    );
    expect(text).not.toContain('Emner: Familie');
    expect(text).not.toContain('Del denne saken');
    expect(text).toContain('21 07 00 00');
  });

  it('keeps a header that holds a heading (a section or a card heading)', () => {
    expect(pruned('<header><h3>Slik søker du</h3><p>Kort om søknaden</p></header>')).toContain('Slik søker du');
  });

  it('drops a block whose whole text is a control ("Reply", "Vis mer"), not a sentence that starts so', () => {
    const text = pruned('<div><span>Reply</span> <span>Quote</span></div><div>Vis mer</div><p>Svar på søknaden kommer i posten.</p>');
    expect(text).not.toMatch(/\bReply\b|\bQuote\b|Vis mer/);
    expect(text).toContain('Svar på søknaden kommer i posten.');
  });
});

describe('a page without <main>', () => {
  it('takes its one <article> as the main content when Readability kept too little of it', () => {
    const more =
      'Vedtaket kan påklages til Statsforvalteren innen tre uker fra du mottok det, og klagen sendes til kommunen først. ' +
      'Kommunen vurderer saken på nytt før den sendes videre, og du får kopi av oversendelsen. ';
    const html = `<!doctype html><html lang="nb"><body><div class="wrap"><article><h1>Omsorgsstønad</h1><p>${PROSE}</p>
      <div class="extra"><p>${more}</p><p>${more.replace('Vedtaket', 'Avslaget')}</p><p>${more.replace('Kommunen', 'Bydelen')}</p></div>
      </article></div><div class="teasers"><a href="/a">Avlastning</a></div></body></html>`;
    const text = textOf(html);
    expect(text).toContain('Søknaden om omsorgsstønad');
    expect(text).toContain('Bydelen vurderer saken');
  });
});

describe('comment sections, forms, side columns, modals and menus inside the content', () => {
  it("drops an article's comment section and its form", () => {
    const text = pruned(
      '<div id="comments" class="comments-area"><h3>1 kommentar</h3><p>Takk for en fin artikkel om dette temaet!</p></div>',
    );
    expect(text).not.toContain('Takk for en fin artikkel');
    expect(text).toContain('Søknaden om omsorgsstønad');
  });

  it('keeps the replies of a discussion page, where they are a large part of the text (here 40 %)', () => {
    const replies = Array.from({ length: 2 }, (_, i) => `<li class="comment"><p>Svar ${i}: ${PROSE}</p></li>`).join('');
    const text = pruned(`<ul class="comments">${replies}</ul>`);
    expect(text).toContain('Svar 1:');
  });

  it('drops a form with a text field (comment, newsletter, search), but not a form-wrapped page', () => {
    const text = pruned('<form><label>Navn*</label><input type="text" name="navn"><label>E-post*</label><textarea></textarea></form>');
    expect(text).not.toContain('Navn*');
    const whole = textOf(
      `<!doctype html><html lang="nb"><body><form id="aspnetForm"><input type="text" name="q"><main><h1>Omsorgsstønad</h1><p>${PROSE}</p></main></form></body></html>`,
    );
    expect(whole).toContain('Søknaden om omsorgsstønad');
  });

  it('drops a side column or widget set inside the content', () => {
    const text = pruned('<div class="sidebar"><p>Følg oss på sosiale medier og få de siste nyhetene</p></div>');
    expect(text).not.toContain('Følg oss');
  });

  it('keeps a side column, widget or form that holds a digit: a contact box or a calculator is a fact', () => {
    const text = pruned(
      '<div class="widget"><p>Kontakt tildelingskontoret på telefon 55 55 33 33</p></div>' +
        '<form><label>Antall timer</label><input type="text" name="t"><p>Egenandelen er 2 040 kroner i året</p></form>',
    );
    expect(text).toContain('55 55 33 33');
    expect(text).toContain('2 040 kroner');
  });

  it('drops a modal window hidden until a click (role="dialog")', () => {
    const modal = `<div role="dialog" aria-modal="true"><h2>Del denne saken</h2><p>${PROSE.replace('Søknaden', 'Modalen')}</p></div>`;
    const text = textOf(`<!doctype html><html lang="nb"><body><main><h1>Omsorgsstønad</h1><p>${PROSE}</p>${modal}</main></body></html>`);
    expect(text).not.toContain('Modalen om omsorgsstønad');
    expect(text).toContain('Søknaden om omsorgsstønad');
  });

  it('drops a menu landmark that holds more text than the page it frames', () => {
    const links = Array.from({ length: 60 }, (_, i) => `<li><a href="/k${i}">Kapittel ${i} om rettigheter</a></li>`).join('');
    const text = pruned(`<div class="toc"><nav><ul>${links}</ul></nav></div>`);
    expect(text).not.toContain('Kapittel 12 om rettigheter');
    expect(text).toContain('Søknaden om omsorgsstønad');
  });
});

describe('control labels', () => {
  it('keeps a control word that stands inside a sentence, and drops the same word as a button', () => {
    const text = pruned('<p>Trykk på <span>Svar</span> nederst i meldingen for å svare saksbehandleren.</p><div><span>Svar</span></div>');
    expect(text).toContain('Trykk på Svar nederst');
    expect(text.split('\n')).not.toContain('Svar');
  });
});
