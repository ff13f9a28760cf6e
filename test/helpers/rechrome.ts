/**
 * Pages whose chrome changes between two crawls the way live sites change it (issue 14): new
 * related links, new "Siste nytt"/"top stories" items with new dates, rotated share tokens, another
 * cookie text. Shared by the extraction test (same text and hash) and the crawl test (no review item).
 */

/** Golden fixtures (test/fixtures/extract/<slug>/source.html) and how their chrome changes. */
export const RECHROMED: readonly [string, (html: string) => string][] = [
  [
    'nav-chrome-pleiepenger',
    (h) =>
      h.replace(
        '<li><a href="/grunnstonad">Grunnstønad</a></li>',
        '<li><a href="/grunnstonad">Grunnstønad</a></li><li><a href="/foreldrepenger">Foreldrepenger ved fødsel</a></li><li><a href="/ny">Nytt om sykepenger 2026</a></li>',
      ),
  ],
  [
    'nav-chrome-hjelpestonad-satser',
    (h) =>
      h.replace(
        'Vi bruker informasjonskapsler (cookies) for å forbedre nav.no.',
        'Vi bruker informasjonskapsler for statistikk og for å huske valgene dine.',
      ),
  ],
  [
    'kommune-kf-omsorgsstonad',
    (h) =>
      h
        .replaceAll('t=abc123', 't=f81d4fae7dec11d0a76500a0c91e6bf6')
        .replace(
          '<li><a href="/avlastning">Avlastning</a></li>',
          '<li><a href="/avlastning">Avlastning</a></li><li><a href="/ledsagerbevis">Ledsagerbevis</a></li>',
        ),
  ],
  [
    'kommune-enonic-ledsagerbevis',
    (h) =>
      h
        .replace('Ny barnehage åpner i august', 'Nye busstider fra 1. januar')
        .replace('28.11.2025', '02.12.2026')
        .replace('Vegarbeid på Storgata', 'Kommunestyremøte 12. desember'),
  ],
  [
    'kommune-acos-stottekontakt',
    (h) =>
      h.replace('<li><a href="/ledsagerbevis">Ledsagerbevis</a></li>', '<li><a href="/tt">TT-kort</a></li><li><a href="/bpa">BPA</a></li>'),
  ],
  [
    'helsenorge-chrome-egenandel',
    (h) =>
      h
        .replace('<li><a href="/fritak">Fritak for egenandel</a></li>', '<li><a href="/vaksiner">Vaksiner for barn 2026</a></li>')
        .replace('Foto: Colourbox', 'Foto: NTB Scanpix'),
  ],
];

/**
 * Chrome for a demo page (demo/site/), put inside its content (before `</article>`, else `</main>`)
 * where Readability and `<main>` see it: a share bar with a per-crawl token, a "Relatert innhold"
 * list and a "Siste nytt" box whose items change with `crawl`, and a help box the same on every page
 * of a source, which no rule knows and only the chrome learned from the store removes.
 */
export function demoChrome(html: string, crawl: number): string {
  const token = `${crawl}f81d4fae7dec11d0a7650${crawl}`;
  const related = [
    ['Foreldrepenger ved fødsel', 'Engangsstønad', 'Barnetrygd'],
    ['Kontantstøtte', 'Foreldrepenger ved adopsjon', 'Ekstra barnetrygd', 'Ledsagerbevis'],
  ][crawl % 2]!;
  const news = [
    ['Nye busstider fra 1. januar', '28.11.2025'],
    ['Kommunestyremøte 12. desember', '02.12.2026'],
  ][crawl % 2]!;
  const box =
    '<div class="infoboks"><p>Har du spørsmål om saken din? Skriv til oss på innloggede sider, så svarer vi deg så fort vi kan.</p></div>' +
    `<div class="share-bar"><a href="https://www.facebook.com/sharer.php?u=x&amp;t=${token}">Del på Facebook</a> <a href="mailto:?subject=Tips&amp;body=x%3Ft%3D${token}">Del på e-post</a> <a href="/kopier?t=${token}">Kopier lenke</a></div>` +
    `<section><h2>Relatert innhold</h2><ul>${related.map((r) => `<li><a href="/r/${encodeURIComponent(r)}">${r}</a></li>`).join('')}</ul></section>` +
    `<aside><h2>Siste nytt</h2><ul><li><a href="/nytt/${crawl}">${news[0]}</a> <span>${news[1]}</span></li></ul></aside>`;
  const at = html.includes('</article>') ? '</article>' : '</main>';
  return html.replace(at, `${box}${at}`);
}
