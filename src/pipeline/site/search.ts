/**
 * The site's search: a MiniSearch index built at publish time (`sok/indeks.json`), the library
 * itself (`sok/minisearch.js`, MIT, copied from the package) and a small script that loads both
 * only when someone searches. Results are built with DOM text nodes, never HTML strings.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import MiniSearch from 'minisearch';
import type { BundlePage } from '../publish/index.js';
import { describePage } from '../channels/index.js';

/** The options index and client must share. */
const OPTIONS = { idField: 'slug', fields: ['title', 'text', 'owner', 'tags'], storeFields: ['title', 'description', 'owner'] };

/** The serialised index of the pages (sorted by slug first, so the bytes are stable). */
export function searchIndex(pages: readonly BundlePage[]): string {
  const ms = new MiniSearch(OPTIONS);
  const docs = [...pages]
    .sort((a, b) => (a.slug < b.slug ? -1 : 1))
    .map((p) => ({
      slug: p.slug,
      title: p.title,
      description: describePage(p),
      owner: p.owner,
      tags: p.tags.join(' '),
      text: [p.summary, ...p.keyFacts.map((f) => f.fact), p.appliesTo, p.howToApply, ...p.deadlines].join('\n'),
    }));
  ms.addAll(docs);
  return JSON.stringify(ms);
}

let library: string | undefined;

/** MiniSearch's browser build (UMD, defines `MiniSearch`), with its licence line. */
export function searchLibrary(): string {
  if (library === undefined) {
    const require = createRequire(import.meta.url);
    const dist = path.join(path.dirname(require.resolve('minisearch')), '..', 'umd', 'index.js');
    library = `/*! MiniSearch (c) Luca Ongaro, MIT licence: https://github.com/lucaong/minisearch */\n${readFileSync(dist, 'utf8')}`;
  }
  return library;
}

/** The client script of sok.html: read ?q=, load the library and the index on demand, show the hits. */
export function searchScript(): string {
  return `'use strict';
(function () {
  var OPTIONS = ${JSON.stringify(OPTIONS)};
  var status = document.getElementById('sok-status');
  var list = document.getElementById('sok-treff');
  var input = document.getElementById('sok-felt');
  var q = (new URLSearchParams(location.search).get('q') || '').trim();
  if (!status || !list) return;
  if (input) input.value = q;
  if (!q) return;
  status.textContent = 'Søker …';
  function load(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = src; s.onload = resolve; s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  Promise.all([load('sok/minisearch.js'), fetch('sok/indeks.json').then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })])
    .then(function (res) {
      var ms = MiniSearch.loadJSON(res[1], OPTIONS);
      var hits = ms.search(q, { prefix: true, fuzzy: 0.2, boost: { title: 2 } }).slice(0, 50);
      status.textContent = hits.length === 0 ? 'Ingen treff for «' + q + '».' : hits.length + (hits.length === 1 ? ' treff' : ' treff') + ' for «' + q + '».';
      hits.forEach(function (h) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = 'sider/' + encodeURIComponent(h.id) + '.html';
        a.textContent = h.title;
        li.appendChild(a);
        li.appendChild(document.createElement('br'));
        var meta = document.createElement('span');
        meta.className = 'meta';
        meta.textContent = h.description + ' (' + h.owner + ')';
        li.appendChild(meta);
        list.appendChild(li);
      });
    })
    .catch(function () { status.textContent = 'Søket kunne ikke lastes. Prøv igjen, eller finn siden på forsiden.'; });
})();
`;
}
