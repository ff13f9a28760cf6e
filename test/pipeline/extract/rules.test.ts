/**
 * One test per block-level rule added for pages eti has never seen (issue 14, the 2026 corpus's
 * kinds of page): each builds a small page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { extract, parseDocument } from '../../../src/pipeline/extract/extract.js';
import { pruneChrome } from '../../../src/pipeline/extract/prune.js';
import { blockLines } from '../../../src/pipeline/extract/text.js';

const PROSE =
  'Søknaden om omsorgsstønad behandles av kommunen innen fire uker etter at den er mottatt, og du får svar i brev. ' +
  'Stønaden skal gi foreldre som har et særlig tyngende omsorgsarbeid mulighet for avlastning og hvile i hverdagen. ';

function textOf(html: string): string {
  const r = extract(html, { url: 'https://example.no/side' });
  if (!r.ok) throw new Error(r.reason);
  return r.page.text;
}

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
  const doc = parseDocument(
    `<!doctype html><html lang="nb"><body><main><h1>Omsorgsstønad</h1><p>${PROSE}</p><p>${PROSE}</p>${extra}<p>${PROSE}</p></main></body></html>`,
    'https://example.no/side',
  );
  const main = doc.getElementsByTagName('main')[0]!;
  pruneChrome(main);
  return blockLines(main).join('\n');
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
