/**
 * One test per rule for forum and discussion threads (issue 14, the 2026 corpus's forum pages):
 * each builds a small page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { PROSE, prunedMain, textOf } from '../../helpers/extract-rules.js';
import { extract, parseDocument } from '../../../src/pipeline/extract/extract.js';
import { blockLines } from '../../../src/pipeline/extract/text.js';

const pruned = prunedMain;

/** A post as forum software renders it: author pane with the member's stats, date, body, signature and action row. */
function post(name: string, body: string, posts: string): string {
  return `<article class="msg">
    <div class="pane"><h4 class="username"><a href="/members/${name.toLowerCase()}.12/">${name}</a></h4>
      <p class="title">Erfaren bruker</p><dl><dt>Innlegg</dt><dd>${posts}</dd></dl><dl><dt>Medlem siden</dt><dd>3. mars 2019</dd></dl></div>
    <div class="main"><div class="head"><time datetime="2024-05-03T08:45">3. mai 2024</time> <a href="#p1">#1</a></div>
      <div class="text"><p>${body}</p></div>
      <div class="sig"><p>Mor til to gutter, Bergen</p></div>
      <div class="bar"><a href="/svar">Svar</a> <a href="/rapporter">Rapporter</a></div></div>
  </article>`;
}

describe('forum threads: each post is its author, date and body', () => {
  const thread = `<h1>Pleiepenger etter 18 år?</h1><div class="thread">${post('Kari', `Har noen søkt pleiepenger for et barn over 18 år? ${PROSE}`, '1 234')}${post(
    'Ola',
    `Ja, det går an når barnet har en livstruende eller annen svært alvorlig sykdom. ${PROSE}`,
    '87',
  )}${post('Liv', 'Takk, det var nyttig å vite! Jeg ringer NAV i morgen.', '5')}</div>`;

  it('keeps author name, date and body of each post, drops the member stats, signature and actions', () => {
    const text = pruned(thread);
    expect(text).toContain('Kari\n3. mai 2024\nHar noen søkt pleiepenger');
    expect(text).toContain('Ola\n3. mai 2024\nJa, det går an');
    expect(text).toContain('Jeg ringer NAV i morgen');
    expect(text).not.toContain('1 234');
    expect(text).not.toContain('Medlem siden');
    expect(text).not.toContain('Erfaren bruker');
    expect(text).not.toContain('Mor til to gutter');
    expect(text).not.toContain('Rapporter');
  });

  it('leaves cards of a listing with a byline whole: their heading links to another page', () => {
    const card = (n: number): string =>
      `<div class="card"><h2><a href="/artikler/${n}">Slik søker du pleiepenger, del ${n}</a></h2><p class="tag">Rettigheter</p>
        <a class="author" href="/users/kari">Kari Nordmann</a><div class="text"><p>${PROSE}</p></div></div>`;
    const text = pruned(`<div class="list">${card(1)}${card(2)}${card(3)}</div>`);
    expect(text).toContain('Slik søker du pleiepenger, del 2');
    expect(text).toContain('Rettigheter');
  });

  it('keeps replies nested in a post (a threaded discussion)', () => {
    const comment = (name: string, body: string, replies = ''): string =>
      `<div class="comment"><a class="author" href="/u/${name}">${name}</a><div class="text"><p>${body}</p></div><div class="children">${replies}</div></div>`;
    const text = pruned(
      `<div class="comments">${comment('kari', `Første innlegg. ${PROSE}`, comment('ola', 'Et svar inni tråden om avlastning og støttekontakt.'))}${comment('liv', `Andre innlegg. ${PROSE}`)}</div>`,
    );
    expect(text).toContain('Et svar inni tråden om avlastning');
    expect(text).toContain('Andre innlegg');
  });
});

describe('forum threads: the author line and a signature', () => {
  /** A post whose author pane holds an avatar's initial, the name and a user title; `sig` under the body. */
  const post = (name: string, body: string, sig = ''): string =>
    `<div class="msg"><div class="who"><a class="avatar" href="/members/${name}.1/">${name[0]}</a><a class="username" href="/members/${name}.1/">${name}</a><span>Erfaren bruker i forumet</span></div>
      <div class="main"><div class="text"><p>${body}</p></div>${sig ? `<div class="sig">${sig}</div>` : ''}<div class="bar"><a href="/svar">Svar</a></div></div></div>`;

  it('takes the name for the author line, not the avatar initial or the user title', () => {
    const text = pruned(`<div class="thread">${post('Kari', PROSE)}${post('Ola', PROSE)}${post('Liv', PROSE)}</div>`);
    expect(text.split('\n')).toContain('Kari');
    expect(text).not.toContain('Erfaren bruker');
  });

  it("drops one member's long signature beside the body, and the action rows with it", () => {
    const sig = 'Mor til to gutter med diabetes type 1, bor i Bergen og jobber deltid på sykehuset der de får oppfølging.';
    const text = pruned(
      `<div class="thread">${post('Kari', PROSE, sig)}${post('Ola', PROSE)}${post('Liv', PROSE)}${post('Per', PROSE)}</div>`,
    );
    expect(text).not.toContain('Mor til to gutter');
    expect(text).not.toContain('Svar');
    expect(text).toContain('Søknaden om omsorgsstønad');
  });
});

describe('a table used for layout', () => {
  it('gives the blocks of a one-cell row lines of their own; a data row stays one line', () => {
    const doc = parseDocument(
      `<!doctype html><html><body><table><tr><td class="msg"><div class="info"><b>Kari</b> <span>2 år siden</span></div><div class="text">Har noen fått pleiepenger?</div></td></tr>
        <tr><td>Pleiepenger</td><td><p>100 prosent</p></td></tr></table></body></html>`,
      'https://example.no/side',
    );
    const lines = blockLines(doc.body);
    expect(lines).toContain('Kari 2 år siden');
    expect(lines).toContain('Har noen fått pleiepenger?');
    expect(lines).toContain('Pleiepenger | 100 prosent');
  });
});

describe('the board around a thread', () => {
  const post = (name: string, body: string): string =>
    `<div class="msg"><a class="username" href="/members/${name}.1/">${name}</a><div class="text"><p>${body}</p></div></div>`;

  it('drops short blocks beside the posts of a discussion page (pagination, "log in to reply")', () => {
    const text = pruned(
      `<div class="board"><div class="pages">Side 1 av 12 Neste Siste</div><div class="thread">${post('Kari', PROSE)}${post('Ola', PROSE)}</div><div class="notice">Du må logge inn for å svare i tråden.</div></div>`,
    );
    expect(text).not.toContain('Side 1 av 12');
    expect(text).not.toContain('logge inn for å svare');
    expect(text).toContain('Kari');
  });

  it('leaves the page alone when the posts are a small part of it (a product and its reviews)', () => {
    const text = pruned(
      `<div class="product"><h2>Verktøysett</h2><p>${PROSE}${PROSE}${PROSE}</p><div class="specs">Bits: 64 stk, 4 mm</div><div class="reviews">${post('Kari', 'Veldig bra sett, anbefales.')}${post('Ola', 'Fungerer fint.')}</div></div>`,
    );
    expect(text).toContain('Bits: 64 stk, 4 mm');
  });
});

describe('a thread Readability cut down to one post', () => {
  // Bodies nested deep, as forum software nests them: Readability's scores do not reach the thread.
  it('takes the whole thread when Readability kept one long post of it', () => {
    const log = Array.from(
      { length: 60 },
      (_, i) => `2024-05-03 10:09:${String(i).padStart(2, '0')} ERROR (MainThread) [homeassistant] Error doing job ${i}`,
    ).join('\n');
    const p = (name: string, body: string): string =>
      `<div class="topic-body"><div class="meta"><span itemprop="author"><a href="/u/${name}">${name}</a></span> <time>3. mai 2024</time></div><div class="post"><div><div><div><div><div><p>${body}</p></div></div></div></div></div></div></div>`;
    const html = `<!doctype html><html lang="nb"><body><div role="main"><h1>Feil etter oppdatering</h1>${p('kari', 'Etter oppdateringen starter ikke systemet lenger. Hva gjør jeg?')}${p(
      'kari',
      `Her er en del av loggen:</p><pre>${log}</pre><p>Håper det holder.`,
    )}${p('ola', 'Det ser ut til å være en tredjeparts integrasjon. Prøv å slå den av og start på nytt.')}</div></body></html>`;
    const text = textOf(html);
    expect(text).toContain('Error doing job 59');
    expect(text).toContain('Prøv å slå den av og start på nytt');
    expect(text).toContain('starter ikke systemet lenger');
  });
});

describe('the heading block of a thread', () => {
  const post = (name: string): string =>
    `<div class="msg"><a class="username" href="/members/${name}.1/">${name}</a><div class="text"><p>${PROSE}</p></div></div>`;
  const head = `<div class="head"><h1>Pleiepenger etter 18 år?</h1><ul class="meta"><li>Trådstarter Kari</li><li>Startdato 3. mai 2024</li></ul></div>`;

  it('drops the "Thread starter" and "Start date" lines beside the heading', () => {
    const text = pruned(`${head}<div class="thread">${post('Kari')}${post('Ola')}</div>`);
    expect(text).not.toContain('Trådstarter');
    expect(text).not.toContain('Startdato');
  });

  // The text of a discussion page is its posts; the thread's title is the page's title (and the
  // Markdown's heading), not a line of the discussion.
  it("drops the thread's heading from the text; it stays the page's title and the Markdown's heading", () => {
    const r = extract(
      `<!doctype html><html lang="nb"><body><main>${head}<div class="thread">${post('Kari')}${post('Ola')}</div></main></body></html>`,
      {
        url: 'https://forum.example.no/t/1',
      },
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.page.text).not.toContain('Pleiepenger etter 18 år?');
    expect(r.page.text).toContain('Søknaden om omsorgsstønad');
    expect(r.page.title).toBe('Pleiepenger etter 18 år?');
    expect(r.page.markdown).toContain('# Pleiepenger etter 18 år?');
  });

  it("keeps the heading when a post holds an <h1> of its own: the title must not become the post's heading", () => {
    // Readability keeps the long post only, so <main> wins and its first <h1> names the page.
    const log = Array.from({ length: 60 }, (_, i) => `2024-05-03 10:09:${String(i).padStart(2, '0')} ERROR Feil i jobb ${i}`).join('\n');
    const p = (name: string, body: string): string =>
      `<div class="topic-body"><div class="meta"><span itemprop="author"><a href="/u/${name}">${name}</a></span> <time>3. mai 2024</time></div><div class="post"><div><div><div><div><div>${body}</div></div></div></div></div></div></div>`;
    const r = extract(
      `<!doctype html><html lang="nb"><body><div role="main"><h1>Feil etter oppdatering</h1>${p('kari', '<p>Etter oppdateringen starter ikke systemet lenger. Hva gjør jeg?</p>')}${p(
        'kari',
        `<p>Her er en del av loggen:</p><pre>${log}</pre>`,
      )}${p('ola', '<h1>Løsningen</h1><p>Det ser ut til å være en tredjeparts integrasjon. Prøv å slå den av og start på nytt.</p>')}</div></body></html>`,
      { url: 'https://forum.example.no/t/1' },
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.page.method).toBe('main');
    expect(r.page.title).toBe('Feil etter oppdatering');
    expect(r.page.text).toContain('Prøv å slå den av');
  });

  it('keeps the heading of a page whose posts are not most of its text (an article with comments)', () => {
    const text = pruned(
      `<h1>Pleiepenger etter 18 år?</h1><div class="article"><p>${PROSE}</p><p>${PROSE}</p><p>${PROSE}</p></div><div class="thread">${post('Kari')}${post('Ola')}</div>`,
    );
    expect(text).toContain('Pleiepenger etter 18 år?');
  });
});

describe("a forum's notices to its visitor", () => {
  it('drops the out-of-date-browser warning and "log in to comment" wherever they stand; a sentence about logging in stays', () => {
    const text = pruned(
      `<div class="warn">Du bruker en utdatert nettleser. Den viser kanskje ikke dette nettstedet riktig.<br>Oppgrader eller bruk en annen nettleser.</div>
      <h2>Søknad om pleiepenger</h2><p>${PROSE}</p><p>Du må logge inn på Min side for å søke om pleiepenger.</p>
      <div class="foot"><a href="/logg-inn">Logg inn</a> eller <a href="/registrer">registrer deg</a> for å kommentere.</div>`,
    );
    expect(text).not.toContain('utdatert nettleser');
    expect(text).not.toContain('for å kommentere');
    expect(text).toContain('Du må logge inn på Min side for å søke om pleiepenger.');
    expect(text).toContain('Søknaden om omsorgsstønad');
  });
});

describe('a link preview in a post', () => {
  const card = (url: string, title: string, snippet: string, site: string): string =>
    `<div class="card" data-url="${url}"><img src="/bilde.jpg" alt=""><h3><a href="${url}">${title}</a></h3><div class="snippet">${snippet}</div><div class="site">${site}</div></div>`;

  it("keeps the title of another site's page the post links to and drops the card's snippet and site name", () => {
    const text = pruned(
      `<h1>Pleiepenger etter 18 år?</h1><p>${PROSE}</p><p>Det står mer om dette hos NAV:</p>${card(
        'https://www.nav.no/pleiepenger-barn',
        'Pleiepenger for sykt barn',
        'Du kan få pleiepenger når du må være borte fra jobb for å ta deg av et sykt barn.',
        'www.nav.no',
      )}`,
    );
    expect(text).toContain('Pleiepenger for sykt barn');
    expect(text).not.toContain('Du kan få pleiepenger når du må være borte');
    expect(text).not.toContain('www.nav.no');
    expect(text).toContain('Det står mer om dette hos NAV:');
  });

  it("leaves the site's cards of its own pages whole (a listing's teasers)", () => {
    const text = pruned(
      `<h1>Tjenester</h1>${card('https://example.no/avlastning', 'Avlastning', 'Avlastning gis til familier med særlig tyngende omsorgsarbeid.', 'Helse')}`,
    );
    expect(text).toContain('Avlastning gis til familier med særlig tyngende omsorgsarbeid.');
  });
});

describe('the address of a video or picture on a line of its own in a post', () => {
  const post = (name: string, body: string): string =>
    `<div class="msg"><a class="username" href="/members/${name}.1/">${name}</a><div class="text">${body}</div></div>`;

  it('drops the line that is only the address of an embedded video or a picture, and keeps the address of a page', () => {
    const text = pruned(
      `<div class="thread">${post('Kari', `${PROSE}<br><br><i><span><a href="https://youtu.be/abc123">Vis: https://youtu.be/abc123</a></span></i><br>(Se fra 2:15)`)}${post(
        'Ola',
        `https://forum.example.no/bilder/kart.jpg<br>Her er kartet.<br>https://www.nav.no/pleiepenger<br>${PROSE}`,
      )}</div>`,
    );
    expect(text).not.toContain('youtu.be');
    expect(text).not.toContain('kart.jpg');
    expect(text).toContain('(Se fra 2:15)');
    expect(text).toContain('Her er kartet.');
    expect(text).toContain('https://www.nav.no/pleiepenger');
  });
});

describe('the controls of a comment section', () => {
  it('drops "Skriv en kommentar", a comment count heading and "Add a comment" buttons, and keeps a sentence that mentions a comment', () => {
    const text = pruned(
      `<h2>Søknad om pleiepenger</h2><p>${PROSE}</p><p>Trykk på <b>Skriv en kommentar</b> nederst hvis noe er uklart.</p>
      <button class="bar">Skriv en kommentar</button><h3>3 kommentarer</h3>
      <div class="c"><p>Takk, dette var nyttig for oss i kommunen.</p><div class="x"><a href="#add">Add a comment</a></div></div>`,
    );
    const lines = text.split('\n');
    expect(lines).not.toContain('Skriv en kommentar');
    expect(text).not.toContain('3 kommentarer');
    expect(text).not.toContain('Add a comment');
    expect(text).toContain('Takk, dette var nyttig for oss i kommunen.');
    expect(text).toContain('Trykk på Skriv en kommentar nederst hvis noe er uklart.');
  });
});

describe('an empty comment section', () => {
  const section = (comments: string): string =>
    `<section class="s"><div class="c"><div class="h"><h3>Kommentarer</h3><div role="tablist"><button role="tab">Kommentarer</button><button role="tab">Delinger</button></div></div>
      <div class="sort"><button>Nyeste</button><button>Eldste</button></div>${comments}</div></section>`;

  it('drops the heading, its tabs, the order and "Ingen innlegg ennå" when the section holds no comment', () => {
    const text = pruned(`<h2>Søknad om pleiepenger</h2><p>${PROSE}</p>${section('<p>Ingen innlegg ennå</p>')}`);
    expect(text).toContain('Søknaden om omsorgsstønad');
    expect(text).not.toContain('Kommentarer');
    expect(text).not.toContain('Delinger');
    expect(text).not.toContain('Nyeste');
    expect(text).not.toContain('Ingen innlegg ennå');
  });

  it('keeps the comments of a section that has some', () => {
    const text = pruned(
      `<h2>Søknad om pleiepenger</h2><p>${PROSE}</p>${section('<div class="comment"><p>Takk, dette var nyttig for oss som søker for første gang i år.</p></div>')}`,
    );
    expect(text).toContain('Takk, dette var nyttig for oss som søker for første gang i år.');
  });
});

describe('a thread laid out in tables, on a page without <main> (vBulletin 3)', () => {
  /** A post as vBulletin 3 renders it: a table of three rows (date, author pane and text, controls) in wrappers of its own. */
  const vbPost = (id: number, name: string, date: string, body: string): string =>
    `<div align="center"><div class="page"><div><div id="edit${id}"><table id="post${id}" class="tborder">
      <tr><td class="thead"><a name="post${id}"><img src="/old.gif" alt=""></a> ${date}</td><td class="thead">#<a href="/showpost.php?p=${id}">${id}</a></td></tr>
      <tr><td class="alt2"><div><a class="bigusername" href="/member.php?u=${id}">${name}</a></div><div class="smallfont">Registrert bruker</div>
        <div class="smallfont"><div>Registrert: mars 2016</div><div>Innlegg: 12</div></div></td>
        <td class="alt1"><div id="post_message_${id}">${body}</div></td></tr>
      <tr><td class="alt2"> </td><td class="alt1"><a href="/newreply.php?p=${id}"><img src="/quote.gif" alt="Svar med sitat"></a></td></tr>
    </table></div></div></div></div>`;
  const long = Array.from({ length: 6 }, (_, i) => `<p>Avsnitt ${i + 1}: ${PROSE}</p>`).join('');
  const page = `<!doctype html><html lang="nb"><head><title>Pleiepenger etter 18 år? - Forum</title></head><body>
    <div class="navbar"><a href="/">Forum</a> &gt; <a href="/f/3">Rettigheter</a></div><h1>Pleiepenger etter 18 år?</h1>
    <div id="posts">${vbPost(1, 'Kari', '30. mars 2025, 16:26', `Har noen søkt pleiepenger for et barn over 18 år?${long}`)}${vbPost(
      2,
      'Ola',
      '2. april 2025, 13:59',
      'Ja, det går an når barnet har en svært alvorlig sykdom. Spør NAV om vilkårene.',
    )}${vbPost(3, 'Liv', '3. april 2025, 09:12', 'Takk, det var nyttig å vite! Jeg ringer NAV i morgen.')}<div id="lastpost"></div></div>
    <div class="about"><p>Forumet drives av frivillige foreldre som deler erfaringer med søknader om stønad og avlastning.</p></div>
    <div class="footer"><a href="/kontakt">Kontakt oss</a></div></body></html>`;

  it('reads every post with its author and date, not the first post alone, and nothing of the page around the thread', () => {
    const text = textOf(page);
    expect(text).toContain('Har noen søkt pleiepenger');
    expect(text).toContain('Ja, det går an når barnet har en svært alvorlig sykdom.');
    expect(text).toContain('Jeg ringer NAV i morgen.');
    expect(text).toContain('Ola\n2. april 2025, 13:59\nJa, det går an');
    expect(text).not.toContain('Registrert: mars 2016');
    expect(text).not.toContain('Innlegg: 12');
    expect(text).not.toContain('Forumet drives av frivillige');
  });
});
