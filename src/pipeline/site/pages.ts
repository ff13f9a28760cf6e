/** The preview site's pages, in Norwegian bokmål; pure templates, every page text escaped. */
import type { Bundle, BundlePage } from '../publish/index.js';
import type { ChangeEntry } from '../channels/index.js';
import { describePage } from '../channels/index.js';
import { creditsOf, esc, page, safeHref, time } from './html.js';

const KIND = { added: 'Ny side', updated: 'Endret', withdrawn: 'Trukket tilbake' } as const;
const AUDIENCE: Record<string, string> = { parents: 'foreldre', youth: 'ungdom', professionals: 'fagfolk' };

/** A tag's page: its slug (file name under tema/) and the names that give it. */
export interface Topic {
  slug: string;
  name: string;
  pages: BundlePage[];
}

function pageLink(p: BundlePage, root: string): string {
  return `<a href="${root}sider/${esc(p.slug)}.html">${esc(p.title)}</a>`;
}

function byTitle(a: BundlePage, b: BundlePage): number {
  return a.title < b.title ? -1 : a.title > b.title ? 1 : a.url < b.url ? -1 : a.url > b.url ? 1 : 0;
}

/**
 * One change entry as a list item: kind, date, title (linked, by the page's slug in this bundle,
 * while the page is published: an older entry's slug may have changed), note.
 */
function entryItem(e: ChangeEntry, root: string, slug: string | undefined): string {
  const title = slug !== undefined ? `<a href="${root}sider/${esc(slug)}.html">${esc(e.title)}</a>` : esc(e.title);
  const weight = e.isMajor ? '' : ' <span class="merke">Mindre endring</span>';
  return `<li><span class="merke">${KIND[e.kind]}</span>${weight} ${time(e.at)}: ${title} (${esc(e.owner)})<br>${esc(e.note)}</li>`;
}

/** «Hva er nytt»: a list of change entries, newest first. */
export function newsList(entries: readonly ChangeEntry[], root: string, published: ReadonlyMap<string, string>): string {
  if (entries.length === 0) return '<p>Ingen endringer ennå.</p>';
  return `<ul class="nytt">\n${entries.map((e) => entryItem(e, root, published.get(e.url))).join('\n')}\n</ul>`;
}

/** A source (one `sources.yaml` entry) as the site lists it. */
export interface SourceGroup {
  id: string;
  name: string;
  owner: string;
  pages: BundlePage[];
}

/** The front page: what this is, the newest changes, the topics and the sources (each page's list is on its own page). */
export function indexPage(
  bundle: Bundle,
  topics: readonly Topic[],
  sources: readonly SourceGroup[],
  news: readonly ChangeEntry[],
  published: ReadonlyMap<string, string>,
): string {
  const main = `<h1>Sammendrag i klarspråk</h1>
<p>Her finner du korte sammendrag av offentlige sider om rettigheter, tjenester og frister for barn og familier. Hvert sammendrag viser hvilken side det bygger på og når siden sist ble kontrollert. ${bundle.pages.length} sider.</p>
<h2>Hva er nytt</h2>
${newsList(news.slice(0, 10), '', published)}
<p><a href="hva-er-nytt.html">Alle endringer</a></p>
<h2>Temaer</h2>
${topicList(topics.slice(0, TOPICS_ON_INDEX), '')}
${topics.length > TOPICS_ON_INDEX ? '<p><a href="tema.html">Alle temaer</a></p>' : ''}
<h2>Kilder</h2>
<ul class="sider">
${sources.map((g) => `<li><a href="kilde/${esc(g.id)}.html">${esc(g.name)}</a> (${esc(g.owner)}, ${g.pages.length} ${g.pages.length === 1 ? 'side' : 'sider'})</li>`).join('\n')}
</ul>`;
  return page({
    title: 'Forside',
    description: 'Sammendrag i klarspråk av offentlige sider for barn og familier.',
    root: '',
    main,
    credits: creditsOf(bundle.pages),
  });
}

const TOPICS_ON_INDEX = 30;

function topicList(topics: readonly Topic[], root: string): string {
  return `<ul class="sider">\n${topics.map((t) => `<li><a href="${root}tema/${esc(t.slug)}.html">${esc(t.name)}</a> (${t.pages.length})</li>`).join('\n')}\n</ul>`;
}

/** Links to pages listed on a list page. */
export const PAGES_PER_LIST = 150;

/** File name of part `n` (1-based) of a paginated list: `<base>.html`, then `<base>.s2.html` … (a dot never occurs in a slug). */
export function listFile(base: string, n: number): string {
  return n === 1 ? `${base}.html` : `${base}.s${n}.html`;
}

/**
 * A list of pages split over several files of `PAGES_PER_LIST` each, so no file grows past the
 * page budget: for `folder/base`, returns every part by path (one folder down from the root).
 */
export function pagedList(
  folder: string,
  base: string,
  title: string,
  intro: string,
  pages: readonly BundlePage[],
  footer = '',
): Map<string, string> {
  const sorted = [...pages].sort(byTitle);
  const parts = Math.max(1, Math.ceil(sorted.length / PAGES_PER_LIST));
  const out = new Map<string, string>();
  for (let n = 1; n <= parts; n++) {
    const slice = sorted.slice((n - 1) * PAGES_PER_LIST, n * PAGES_PER_LIST);
    const nav =
      parts === 1
        ? ''
        : `<nav aria-label="Sider i listen"><p>Del ${n} av ${parts}. ${n > 1 ? `<a href="${esc(listFile(base, n - 1))}">Forrige</a>` : ''} ${n < parts ? `<a href="${esc(listFile(base, n + 1))}">Neste</a>` : ''}</p></nav>`;
    const main = `<h1>${esc(title)}</h1>
<p>${intro}</p>
${nav}
<ul class="sider">
${slice.map((p) => `<li>${pageLink(p, '../')}<br><span class="meta">${esc(describePage(p))} (${esc(p.owner)})</span></li>`).join('\n')}
</ul>
${nav}
${footer}`;
    out.set(
      `${folder}/${listFile(base, n)}`,
      page({ title: parts === 1 ? title : `${title} (del ${n})`, root: '../', main, credits: creditsOf(slice) }),
    );
  }
  return out;
}

function section(title: string, body: string): string {
  return `<h2>${esc(title)}</h2>\n${body}`;
}

/** A page's key facts, each with the words of the source it rests on. */
function facts(p: BundlePage): string {
  const items = p.keyFacts.map((f) => {
    const quote = f.quote && f.quote !== f.fact ? `\n<blockquote><p>Fra kilden: «${esc(f.quote)}»</p></blockquote>` : '';
    return `<li>${esc(f.fact)}${quote}</li>`;
  });
  return `<ul class="fakta">\n${items.join('\n')}\n</ul>\n<p class="meta">Alle fakta bygger på <a href="${safeHref(p.url)}">kildesiden hos ${esc(p.owner)}</a>.</p>`;
}

/** One published page: summary, key facts with their source, who it is for, how to apply, what is new, source and licence. */
export function sourcePage(p: BundlePage, mine: readonly ChangeEntry[], myTopics: readonly Topic[]): string {
  const parts: string[] = [
    `<h1>${esc(p.title)}</h1>`,
    `<p class="meta">Fra ${esc(p.owner)} · Sist kontrollert ${time(p.fetchedAt)} · Skrevet for ${esc(AUDIENCE[p.audience] ?? p.audience)}</p>`,
    ...p.summary.split(/\n{2,}/).map((para) => `<p>${esc(para.trim())}</p>`),
  ];
  if (p.keyFacts.length > 0) parts.push(section('Viktige fakta', facts(p)));
  if (p.appliesTo) parts.push(section('Hvem gjelder det for?', `<p>${esc(p.appliesTo)}</p>`));
  if (p.howToApply) parts.push(section('Slik søker du', `<p>${esc(p.howToApply)}</p>`));
  if (p.deadlines.length > 0) parts.push(section('Frister', `<ul>\n${p.deadlines.map((d) => `<li>${esc(d)}</li>`).join('\n')}\n</ul>`));
  if (p.contacts && p.contacts.length > 0)
    parts.push(section('Kontakt', `<ul>\n${p.contacts.map((c) => `<li>${esc(c)}</li>`).join('\n')}\n</ul>`));
  parts.push(section('Hva er nytt', newsList(mine, '../', new Map())));
  if (myTopics.length > 0)
    parts.push(
      section(
        'Temaer',
        `<ul>\n${myTopics.map((t) => `<li><a href="../tema/${esc(t.slug)}.html">${esc(t.name)}</a></li>`).join('\n')}\n</ul>`,
      ),
    );
  parts.push(
    `<div class="kilde">
<p>Kilde: <a href="${safeHref(p.url)}">${esc(p.url)}</a> (${esc(p.owner)}). Sist kontrollert ${time(p.fetchedAt)}. Flere sider fra <a href="../kilde/${esc(p.sourceId)}.html">${esc(p.sourceName)}</a>.</p>
<p>Godkjent av ${esc(p.approvedBy)} ${time(p.approvedAt)}.</p>
<p>Lisens: ${esc(p.licence)}. ${esc(p.credit)}</p>
</div>`,
  );
  return page({ title: p.title, description: describePage(p), root: '../', main: parts.join('\n') });
}

/** A topic (tag): its pages, with the topic's feeds. */
export function topicPages(t: Topic): Map<string, string> {
  const n = t.pages.length;
  const footer = `<p><a href="../feeds/tag/${esc(t.slug)}/all.xml">Følg endringer i dette temaet (Atom)</a> · <a href="../feeds/tag/${esc(t.slug)}/all.json">JSON Feed</a></p>`;
  return pagedList('tema', t.slug, `Tema: ${t.name}`, `${n} ${n === 1 ? 'side' : 'sider'} med dette temaet.`, t.pages, footer);
}

/** A source: its pages, with the source's feeds. */
export function sourceGroupPages(g: SourceGroup): Map<string, string> {
  const n = g.pages.length;
  const footer = `<p><a href="../feeds/source/${esc(g.id)}/all.xml">Følg endringer fra denne kilden (Atom)</a> · <a href="../feeds/source/${esc(g.id)}/all.json">JSON Feed</a></p>`;
  return pagedList('kilde', g.id, g.name, `${n} ${n === 1 ? 'side' : 'sider'} fra ${esc(g.owner)}.`, g.pages, footer);
}

/** Every topic. */
export function topicsPage(topics: readonly Topic[], compiled = ''): string {
  return page({
    title: 'Temaer',
    root: '',
    main: `<h1>Temaer</h1>\n${compiled}${topicList(topics, '')}`,
    credits: creditsOf(topics.flatMap((t) => t.pages)),
  });
}

/** «Hva er nytt»: the newest changes, with the feeds to follow them. */
export function newsPage(history: readonly ChangeEntry[], published: ReadonlyMap<string, string>): string {
  const main = `<h1>Hva er nytt</h1>
<p>Nye sider, endringer og sider som er trukket tilbake, med de nyeste først. Følg endringene i en nyhetsleser: <a href="feeds/all.xml">Atom</a> · <a href="feeds/all.json">JSON Feed</a> · <a href="feeds/major.xml">bare viktige endringer</a>.</p>
${newsList(history, '', published)}`;
  return page({ title: 'Hva er nytt', root: '', main, credits: creditsOf(history) });
}

/** The search page: works with JavaScript (the index is fetched when it is first needed); says so without. */
export function searchPage(credits: readonly string[]): string {
  const main = `<h1>Søk</h1>
<p id="sok-status" role="status">Skriv et ord i søkefeltet øverst på siden og trykk «Søk».</p>
<noscript><p>Søket trenger JavaScript. Uten JavaScript finner du alle sider på <a href="index.html">forsiden</a> og under <a href="tema.html">temaer</a>.</p></noscript>
<ol id="sok-treff" class="sider"></ol>`;
  return page({ title: 'Søk', root: '', main, scripts: ['sok/sok.js'], credits });
}
