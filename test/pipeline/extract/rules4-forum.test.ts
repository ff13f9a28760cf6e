/**
 * One test per rule of round 4 for forum and discussion pages (issue 14, the 2026 corpus's forum
 * pages): each builds a small page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { PROSE, prunedMain } from '../../helpers/extract-rules.js';

/** A teaser of another thread in a board's "Siste innlegg" box: avatar (the initial), title, last poster, date, subforum. */
function teaser(n: number, title: string): string {
  return `<li class="row"><div class="fig"><a href="/members/ola.${n}/" class="avatar">O</a></div>
    <div class="body"><a href="/threads/${n}/">${title}</a><ul class="minor"><li>Siste: Ola Nordmann</li><li><time>12. mars 2025</time></li></ul>
    <div class="minor"><a href="/forums/familie.${n}/">Familie og barn</a></div></div></li>`;
}

describe('a list of other threads beside a thread or an article', () => {
  const list = `<div class="box"><h3>Siste innlegg</h3><ul class="rows">${teaser(1, 'Pleiepenger etter fylte 18 år, hvordan søke?')}${teaser(
    2,
    'Avlastning i helgene for familier med store behov',
  )}${teaser(3, 'Støttekontakt eller fritidskontakt i kommunen?')}</ul></div>`;

  it('goes: each unit has an author, but its text is the link to the other thread', () => {
    const text = prunedMain(
      `<article class="msg"><a class="username" href="/members/kari.7/">Kari</a><div class="text"><p>${PROSE}${PROSE}</p><p>${PROSE}${PROSE}</p><p>${PROSE}${PROSE}</p></div></article>${list}`,
    );
    expect(text).toContain('Søknaden om omsorgsstønad behandles av kommunen');
    expect(text).not.toContain('Avlastning i helgene');
    expect(text).not.toContain('Siste: Ola Nordmann');
    expect(text).not.toContain('Familie og barn');
  });

  it('stays when such teasers are the page (a board index, a front page of stories)', () => {
    const text = prunedMain(`<p>Nye tråder i forumet denne uken.</p>${list}`);
    expect(text).toContain('Avlastning i helgene');
    expect(text).toContain('Støttekontakt eller fritidskontakt i kommunen?');
  });
});
