/**
 * Compiled topic pages on the preview site (Norwegian): one page per topic and audience with its
 * sections, each marked with the member pages its sentences rest on, and the list of its sources;
 * and the list of topic pages shown on «Temaer». All text escaped.
 */
import { esc, page, safeHref } from './html.js';
import { memberNumber, type BundleTopic } from '../publish/index.js';

const AUDIENCE: Record<string, string> = { parents: 'for foreldre', youth: 'for ungdom', professionals: 'for fagfolk' };

function marks(t: BundleTopic, field: string): string {
  const n = [...new Set(t.claims.filter((c) => c.field === field).flatMap((c) => memberNumber(t, c)))].sort((a, b) => a - b);
  return n.length > 0 ? ` <span class="kilde">${n.map((i) => `<a href="#kilde-${i}">[${i}]</a>`).join('')}</span>` : '';
}

function list(items: readonly string[]): string {
  return `<ul>\n${items.map((i) => `<li>${esc(i)}</li>`).join('\n')}\n</ul>`;
}

/** The site page of one published topic: `temaside/<slug>.html`. */
export function topicSitePage(t: BundleTopic): string {
  const parts = [
    `<h1>${esc(t.title)}</h1>`,
    `<p class="meta">Temaside ${esc(AUDIENCE[t.audience] ?? t.audience)}, satt sammen fra ${t.members.length} godkjente sider.</p>`,
  ];
  parts.push(`<p>${esc(t.summary)}${marks(t, 'summary')}</p>`);
  if (t.keyFacts.length > 0) parts.push(`<h2>Viktige fakta</h2>${marks(t, 'keyFacts')}`, list(t.keyFacts.map((f) => f.fact)));
  if (t.appliesTo) parts.push('<h2>Hvem har rett?</h2>', `<p>${esc(t.appliesTo)}${marks(t, 'appliesTo')}</p>`);
  if (t.howToApply) parts.push('<h2>Slik søker du</h2>', `<p>${esc(t.howToApply)}${marks(t, 'howToApply')}</p>`);
  if (t.deadlines.length > 0) parts.push(`<h2>Frister</h2>${marks(t, 'deadlines')}`, list(t.deadlines));
  if (t.contacts.length > 0) parts.push(`<h2>Kontakt</h2>${marks(t, 'contacts')}`, list(t.contacts));
  const overridden = t.claims.filter((c) => c.override);
  if (overridden.length > 0) {
    parts.push(
      '<h2>Publisert uten støtte i kildene</h2>',
      list(overridden.map((c) => `«${c.text}»: ${c.override!.reason} (${c.override!.by})`)),
    );
  }
  parts.push(
    '<h2>Kilder</h2>',
    `<ol class="kilder">\n${t.members
      .map(
        (m, i) => `<li id="kilde-${i + 1}"><a href="${safeHref(m.url)}">${esc(m.title)}</a> – ${esc(m.sourceName)} (${esc(m.owner)})</li>`,
      )
      .join('\n')}\n</ol>`,
    `<p>Godkjent av ${esc(t.approvedBy)} ${esc(t.approvedAt.slice(0, 10))}.</p>`,
  );
  return page({ title: t.title, root: '../', main: parts.join('\n'), credits: [] });
}

/** The «Temasider» section of «Temaer»: links to the compiled topic pages; empty without any. */
export function topicSiteList(topics: readonly BundleTopic[]): string {
  if (topics.length === 0) return '';
  const items = topics.map(
    (t) =>
      `<li><a href="temaside/${esc(t.slug)}.html">${esc(t.title)}</a> (${esc(AUDIENCE[t.audience] ?? t.audience)}, ${t.members.length} kilder)</li>`,
  );
  return `<h2>Temasider</h2>\n<p>Satt sammen fra flere godkjente kilder.</p>\n<ul class="sider">\n${items.join('\n')}\n</ul>\n`;
}
