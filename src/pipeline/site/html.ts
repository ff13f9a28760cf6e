/** HTML building blocks of the preview site: escaping, dates in Norwegian, the page frame, the style sheet. */

/** Text as HTML text or attribute value: `& < > " '` escaped, characters HTML cannot carry dropped. */
export function esc(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A URL for an href: only http(s), else `#` (a page can never smuggle a `javascript:` link in). */
export function safeHref(url: string): string {
  return /^https?:\/\//i.test(url) ? esc(url) : '#';
}

const MONTHS = ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember'];

/** `2026-12-02…` → «2. desember 2026» (the date part of an ISO time, as UTC). */
export function norwegianDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])}. ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** A `<time>` element for an ISO time, shown as a Norwegian date. */
export function time(iso: string): string {
  return `<time datetime="${esc(iso.slice(0, 10))}">${esc(norwegianDate(iso))}</time>`;
}

/** What a page frame needs: its title, where the site root is relative to it, and its main content. */
export interface Frame {
  title: string;
  description?: string;
  /** `''` for pages at the root, `'../'` for pages one folder down. */
  root: string;
  main: string;
  /** Scripts (paths relative to the root) this page loads, deferred. */
  scripts?: string[];
  /** Licence and credit lines of the content this page shows (see `creditsOf`), in the footer. */
  credits?: readonly string[];
}

/** The distinct «licence. credit» lines of some pages or entries, sorted. */
export function creditsOf(items: Iterable<{ licence: string; credit: string }>): string[] {
  const lines = new Set<string>();
  for (const i of items) lines.add(`${i.licence}. ${i.credit}`);
  return [...lines].sort();
}

function creditFooter(credits: readonly string[] | undefined): string {
  if (!credits || credits.length === 0) return '';
  return `<p>Lisens og kreditering for innholdet på denne siden:</p>\n<ul>\n${credits.map((c) => `<li>${esc(c)}</li>`).join('\n')}\n</ul>\n`;
}

/**
 * A whole page: Norwegian, a skip link, header with search form, main, footer. No external
 * resources, no tracking, no referrer; the style sheet is one shared file.
 */
export function page(f: Frame): string {
  const r = f.root;
  return `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(f.title)} – Forhåndsvisning</title>
${f.description ? `<meta name="description" content="${esc(f.description)}">\n` : ''}<link rel="stylesheet" href="${r}stil.css">
<link rel="alternate" type="application/feed+json" title="Alle endringer" href="${r}feeds/all.json">
<link rel="alternate" type="application/atom+xml" title="Alle endringer (Atom)" href="${r}feeds/all.xml">
${(f.scripts ?? []).map((s) => `<script src="${r}${s}" defer></script>\n`).join('')}</head>
<body>
<a class="hopp" href="#innhold">Gå til innholdet</a>
<header class="topp">
<p class="navn"><a href="${r}index.html">Forhåndsvisning av sammendrag</a></p>
<nav aria-label="Hovedmeny"><ul>
<li><a href="${r}index.html">Forside</a></li>
<li><a href="${r}tema.html">Temaer</a></li>
<li><a href="${r}hva-er-nytt.html">Hva er nytt</a></li>
</ul></nav>
<form class="sok" role="search" action="${r}sok.html" method="get">
<label for="sok-felt">Søk i sammendragene</label>
<input id="sok-felt" name="q" type="search" autocomplete="off">
<button type="submit">Søk</button>
</form>
</header>
<main id="innhold" tabindex="-1">
${f.main}
</main>
<footer class="bunn">
${creditFooter(f.credits)}<p>Sammendragene er skrevet i klarspråk og godkjent av en redaktør. Det er kildesiden som gjelder: sjekk alltid den før du søker eller bestemmer noe.</p>
<p>Nettstedet bruker ingen informasjonskapsler og ingen sporing.</p>
</footer>
</body>
</html>
`;
}

/** The one style sheet: readable at 375 px, visible focus, contrast at least 4.5:1 everywhere. */
export const STYLE = `*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.55;color:#1b1b1b;background:#fff}
body{margin:0;font-size:1.0625rem}
a{color:#0b4f8a;text-decoration:underline;text-underline-offset:.15em}
a:visited{color:#5a2d82}
a:focus-visible,button:focus-visible,input:focus-visible,main:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
main:focus{outline:none}
.hopp{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}
.hopp:focus{left:0;z-index:2}
.topp,.bunn,main{max-width:44rem;margin:0 auto;padding:1rem}
.topp{border-bottom:1px solid #8a8a8a}
.navn{font-weight:700;margin:0 0 .5rem}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.sok{margin-top:.75rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.sok label{flex-basis:100%;font-weight:600}
.sok input{flex:1 1 12rem;min-width:0;font:inherit;padding:.4rem;border:2px solid #555;border-radius:4px}
button{font:inherit;padding:.4rem 1rem;border:2px solid #0b4f8a;background:#0b4f8a;color:#fff;border-radius:4px;cursor:pointer}
h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.3rem;margin:2rem 0 .5rem}
p,li,dd{overflow-wrap:anywhere}
ul.sider{padding-left:1.2rem}
.meta{color:#4a4a4a;font-size:.95rem}
.fakta li{margin-bottom:.75rem}
blockquote{margin:.25rem 0 0;padding:.25rem .75rem;border-left:4px solid #8a8a8a;color:#333}
.nytt li{margin-bottom:1rem}
.merke{display:inline-block;font-size:.85rem;padding:0 .4rem;border:1px solid #4a4a4a;border-radius:3px;margin-right:.25rem}
.kilde{border-top:1px solid #8a8a8a;margin-top:2rem;padding-top:1rem}
.bunn{border-top:1px solid #8a8a8a;font-size:.95rem;color:#333}
`;
