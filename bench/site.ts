import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A deterministic pseudo-random generator (mulberry32), so every run serves the same site. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'barn familie rett stønad søknad vedtak kommune avlastning omsorgsstønad pleiepenger hjelpestønad grunnstønad ' +
  'koordinator individuell plan tjenester helse sykdom funksjonsnedsettelse foreldre arbeidsgiver lege spesialisthelsetjenesten ' +
  'vilkår inntekt kroner måned år frist klage statsforvalteren behov tilsyn pleie opplæring skole barnehage hjelpemidler'
).split(' ');

export interface BenchSite {
  origin: string;
  pages: number;
  /** Mean page size in bytes. */
  meanBytes: number;
  requests: () => number;
  close: () => Promise<void>;
}

/**
 * A generated site of `pages` realistic public-sector pages (30–80 KB: header, navigation
 * menu, breadcrumbs, an article with headings, paragraphs, lists and a rate table, footer),
 * served from memory on loopback with ETags. Page i links to its neighbours and to a hub,
 * so a crawl from `/` with enough depth reaches every page; `/sitemap.xml` lists all.
 */
export async function startBenchSite(pages: number, seed = 42): Promise<BenchSite> {
  const bodies: string[] = [];
  let total = 0;
  for (let i = 0; i < pages; i++) {
    const r = rng(seed * 100_003 + i);
    const word = () => WORDS[Math.floor(r() * WORDS.length)]!;
    const sentence = () => {
      const n = 8 + Math.floor(r() * 14);
      const s = Array.from({ length: n }, word).join(' ');
      return `${s[0]!.toUpperCase() + s.slice(1) + (r() < 0.2 ? ` ${Math.floor(r() * 90_000 + 1000).toLocaleString('nb-NO')} kroner` : '')}.`;
    };
    const targetBytes = 30_000 + Math.floor(r() * 50_000);
    const menu = Array.from({ length: 40 }, (_, k) => `<li><a href="/p/${(i + k * 37) % pages}/">${word()} ${word()}</a></li>`).join('');
    const parts: string[] = [];
    let size = 0;
    let section = 0;
    while (size < targetBytes * 0.6) {
      const chunk =
        section % 5 === 4
          ? `<table><tr><th>Sats</th><th>Per år</th><th>Per måned</th></tr>${Array.from({ length: 6 }, (_, k) => `<tr><td>Sats ${k + 1}</td><td>${(8000 + k * 4100 + i).toLocaleString('nb-NO')}</td><td>${(686 + k * 340).toLocaleString('nb-NO')}</td></tr>`).join('')}</table>`
          : `<h2>${sentence()}</h2>${Array.from({ length: 3 }, () => `<p>${Array.from({ length: 4 }, sentence).join(' ')}</p>`).join('')}<ul>${Array.from({ length: 4 }, () => `<li>${sentence()}</li>`).join('')}</ul>`;
      parts.push(chunk);
      size += chunk.length;
      section++;
    }
    const links = [i + 1, i + 2, i * 2 + 1, i * 2 + 2].filter((n) => n < pages).map((n) => `<a href="/p/${n}/">Les mer om side ${n}</a>`);
    const html = `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Side ${i}: ${word()} og ${word()}</title>
<meta name="description" content="${sentence()}"><link rel="stylesheet" href="/style.css"></head><body>
<div class="cookie-banner">Vi bruker informasjonskapsler. <button>Godta</button></div>
<header><a href="#main">Gå til hovedinnhold</a><nav aria-label="Hovedmeny"><ul>${menu}</ul></nav></header>
<nav aria-label="Brødsmulesti" class="breadcrumbs"><a href="/">Forside</a> / <a href="/p/${Math.floor(i / 2)}/">Forrige nivå</a></nav>
<main id="main"><article><h1>Side ${i}: ${sentence()}</h1><p class="ingress">${sentence()} ${sentence()}</p>
${parts.join('\n')}<p>${links.join(' · ')}</p></article></main>
<footer><p>Kontakt: 55 55 33 33</p><ul>${menu}</ul></footer></body></html>`;
    // Pad with comments to reach the target size (markup weight as on real pages).
    const padded = html.length < targetBytes ? html.replace('</body>', `<!-- ${'x'.repeat(targetBytes - html.length)} --></body>`) : html;
    bodies.push(padded);
    total += padded.length;
  }
  const index = `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Forside</title></head><body><main><h1>Forside</h1><p>${'Velkommen til en generert testside for eti. '.repeat(20)}</p><p><a href="/p/0/">Start</a></p></main></body></html>`;
  const sitemap = `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${bodies.map((_, i) => `<url><loc>ORIGIN/p/${i}/</loc></url>`).join('')}</urlset>`;
  const etags = bodies.map((b) => `"${createHash('sha1').update(b).digest('hex').slice(0, 16)}"`);
  let requests = 0;
  let origin = '';
  const server = http.createServer((req, res) => {
    requests++;
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    const m = /^\/p\/(\d+)\/$/.exec(p);
    if (p === '/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(index);
    if (p === '/robots.txt') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
    if (p === '/sitemap.xml')
      return void res.writeHead(200, { 'content-type': 'application/xml' }).end(sitemap.replaceAll('ORIGIN', origin));
    if (!m || Number(m[1]) >= pages) return void res.writeHead(404).end('not found');
    const i = Number(m[1]);
    if (req.headers['if-none-match'] === etags[i]) return void res.writeHead(304, { etag: etags[i] }).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag: etags[i] }).end(bodies[i]);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pages,
    meanBytes: Math.round(total / pages),
    requests: () => requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
